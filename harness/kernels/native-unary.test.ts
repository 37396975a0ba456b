// Native Relu, Square and their gradients (native-unary.ts, square-grad.ts, blas/unary.cc) on one thread or two: the
// cpu backend's floats bit for bit, NaN, ±0 and ±∞ included, and proof that the native path ran on the threads asked
// for; a second derivative through Square still works.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlasAddon } from './blas-addon.ts';
import { blasAvailable } from './test-support/blas-test-gate.ts';
import { seeded } from './test-support/cpu-oracle.ts';
import { recordCalls, sharingOnTwoThreads, valuesOn, withThreads } from './test-support/two-threads.ts';

const found = blasAvailable('native Relu and Square');

/** The values f makes on wasm with GPT_KATA_THREADS as given, and each native call's [op, threads]. */
async function onWasm(addon: BlasAddon, threads: string, f: () => tf.Tensor): Promise<{ values: number[]; calls: number[][] }> {
  const { result, calls } = await withThreads(threads, () => recordCalls(addon, 'unary', (a) => [a[1], a[6]], () => valuesOn('wasm', f)));
  return { values: result, calls };
}

/** Values with the awkward ones sprinkled in: NaN, ±0, ±∞. */
function awkward(seed: number, n: number): number[] {
  const special = [NaN, 0, -0, Infinity, -Infinity];
  return seeded(seed, n).map((v, i) => (i % 89 === 0 ? special[(i / 89) % special.length]! : v * 4));
}

const RELU = 0;
const RELU_GRAD = 1;
const SQUARE = 2;
const SQUARE_GRAD = 3;

/** f(x) and its gradient for dy = w: [f(x), d(Σ f(x)·w)/dx] as one tensor. */
const withGrad = (f: (t: tf.Tensor) => tf.Tensor, x: number[], w: number[], shape: number[]) => () => {
  const g = tf.grad((t: tf.Tensor) => f(t).mul(tf.tensor(w, shape)).sum());
  const xt = tf.tensor(x, shape);
  return tf.concat([f(xt).flatten(), g(xt).flatten()]);
};

describe.skipIf(!found)('native Relu, Square and their gradients', () => {
  const addon = found!;
  sharingOnTwoThreads();

  it('give the cpu backend\'s floats exactly, forward and gradient, on one thread and on two', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(['relu', tf.relu, RELU, RELU_GRAD] as const, ['square', tf.square, SQUARE, SQUARE_GRAD] as const),
        fc.constantFrom<number[]>([12, 64, 128], [64, 80], [70001]),
        fc.integer(),
        async ([, f, op, gradOp], shape, seed) => {
          const n = tf.util.sizeFromShape(shape);
          const run = withGrad(f, awkward(seed, n), awkward(seed + 1, n), shape);
          const cpu = await valuesOn('cpu', run);
          const shared = await onWasm(addon, '2', run);
          const alone = await onWasm(addon, '1', run);
          const t = n >= 65536 ? 2 : 1;
          expect(shared.calls).toEqual([[op, t], [op, t], [gradOp, t]]); // f for the gradient's tape, f, the gradient
          expect(alone.calls).toEqual([[op, 1], [op, 1], [gradOp, 1]]);
          expect(shared.values).toEqual(cpu); // toEqual: NaN equals NaN, -0 and 0 told apart
          expect(alone.values).toEqual(cpu);
        },
      ),
      { numRuns: 16, seed: 11 },
    );
  });

  it('leave small tensors to tfjs\'s kernels, and a second derivative through Square to tfjs\'s ops', async () => {
    const small = () => tf.relu(tf.tensor(seeded(1, 1000), [10, 100]));
    expect((await onWasm(addon, '2', small)).calls).toEqual([]);
    // d²/dx² Σ x² = 2 everywhere: the first gradient runs as tfjs's Multiply ops, so it can be differentiated again
    const second = () => tf.grad((t: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.square(u).sum())(t).sum())(tf.tensor(seeded(2, 8192)));
    const { values, calls } = await onWasm(addon, '2', second);
    expect(values.every((v) => v === 2)).toBe(true);
    expect(calls.map(([op]) => op)).not.toContain(SQUARE_GRAD);
  });

  it('refuses offsets outside the heap and unknown ops', () => {
    const heap = new ArrayBuffer(1024);
    expect(() => addon.unary(heap, RELU, 0, 0, 1000, 16, 1)).toThrow(/outside the heap/);
    expect(() => addon.unary(heap, SQUARE_GRAD, 0, 1020, 0, 16, 1)).toThrow(/outside the heap/);
    expect(() => addon.unary(heap, 9, 0, 0, 0, 4, 1)).toThrow(/unknown op/);
  });
});
