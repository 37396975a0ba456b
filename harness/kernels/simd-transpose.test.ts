// The wasm Transpose kernel agrees with the cpu backend for random shapes and permutations, gradients included.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmKernels } from './index.ts';
import { collapse } from './simd-transpose.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

const shapeAndPerm = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 })
  .chain((shape) => fc.tuple(fc.constant(shape), fc.shuffledSubarray([...shape.keys()], { minLength: shape.length })));

describe('Transpose on wasm', () => {
  it('collapses size-1 axes and axes that stay adjacent', () => {
    expect(collapse([12, 64, 3, 4, 32], [2, 0, 3, 1, 4])).toEqual({ shape: [12, 64, 3, 4, 32], perm: [2, 0, 3, 1, 4] });
    expect(collapse([2, 3, 4, 5], [2, 3, 0, 1])).toEqual({ shape: [6, 20], perm: [1, 0] });
    expect(collapse([2, 1, 4], [1, 2, 0])).toEqual({ shape: [2, 4], perm: [1, 0] });
  });

  it('matches the cpu backend on float32 and int32, and its gradient too', async () => {
    await fc.assert(
      fc.asyncProperty(shapeAndPerm, fc.constantFrom('float32', 'int32'), async ([shape, perm], dtype) => {
        const n = tf.util.sizeFromShape(shape);
        const values = Array.from({ length: n }, (_, i) => (i * 7919) % 1000);
        const f = () => {
          const x = tf.tensor(values, shape, dtype);
          const w = tf.tensor(values.map((v) => v % 13), perm.map((p) => shape[p]!));
          const g = tf.grad((xx: tf.Tensor) => tf.transpose(xx, perm).mul(w).sum())(x.toFloat());
          return [tf.transpose(x, perm), g];
        };
        const run = async (backend: string) => {
          await tf.setBackend(backend);
          const outs = tf.tidy(f);
          const arrays = outs.map((t) => t.arraySync());
          tf.dispose(outs);
          return arrays;
        };
        const cpu = await run('cpu');
        const wasm = await run('wasm');
        expect(wasm).toEqual(cpu);
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});
