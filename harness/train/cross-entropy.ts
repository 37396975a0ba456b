// Next-token cross-entropy: mean over every (B, T) position of −log softmax(logits)[target] (F.cross_entropy).
import * as tf from '@tensorflow/tfjs';

export function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape;
    const logp = tf.logSoftmax(logits.reshape([B * T, V])); // (B*T, V)
    const picked = logp.mul(tf.oneHot(targets.reshape([B * T]), V)).sum(-1); // (B*T,) log p(target)
    return picked.mean().neg() as tf.Scalar;
  });
}
