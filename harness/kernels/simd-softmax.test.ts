// Softmax on wasm (simd-softmax.ts) equals the cpu backend's for any shape and scale, masked and NaN rows included.
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

describe('Softmax', () => {
  it('equals the cpu backend\'s on random shapes and scales, with masked (−1e9, −∞) scores exactly 0', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 3 }), fc.integer(), fc.double({ min: 0.1, max: 60, noNaN: true }),
        async (shape, seed, scale) => {
          const n = tf.util.sizeFromShape(shape);
          const last = shape[shape.length - 1]!;
          // every 5th score masked, but never a row's first, so each row keeps a finite one
          const logits = seeded(seed, n).map((v, i) => (i % last !== 0 && i % 5 === 4 ? (i % 2 ? -1e9 : -Infinity) : v * scale));
          const f = () => [tf.softmax(tf.tensor(logits, shape))];
          const cpu = await runOn('cpu', f);
          const wasm = await runOn('wasm', f);
          expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-6);
          const flat = [wasm[0]].flat(Infinity) as number[];
          logits.forEach((v, i) => {
            if (v <= -1e9) expect(flat[i]).toBe(0);
          });
        }),
      { numRuns: 60, seed: 13 },
    );
  });

  it('gives a row with a NaN NaNs, and leaves the other rows alone, as the cpu backend', async () => {
    const f = () => [tf.softmax(tf.tensor2d([[1, NaN, 3, 4, 5], [1, 2, 3, 4, 5], [NaN, 0, 0, 0, 0]]))];
    const [cpu] = (await runOn('cpu', f)) as number[][][];
    const [wasm] = (await runOn('wasm', f)) as number[][][];
    expect(wasm![0]!.every(Number.isNaN) && wasm![2]!.every(Number.isNaN)).toBe(true);
    expect(cpu![0]!.every(Number.isNaN) && cpu![2]!.every(Number.isNaN)).toBe(true);
    expect(maxAbsDiff(wasm![1], cpu![1])).toBeLessThan(1e-6);
  });
});
