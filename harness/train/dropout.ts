// The contract's Dropout callback: real, seeded dropout while training, the identity everywhere else.
import * as tf from '@tensorflow/tfjs';
import type { Dropout } from '../../katas/contracts.ts';
import { mixSeed } from '../../datasets/seeded-random.ts';

export const identity: Dropout = (t) => t;

/**
 * Dropout for one training step. Each call gets its own mask, seeded by (run seed, step, call number), so a
 * resumed run drops exactly the units the uninterrupted run would have dropped.
 */
export function trainingDropout(rate: number, seed: number, step: number): Dropout {
  if (rate <= 0) return identity;
  let call = 0;
  return (t) => tf.dropout(t, rate, undefined, mixSeed(seed, step, call++));
}
