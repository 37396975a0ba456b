// Tile-as-broadcast on wasm matches the cpu backend, and the Sum/Mean gradients equal the analytic broadcast of dy.
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

const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

describe('Tile on wasm', () => {
  it('broadcasts size-1 axes (and tiles any others via tfjs) exactly as the cpu backend, float32 and int32', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }), fc.boolean(), async (shape, rawReps, broadcastOnly) => {
        const reps = shape.map((n, i) => (broadcastOnly && n !== 1 ? 1 : rawReps[i]!));
        const values = seeded(shape.length, tf.util.sizeFromShape(shape)).map((v) => Math.round(v * 50));
        const f = () => [tf.tile(tf.tensor(values, shape), reps), tf.tile(tf.tensor(values, shape, 'int32'), reps),
          tf.broadcastTo(tf.tensor(values, shape), shape.map((n, i) => (n === 1 ? reps[i]! : n)))];
        expect(await runOn('wasm', f)).toEqual(await runOn('cpu', f));
      }),
      { numRuns: 60, seed: 21 },
    );
  });
});

describe('Sum and Mean gradients', () => {
  it('are dy spread over the reduced axes (divided by their size for Mean), on cpu and wasm', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.integer(), fc.boolean(), async (shape, seed, keepDims) => {
        const axes = shape.map((_, i) => i).filter((i) => (seed >> i) & 1);
        const reduced = axes.length ? axes : [0];
        const x = seeded(seed, tf.util.sizeFromShape(shape));
        const keptShape = shape.map((n, i) => (reduced.includes(i) ? 1 : n));
        const w = seeded(seed + 1, tf.util.sizeFromShape(keptShape));
        const count = reduced.reduce((n, a) => n * shape[a]!, 1);
        // analytic: d/dx Σ w·sum(x) = w broadcast over the reduced axes; for mean, divided by their count
        const f = () => {
          const wk = tf.tensor(w, keptShape);
          const wOut = keepDims ? wk : wk.reshape(shape.filter((_, i) => !reduced.includes(i)));
          const gs = tf.grad((t: tf.Tensor) => tf.sum(t, reduced, keepDims).mul(wOut).sum())(tf.tensor(x, shape));
          const gm = tf.grad((t: tf.Tensor) => tf.mean(t, reduced, keepDims).mul(wOut).sum())(tf.tensor(x, shape));
          return [gs, gm];
        };
        const expectedSum = tf.tidy(() => Array.from(tf.broadcastTo(tf.tensor(w, keptShape), shape).dataSync()));
        for (const backend of ['cpu', 'wasm'] as const) {
          const [gs, gm] = await runOn(backend, f);
          expect(maxAbsDiff(gs, expectedSum)).toBeLessThan(1e-6);
          expect(maxAbsDiff(gm, expectedSum.map((v) => v / count))).toBeLessThan(1e-6);
        }
      }),
      { numRuns: 40, seed: 13 },
    );
  });
});
