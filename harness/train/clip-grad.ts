// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): one norm over every gradient, scaled down together.
import * as tf from '@tensorflow/tfjs';
import { heapSumOfSquares } from '../kernels/heap-sum-squares.ts';

/**
 * sqrt(Σ over every tensor of Σ x²), as a number (clipping needs the scalar). On wasm each tensor's Σx² is one SIMD
 * pass over the heap (instead of ~2 tfjs kernels per tensor plus an addN), summed across tensors in double precision;
 * elsewhere tfjs ops. Async because a GPU backend under Node can only be read with await t.data().
 */
export async function globalNorm(tensors: readonly tf.Tensor[]): Promise<number> {
  const sums = tensors.map(heapSumOfSquares);
  if (!sums.includes(null)) return Math.sqrt(sums.reduce<number>((total, s) => total + (s ?? 0), 0));
  const normT = tf.tidy(() => tf.addN(tensors.map((t) => t.square().sum())).sqrt());
  const norm = (await normT.data())[0]!;
  normT.dispose();
  return norm;
}

/**
 * Returns the pre-clip global norm and the gradients to apply. When the norm exceeds `maxNorm` they are new, scaled
 * tensors; otherwise `clipped` is `grads` itself. The caller disposes `grads`, and `clipped` too when it differs.
 */
export async function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): Promise<{ norm: number; clipped: tf.NamedTensorMap }> {
  const names = Object.keys(grads);
  const norm = await globalNorm(names.map((n) => grads[n]!));
  const coef = maxNorm / (norm + 1e-6); // PyTorch's clip_coef; only ever scales down
  if (coef >= 1) return { norm, clipped: grads };
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = tf.mul(grads[n]!, coef);
  return { norm, clipped };
}
