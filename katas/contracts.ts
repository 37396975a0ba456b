// The kata contracts: the parameter and config types every solution and the grader share.
// Weights follow the `x @ W` convention, [in, out] (PyTorch's nn.Linear stores [out, in]).
// B batch, T time, C model width, h heads, d = C / h, V vocabulary size.
import type * as tf from '@tensorflow/tfjs';

export type Activation = 'relu' | 'gelu';

/** Identity while grading; real dropout (with its own rate) while training. */
export type Dropout = (t: tf.Tensor) => tf.Tensor;

export interface AttentionParams {
  wqkv: tf.Tensor2D; // [C, 3C]: x @ wqkv = q | k | v, each C columns wide
  wo: tf.Tensor2D; // [C, C]
  bo: tf.Tensor1D; // [C]
}

export interface LayerNormParams {
  gamma: tf.Tensor1D; // [C]
  beta: tf.Tensor1D; // [C]
}

export interface MLPParams {
  w1: tf.Tensor2D; // [C, 4C]
  b1: tf.Tensor1D; // [4C]
  w2: tf.Tensor2D; // [4C, C]
  b2: tf.Tensor1D; // [C]
}

export interface BlockParams {
  ln1: LayerNormParams;
  attn: AttentionParams;
  ln2: LayerNormParams;
  mlp: MLPParams;
}

export interface GPTParams {
  wte: tf.Tensor2D; // [V, C]
  wpe: tf.Tensor2D; // [blockSize, C]
  blocks: BlockParams[];
  lnF: LayerNormParams;
  head: { w: tf.Tensor2D /* [C, V] */; b: tf.Tensor1D /* [V] */ };
}

export interface GPTConfig {
  vocabSize: number;
  blockSize: number;
  nEmbd: number;
  nHead: number;
  nLayer: number;
  activation: Activation;
}

export interface BlockOptions {
  nHead: number;
  activation?: Activation; // default 'relu'
  dropout?: Dropout; // default identity
}

/** The exported functions, kata by kata. */
export type ScaledDotProductAttention = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask?: tf.Tensor) => tf.Tensor;
export type MultiHeadAttention = (x: tf.Tensor3D, p: AttentionParams, nHead: number, mask?: tf.Tensor) => tf.Tensor3D;
export type CausalMask = (T: number) => tf.Tensor2D;
export type MaskFuture = (scores: tf.Tensor) => tf.Tensor;
export type TransformerBlock = (x: tf.Tensor3D, p: BlockParams, opts: BlockOptions) => tf.Tensor3D;
export type GPT = (idx: tf.Tensor2D, p: GPTParams, cfg: GPTConfig, dropout?: Dropout) => tf.Tensor3D;
export type Generate = (
  idx: tf.Tensor2D,
  p: GPTParams,
  cfg: GPTConfig,
  maxNewTokens: number,
  temperature?: number,
) => tf.Tensor2D;
