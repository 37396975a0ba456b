// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): one norm over every gradient, scaled down together.
import * as tf from '@tensorflow/tfjs';
import { globalNorm } from '../kernels/global-norm.ts';

/**
 * Returns the pre-clip global norm and the gradients to apply. When the norm exceeds `maxNorm` they are new, scaled
 * tensors; otherwise `clipped` is `grads` itself. The caller disposes `grads`, and `clipped` too when it differs.
 */
export async function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): Promise<{ norm: number; clipped: tf.NamedTensorMap }> {
  const names = Object.keys(grads);
  const norm = await globalNorm(names.map((n) => grads[n]!)); // one SIMD pass on wasm, tfjs ops elsewhere
  const coef = maxNorm / (norm + 1e-6); // PyTorch's clip_coef; only ever scales down
  if (coef >= 1) return { norm, clipped: grads };
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = tf.mul(grads[n]!, coef);
  return { norm, clipped };
}
