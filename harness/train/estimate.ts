// The time a run will take, told before it starts: one training step, one eval batch and one sampled token are timed
// on the real model (nothing is updated), then multiplied by what the schedule asks for.
import * as tf from '@tensorflow/tfjs';
import { batchIds, batchTensors } from '../../datasets/splits.ts';
import { crossEntropy } from './cross-entropy.ts';
import { identity } from './dropout.ts';
import { formatDuration } from './progress-bar.ts';
import type { TrainConfig } from './presets.ts';
import type { Forward } from './train-step.ts';

export interface RunEstimate {
  stepMs: number;
  evalBatchMs: number;
  tokenMs: number;
  /** The whole run: steps, every evaluation (both splits), the final evaluation and the sample. */
  seconds: number;
}

/** How many evaluations a run of `c` makes before the final one, from `start`. */
const evalsBefore = (c: TrainConfig, start: number) => {
  let n = 0;
  for (let s = start; s < c.iters; s++) if (s % c.evalInterval === 0) n++;
  return n;
};

/** Tokens per timed generate call: enough to spread its fixed costs. */
const SAMPLE_TOKENS = 8;

const timeMs = async (f: () => Promise<void>, repeats: number): Promise<number> => {
  await f(); // the first call compiles kernels and allocates: not what a step costs
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) await f();
  return (performance.now() - t0) / repeats;
};

/** Times the model's costs and sums them over the schedule of `c`, from step `start` (a resumed run has done the rest). */
export async function estimateRun<P>(
  forward: Forward<P>,
  params: P,
  vars: tf.Variable[],
  train: Int32Array,
  c: TrainConfig,
  sample: (context: tf.Tensor2D, n: number) => tf.Tensor2D,
  start = 0,
): Promise<RunEstimate> {
  const ids = batchIds(train, c.batchSize, c.blockSize, 0, 0);
  const batch = batchTensors(ids, c.batchSize, c.blockSize);
  const context = tf.tensor2d(ids.x.slice(0, c.blockSize), [1, c.blockSize], 'int32');
  try {
    const stepMs = await timeMs(async () => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(forward(batch.x, params, identity), batch.y), vars);
      await value.data();
      tf.dispose([value, ...Object.values(grads)]);
    }, 2);
    const evalBatchMs = await timeMs(async () => {
      const loss = tf.tidy(() => crossEntropy(forward(batch.x, params, identity), batch.y));
      await loss.data();
      loss.dispose();
    }, 2);
    const tokenMs =
      (await timeMs(async () => {
        const out = sample(context, SAMPLE_TOKENS);
        await out.data();
        out.dispose();
      }, 1)) / SAMPLE_TOKENS;
    const remaining = Math.max(0, c.iters - start);
    const evalBatches = 2 * (evalsBefore(c, start) * c.evalIters + c.finalEvalIters);
    const seconds = (remaining * stepMs + evalBatches * evalBatchMs + c.sampleChars * tokenMs) / 1000;
    return { stepMs, evalBatchMs, tokenMs, seconds };
  } finally {
    tf.dispose([batch.x, batch.y, context]);
  }
}

/** "estimate: 26m40s (5000 steps × 290 ms, evaluations 40s, sample 3s), measured on this machine just now" */
export function estimateLine(e: RunEstimate, c: TrainConfig, start = 0): string {
  const evals = (2 * (evalsBefore(c, start) * c.evalIters + c.finalEvalIters) * e.evalBatchMs) / 1000;
  return (
    `estimate: ${formatDuration(e.seconds)} in all (${Math.max(0, c.iters - start)} steps × ${e.stepMs.toFixed(0)} ms, ` +
    `evaluations ${formatDuration(evals)}, sample ${formatDuration((c.sampleChars * e.tokenMs) / 1000)}), timed on this machine just now`
  );
}
