// Sum on wasm over leading or middle axes (bias and LayerNorm gradients) without tfjs's transpose-first detour.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

/** [O, R, I] for a reduction over one contiguous block of axes, or null (innermost-only and scattered axes). */
export function middleBlock(shape: number[], axes: number[]): { O: number; R: number; I: number } | null {
  const sorted = [...new Set(axes.map((a) => (a < 0 ? a + shape.length : a)))].sort((x, y) => x - y);
  if (sorted.length === 0) return null;
  const first = sorted[0]!;
  const last = sorted[sorted.length - 1]!;
  if (last - first + 1 !== sorted.length) return null; // not one block
  const prod = (xs: number[]) => xs.reduce((p, n) => p * n, 1);
  const I = prod(shape.slice(last + 1));
  if (I === 1) return null; // reducing the innermost axes: tfjs's own kernel is already fast there
  return { O: prod(shape.slice(0, first)), R: prod(shape.slice(first, last + 1)), I };
}

export function simdSum(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const { axis, keepDims } = attrs as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const block = x.dtype === 'float32' ? middleBlock(x.shape, axes) : null;
    if (!block) return fallback(args);
    const outShape = keepDims ? x.shape.map((n, i) => (axes.includes(i) ? 1 : n)) : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, 'float32');
    if (block.O * block.I === 0) return out;
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    if (block.R === 0) backend.typedArrayFromHeap(out).fill(0);
    else simdModule(backend).exports.sum_mid(off(x), off(out), block.O, block.R, block.I);
    return out;
  };
}
