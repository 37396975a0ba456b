// Training presets as plain data, nanoGPT style: every default says why it is what it is.
import type { Activation, GPTConfig } from '../../katas/contracts.ts';

export interface TrainConfig {
  // model
  nLayer: number;
  nHead: number;
  nEmbd: number;
  blockSize: number;
  activation: Activation;
  dropout: number;
  // optimisation
  batchSize: number;
  iters: number;
  lr: number;
  minLr: number;
  warmupIters: number;
  /** Steps the cosine takes to reach minLr; absent = iters (nanoGPT's lr_decay_iters). */
  lrDecayIters?: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  gradClip: number;
  // evaluation and output
  evalInterval: number;
  evalIters: number;
  finalEvalIters: number;
  logInterval: number;
  sampleChars: number;
}

export type PresetName = 'tiny' | 'baby' | 'lecture';
export const PRESET_NAMES: readonly PresetName[] = ['tiny', 'baby', 'lecture'];

/** Shared by every preset. */
const COMMON = {
  activation: 'relu', // the lecture's FFN; GELU is one of the week's experiments
  weightDecay: 0.1, // nanoGPT's value; decoupled (AdamW) and on matrices only
  beta1: 0.9, // Adam's usual momentum
  beta2: 0.99, // nanoGPT for char models: few tokens per step, so a shorter second-moment memory than 0.999
  gradClip: 1.0, // global-norm clipping, as nanoGPT
  sampleChars: 500, // the week's deliverable: 500 characters at temperature 1
} as const;

export const PRESETS: Record<PresetName, TrainConfig> = {
  /** For tests and CI: seconds on two CPU cores, yet enough to drop val loss from ln 65 ≈ 4.17 to ~2.5. */
  tiny: {
    ...COMMON,
    nLayer: 2, // the smallest stack that still has a block feeding a block
    nHead: 2, // multi-head, so the batched-heads path is exercised
    nEmbd: 32, // 16 per head; ~30k parameters
    blockSize: 32, // enough context to learn words
    dropout: 0, // too small to overfit in 300 steps
    batchSize: 16, // 512 tokens a step: cheap on CPU, smooth enough loss
    iters: 300, // the acceptance run: bigram-level loss (~2.5) in seconds
    lr: 3e-3, // a 30k-parameter model tolerates a large step
    minLr: 3e-4, // lr/10, nanoGPT's rule
    warmupIters: 20, // short warm-up for a short run
    evalInterval: 100, // four points on the curve in 300 steps
    evalIters: 10, // 10×512 tokens per estimate: noise ≈ 0.01 nat
    finalEvalIters: 20, // a steadier final figure, still under a second
    logInterval: 10, // a progress line per 10 steps
  },
  /** The CPU default: nanoGPT's "baby GPT" for laptops, for the page's 5000 iterations (val ≈ 1.88 in PyTorch after 2000). */
  baby: {
    ...COMMON,
    nLayer: 4, // nanoGPT's CPU configuration
    nHead: 4,
    nEmbd: 128, // 32 per head; 0.82M parameters
    blockSize: 64,
    dropout: 0, // 2000 steps of 768 tokens do not overfit 1M characters
    batchSize: 12,
    iters: 5000, // the page: "at least 5000 iterations" (nanoGPT's CPU run stops at 2000)
    lr: 1e-3, // nanoGPT's char-level rate; small models take large steps
    minLr: 1e-4, // lr/10
    warmupIters: 100, // nanoGPT's shakespeare_char warm-up
    evalInterval: 250, // twenty val points on the curve (the train loss is kept every 10 steps)
    evalIters: 20, // nanoGPT's CPU setting: cheap intermediate estimates
    finalEvalIters: 100, // the final figure over 100 batches: standard error ≈ 0.005 nat, ~1% of the run's time
    logInterval: 10,
  },
  /** The GPU default: the lecture's model (val ≈ 1.48 on an A100 in ~15 min). */
  lecture: {
    ...COMMON,
    nLayer: 6, // the lecture's final model
    nHead: 6,
    nEmbd: 384, // 64 per head; 10.8M parameters
    blockSize: 256,
    dropout: 0.2, // the lecture: this model overfits without it
    batchSize: 64,
    iters: 5000, // the lecture's max_iters
    lr: 3e-4, // the lecture's learning rate for the bigger model
    minLr: 3e-5, // lr/10
    warmupIters: 100,
    evalInterval: 500, // the lecture's eval_interval
    evalIters: 200, // the lecture's eval_iters
    finalEvalIters: 200,
    logInterval: 10,
  },
};

/** The model part of a training config, as the contract's GPTConfig for a vocabulary of `vocabSize`. */
export function gptConfigOf(c: TrainConfig, vocabSize: number): GPTConfig {
  return { vocabSize, blockSize: c.blockSize, nEmbd: c.nEmbd, nHead: c.nHead, nLayer: c.nLayer, activation: c.activation };
}
