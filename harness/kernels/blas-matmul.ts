// BatchMatMul on wasm through the system BLAS (blas-addon.ts): cblas_sgemm in place on tfjs's heap, every transpose
// flag and broadcast batch axes, so the forward pass and both gradients (which are BatchMatMuls too) run there.
import * as tf from '@tensorflow/tfjs';
import { batchOffsets } from './batch-broadcast.ts';
import { blasThreads, type BlasAddon } from './blas-addon.ts';
import { ThreadChoice } from './thread-choice.ts';
import { heapMemory, type WasmBackend, type WasmKernelFunc, type WasmMemory } from './wasm-backend.ts';

const memories = new WeakMap<object, WasmMemory>();

/**
 * Matmuls below this many FLOPs run on one BLAS thread without asking: OpenBLAS itself keeps products under
 * ~0.5 MFLOP on one thread, and waking a second costs more than it saves until a few MFLOP.
 */
const THREADS_MIN_FLOPS = 4e6;

/**
 * Per matmul shape, whether all BLAS threads are faster than one right now (true: all). On a busy machine a second
 * BLAS thread is often descheduled and the product waits for it (measured here: 600 ms a step instead of 195 at
 * load 10), so both ways are timed and the faster kept, as for the wasm kernels' worker (thread-choice.ts).
 */
export const blasThreadChoice = new ThreadChoice();
let threadsNow = 0; // what the addon was last told

function setThreads(addon: BlasAddon, n: number): void {
  if (n !== threadsNow) addon.setThreads((threadsNow = n));
}

/** The BLAS kernel; `fallback` handles what BLAS cannot (non-float32 operands). */
export function blasBatchMatMul(addon: BlasAddon, fallback: WasmKernelFunc): WasmKernelFunc {
  const most = blasThreads();
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
    const map = (backend as WasmBackend).dataIdMap;
    const aOff = map.get(a.dataId)!.memoryOffset;
    const bOff = map.get(b.dataId)!.memoryOffset;
    const cOff = map.get(out.dataId)!.memoryOffset;
    let memory = memories.get(backend);
    if (!memory) memories.set(backend, (memory = heapMemory(backend)));
    const heap = memory.buffer; // after makeOutput, which may have grown the heap and so replaced the buffer
    if ((batchA === batch || batchA === 1) && (batchB === batch || batchB === 1)) {
      // one side whole or both the same size: a strided batch (stride 0 repeats the one matrix)
      const gemm = () => addon.gemm(heap, transposeA, transposeB, M, N, K, aOff, bOff, cOff, batch, batchA === 1 ? 0 : M * K, batchB === 1 ? 0 : K * N);
      if (most === 1 || 2 * batch * M * N * K < THREADS_MIN_FLOPS) {
        setThreads(addon, 1);
        gemm();
        return out;
      }
      const shape = `${batch}x${M}x${N}x${K}:${transposeA ? 1 : 0}${transposeB ? 1 : 0}`;
      const all = blasThreadChoice.pick(shape);
      setThreads(addon, all ? most : 1);
      const t0 = performance.now();
      gemm();
      blasThreadChoice.record(shape, all, performance.now() - t0);
      return out;
    }
    // batch axes that broadcast both ways, e.g. [2,1,M,K] @ [1,3,K,N] (rare): one product per output matrix
    setThreads(addon, 1);
    const offsets = batchOffsets(outer, outerA, outerB, M * K, K * N);
    for (let i = 0; i < batch; i++) {
      addon.gemm(heap, transposeA, transposeB, M, N, K, aOff + 4 * offsets.a[i]!, bOff + 4 * offsets.b[i]!, cOff + 4 * i * M * N, 1, 0, 0);
    }
    return out;
  };
}
