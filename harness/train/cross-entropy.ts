// Next-token cross-entropy: mean over every (B, T) position of −log softmax(logits)[target] (F.cross_entropy).
import * as tf from '@tensorflow/tfjs';
import { fusedSoftmaxCrossEntropy } from '../kernels/softmax-cross-entropy.ts';

/** On wasm, loss and gradient come from one kernel (softmax-cross-entropy.ts); elsewhere from the tfjs ops below. */
export function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const [B, T, V] = logits.shape;
    const flat = logits.reshape<tf.Tensor2D>([B * T, V]);
    const ids = targets.reshape<tf.Tensor1D>([B * T]);
    const fused = fusedSoftmaxCrossEntropy(flat, ids);
    if (fused) return fused;
    const logp = tf.logSoftmax(flat); // (B*T, V)
    const picked = logp.mul(tf.oneHot(ids, V)).sum(-1); // (B*T,) log p(target)
    return picked.mean().neg() as tf.Scalar;
  });
}
