// Tile on wasm when it is a broadcast (every repeated axis has size 1): what tf.broadcastTo runs, e.g. a mask
// [1,1,T,T] to [B,h,T,T] or dy [B,T,1] to [B,T,C]; tfjs's wasm Tile indexes element by element.
import type * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

export function simdTile(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const reps = (attrs as { reps: number[] }).reps;
    const broadcastOnly = reps.length === x.shape.length && reps.every((r, i) => r === 1 || x.shape[i] === 1);
    if (!broadcastOnly || x.shape.length > 8 || (x.dtype !== 'float32' && x.dtype !== 'int32')) return fallback(args);
    const oshape = x.shape.map((n, i) => n * reps[i]!);
    const out = backend.makeOutput(oshape, x.dtype);
    if (oshape.includes(0)) return out;
    const rank = oshape.length;
    const xstride = new Array<number>(rank);
    for (let d = rank - 1, s = 1; d >= 0; d--) {
      xstride[d] = x.shape[d] === 1 ? 0 : s; // size-1 axes repeat: stride 0
      s *= x.shape[d]!;
    }
    const simd = simdModule(backend);
    const work = simd.scratch(4 * 24); // oshape[8], xstride[8], odometer[8]
    const ints = new Int32Array(simd.memory.buffer, work, 16);
    ints.set(oshape, 0);
    ints.set(xstride, 8);
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    simd.exports.broadcast(off(x), off(out), rank, work, work + 32, work + 64);
    return out;
  };
}
