// Multiply's gradient on wasm (mul-grad.ts) equals the cpu backend's: row-broadcast vectors (either operand) through
// the one-pass kernel, every other broadcast through tfjs's formula.
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

/** Gradients of Σ (a·b)·w for both operands. */
const mulGrads = (aShape: number[], bShape: number[], seed: number) => () => {
  const outShape = tf.broadcast_util.assertAndGetBroadcastShape(aShape, bShape);
  const a = tf.tensor(seeded(seed, tf.util.sizeFromShape(aShape)), aShape);
  const b = tf.tensor(seeded(seed + 1, tf.util.sizeFromShape(bShape)), bShape);
  const w = tf.tensor(seeded(seed + 2, tf.util.sizeFromShape(outShape)), outShape);
  return tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.mul(x, y).mul(w).sum())([a, b]);
};

describe('Multiply gradient', () => {
  it('equals the cpu backend\'s for a vector broadcast along the rows, on either side, any rank and width', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 70 }), fc.nat(2),
        fc.boolean(), fc.integer(), async (lead, n, ones, vectorFirst, seed) => {
          const x = [...lead, n];
          const v = [...Array<number>(Math.min(ones, lead.length)).fill(1), n]; // [n], [1, n] or [1, 1, n]
          const f = vectorFirst ? mulGrads(v, x, seed) : mulGrads(x, v, seed);
          expect(maxAbsDiff(await runOn('cpu', f), await runOn('wasm', f))).toBeLessThan(1e-5);
        }),
      { numRuns: 60, seed: 19 },
    );
  });

  it('equals the cpu backend\'s for the other broadcasts (scalar, same shape, columns, both ways)', async () => {
    for (const [aShape, bShape] of [[[4, 5], []], [[4, 5], [4, 5]], [[4, 5], [4, 1]], [[4, 1], [1, 5]], [[1, 5], [5]], [[3, 4, 5], [4, 5]]]) {
      const f = mulGrads(aShape!, bShape!, 29);
      expect(maxAbsDiff(await runOn('cpu', f), await runOn('wasm', f))).toBeLessThan(1e-5);
    }
  });
});
