// Reference kata 2: multi-head self-attention with every head in one batched matmul.
import * as tf from '@tensorflow/tfjs';
import type { AttentionParams } from '../../../katas/contracts.ts';
import { scaledDotProductAttention } from '../attention/reference.ts';

export function multiHeadAttention(x: tf.Tensor3D, p: AttentionParams, nHead: number, mask?: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, C] = x.shape;
    const d = C / nHead;
    const qkv = tf.matMul(x.reshape([B * T, C]), p.wqkv); // (B*T, 3C)
    const heads = qkv.reshape([B, T, 3, nHead, d]).transpose([2, 0, 3, 1, 4]); // (3, B, h, T, d)
    const [q, k, v] = tf.unstack(heads); // each (B, h, T, d)
    const y = scaledDotProductAttention(q!, k!, v!, mask); // (B, h, T, d)
    const merged = y.transpose([0, 2, 1, 3]).reshape([B * T, C]); // (B*T, C), heads side by side
    return merged.matMul(p.wo).add(p.bo).reshape<tf.Tensor3D>([B, T, C]);
  });
}
