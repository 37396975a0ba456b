// Our wasm kernels agree with tfjs's cpu backend on random shapes, values and gradients.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBroadcastMatMulGradient } from '../tfjs/broadcast-matmul-grad.ts';
import { registerWasmKernels } from './index.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
  registerWasmKernels(); // idempotent: a second call changes nothing
  registerBroadcastMatMulGradient();
});

/** Runs f on `backend` with fresh tensors made from plain arrays and returns plain arrays. */
async function on<T extends unknown[]>(backend: 'cpu' | 'wasm', f: () => tf.Tensor[]): Promise<T> {
  await tf.setBackend(backend);
  const outs = tf.tidy(f);
  const arrays = outs.map((t) => t.arraySync());
  tf.dispose(outs);
  await tf.setBackend('wasm');
  return arrays as T;
}

function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = [a].flat(Infinity) as number[];
  const fb = [b].flat(Infinity) as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((m, v, i) => Math.max(m, Math.abs(v - fb[i]!)), 0);
}

const seeded = (seed: number, n: number): number[] => {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
};

describe('UnsortedSegmentSum on wasm (gather gradient)', () => {
  it('trains an embedding: gather gradients match the cpu backend', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70 }), // vocabulary
        fc.integer({ min: 1, max: 9 }), // width
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        fc.integer(),
        async (V, C, raw, seed) => {
          const ids = raw.map((r) => r % V);
          const table = seeded(seed, V * C);
          const weights = seeded(seed + 1, ids.length * C);
          const f = () => {
            const g = tf.grad((w: tf.Tensor) => tf.gather(w, tf.tensor1d(ids, 'int32')).mul(tf.tensor2d(weights, [ids.length, C])).sum());
            return [g(tf.tensor2d(table, [V, C]))];
          };
          const [cpu] = await on<[number[][]]>('cpu', f);
          const [wasm] = await on<[number[][]]>('wasm', f);
          expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });

  it('drops out-of-range segment ids and sums repeated ones', async () => {
    const out = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, 1, 3], 'int32'), 2);
    expect(out.arraySync()).toEqual([[0, 0], [4, 6]]);
  });
});

describe('BatchMatMul on wasm', () => {
  it('matches the cpu backend for every transpose combination, batch broadcast included, with gradients', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          batch: fc.constantFrom([] as number[], [3], [2, 3], [1, 3]),
          bBatch: fc.constantFrom('same', 'none', 'one'),
          m: fc.integer({ min: 1, max: 9 }),
          k: fc.integer({ min: 1, max: 9 }),
          n: fc.integer({ min: 1, max: 9 }),
          ta: fc.boolean(),
          tb: fc.boolean(),
          seed: fc.integer(),
        }),
        async ({ batch, bBatch, m, k, n, ta, tb, seed }) => {
          const bLead = bBatch === 'same' ? batch : bBatch === 'none' ? [] : batch.map(() => 1);
          const aShape = [...batch, ...(ta ? [k, m] : [m, k])];
          const bShape = [...bLead, ...(tb ? [n, k] : [k, n])];
          const av = seeded(seed, tf.util.sizeFromShape(aShape));
          const bv = seeded(seed + 7, tf.util.sizeFromShape(bShape));
          const f = () => {
            const a = tf.tensor(av, aShape);
            const b = tf.tensor(bv, bShape);
            const loss = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb).square().sum();
            const [ga, gb] = tf.grads(loss)([a, b]);
            return [tf.matMul(a, b, ta, tb), ga!, gb!];
          };
          const cpu = await on<unknown[]>('cpu', f);
          const wasm = await on<unknown[]>('wasm', f);
          for (let i = 0; i < 3; i++) expect(maxAbsDiff(cpu[i], wasm[i])).toBeLessThan(1e-3);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });
});
