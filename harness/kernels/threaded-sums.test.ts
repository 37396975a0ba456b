// Two-thread Sum over a middle block of axes (threaded-sums.ts, blas/sums.cc): bit for bit what our one-thread wasm
// kernel gives, close to the cpu backend's, and proof that the native path ran.
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlasAddon } from './blas-addon.ts';
import { blasAvailable } from './test-support/blas-test-gate.ts';
import { maxAbsDiff, seeded } from './test-support/cpu-oracle.ts';
import { sharingOnTwoThreads, valuesOn } from './test-support/two-threads.ts';

const found = blasAvailable('two-thread sums');

/** The values f makes on wasm with GPT_KATA_THREADS as given, and how many native sums ran. */
async function onWasm(addon: BlasAddon, threads: string, f: () => tf.Tensor): Promise<{ values: number[]; calls: number }> {
  const sumMid = addon.sumMid.bind(addon);
  let calls = 0;
  addon.sumMid = (...args) => {
    calls++;
    sumMid(...args);
  };
  process.env.GPT_KATA_THREADS = threads;
  try {
    return { values: await valuesOn('wasm', f), calls };
  } finally {
    addon.sumMid = sumMid;
    process.env.GPT_KATA_THREADS = '2';
  }
}

describe.skipIf(!found)('Sum over a middle block of axes on two threads', () => {
  const addon = found!;
  sharingOnTwoThreads();

  it('gives our one-thread kernel\'s floats exactly, and the cpu backend\'s to rounding', async () => {
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
          expect(shared.calls).toBe(n >= 65536 ? 1 : 0);
          expect(alone.calls).toBe(0);
          expect(shared.values).toEqual(alone.values);
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
    expect(shared.calls).toBe(1);
    expect(shared.values).toEqual(alone.values);
  });

  it('refuses offsets outside the heap', () => {
    expect(() => addon.sumMid(new ArrayBuffer(1024), 0, 1000, 1, 8, 8, 2)).toThrow(/outside the heap/);
  });
});
