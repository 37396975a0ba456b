// Reference kata 3: the causal mask, tfjs's tril (bandPart), and masking future scores.
import * as tf from '@tensorflow/tfjs';

/** float32 [T, T], 1 where key j <= query i: torch.tril(torch.ones(T, T)). */
export function causalMask(T: number): tf.Tensor2D {
  return tf.tidy(() => tf.linalg.bandPart<tf.Tensor2D>(tf.ones([T, T]), -1, 0));
}

/** scores (..., T, T) with every j > i entry set to -Infinity, all others unchanged. */
export function maskFuture(scores: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const T = scores.shape[scores.rank - 1]!;
    const keep = causalMask(T).cast('bool').broadcastTo(scores.shape); // (..., T, T)
    return tf.where(keep, scores, tf.fill(scores.shape, -Infinity));
  });
}
