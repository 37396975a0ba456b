// Per matmul shape, time and calls of the GEMMs run while a profile is being taken (npm run bench -- --profile).

/** One matmul shape's totals: `batch` products of op(A) M×K by op(B) K×N. */
export interface MatmulShareByShape {
  shape: string; // "48× 64×64×32 (B transposed)": batch× M×N×K
  gflop: number; // per call
  ms: number;
  calls: number;
}

let log: Map<string, MatmulShareByShape> | undefined;

/** Starts (clearing) or stops recording; recording costs a clock read per matmul, so it is off unless profiling. */
export function recordMatmulShapes(on: boolean): void {
  log = on ? new Map() : undefined;
}

/** Whether a profile is being recorded (the engine then times each GEMM). */
export function recordingMatmulShapes(): boolean {
  return log !== undefined;
}

/** Adds one GEMM call's time. */
export function noteMatmul(batch: number, M: number, N: number, K: number, transposeA: boolean, transposeB: boolean, ms: number): void {
  if (!log) return;
  const transposed = [transposeA ? 'A' : '', transposeB ? 'B' : ''].filter(Boolean).join(' and ');
  const key = `${batch}× ${M}×${N}×${K}${transposed ? ` (${transposed} transposed)` : ''}`;
  const share = log.get(key) ?? { shape: key, gflop: (2 * batch * M * N * K) / 1e9, ms: 0, calls: 0 };
  share.ms += ms;
  share.calls += 1;
  log.set(key, share);
}

/** What was recorded since recordMatmulShapes(true), slowest first. */
export function matmulShapes(): MatmulShareByShape[] {
  return [...(log?.values() ?? [])].sort((a, b) => b.ms - a.ms);
}
