// Sum and Mean on wasm in SIMD: over leading or middle axes (bias gradients) without tfjs's transpose-first detour,
// and over the innermost axes (LayerNorm's means, the gradients of row broadcasts) with four lanes at a time.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

/** [O, R, I] for a reduction over one contiguous block of axes, or null (scattered axes); I = 1: the innermost. */
export function reducedBlock(shape: number[], axes: number[]): { O: number; R: number; I: number } | null {
  const sorted = [...new Set(axes.map((a) => (a < 0 ? a + shape.length : a)))].sort((x, y) => x - y);
  if (sorted.length === 0) return null;
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (last - first + 1 !== sorted.length) return null; // not one block
  const prod = (xs: number[]) => xs.reduce((p, n) => p * n, 1);
  const I = prod(shape.slice(last + 1));
  return { O: prod(shape.slice(0, first)), R: prod(shape.slice(first, last + 1)), I };
}

/** Sum (divide 1) or Mean (divide by the count) on `fallback` where the axes are scattered or x is not float32. */
function simdReduce(fallback: WasmKernelFunc, mean: boolean): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const block = x.dtype === 'float32' ? reducedBlock(x.shape, axes) : null;
    if (!block || (mean && block.I !== 1)) return fallback(args);
    const outShape = keepDims ? x.shape.map((n, i) => (axes.includes(i) ? 1 : n)) : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    if (block.O * block.I === 0) return out;
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    const k = simdModule(backend).exports;
    if (block.R === 0) backend.typedArrayFromHeap(out).fill(mean ? NaN : 0); // an empty mean is 0/0, as tfjs's
    else if (block.I === 1) k.sum_rows(off(x), off(out), block.O, block.R, mean ? block.R : 1);
    else k.sum_mid(off(x), off(out), block.O, block.R, block.I);
    return out;
  };
}

/** Sum over any one block of axes. */
export function simdSum(fallback: WasmKernelFunc): WasmKernelFunc {
  return simdReduce(fallback, false);
}

/** Mean over the innermost axes (the others go to `fallback`, tfjs's, which transposes them innermost first). */
export function simdMean(fallback: WasmKernelFunc): WasmKernelFunc {
  return simdReduce(fallback, true);
}
