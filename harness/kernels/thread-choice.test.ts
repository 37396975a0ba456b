// ThreadChoice measures both ways first, then keeps the faster per shape, and still retries the slower one.
import { describe, expect, it } from 'vitest';
import { ThreadChoice } from './thread-choice.ts';

/** Runs n calls of `shape` where sharing takes pooledMs and one thread singleMs; returns how many were shared. */
function run(choice: ThreadChoice, shape: string, n: number, pooledMs: number, singleMs: number): number {
  let shared = 0;
  for (let i = 0; i < n; i++) {
    const pooled = choice.pick(shape);
    if (pooled) shared++;
    choice.record(shape, pooled, pooled ? pooledMs : singleMs);
  }
  return shared;
}

describe('ThreadChoice', () => {
  it('tries both ways first, then shares only where sharing was faster, shape by shape', () => {
    const c = new ThreadChoice();
    expect(c.pick('a')).toBe(true); // first: with the worker
    c.record('a', true, 2);
    expect(c.pick('a')).toBe(false); // second: alone
    c.record('a', false, 3);
    const sharedFast = run(c, 'a', 80, 2, 3); // sharing wins on shape a
    const sharedSlow = run(c, 'b', 80, 3, 2); // and loses on shape b
    expect(sharedFast).toBeGreaterThan(65);
    expect(sharedSlow).toBeLessThan(15);
    expect(sharedSlow).toBeGreaterThan(0); // the slower way is still retried: load changes
  });

  it('switches when the machine gets busy (sharing becomes the slower way)', () => {
    const c = new ThreadChoice();
    run(c, 's', 40, 1, 2); // idle: sharing wins
    const afterLoad = run(c, 's', 80, 4, 2); // busy: every shared call now waits for a descheduled worker
    const lastStretch = run(c, 's', 40, 4, 2);
    expect(afterLoad).toBeLessThan(40);
    expect(lastStretch).toBeLessThanOrEqual(6); // only the every-8th retries
    expect(c.eligibleCalls).toBe(160);
  });
});
