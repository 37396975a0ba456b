// BatchMatMul on wasm in place on tfjs's heap: the shapes, transposes and broadcast batch axes worked out once,
// the products done by a GEMM engine (the system BLAS, blas-matmul.ts, or our SIMD kernel, simd-matmul.ts).
import * as tf from '@tensorflow/tfjs';
import { batchOffsets } from './batch-broadcast.ts';
import { noteMatmul, recordingMatmulShapes } from './matmul-shapes.ts';
import type { WasmBackend, WasmKernelFunc } from './wasm-backend.ts';

/**
 * `batch` products C_i = op(A_i)·op(B_i), C_i (M×N, row-major) at byte offset c + 4·i·M·N, A_i at a + 4·i·strideA
 * ([M,K], or [K,M] when transposeA) and B_i at b + 4·i·strideB ([K,N], or [N,K] when transposeB); a stride of 0
 * repeats the one matrix. `part`: one of several single products of a batch that broadcasts both ways.
 */
interface Gemm {
  batch: number;
  M: number;
  N: number;
  K: number;
  transposeA: boolean;
  transposeB: boolean;
  a: number;
  b: number;
  c: number;
  strideA: number;
  strideB: number;
  part: boolean;
}

/** Runs float32 products on this backend's heap. */
export type GemmEngine = (backend: WasmBackend, g: Gemm) => void;

/** The BatchMatMul kernel on `engine`; operands that are not float32 go to `own` (tfjs's own wasm kernel). */
export function batchMatMul(gemm: GemmEngine, own: WasmKernelFunc): WasmKernelFunc {
  const engine: GemmEngine = (backend, g) => {
    if (!recordingMatmulShapes()) return gemm(backend, g);
    const t0 = performance.now();
    gemm(backend, g);
    noteMatmul(g.batch, g.M, g.N, g.K, g.transposeA, g.transposeB, performance.now() - t0);
  };
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return own(args);
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
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    const g: Gemm = { batch, M, N, K, transposeA, transposeB, a: off(a), b: off(b), c: off(out), strideA: 0, strideB: 0, part: false };
    if ((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1)) {
      // one side whole or both the same size: a strided batch (stride 0 repeats the one matrix)
      engine(backend, { ...g, strideA: batchA === 1 ? 0 : M * K, strideB: batchB === 1 ? 0 : K * N });
      return out;
    }
    // batch axes that broadcast both ways, e.g. [2,1,M,K] @ [1,3,K,N] (rare; wasm's own kernel throws): one product each
    const offsets = batchOffsets(outer, outerA, outerB, M * K, K * N);
    for (let i = 0; i < batch; i++) {
      engine(backend, { ...g, batch: 1, a: g.a + 4 * offsets.a[i]!, b: g.b + 4 * offsets.b[i]!, c: g.c + 4 * i * M * N, part: true });
    }
    return out;
  };
}
