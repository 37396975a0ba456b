// The BLAS BatchMatMul (blas-matmul.ts): agrees with the cpu backend, takes the heap afresh as it grows, checks its offsets.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBroadcastMatMulGradient } from '../../grader/tfjs/broadcast-matmul-grad.ts';
import { quietCpuBanner } from '../../grader/tfjs/quiet-cpu-banner.ts';
import type { BlasAddon } from './blas-addon.ts';
import { blasAvailable } from './test-support/blas-test-gate.ts';
import { checkMatMulAgainstCpu, maxAbsDiff, runOn, seeded } from './test-support/cpu-oracle.ts';
import { registerWasmKernels, wasmMatmulPath } from './index.ts';
import { heapMemory, type WasmBackend } from './wasm-backend.ts';

const timeoutBefore = process.env.OPENBLAS_THREAD_TIMEOUT; // loading sets it for OpenBLAS alone (blas-addon.ts)
const found = blasAvailable('BLAS matmul');

/** Counts the addon's gemm calls while `f` runs: proof that the matmuls went through BLAS. */
async function countingGemm(addon: BlasAddon, f: () => Promise<void>): Promise<number> {
  const gemm = addon.gemm.bind(addon);
  let calls = 0;
  addon.gemm = (...args) => {
    calls++;
    gemm(...args);
  };
  try {
    await f();
  } finally {
    addon.gemm = gemm;
  }
  return calls;
}

