// The causality probe: change the future tokens of a window and check that the logits of the earlier positions stay put.
import * as tf from '@tensorflow/tfjs';
import { mixSeed, mulberry32 } from '../../grader/seeded-random.ts';
import { identity } from './dropout.ts';
import type { Forward } from './train-step.ts';

/** Logits of an honest model at positions < cut do not depend on tokens ≥ cut; float32 noise is far below this. */
const PROBE_TOLERANCE = 1e-4;

export interface ProbeResult {
  passed: boolean;
  /** Tokens cut … T−1 were replaced; positions 0 … cut−1 were compared. */
  cut: number;
  blockSize: number;
  /** Largest |Δ logit| at an earlier position, and the earliest position that moved by more than the tolerance (−1: none). */
  maxDelta: number;
  firstMoved: number;
}

/**
 * Runs the live model on `rows` windows of `data` and on the same windows with every token from the middle on
 * replaced by another one, dropout off. Passes when no logit before the cut moves by more than PROBE_TOLERANCE.
 */
export async function causalityProbe<P>(forward: Forward<P>, params: P, data: Int32Array, blockSize: number, vocabSize: number, seed: number, rows = 2): Promise<ProbeResult> {
  const T = blockSize;
  const cut = T >> 1;
  const rand = mulberry32(mixSeed(seed, 0x70726f62)); // its own stream: the probe never shifts the training batches
  const original = new Int32Array(rows * T);
  for (let r = 0; r < rows; r++) {
    const start = Math.floor(rand() * (data.length - T));
    original.set(data.subarray(start, start + T), r * T);
  }
  const altered = original.slice();
  for (let r = 0; r < rows; r++) {
    for (let t = cut; t < T; t++) altered[r * T + t] = (original[r * T + t]! + 1 + Math.floor(rand() * (vocabSize - 1))) % vocabSize; // always a different token
  }
  const deltas = tf.tidy(() => {
    const a = forward(tf.tensor2d(original, [rows, T], 'int32'), params, identity); // (rows, T, V)
    const b = forward(tf.tensor2d(altered, [rows, T], 'int32'), params, identity);
    return a.slice([0, 0, 0], [rows, cut, -1]).sub(b.slice([0, 0, 0], [rows, cut, -1])).abs().max([0, 2]); // (cut): per earlier position
  });
  const perPosition = Array.from(await deltas.data());
  deltas.dispose();
  const maxDelta = Math.max(0, ...perPosition.map((d) => (Number.isFinite(d) ? d : Infinity)));
  const firstMoved = perPosition.findIndex((d) => !(d <= PROBE_TOLERANCE));
  return { passed: firstMoved < 0, cut, blockSize: T, maxDelta, firstMoved };
}
