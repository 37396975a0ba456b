// Reference kata 4: the pre-norm transformer block, x + attn(ln1(x)), then x + mlp(ln2(x)).
import * as tf from '@tensorflow/tfjs';
import type { Activation, BlockOptions, BlockParams, LayerNormParams, MLPParams } from '../../../katas/contracts.ts';
import { causalMask } from '../causal-mask/reference.ts';
import { multiHeadAttention } from '../multi-head/reference.ts';

/** LayerNorm over the last axis: biased variance, eps inside the square root (PyTorch's nn.LayerNorm). */
export function layerNorm(x: tf.Tensor, p: LayerNormParams, eps = 1e-5): tf.Tensor {
  return tf.tidy(() => {
    const centred = x.sub(x.mean(-1, true));
    const variance = centred.square().mean(-1, true);
    return centred.div(variance.add(eps).sqrt()).mul(p.gamma).add(p.beta);
  });
}

/** Exact GELU, 0.5·x·(1 + erf(x/√2)): PyTorch's nn.GELU() default. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => x.mul(0.5).mul(tf.erf(x.div(Math.SQRT2)).add(1)));
}

function mlp(x: tf.Tensor3D, p: MLPParams, activation: Activation): tf.Tensor3D {
  const [B, T, C] = x.shape;
  const hidden = x.reshape([B * T, C]).matMul(p.w1).add(p.b1); // (B*T, 4C)
  const act = activation === 'gelu' ? gelu(hidden) : tf.relu(hidden);
  return act.matMul(p.w2).add(p.b2).reshape<tf.Tensor3D>([B, T, C]);
}

export function transformerBlock(x: tf.Tensor3D, p: BlockParams, opts: BlockOptions): tf.Tensor3D {
  const dropout = opts.dropout ?? ((t: tf.Tensor) => t);
  return tf.tidy(() => {
    const T = x.shape[1];
    const mask = causalMask(T); // (T, T), broadcast over (B, h)
    const attended = multiHeadAttention(layerNorm(x, p.ln1) as tf.Tensor3D, p.attn, opts.nHead, mask);
    const h = x.add<tf.Tensor3D>(dropout(attended));
    const fed = mlp(layerNorm(h, p.ln2) as tf.Tensor3D, p.mlp, opts.activation ?? 'relu');
    return h.add<tf.Tensor3D>(dropout(fed));
  });
}
