// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): one norm over every gradient, scaled down together.
import * as tf from '@tensorflow/tfjs';

/** Returns the pre-clip global norm and the clipped gradients (new tensors; the caller disposes both maps). */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): { norm: number; clipped: tf.NamedTensorMap } {
  const names = Object.keys(grads);
  const normT = tf.tidy(() => tf.addN(names.map((n) => grads[n]!.square().sum())).sqrt());
  const norm = normT.dataSync()[0]!;
  normT.dispose();
  const coef = maxNorm / (norm + 1e-6); // PyTorch's clip_coef; only ever scales down
  const clipped: tf.NamedTensorMap = {};
  for (const n of names) clipped[n] = coef < 1 ? tf.mul(grads[n]!, coef) : tf.clone(grads[n]!);
  return { norm, clipped };
}
