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
 * Property: matMul (values, and gradients of both operands) on wasm equals the cpu backend for random sizes,
 * every transpose combination, and batch axes that match, are absent or broadcast from 1.
 */
export async function checkMatMulAgainstCpu(numRuns: number, seed: number, maxSize = 20): Promise<void> {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        batch: fc.constantFrom([] as number[], [3], [2, 3], [1, 3]),
        bBatch: fc.constantFrom('same', 'none', 'one'),
        m: fc.integer({ min: 1, max: maxSize }),
        k: fc.integer({ min: 1, max: maxSize }),
        n: fc.integer({ min: 1, max: maxSize }),
        ta: fc.boolean(),
        tb: fc.boolean(),
        seed: fc.integer(),
      }),
      async ({ batch, bBatch, m, k, n, ta, tb, seed: s }) => {
        const bLead = bBatch === 'same' ? batch : bBatch === 'none' ? [] : batch.map(() => 1);
        const aShape = [...batch, ...(ta ? [k, m] : [m, k])];
        const bShape = [...bLead, ...(tb ? [n, k] : [k, n])];
        const av = seeded(s, tf.util.sizeFromShape(aShape));
        const bv = seeded(s + 7, tf.util.sizeFromShape(bShape));
        const f = () => {
          const a = tf.tensor(av, aShape);
          const b = tf.tensor(bv, bShape);
          const loss = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb).square().sum();
          const [ga, gb] = tf.grads(loss)([a, b]);
          return [tf.matMul(a, b, ta, tb), ga!, gb!];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        for (let i = 0; i < 3; i++) expect(maxAbsDiff(cpu[i], wasm[i])).toBeLessThan(1e-3 * Math.max(1, k));
      },
    ),
    { numRuns, seed },
  );
}
