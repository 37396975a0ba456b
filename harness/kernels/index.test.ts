// registerWasmKernels: embeddings train on wasm (UnsortedSegmentSum), and matMul agrees with the cpu backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBroadcastMatMulGradient } from '../../grader/tfjs/broadcast-matmul-grad.ts';
import { checkMatMulAgainstCpu, maxAbsDiff, runOn, seeded } from './test-support/cpu-oracle.ts';
import { registerWasmKernels, wasmMatmulPath } from './index.ts';
import { simdModule } from './simd-module.ts';
import type { WasmBackend } from './wasm-backend.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels({ blas: false }); // these tests are about our wasm SIMD matmul, not the BLAS addon
  registerWasmKernels(); // idempotent: a second call changes nothing
  registerBroadcastMatMulGradient();
});

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
          const cpu = await runOn('cpu', f);
          const wasm = await runOn('wasm', f);
          expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 25, seed: 42 },
    );
  });

  it('drops out-of-range segment ids and sums repeated ones', async () => {
    await tf.setBackend('wasm');
    const out = tf.unsortedSegmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, 1, 3], 'int32'), 2);
    expect(out.arraySync()).toEqual([[0, 0], [4, 6]]);
  });
});

describe('BatchMatMul on wasm', () => {
  it('runs our SIMD kernel when the BLAS addon is not to be used, and says so', () => {
    expect(wasmMatmulPath()).toBe('wasm SIMD (native addon not used: registerWasmKernels({ blas: false }))');
  });

  it('uses the FMA build where this Node allows it (Node 20: relaxed SIMD behind a flag we set)', async () => {
    await tf.setBackend('wasm');
    expect(simdModule(tf.backend() as unknown as WasmBackend).fma).toBe(true);
  });

  it('matches the cpu backend for every transpose combination, batch broadcast included, with gradients', async () => {
    await checkMatMulAgainstCpu(40, 7);
  });

  it('matches on attention-sized operands (tiles, edges, packing)', async () => {
    await checkMatMulAgainstCpu(6, 11, 70);
  });
});