describe.skipIf(!found)('BatchMatMul on the system BLAS', () => {
  const addon = found!;
  beforeAll(async () => {
    quietCpuBanner(); // the cpu backend is the oracle
    await tf.setBackend('wasm');
    registerWasmKernels();
    registerBroadcastMatMulGradient();
  });

  it('is the wasm backend\'s matmul, and says which library, version, core and threads', () => {
    expect(wasmMatmulPath()).toMatch(/^(OpenBLAS \d+\.\d+\.\d+ \((pthreads|OpenMP|sequential), (1 thread|up to \d+ threads), core \w+\)|Accelerate \(.+\))$/);
  });

  it('leaves OPENBLAS_THREAD_TIMEOUT as it was, so child processes such as the PyTorch anchor do not inherit it', () => {
    expect(process.env.OPENBLAS_THREAD_TIMEOUT).toBe(timeoutBefore);
  });

  it('takes the heap afresh: operands and output that lie where the heap only reaches after growing', async () => {
    const backend = tf.backend() as unknown as WasmBackend;
    const memory = heapMemory(backend);
    const before = memory.buffer.byteLength;
    const oldBuffer = memory.buffer;
    const K = 8;
    const M = Math.ceil(before / 4 / K) + 1000; // a alone is bigger than the whole heap was: it cannot fit below `before`
    const N = 3;
    const av = Float32Array.from({ length: M * K }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
    const bv = Float32Array.from({ length: K * N }, (_, i) => (i % 5) - 2);
    const a = tf.tensor2d(av, [M, K]);
    const b = tf.tensor2d(bv, [K, N]);
    const c = tf.matMul(a, b); // (M, N): its output is allocated inside the kernel, after the growth a caused
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    const aOff = backend.dataIdMap.get(a.dataId)!.memoryOffset;
    expect(aOff + 4 * M * K).toBeGreaterThan(before);
    const got = c.dataSync();
    let worst = 0;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += av[i * K + k]! * bv[k * N + j]!;
        worst = Math.max(worst, Math.abs(s - got[i * N + j]!));
      }
    }
    expect(worst).toBeLessThan(1e-4);
    // the buffer taken before the growth is detached: the addon refuses it rather than writing through it
    expect(() => addon.gemm(oldBuffer, false, false, 1, 1, 1, 0, 0, 0, 1, 0, 0)).toThrow(/outside the heap/);
    tf.dispose([a, b, c]);
  });

  it('matches the cpu backend: ranks 2-4, broadcast batch axes, every transpose flag, gradients included', async () => {
    const runs = 60;
    const calls = await countingGemm(addon, () => checkMatMulAgainstCpu(runs, 17, 40));
    expect(calls).toBeGreaterThanOrEqual(4 * runs); // the product in the loss, its two gradients, and the product itself
  });

  it('matches on sizes past OpenBLAS\'s blocking and threading thresholds', async () => {
    await checkMatMulAgainstCpu(6, 19, 160);
  });

  it('shares products with the helper thread (batches product by product, single products in slices) and still matches the cpu backend', async () => {
    const threadsBefore = process.env.GPT_KATA_THREADS;
    process.env.GPT_KATA_THREADS = '2'; // sharing on, whatever this machine's core count
    const gemm = addon.gemm.bind(addon);
    let shared = 0;
    addon.gemm = (...args) => {
      if (args[12] === true) shared++;
      gemm(...args);
    };
    try {
      // attention's per-head products, baby-sized: q·kᵀ and weights·v over 48 heads, with their gradients
      const f = () => {
        const q = tf.tensor4d(seeded(31, 12 * 4 * 64 * 32), [12, 4, 64, 32]);
        const k = tf.tensor4d(seeded(32, 12 * 4 * 64 * 32), [12, 4, 64, 32]);
        const v = tf.tensor4d(seeded(33, 12 * 4 * 64 * 32), [12, 4, 64, 32]);
        const loss = (qq: tf.Tensor, kk: tf.Tensor) => tf.matMul(tf.matMul(qq, kk, false, true), v).square().sum();
        const [dq, dk] = tf.grads(loss)([q, k]);
        return [tf.matMul(q, k, false, true), dq!, dk!];
      };
      const cpu = await runOn('cpu', f);
      const wasm = await runOn('wasm', f);
      expect(shared).toBeGreaterThanOrEqual(3); // the forward product and the gradients' batched products
      expect(maxAbsDiff(cpu, wasm)).toBeLessThan(2e-3); // gradients reach ~2,600: float32 summation order alone moves ~1e-3
      // single products past 4 MFLOP, cut in slices along the longer side: edges, every transpose flag, gradients
      const before = shared;
      await checkMatMulAgainstCpu(8, 29, 200);
      expect(shared).toBeGreaterThan(before);
    } finally {
      addon.gemm = gemm;
      if (threadsBefore === undefined) delete process.env.GPT_KATA_THREADS;
      else process.env.GPT_KATA_THREADS = threadsBefore;
    }
  });

  it('gives a batch of small products with B stored transposed (q·kᵀ, copied to plain first) the floats of each product alone', async () => {
    await tf.setBackend('wasm');
    const [batched, alone] = tf.tidy(() => {
      const [q, k] = [tf.tensor3d(seeded(41, 48 * 64 * 32), [48, 64, 32]), tf.tensor3d(seeded(42, 48 * 64 * 32), [48, 64, 32])];
      const ks = tf.unstack(k);
      // each product alone takes the single-product path: the BLAS's own transposed-B product, nothing copied
      return [tf.matMul(q, k, false, true).dataSync(), tf.concat(tf.unstack(q).map((qi, i) => tf.matMul(qi, ks[i]!, false, true).flatten())).dataSync()];
    });
    // OpenBLAS sums over k in the same order either way; another BLAS may block its two kernels differently
    if (addon.info().library === 'OpenBLAS') expect(Array.from(batched)).toEqual(Array.from(alone));
    else expect(maxAbsDiff([Array.from(batched)], [Array.from(alone)])).toBeLessThan(1e-5);
  });

  it('refuses offsets outside the heap instead of writing past it', () => {
    const heap = heapMemory(tf.backend() as unknown as WasmBackend).buffer;
    expect(() => addon.gemm(heap, false, false, 4, 4, 4, heap.byteLength - 16, 0, 0, 1, 0, 0)).toThrow(/outside the heap/);
    expect(() => addon.gemm(heap, false, false, 2, 2, 2, 0, 0, 0, 2, 0, heap.byteLength)).toThrow(/outside the heap/);
    expect(() => addon.gemm(heap, false, false, 2, 2, 2, 2, 0, 0, 1, 0, 0)).toThrow(/outside the heap/); // not float-aligned
    expect(() => addon.gemm(heap, false, false, -1, 2, 2, 0, 0, 0, 1, 0, 0)).toThrow(/non-negative integer/);
  });
});
