// What the pitfall lab measures and how it was asked to run: written by pitfall-lab.ts, rendered by pitfall-report.ts.
import type { GPTConfig } from '../../katas/contracts.ts';
import type { RunSetOptions } from './experiments.ts';
import type { TrainingPitfall } from './pitfalls/index.ts';
import type { TrainConfig } from './presets.ts';
import type { TrainRunResult } from './trainer.ts';

export interface PitfallLabOptions extends RunSetOptions {
  /** Tokens sampled one by one from the trained model for the leak curves (default 200). */
  leakTokens?: number;
  /** Tokens measured at the lecture size, from which the leak is extrapolated (default 3: each is a full 10.8M-parameter forward). */
  lectureTokens?: number;
  /** --fresh: replace the runs a previous lab left in OUT (without it, such a folder is refused). */
  fresh?: boolean;
}

export interface TrainedPitfall {
  pitfall: TrainingPitfall | null; // null: the correct model
  dir: string;
  run: TrainRunResult;
}

/** Memory after each token: index 0 is before the first. Tensors and bytes count from just before the prompt was made. */
export interface LeakCurve {
  label: string;
  tokens: number[];
  tensors: number[];
  bytes: number[];
  /** Least-squares slopes over the measured points, and how straight the bytes line is (R², 1 for a flat one). */
  tensorsPerToken: number;
  bytesPerToken: number;
  r2: number;
}

export interface LeakResult {
  /** The trained correct model, prompted with its full context (blockSize tokens), so every token costs the same. */
  small: { config: GPTConfig; curves: LeakCurve[] };
  /** The lecture's shapes (initialised, untrained: memory depends on shapes only), measured for a few tokens. */
  lecture: { config: GPTConfig; curves: LeakCurve[] };
  /** What the leak is extrapolated against. */
  budgets: { label: string; bytes: number }[];
}

export interface PitfallLabResult {
  correct: TrainedPitfall;
  pitfalls: TrainedPitfall[];
  leak: LeakResult;
  config: TrainConfig;
}
