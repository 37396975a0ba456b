// BatchMatMul for wasm with transposeA/transposeB done as an explicit Transpose first: wasm's transposed path is 10-20x slower.
import * as tf from '@tensorflow/tfjs';
import type { WasmBackend, WasmKernelFunc } from './wasm-backend.ts';

/** Swaps the last two axes of t through the backend's own Transpose kernel; the caller disposes the result. */
export function transposeLastTwo(t: tf.TensorInfo, backend: WasmBackend): tf.TensorInfo {
  const perm = t.shape.map((_, i) => i);
  [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1]!, perm[perm.length - 2]!];
  const transpose = tf.getKernel(tf.Transpose, 'wasm')!.kernelFunc as unknown as WasmKernelFunc;
  return transpose({ inputs: { x: t }, backend, attrs: { perm } }) as tf.TensorInfo;
}

/** Wraps a plain (untransposed) BatchMatMul kernel so that transposed operands are materialised first. */
export function rerouteTransposes(plain: WasmKernelFunc): WasmKernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return plain({ inputs, backend, attrs });
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const at = transposeA ? transposeLastTwo(a, backend) : a;
    const bt = transposeB ? transposeLastTwo(b, backend) : b;
    const out = plain({ inputs: { a: at, b: bt }, backend, attrs: { transposeA: false, transposeB: false } });
    if (at !== a) backend.disposeData(at.dataId);
    if (bt !== b) backend.disposeData(bt.dataId);
    return out;
  };
}
