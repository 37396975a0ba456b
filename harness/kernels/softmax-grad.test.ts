// Softmax's one-pass gradient on wasm matches the cpu backend's (tfjs's formula), for any shape and a weighted loss.
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

describe('Softmax gradient', () => {
  it('equals the cpu backend\'s on random shapes and scales, masked logits included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 }), fc.integer(), fc.double({ min: 0.1, max: 20, noNaN: true }),
        async (shape, seed, scale) => {
          const n = tf.util.sizeFromShape(shape);
          const logits = seeded(seed, n).map((v, i) => (i % 5 === 4 ? -1e9 : v * scale)); // some masked: softmax 0 there
          const weights = seeded(seed + 1, n);
          const f = () => {
            const g = tf.grad((x: tf.Tensor) => tf.softmax(x).mul(tf.tensor(weights, shape)).sum());
            return [g(tf.tensor(logits, shape))];
          };
          const cpu = await runOn('cpu', f);
          const wasm = await runOn('wasm', f);
          expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-6);
        }),
      { numRuns: 60, seed: 7 },
    );
  });

  it('trains attention: gradients through softmax(q·kᵀ)·v match the cpu backend', async () => {
    const [q, k, v] = [0, 1, 2].map((i) => seeded(100 + i, 2 * 3 * 8 * 4));
    const f = () => {
      const t = (d: number[]) => tf.tensor(d, [2, 3, 8, 4]);
      const loss = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.matMul(tf.softmax(tf.matMul(a, b, false, true)), c).square().sum();
      return tf.grads(loss)([t(q!), t(k!), t(v!)]);
    };
    expect(maxAbsDiff(await runOn('cpu', f), await runOn('wasm', f))).toBeLessThan(1e-5);
  });
});
