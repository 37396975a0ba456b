// ThreadChoice times training steps both ways, keeps the faster, still retries the slower, and follows the load.
import { describe, expect, it } from 'vitest';
import { ThreadChoice } from './thread-choice.ts';

/** Runs n steps on a machine where a step takes allMs with its big work shared, oneMs without; returns how many shared. */
function run(choice: ThreadChoice, n: number, allMs: number, oneMs: number): number {
  let shared = 0;
  for (let i = 0; i < n; i++) {
    const all = choice.sharing();
    if (all) shared++;
    choice.stepDone(all ? allMs : oneMs);
  }
  return shared;
}

describe('ThreadChoice', () => {
  it('starts shared, warms up, times both ways in turn, then shares only where that is faster', () => {
    const idle = new ThreadChoice();
    expect(idle.sharing()).toBe(true);
    expect(run(idle, 12, 67, 72)).toBe(12); // two warm-up windows, then a window shared
    expect(run(idle, 4, 67, 72)).toBe(0); // then one alone, one shared, one alone
    expect(run(idle, 4, 67, 72)).toBe(4);
    expect(run(idle, 4, 67, 72)).toBe(0);
    expect(run(idle, 160, 67, 72)).toBe(140); // sharing wins on an idle machine; one window in 8 retries one thread
    expect(idle.stepsOnAll).toBe(156);
    expect(idle.steps).toBe(184);

    const busy = new ThreadChoice();
    run(busy, 24, 600, 195);
    const shared = run(busy, 160, 600, 195);
    expect(shared).toBeLessThan(30); // every shared step waits for a descheduled worker
    expect(shared).toBeGreaterThan(0); // the slower way is still retried: load changes
  });

  it('is not held on the slower way by one unlucky window before the first choice', () => {
    const c = new ThreadChoice();
    run(c, 8, 90, 90); // warm-up
    run(c, 4, 85, 72); // the first shared window is slow (the heap still growing)
    run(c, 12, 67, 72); // then sharing is faster
    expect(run(c, 32, 67, 72)).toBeGreaterThanOrEqual(28);
  });

  it('follows the load: switches to one thread when the machine gets busy, and back when it is idle again', () => {
    const c = new ThreadChoice();
    run(c, 40, 67, 72); // idle
    run(c, 200, 200, 80); // busy: sharing now makes each step wait
    expect(run(c, 100, 200, 80)).toBeLessThanOrEqual(8); // settled on one thread, only a rare retry shared
    run(c, 200, 67, 72); // idle again
    expect(run(c, 100, 67, 72)).toBeGreaterThan(80);
  });

  it('does not let one slow step (a collection, a page fault) decide: each window counts its fastest step', () => {
    const c = new ThreadChoice();
    let i = 0;
    const steps = (n: number) => {
      let shared = 0;
      for (let k = 0; k < n; k++, i++) {
        const all = c.sharing();
        if (all) shared++;
        c.stepDone((all ? 67 : 72) + (i % 4 === 1 ? 150 : 0)); // one step in four pays a 150 ms pause
      }
      return shared;
    };
    steps(40);
    expect(steps(160)).toBeGreaterThanOrEqual(136);
  });
});
