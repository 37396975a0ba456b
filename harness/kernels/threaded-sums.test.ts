// Native Sum over a middle block of axes (threaded-sums.ts, blas/sums.cc) on one thread or two: bit for bit each column
// summed over the rows in order in float32, as our wasm kernel sums it (simd-sum.ts, which runs below the native
// threshold), close to the cpu backend's, and proof that the native path ran on the threads asked for.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlasAddon } from './blas-addon.ts';
import { blasAvailable } from './test-support/blas-test-gate.ts';
import { maxAbsDiff, seeded } from './test-support/cpu-oracle.ts';
import { recordCalls, sharingOnTwoThreads, valuesOn, withThreads } from './test-support/two-threads.ts';

const found = blasAvailable('two-thread sums');

/** The values f makes on wasm with GPT_KATA_THREADS as given, and the threads each native sum ran on. */
async function onWasm(addon: BlasAddon, threads: string, f: () => tf.Tensor): Promise<{ values: number[]; threads: number[] }> {
  const { result, calls } = await withThreads(threads, () => recordCalls(addon, 'sumMid', (a) => a[6], () => valuesOn('wasm', f)));
  return { values: result, threads: calls };
}

/** x of [O, R, I] summed over R: each column from +0 over the rows in order, each addition rounded to float32. */
function inOrderSums(xs: number[], O: number, R: number, I: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < O; o++) {
    for (let i = 0; i < I; i++) {
      let acc = 0;
      for (let r = 0; r < R; r++) acc = Math.fround(acc + Math.fround(xs[(o * R + r) * I + i]!));
      out.push(acc);
    }
  }
  return out;
}

describe.skipIf(!found)('native Sum over a middle block of axes', () => {
  const addon = found!;
  sharingOnTwoThreads();

  it('sums each column over the rows in order, as our wasm kernel does, on one thread or two; the cpu backend\'s to rounding', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }), // O: leading axes kept
        fc.integer({ min: 1, max: 900 }), // R: the rows summed
        fc.integer({ min: 2, max: 700 }), // I: the columns kept
        fc.boolean(),
        fc.integer(),
        async (O, R, I, keepDims, seed) => {
          const n = O * R * I;
          const xs = seeded(seed, n).map((v, i) => (i % 53 === 0 ? -0 : v * 10));
          const f = () => tf.sum(tf.tensor3d(xs, [O, R, I]), 1, keepDims);
          const shared = await onWasm(addon, '2', f);
          const alone = await onWasm(addon, '1', f);
          const native = I > 1 && n >= 4096; // below that our wasm kernel runs, and must give the same floats
          expect(shared.threads).toEqual(native ? [n >= 65536 ? 2 : 1] : []);
          expect(alone.threads).toEqual(native ? [1] : []);
          const inOrder = inOrderSums(xs, O, R, I);
          expect(shared.values).toEqual(inOrder);
          expect(alone.values).toEqual(inOrder);
          const cpu = await valuesOn('cpu', f);
          expect(maxAbsDiff(cpu, shared.values)).toBeLessThan(1e-5 * 10 * R);
        },
      ),
      { numRuns: 30, seed: 13 },
    );
  });

  it('sums a bias gradient, [768, 512] over its rows, natively', async () => {
    const f = () => tf.sum(tf.tensor2d(seeded(3, 768 * 512), [768, 512]), 0);
    const shared = await onWasm(addon, '2', f);
    const alone = await onWasm(addon, '1', f);
    expect(shared.threads).toEqual([2]);
    expect(alone.threads).toEqual([1]);
    expect(shared.values).toEqual(alone.values);
  });

  it('refuses offsets outside the heap', () => {
    expect(() => addon.sumMid(new ArrayBuffer(1024), 0, 1000, 1, 8, 8, 2)).toThrow(/outside the heap/);
  });
});
