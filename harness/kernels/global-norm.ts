// The global L2 norm of many tensors (gradient clipping's norm) in one pass, read straight from the wasm heap
// instead of ~2 tfjs kernels per tensor plus an addN; other backends use tfjs ops.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmBackend } from './wasm-backend.ts';

/**
 * sqrt(Σ over every tensor of Σ x²), as a number (clipping needs the scalar). Async because a GPU backend under Node
 * can only be read with await t.data(); on wasm it reads the heap directly.
 */
export async function globalNorm(tensors: readonly tf.Tensor[]): Promise<number> {
  const backend = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as WasmBackend) : undefined;
  // only tensors whose data already lives on the wasm heap (not, say, ones still held by another backend)
  if (backend && tensors.every((t) => t.dtype === 'float32' && backend.dataIdMap.get(t.dataId))) {
    const simd = simdModule(backend);
    let total = 0; // double precision across tensors
    for (const t of tensors) total += simd.exports.sum_squares(backend.dataIdMap.get(t.dataId)!.memoryOffset, t.size);
    return Math.sqrt(total);
  }
  const normT = tf.tidy(() => tf.addN(tensors.map((t) => t.square().sum())).sqrt());
  const norm = (await normT.data())[0]!;
  normT.dispose();
  return norm;
}
