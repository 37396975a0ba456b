// One training step (forward, loss, backward, clip, AdamW update) for any model function: the trainer's and the benchmark's code path.
import * as tf from '@tensorflow/tfjs';
import type { Dropout, GPT, GPTConfig, GPTParams } from '../../katas/contracts.ts';
import type { Batch } from '../../datasets/splits.ts';
import { blasStepDone } from '../kernels/blas-matmul.ts';
import { StepTrace } from '../kernels/step-trace.ts';
import type { AdamW } from './adamw.ts';
import { clipScale } from './clip-grad.ts';
import { crossEntropy } from './cross-entropy.ts';

/** Logits (B, T, V) for token ids (B, T) under `params`; `dropout` is the identity outside training. */
export type Forward<P> = (idx: tf.Tensor2D, params: P, dropout: Dropout) => tf.Tensor3D;

/** Adapts a contract GPT (the reference's or the learner's) to a Forward. */
export function gptForward(gpt: GPT, cfg: GPTConfig): Forward<GPTParams> {
  return (idx, params, dropout) => gpt(idx, params, cfg, dropout);
}

export interface StepHyper {
  lr: number;
  /** Global gradient norm cap (1.0 in every preset). */
  gradClip: number;
  dropout: Dropout;
}

export interface StepResult {
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** Per training run (its optimizer): the record of its step that frees forward tensors early on wasm (step-trace.ts). */
const traces = new WeakMap<AdamW, StepTrace>();

/**
 * forward → cross-entropy → backward → clip at hp.gradClip → AdamW step at hp.lr. Every tensor it makes is
 * disposed before it returns, so the live tensor count stays flat from step to step.
 */
export async function trainStep<P>(forward: Forward<P>, params: P, optimizer: AdamW, batch: Batch, hp: StepHyper): Promise<StepResult> {
  const t0 = performance.now();
  const vars = optimizer.params.map((p) => p.variable);
  const gradients = () => tf.variableGrads(() => crossEntropy(forward(batch.x, params, hp.dropout), batch.y), vars);
  let trace = traces.get(optimizer);
  if (!trace && tf.getBackend() === 'wasm') traces.set(optimizer, (trace = new StepTrace()));
  const { value, grads } = trace ? trace.run(gradients) : gradients();
  const { norm, scale } = await clipScale(grads, hp.gradClip);
  optimizer.apply(grads, hp.lr, scale); // clipping's factor applied inside the update: no scaled copy of every gradient
  tf.dispose(grads);
  const loss = (await value.data())[0]!; // await: GPU backends under Node cannot read synchronously
  value.dispose();
  if (!Number.isFinite(loss)) {
    throw new Error(`the loss became ${loss} at lr ${hp.lr}; lower --lr or check the model for a division by zero`);
  }
  blasStepDone(performance.now() - t0); // the native matmuls' thread choice weighs whole steps
  return { loss, gradNorm: norm };
}
