// Sum over a middle block of axes (bias gradients: Σ over the rows of [rows, C]) through the native addon
// (blas/sums.cc), on the calling thread or, for big tensors while the thread choice shares (thread-choice.ts), on two
// (nativeThreads in blas-matmul.ts). Each column is summed over the rows in order, as our wasm kernel sums it
// (simd-sum.ts), so the floats are the same; every other Sum keeps `fallback`.
import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './blas-addon.ts';
import { nativeThreads } from './blas-matmul.ts';
import { reducedBlock } from './simd-sum.ts';
import { heapBuffer, type WasmKernelFunc } from './wasm-backend.ts';

/** Sum over a middle block of axes natively, else `fallback`. */
export function threadedSum(addon: BlasAddon, fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype !== 'float32') return fallback(args);
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const block = reducedBlock(x.shape, axes);
    const threads = block ? nativeThreads(block.O * block.R * block.I) : 0;
    if (!block || block.I === 1 || block.R === 0 || threads === 0) return fallback(args);
    const outShape = keepDims ? x.shape.map((n, i) => (axes.includes(i) ? 1 : n)) : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    addon.sumMid(heapBuffer(backend), off(x), off(out), block.O, block.R, block.I, threads); // the buffer taken after makeOutput
    return out;
  };
}
