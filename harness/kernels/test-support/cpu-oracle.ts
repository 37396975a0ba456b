// Test helpers: run the same tensor program on the cpu backend (the oracle) and on wasm, and compare.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect } from 'vitest';

/** Runs f on `backend` and returns its outputs as plain arrays; f builds its own tensors from plain data. */
export async function runOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<unknown[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const arrays = outs.map((t) => t.arraySync());
  tf.dispose(outs);
  return arrays;
}

export function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = [a].flat(Infinity) as number[];
  const fb = [b].flat(Infinity) as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i]!)), 0);
}

/** n pseudo-random values in [-1, 1) from a seed (an LCG: replayable from the seed fast-check reports). */
export function seeded(seed: number, n: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

/**
 * Batch axes of a pair of matmul operands (ranks 2-4): up to two output batch axes of size 1-3; each operand has
 * each of them at full size or 1, and may lack leading ones, so they match, are absent or broadcast either way
 * (e.g. [2,1] against [1,3]).
 */
const batchAxes = fc
  .record({
    outer: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    aKeep: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    bKeep: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    aDrop: fc.nat(2),
    bDrop: fc.nat(2),
  })
  .map(({ outer, aKeep, bKeep, aDrop, bDrop }) => ({
    aLead: outer.map((d, i) => (aKeep[i] ? d : 1)).slice(Math.min(aDrop, outer.length)),
    bLead: outer.map((d, i) => (bKeep[i] ? d : 1)).slice(Math.min(bDrop, outer.length)),
  }));

/**
 * Property: matMul (values, and gradients of both operands) on wasm equals the cpu backend for random sizes,
 * every transpose combination, and batch axes that match, are absent or broadcast (batchAxes above).
 */
export async function checkMatMulAgainstCpu(numRuns: number, seed: number, maxSize = 20): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        axes: batchAxes,
        m: fc.integer({ min: 1, max: maxSize }),
        k: fc.integer({ min: 1, max: maxSize }),
        n: fc.integer({ min: 1, max: maxSize }),
        ta: fc.boolean(),
        tb: fc.boolean(),
        seed: fc.integer(),
      }),
      async ({ axes: { aLead, bLead }, m, k, n, ta, tb, seed: s }) => {
        const aShape = [...aLead, ...(ta ? [k, m] : [m, k])];
        const bShape = [...bLead, ...(tb ? [n, k] : [k, n])];
        const av = seeded(s, tf.util.sizeFromShape(aShape));
        const bv = seeded(s + 7, tf.util.sizeFromShape(bShape));
        const outer = tf.broadcast_util.assertAndGetBroadcastShape(aLead, bLead);
        // explicit: both operands broadcast to the full batch shape first (broadcastTo's gradient sums them back), as
        // the oracle must do it: tfjs's cpu BatchMatMul returns a wrongly sized result for [2,1] against [1,2]
        const f = (explicit: boolean) => () => {
          const a = tf.tensor(av, aShape);
          const b = tf.tensor(bv, bShape);
          const full = (x: tf.Tensor) => (explicit ? tf.broadcastTo(x, [...outer, ...x.shape.slice(-2)]) : x);
          const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(full(x), full(y), ta, tb);
          const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => product(x, y).square().sum())([a, b]);
          return [product(a, b), ga!, gb!];
        };
        const cpu = await runOn('cpu', f(true));
        const wasm = await runOn('wasm', f(false));
        for (let i = 0; i < 3; i++) expect(maxAbsDiff(cpu[i], wasm[i])).toBeLessThan(1e-3 * Math.max(1, k));
      },
    ),
    { numRuns, seed },
  );
}
