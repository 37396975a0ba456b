// Native float32 Add/Sub/Multiply/RealDiv (threaded-binary.ts, blas/elementwise.cc) on one thread or two: the cpu
// backend's floats, bit for bit, in every layout and operand order, and proof that the native path ran on the threads
// asked for.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlasAddon } from './blas-addon.ts';
import { blasAvailable } from './test-support/blas-test-gate.ts';
import { seeded } from './test-support/cpu-oracle.ts';
import { recordCalls, sharingOnTwoThreads, valuesOn } from './test-support/two-threads.ts';

const found = blasAvailable('two-thread elementwise');

/** Counts the addon's binary calls while `f` runs, and the threads each asked for: proof that the native path ran. */
async function countingBinary<T>(addon: BlasAddon, f: () => T | Promise<T>): Promise<{ result: T; calls: number; threads: number[] }> {
  const { result, calls } = await recordCalls(addon, 'binary', (a) => a[9], f);
  return { result, calls: calls.length, threads: calls };
}

const OPS = [
  ['add', (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b)],
  ['sub', (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b)],
  ['mul', (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b)],
  ['div', (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b)],
] as const;

/** The second operand's shape for each native layout, against a full [rows, C] or [B, T, C] shape. */
const LAYOUTS: Record<string, (full: number[]) => number[]> = {
  same: (full) => full,
  row: (full) => [full[full.length - 1]!],
  'row with leading ones': (full) => [1, full[full.length - 1]!],
  'per row': (full) => [...full.slice(0, -1), 1],
  'trailing axes': (full) => (full.length > 2 ? full.slice(1) : [1, ...full.slice(1)]), // a [T, T] mask over [B, h, T, T]
  scalar: () => [],
};

describe.skipIf(!found)('native float32 Add, Sub, Multiply and RealDiv', () => {
  const addon = found!;
  sharingOnTwoThreads();

  it('gives the cpu backend\'s floats exactly, in every layout, either operand first, zeros and infinities included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...OPS),
        fc.constantFrom(...Object.keys(LAYOUTS)),
        fc.boolean(),
        fc.constantFrom<number[]>([768, 128], [12, 64, 128], [12, 4, 64, 64], [1024, 65], [70000], [64, 80]),
        fc.integer(),
        async ([, op], layout, smallFirst, full, seed) => {
          const small = LAYOUTS[layout]!(full);
          const n = full.reduce((p, d) => p * d, 1);
          const xs = seeded(seed, n).map((v, i) => (i % 97 === 0 ? 0 : v * 3)); // zeros: 0/0 and x/0 too
          const ys = seeded(seed + 1, Math.max(1, small.reduce((p, d) => p * d, 1))).map((v, i) => (i % 13 === 0 ? 0 : v));
          const f = () => {
            const x = tf.tensor(xs, full);
            const y = tf.tensor(ys, small);
            return smallFirst ? op(y, x) : op(x, y);
          };
          const cpu = await valuesOn('cpu', f);
          const { result: wasm, calls, threads } = await countingBinary(addon, () => valuesOn('wasm', f));
          expect(calls).toBe(1);
          expect(threads).toEqual([n >= 65536 ? 2 : 1]); // big passes shared; a [64, 80] one on the calling thread
          expect(wasm).toEqual(cpu); // toEqual: NaN equals NaN, -0 and 0 told apart
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('leaves small tensors, int32 and shapes that broadcast both ways to tfjs\'s kernels', async () => {
    await tf.setBackend('wasm');
    const { calls } = await countingBinary(addon, () =>
      tf.tidy(() => {
        tf.add(tf.ones([32, 64]), tf.ones([64])).dataSync(); // 2,048 elements: tfjs's call costs no more
        tf.add(tf.ones([512, 256], 'int32'), tf.ones([256], 'int32')).dataSync();
        tf.mul(tf.ones([512, 1]), tf.ones([1, 256])).dataSync(); // neither operand has the output's shape
        tf.add(tf.ones([512, 256]), tf.ones([512, 256])).dataSync(); // this one goes native
      }),
    );
    expect(calls).toBe(1);
  });

  it('runs natively on the calling thread alone when GPT_KATA_THREADS=1', async () => {
    await tf.setBackend('wasm');
    process.env.GPT_KATA_THREADS = '1';
    try {
      const { calls, threads } = await countingBinary(addon, () => tf.tidy(() => tf.add(tf.ones([512, 256]), tf.ones([256])).dataSync()));
      expect(calls).toBe(1);
      expect(threads).toEqual([1]);
    } finally {
      process.env.GPT_KATA_THREADS = '2';
    }
  });

  it('refuses offsets outside the heap instead of writing there', () => {
    const heap = new ArrayBuffer(1024);
    expect(() => addon.binary(heap, 0, 0, false, 0, 0, 1020, 16, 16, 2)).toThrow(/outside the heap/);
    expect(() => addon.binary(heap, 9, 0, false, 0, 0, 0, 4, 4, 2)).toThrow(/unknown op or layout/);
  });
});
