// The learning-rate schedule: linear warm-up, then cosine decay to minLr (nanoGPT's get_lr).

export interface LrSchedule {
  lr: number;
  minLr: number;
  warmupIters: number;
  /** Steps over which the cosine decays; usually the run's iterations. */
  decayIters: number;
}

/** Learning rate for step `it` (0-based). */
export function learningRate(it: number, s: LrSchedule): number {
  if (it < s.warmupIters) return (s.lr * (it + 1)) / (s.warmupIters + 1);
  if (it >= s.decayIters) return s.minLr;
  const ratio = (it - s.warmupIters) / Math.max(1, s.decayIters - s.warmupIters); // 0 → 1
  const coeff = 0.5 * (1 + Math.cos(Math.PI * ratio)); // 1 → 0
  return s.minLr + coeff * (s.lr - s.minLr);
}
