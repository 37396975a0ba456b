// Transpose and broadcast (Tile over size-1 axes) through the native addon (blas/transpose.cc): attention's head split
// and merge and their gradients, and LayerNorm's per-row gradients spread over a row, on the calling thread or, for big
// tensors while the thread choice shares (thread-choice.ts), half by the step's otherwise idle second core
// (nativeThreads in blas-matmul.ts). Copies only, so the result is exact; small, 1-byte and string tensors, perms that
// move no data and other Tiles keep `fallback` (simd-transpose.ts, simd-tile.ts).
import type * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './blas-addon.ts';
import { nativeThreads } from './blas-matmul.ts';
import { collapse } from './simd-transpose.ts';
import { heapBuffer, type WasmKernelFunc } from './wasm-backend.ts';

/** Transpose of float32 and int32 tensors natively, else `fallback`. */
export function threadedTranspose(addon: BlasAddon, fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const perm = (attrs as { perm: number[] }).perm;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return fallback(args);
    const threads = nativeThreads(x.shape.reduce((p, d) => p * d, 1));
    const c = collapse(x.shape, perm);
    if (threads === 0 || c.perm.every((p, i) => p === i)) return fallback(args);
    const out = backend.makeOutput(perm.map((p) => x.shape[p]!), x.dtype);
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    addon.transpose(heapBuffer(backend), off(x), off(out), c.shape, c.perm, threads); // the buffer taken after makeOutput
    return out;
  };
}

/** Tile that only repeats size-1 axes (what tf.broadcastTo runs), float32 and int32, natively. */
export function threadedBroadcast(addon: BlasAddon, fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const reps = (attrs as { reps: number[] }).reps;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return fallback(args);
    const broadcastOnly = reps.length === x.shape.length && x.shape.length <= 8 && reps.every((r, i) => r === 1 || x.shape[i] === 1);
    const oshape = x.shape.map((n, i) => n * reps[i]!);
    const threads = nativeThreads(oshape.reduce((p, d) => p * d, 1));
    if (!broadcastOnly || threads === 0) return fallback(args);
    const out = backend.makeOutput(oshape, x.dtype);
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    addon.broadcast(heapBuffer(backend), off(x), off(out), [...x.shape], oshape, threads); // the buffer taken after makeOutput
    return out;
  };
}
