// GPT parameter initialisation: weights N(0, 0.02), biases 0, LayerNorm gamma 1 and beta 0, all trainable tf.Variables.
import * as tf from '@tensorflow/tfjs';
import type { BlockParams, GPTConfig, GPTParams, LayerNormParams } from '../../katas/contracts.ts';
import { mixSeed } from '../../grader/seeded-random.ts';

/** GPT-2's init: small enough that the untrained model predicts ~uniformly (loss ≈ ln V). */
const INIT_STD = 0.02;

export function initGPTParams(cfg: GPTConfig, seed: number): GPTParams {
  let n = 0; // one derived seed per matrix, so adding a layer does not reshuffle the others
  const normal = (shape: [number, number]) =>
    tf.variable(tf.tidy(() => tf.randomNormal<tf.Rank.R2>(shape, 0, INIT_STD, 'float32', mixSeed(seed, n++))));
  const zeros = (size: number) => tf.variable(tf.zeros<tf.Rank.R1>([size]));
  const ln = (): LayerNormParams => ({ gamma: tf.variable(tf.ones<tf.Rank.R1>([cfg.nEmbd])), beta: zeros(cfg.nEmbd) });
  const C = cfg.nEmbd;
  const wte = normal([cfg.vocabSize, C]);
  const wpe = normal([cfg.blockSize, C]);
  const blocks: BlockParams[] = [];
  for (let l = 0; l < cfg.nLayer; l++) {
    blocks.push({
      ln1: ln(),
      attn: { wqkv: normal([C, 3 * C]), wo: normal([C, C]), bo: zeros(C) },
      ln2: ln(),
      mlp: { w1: normal([C, 4 * C]), b1: zeros(4 * C), w2: normal([4 * C, C]), b2: zeros(C) },
    });
  }
  return { wte, wpe, blocks, lnF: ln(), head: { w: normal([C, cfg.vocabSize]), b: zeros(cfg.vocabSize) } };
}
