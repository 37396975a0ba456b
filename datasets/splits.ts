// Train/val splits and random batches of blockSize windows, as in the lecture: x = d[i:i+T], y = d[i+1:i+T+1].
import * as tf from '@tensorflow/tfjs';
import { mixSeed, mulberry32 } from '../grader/seeded-random.ts';

/** 90% train, 10% val, split at floor(0.9·N) like `n = int(0.9 * len(data))`. */
const TRAIN_FRACTION = 0.9;

export interface Splits {
  train: Int32Array;
  val: Int32Array;
}

export function splitTokens(tokens: Int32Array, trainFraction = TRAIN_FRACTION): Splits {
  const n = Math.floor(trainFraction * tokens.length);
  return { train: tokens.subarray(0, n), val: tokens.subarray(n) };
}

export interface BatchIds {
  /** Window starts, one per row. */
  offsets: number[];
  /** Inputs (B, T), row-major. */
  x: Int32Array;
  /** Targets (B, T): x shifted one to the left. */
  y: Int32Array;
}

/**
 * Batch `index` of a seeded stream: a pure function of (seed, index), so a resumed run draws the very
 * batches the uninterrupted run would have drawn.
 */
export function batchIds(data: Int32Array, batchSize: number, blockSize: number, seed: number, index: number): BatchIds {
  const maxStart = data.length - blockSize; // starts in [0, N - T), like torch.randint(len(d) - T)
  if (maxStart <= 0) {
    throw new Error(`the split has ${data.length} tokens, too few for blockSize ${blockSize}; use more text or a smaller blockSize`);
  }
  const rand = mulberry32(mixSeed(seed, index));
  const x = new Int32Array(batchSize * blockSize);
  const y = new Int32Array(batchSize * blockSize);
  const offsets: number[] = [];
  for (let b = 0; b < batchSize; b++) {
    const start = Math.floor(rand() * maxStart);
    offsets.push(start);
    x.set(data.subarray(start, start + blockSize), b * blockSize);
    y.set(data.subarray(start + 1, start + blockSize + 1), b * blockSize);
  }
  return { offsets, x, y };
}

export interface Batch {
  x: tf.Tensor2D; // (B, T) int32
  y: tf.Tensor2D; // (B, T) int32
}

/** The same batch as tensors; the caller disposes both. */
export function batchTensors(ids: BatchIds, batchSize: number, blockSize: number): Batch {
  return {
    x: tf.tensor2d(ids.x, [batchSize, blockSize], 'int32'),
    y: tf.tensor2d(ids.y, [batchSize, blockSize], 'int32'),
  };
}
