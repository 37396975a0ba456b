// The matmul worker thread: its chunks (rows of one matmul, or entries of a batch) equal the cpu backend's result.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, seeded } from './cpu-oracle.ts';
import { registerWasmKernels } from './index.ts';
import { MatMulPool } from './matmul-pool.ts';
import { simdModule } from './simd-module.ts';
import type { WasmBackend } from './wasm-backend.ts';

let workerOnly: MatMulPool;
let halves: MatMulPool;
let stealing: MatMulPool;
let sleepy: MatMulPool;

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels({ blas: false }); // these tests are about our wasm SIMD matmul, not the BLAS addon
  workerOnly = new MatMulPool({ share: 'worker' });
  halves = new MatMulPool({ share: 'halves' }); // the worker computes exactly the back half, from half-copied operands
  stealing = new MatMulPool();
  sleepy = new MatMulPool({ workerDelayMs: 30 }); // a descheduled worker: the main thread must take over its chunks
});

afterAll(async () => {
  await Promise.all([workerOnly.close(), halves.close(), stealing.close(), sleepy.close()]);
});

/** a @ b through `pool` (as simd-matmul.ts calls it), read back as a plain array. */
function poolMatMul(pool: MatMulPool, a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): number[] {
  const backend = tf.backend() as unknown as WasmBackend;
  const [M, K] = ta ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
  const N = tb ? b.shape.at(-2)! : b.shape.at(-1)!;
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  const out = tf.zeros([batch, M, N]);
  const off = (t: tf.Tensor) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  const simd = simdModule(backend);
  pool.run(
    {
      batch, M, N, K, a: off(a), abs: batchA === 1 ? 0 : M * K, ars: ta ? 1 : K, acs: ta ? M : 1, batchA,
      b: off(b), bbs: batchB === 1 ? 0 : K * N, transB: tb ? 1 : 0, batchB, c: off(out),
    },
    simd,
    (bytes) => simd.scratch(bytes),
  );
  return Array.from(out.dataSync());
}

const cases: [string, number[], number[], boolean, boolean][] = [
  ['rows of one matmul', [37, 21], [21, 19], false, false],
  ['rows, transposed operands', [21, 37], [19, 21], true, true],
  ['batch entries', [5, 9, 7], [5, 11, 7], false, true],
  ['batch entries, broadcast b', [6, 7, 9], [7, 11], true, false],
];

describe('MatMulPool', () => {
  it('takes over the chunks of a worker that stalls, and the next matmul is still right (no stale writes)', async () => {
    const [aShape, bShape] = [[64, 48], [48, 40]];
    const results: number[][] = [];
    for (let round = 0; round < 3; round++) {
      const av = seeded(10 + round, tf.util.sizeFromShape(aShape));
      const bv = seeded(20 + round, tf.util.sizeFromShape(bShape));
      await tf.setBackend('cpu');
      const expected = Array.from(tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape)).dataSync());
      await tf.setBackend('wasm');
      results.push(poolMatMul(sleepy, tf.tensor(av, aShape), tf.tensor(bv, bShape), false, false));
      expect(maxAbsDiff(results[round], expected)).toBeLessThan(1e-4);
    }
    expect(sleepy.takenOver).toBeGreaterThanOrEqual(3); // at least the chunk the worker sat on, every round
  });

  for (const [name, aShape, bShape, ta, tb] of cases) {
    it(`computes ${name} on the worker alone, by fixed halves, and by stealing, as the cpu backend does`, async () => {
      const av = seeded(1, tf.util.sizeFromShape(aShape));
      const bv = seeded(2, tf.util.sizeFromShape(bShape));
      await tf.setBackend('cpu');
      const expected = Array.from(tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), ta, tb).dataSync());
      await tf.setBackend('wasm');
      const a = tf.tensor(av, aShape);
      const b = tf.tensor(bv, bShape);
      for (const pool of [workerOnly, halves, stealing]) expect(maxAbsDiff(poolMatMul(pool, a, b, ta, tb), expected)).toBeLessThan(1e-4);
      expect(halves.workerChunks).toBeGreaterThan(0);
    });
  }
});
