// Σx² of a float32 tensor read straight from the wasm heap in one SIMD pass (wasm/kernels.c sum_squares), no tfjs kernels.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmBackend } from './wasm-backend.ts';

/** The sum of squares of t's elements (float32 partial sums), or null where t is not float32 data on the wasm heap. */
export function heapSumOfSquares(t: tf.Tensor): number | null {
  if (tf.getBackend() !== 'wasm' || t.dtype !== 'float32') return null;
  const backend = tf.backend() as unknown as WasmBackend;
  const data = backend.dataIdMap.get(t.dataId); // not, say, data still held by another backend
  return data ? simdModule(backend).exports.sum_squares(data.memoryOffset, t.size) : null;
}
