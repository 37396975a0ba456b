// The pitfall lab's faulty GPTs: the reference model with one catalogued mistake switched on, named by the grader's mistake id.
import * as tf from '@tensorflow/tfjs';
import type { Activation, BlockParams, Dropout, GPT, GPTConfig, GPTParams } from '../../../katas/contracts.ts';
import { gelu, layerNorm } from '../../../grader/katas/block/reference.ts';

/** The grader's mistake ids (grader/katas/<kata>/mistakes.ts) that the lab can switch on in the forward pass. */
export type ForwardFault =
  | 'causal-mask/diagonal' // the mask keeps j ≤ i + 1: every position also sees the next token
  | 'attention/no-scale' // scores q·kᵀ, never divided
  | 'attention/wrong-scale' // scores q·kᵀ / C, the model width, instead of / √d
  | 'attention/softmax-axis' // softmax over the queries (axis -2) instead of the keys
  | 'gpt/returns-probabilities'; // the head's logits go through a softmax before the loss

export const FORWARD_FAULTS: readonly ForwardFault[] = [
  'causal-mask/diagonal',
  'attention/no-scale',
  'attention/wrong-scale',
  'attention/softmax-axis',
  'gpt/returns-probabilities',
];

/** Multi-head causal self-attention as the reference computes it, but with `fault` in it (or none: the reference's numbers). */
function attention(x: tf.Tensor3D, p: BlockParams['attn'], nHead: number, fault: ForwardFault | null): tf.Tensor3D {
  const [B, T, C] = x.shape;
  const d = C / nHead;
  const qkv = tf.matMul(x.reshape([B * T, C]), p.wqkv); // (B*T, 3C)
  const [q, k, v] = tf.unstack(qkv.reshape([B, T, 3, nHead, d]).transpose([2, 0, 3, 1, 4])); // each (B, h, T, d)
  const divisor = fault === 'attention/no-scale' ? 1 : fault === 'attention/wrong-scale' ? C : Math.sqrt(d);
  const scores = tf.matMul(q!, k!, false, true).div(divisor); // (B, h, T, T)
  const upper = fault === 'causal-mask/diagonal' ? 1 : 0; // keep j ≤ i + upper
  const keep = tf.linalg.bandPart(tf.ones([T, T]), -1, upper); // (T, T), 1 = may attend
  const masked = scores.add(tf.sub(1, keep).mul(-1e9)); // the reference's additive mask
  const weights =
    fault === 'attention/softmax-axis'
      ? tf.softmax(masked.transpose([0, 1, 3, 2]), -1).transpose([0, 1, 3, 2]) // normalised over queries (tfjs's softmax takes only the last axis)
      : tf.softmax(masked, -1); // (B, h, T, T), each query's row sums to 1
  const y = tf.matMul(weights, v!); // (B, h, T, d)
  const merged = y.transpose([0, 2, 1, 3]).reshape([B * T, C]); // (B*T, C), heads side by side
  return merged.matMul(p.wo).add(p.bo).reshape([B, T, C]) as tf.Tensor3D;
}

function block(x: tf.Tensor3D, p: BlockParams, nHead: number, activation: Activation, dropout: Dropout, fault: ForwardFault | null): tf.Tensor3D {
  const [B, T, C] = x.shape;
  const h = x.add(dropout(attention(layerNorm(x, p.ln1) as tf.Tensor3D, p.attn, nHead, fault))) as tf.Tensor3D;
  const hidden = (layerNorm(h, p.ln2) as tf.Tensor3D).reshape([B * T, C]).matMul(p.mlp.w1).add(p.mlp.b1); // (B*T, 4C)
  const act = activation === 'gelu' ? gelu(hidden) : tf.relu(hidden);
  const fed = act.matMul(p.mlp.w2).add(p.mlp.b2).reshape([B, T, C]); // (B, T, C)
  return h.add(dropout(fed)) as tf.Tensor3D;
}

/** The forward pass with `fault`, every intermediate left to the caller's scope. */
function forward(fault: ForwardFault | null, idx: tf.Tensor2D, p: GPTParams, cfg: GPTConfig, dropout: Dropout): tf.Tensor3D {
  const [B, T] = idx.shape;
  const C = cfg.nEmbd;
  let x = dropout(tf.gather(p.wte, idx).add(p.wpe.slice([0, 0], [T, C]))) as tf.Tensor3D; // (B, T, C)
  for (const b of p.blocks) x = block(x, b, cfg.nHead, cfg.activation, dropout, fault);
  const logits = (layerNorm(x, p.lnF) as tf.Tensor3D).reshape([B * T, C]).matMul(p.head.w).add(p.head.b); // (B*T, V)
  const out = fault === 'gpt/returns-probabilities' ? tf.softmax(logits, -1) : logits;
  return out.reshape([B, T, cfg.vocabSize]) as tf.Tensor3D;
}

/** A contract GPT with `fault` switched on; faultyGpt(null) computes what grader/katas/gpt/reference.ts computes. */
export function faultyGpt(fault: ForwardFault | null): GPT {
  return (idx, p, cfg, dropout = (t) => t) => tf.tidy(() => forward(fault, idx, p, cfg, dropout));
}

/** The correct forward pass without tf.tidy: every call leaves all its intermediates alive (half of gpt/generate-leak). */
export const untidyGpt: GPT = (idx, p, cfg, dropout = (t) => t) => forward(null, idx, p, cfg, dropout);
