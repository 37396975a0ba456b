// Relu's one-pass gradient on wasm matches the cpu backend's (tfjs's dy·step(x)), for any shape, NaN and ±∞ included.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, runOn, seeded } from './test-support/cpu-oracle.ts';
import { registerWasmKernels } from './index.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

/** The gradient of Σ relu(x)·w, so dy is w. */
const reluGrad = (x: number[], w: number[], shape: number[]) => () => {
  const g = tf.grad((t: tf.Tensor) => tf.relu(t).mul(tf.tensor(w, shape)).sum());
  return [g(tf.tensor(x, shape))];
};

describe('Relu gradient', () => {
  it('equals the cpu backend\'s on random shapes, exact zeros included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), fc.integer(), async (shape, seed) => {
        const n = tf.util.sizeFromShape(shape);
        const x = seeded(seed, n).map((v, i) => (i % 6 === 5 ? 0 : v));
        const w = seeded(seed + 1, n);
        const cpu = await runOn('cpu', reluGrad(x, w, shape));
        const wasm = await runOn('wasm', reluGrad(x, w, shape));
        expect(maxAbsDiff(cpu, wasm)).toBe(0);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('passes NaN on where x is NaN and multiplies ±∞ in dy as tfjs does (∞·0 is NaN)', async () => {
    const x = [NaN, 1, -1, 0, Infinity, -Infinity, 2, -2, NaN];
    const w = [1, Infinity, Infinity, -Infinity, 3, NaN, -0.5, -0.5, 0];
    const cpu = await runOn('cpu', reluGrad(x, w, [9]));
    const wasm = await runOn('wasm', reluGrad(x, w, [9]));
    expect(wasm).toEqual(cpu);
    expect((wasm[0] as number[])[0]).toBeNaN();
  });
});
