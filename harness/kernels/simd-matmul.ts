// BatchMatMul on wasm through our SIMD kernel: batched ([B·h,T,d]) and transposed operands at 2-D speed, in place.
import * as tf from '@tensorflow/tfjs';
import { batchOffsets } from './batch-broadcast.ts';
import { matMulPool, POOL_MIN_FLOPS, threadChoice } from './matmul-pool.ts';
import { matmulScratchFloats, simdModule } from './simd-module.ts';
import type { WasmBackend, WasmKernelFunc } from './wasm-backend.ts';

/** Wraps `fallback` (used only for operands that are not float32). */
export function simdBatchMatMul(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const M = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
    const K = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
    const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
    const N = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
    if (K !== kb) {
      throw new Error(`matMul: inner dimensions ${K} and ${kb} of shapes [${a.shape}] and [${b.shape}] ` +
        `(transposeA=${transposeA}, transposeB=${transposeB}) must match`);
    }
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
    const batch = tf.util.sizeFromShape(outer);
    const batchA = tf.util.sizeFromShape(outerA);
    const batchB = tf.util.sizeFromShape(outerB);
    const out = backend.makeOutput([...outer, M, N], 'float32'); // (...outer, M, N)
    if (batch * M * N === 0) return out;
    const simd = simdModule(backend);
    const off = (t: tf.TensorInfo) => (backend as WasmBackend).dataIdMap.get(t.dataId)!.memoryOffset;
    const ars = transposeA ? 1 : K;
    const acs = transposeA ? M : 1;
    if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) {
      // batch axes that broadcast both ways, e.g. [2,1,M,K] @ [1,3,K,N] (wasm's own kernel throws): one product each
      const offsets = batchOffsets(outer, outerA, outerB, M * K, K * N);
      const need = matmulScratchFloats(M, N, K);
      const scratch = simd.scratch(4 * (need.packedB + need.rest));
      for (let i = 0; i < batch; i++) {
        simd.exports.bmm(1, M, N, K, off(a) + 4 * offsets.a[i]!, 0, ars, acs, off(b) + 4 * offsets.b[i]!, 0, transposeB ? 1 : 0, off(out) + 4 * i * M * N, scratch);
      }
      return out;
    }
    const call = {
      batch, M, N, K,
      a: off(a), abs: batchA === 1 ? 0 : M * K, ars, acs, batchA,
      b: off(b), bbs: batchB === 1 ? 0 : K * N, transB: transposeB ? 1 : 0, batchB,
      c: off(out),
    };
    const single = () => {
      const need = matmulScratchFloats(M, N, K);
      const scratch = simd.scratch(4 * (need.packedB + need.rest));
      simd.exports.bmm(batch, M, N, K, call.a, call.abs, call.ars, call.acs, call.b, call.bbs, call.transB, call.c, scratch);
    };
    const pool = 2 * batch * M * N * K >= POOL_MIN_FLOPS ? matMulPool() : null;
    if (!pool) {
      single();
    } else {
      const shape = `${batch}x${M}x${N}x${K}:${transposeA ? 1 : 0}${transposeB ? 1 : 0}`;
      const pooled = threadChoice.pick(shape);
      const t0 = performance.now();
      if (pooled) pool.run(call, simd, (bytes) => simd.scratch(bytes));
      else single();
      threadChoice.record(shape, pooled, performance.now() - t0);
    }
    return out;
  };
}
