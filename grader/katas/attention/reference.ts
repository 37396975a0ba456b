// Reference kata 1: scaled dot-product attention, softmax(q·kᵀ/√dk + mask)·v.
import * as tf from '@tensorflow/tfjs';

export function scaledDotProductAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const dk = q.shape[q.rank - 1]!;
    let scores = tf.matMul(q, k, false, true).div(Math.sqrt(dk)); // (..., Tq, Tk)
    if (mask) scores = scores.add(tf.sub(1, mask).mul(-1e9)); // masked keys get -1e9, a stand-in for -inf
    return tf.matMul(tf.softmax(scores, -1), v); // (..., Tq, dv)
  });
}
