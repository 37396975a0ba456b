// Loss estimates: the mean cross-entropy over a fixed set of seeded batches of one split, dropout off.
import * as tf from '@tensorflow/tfjs';
import { batchIds, batchTensors } from '../../datasets/splits.ts';
import { mixSeed } from '../../grader/seeded-random.ts';
import { crossEntropy } from './cross-entropy.ts';
import { identity } from './dropout.ts';
import type { Forward } from './train-step.ts';

export interface EvalSpec {
  batchSize: number;
  blockSize: number;
  /** Batches averaged per estimate. */
  iters: number;
  seed: number;
}

/**
 * Mean loss over `spec.iters` batches of `data`. The batches depend only on the seed and the split, so every
 * eval interval scores the same windows and the curve moves only because the model did.
 */
export async function estimateLoss<P>(forward: Forward<P>, params: P, data: Int32Array, spec: EvalSpec, salt: number): Promise<number> {
  return (await estimateLossWithError(forward, params, data, spec, salt)).mean;
}

/** The mean loss and its standard error over the batches (the batches are independent draws of the split). */
export async function estimateLossWithError<P>(forward: Forward<P>, params: P, data: Int32Array, spec: EvalSpec, salt: number): Promise<{ mean: number; se: number }> {
  const losses: number[] = [];
  for (let i = 0; i < spec.iters; i++) {
    const ids = batchIds(data, spec.batchSize, spec.blockSize, mixSeed(spec.seed, salt), i);
    const loss = tf.tidy(() => {
      const b = batchTensors(ids, spec.batchSize, spec.blockSize);
      return crossEntropy(forward(b.x, params, identity), b.y);
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  const n = losses.length;
  const mean = losses.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, se: Math.sqrt(variance / n) };
}
