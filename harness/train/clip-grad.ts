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
 * The pre-clip global norm and the factor clipping multiplies every gradient by: maxNorm/(norm + 1e-6) when the norm
 * exceeds maxNorm (PyTorch's clip_coef, which only ever scales down), else 1. AdamW.apply takes the factor and scales
 * each gradient inside its update, so no clipped copy of the gradients is made.
 */
export async function clipScale(grads: tf.NamedTensorMap, maxNorm: number): Promise<{ norm: number; scale: number }> {
  const norm = await globalNorm(Object.values(grads));
  const coef = maxNorm / (norm + 1e-6);
  return { norm, scale: coef < 1 ? coef : 1 };
}
