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
  let total = 0;
  for (let i = 0; i < spec.iters; i++) {
    const ids = batchIds(data, spec.batchSize, spec.blockSize, mixSeed(spec.seed, salt), i);
    const loss = tf.tidy(() => {
      const b = batchTensors(ids, spec.batchSize, spec.blockSize);
      return crossEntropy(forward(b.x, params, identity), b.y);
    });
    total += (await loss.data())[0]!;
    loss.dispose();
  }
  return total / spec.iters;
}
