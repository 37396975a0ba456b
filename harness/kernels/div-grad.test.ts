// RealDiv's gradient on wasm (div-grad.ts) equals the cpu backend's: per-row divisors through the one-pass kernel,
// every other broadcast through tfjs's formula, and a whole LayerNorm.
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

/** Gradients of Σ (a / b)·w for both operands; b's values kept away from 0. */
const divGrads = (aShape: number[], bShape: number[], seed: number) => () => {
  const outShape = tf.broadcast_util.assertAndGetBroadcastShape(aShape, bShape);
  const a = tf.tensor(seeded(seed, tf.util.sizeFromShape(aShape)), aShape);
  const b = tf.tensor(seeded(seed + 1, tf.util.sizeFromShape(bShape)).map((v) => (v < 0 ? v - 0.5 : v + 0.5)), bShape);
  const w = tf.tensor(seeded(seed + 2, tf.util.sizeFromShape(outShape)), outShape);
  return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.div(x, y).mul(w).sum())([a, b]);
};

describe('RealDiv gradient', () => {
  it('equals the cpu backend\'s for a divisor with one value per row, any rank and width', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 0, maxLength: 3 }), fc.integer({ min: 2, max: 70 }), fc.integer(),
        async (lead, n, seed) => {
          const f = divGrads([...lead, n], [...lead, 1], seed);
          expect(maxAbsDiff(await runOn('cpu', f), await runOn('wasm', f))).toBeLessThan(1e-5);
        }),
      { numRuns: 60, seed: 17 },
    );
  });

  it('equals the cpu backend\'s for the other broadcasts (scalar, same shape, vector, a broadcast)', async () => {
    for (const [aShape, bShape] of [[[4, 5], []], [[4, 5], [4, 5]], [[4, 5], [5]], [[4, 1], [4, 5]], [[3, 4, 5], [4, 1]], [[4, 1], [4, 1]]]) {
      const f = divGrads(aShape!, bShape!, 23);
      expect(maxAbsDiff(await runOn('cpu', f), await runOn('wasm', f))).toBeLessThan(1e-5);
    }
  });

  it('trains a LayerNorm: gradients of x, gamma and beta match the cpu backend', async () => {
    const [B, T, C] = [3, 5, 16];
    const f = () => {
      const loss = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => {
        const centred = x.sub(x.mean(-1, true));
        const std = centred.square().mean(-1, true).add(1e-5).sqrt();
        return centred.div(std).mul(gamma).add(beta).mul(tf.tensor(seeded(3, B * T * C), [B, T, C])).sum();
      };
      return tf.grads(loss)([tf.tensor(seeded(1, B * T * C), [B, T, C]), tf.tensor(seeded(2, C)), tf.tensor(seeded(4, C))]);
    };
    expect(maxAbsDiff(await runOn('cpu', f), await runOn('wasm', f))).toBeLessThan(1e-5);
  });
});
