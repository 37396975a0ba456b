// Sum and Mean over blocks of axes, unstack along axis 0 and row gathers on wasm agree with the cpu backend (gradients too).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, runOn, seeded } from './test-support/cpu-oracle.ts';
import { registerWasmKernels } from './index.ts';
import { reducedBlock } from './simd-sum.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

const shapes = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 });

describe('Sum on wasm', () => {
  it('finds the [O, R, I] block of a reduction (I = 1 for the innermost axes), and leaves scattered axes to tfjs', () => {
    expect(reducedBlock([768, 512], [0])).toEqual({ O: 1, R: 768, I: 512 });
    expect(reducedBlock([12, 64, 128], [0, 1])).toEqual({ O: 1, R: 768, I: 128 });
    expect(reducedBlock([2, 3, 4], [1])).toEqual({ O: 2, R: 3, I: 4 });
    expect(reducedBlock([2, 3, 4], [-1])).toEqual({ O: 6, R: 4, I: 1 });
    expect(reducedBlock([2, 3, 4], [1, 2])).toEqual({ O: 2, R: 12, I: 1 });
    expect(reducedBlock([2, 3, 4], [0, 2])).toBeNull();
  });

  it('matches the cpu backend for every axis subset, keepDims or not, with gradients', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.integer(), fc.boolean(), async (shape, seed, keepDims) => {
        const axes = shape.map((_, i) => i).filter((i) => (seed >> i) & 1);
        const values = seeded(seed, tf.util.sizeFromShape(shape));
        const f = () => {
          const x = tf.tensor(values, shape);
          const g = tf.grad((t: tf.Tensor) => tf.sum(t, axes, keepDims).square().sum())(x);
          return [tf.sum(x, axes, keepDims), g];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(maxAbsDiff(cpu[0], wasm[0])).toBeLessThan(1e-4);
        expect(maxAbsDiff(cpu[1], wasm[1])).toBeLessThan(1e-3);
      }),
      { numRuns: 60, seed: 9 },
    );
  });

  it('Mean matches the cpu backend for every axis subset, keepDims or not, with gradients', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }), fc.integer(), fc.boolean(), async (shape, seed, keepDims) => {
        const axes = shape.map((_, i) => i).filter((i) => (seed >> i) & 1);
        const values = seeded(seed, tf.util.sizeFromShape(shape));
        const f = () => {
          const x = tf.tensor(values, shape);
          const g = tf.grad((t: tf.Tensor) => tf.mean(t, axes, keepDims).square().sum())(x);
          return [tf.mean(x, axes, keepDims), g];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(maxAbsDiff(cpu[0], wasm[0])).toBeLessThan(1e-6);
        expect(maxAbsDiff(cpu[1], wasm[1])).toBeLessThan(1e-6);
      }),
      { numRuns: 60, seed: 10 },
    );
  });
});

describe('Unpack, SplitV and GatherV2 on wasm', () => {
  it('split into equal parts or given sizes, along any axis, matches the cpu backend, gradients included', async () => {
    await fc.assert(
      // sizes >= 2: tfjs's own split gradient fails when there is a single part, on every backend
      fc.asyncProperty(fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer(), fc.boolean(), async (shape, rawAxis, seed, equal) => {
        const axis = rawAxis % shape.length;
        const n = shape[axis]!;
        const sizes = equal ? n : [1, n - 1]; // n equal parts, or two unequal ones
        const values = seeded(seed, tf.util.sizeFromShape(shape));
        const f = () => {
          const x = tf.tensor(values, shape);
          const parts = tf.split(x, sizes, axis);
          const g = tf.grad((t: tf.Tensor) => tf.split(t, sizes, axis).at(-1)!.mul(3).sum())(x);
          return [...parts, tf.split(tf.tensor(values.map((v) => Math.round(v * 9)), shape, 'int32'), sizes, axis)[0]!, g];
        };
        expect(await runOn('wasm', f)).toEqual(await runOn('cpu', f));
      }),
      { numRuns: 40, seed: 6 },
    );
  });

  it('unstack along any axis matches the cpu backend, gradients included', async () => {
    await fc.assert(
      // sizes >= 2: tfjs's own unstack gradient fails when there is a single part, on every backend
      fc.asyncProperty(fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.integer(), async (shape, rawAxis, seed) => {
        const axis = rawAxis % shape.length;
        const values = seeded(seed, tf.util.sizeFromShape(shape));
        const f = () => {
          const x = tf.tensor(values, shape);
          const parts = tf.unstack(x, axis);
          const g = tf.grad((t: tf.Tensor) => tf.unstack(t, axis)[0]!.mul(3).sum())(x);
          return [...parts, g];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(wasm).toEqual(cpu);
      }),
      { numRuns: 40, seed: 4 },
    );
  });

  it('gather of rows matches the cpu backend for float32 and int32 tables, and nested index shapes', async () => {
    await fc.assert(
      fc.asyncProperty(shapes, fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), fc.boolean(), async (shape, raw, nested) => {
        const ids = raw.map((r) => r % shape[0]!);
        const idShape = nested && ids.length % 2 === 0 ? [2, ids.length / 2] : [ids.length];
        const values = seeded(ids.length, tf.util.sizeFromShape(shape)).map((v) => Math.round(v * 100));
        const f = () => [
          tf.gather(tf.tensor(values, shape), tf.tensor(ids, idShape, 'int32')),
          tf.gather(tf.tensor(values, shape, 'int32'), tf.tensor(ids, idShape, 'int32')),
        ];
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(wasm).toEqual(cpu);
      }),
      { numRuns: 40, seed: 8 },
    );
  });
});
