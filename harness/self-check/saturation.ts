// Why √dₖ, part two: unit-normal q and k at growing dₖ, and how peaked the softmax weights are with and without the scale.
import { mixSeed, mulberry32 } from '../../grader/seeded-random.ts';

/** The head sizes measured, 16 to 1024. */
const SATURATION_DKS: readonly number[] = [16, 64, 256, 1024];
export const QUERIES = 16;
export const KEYS = 32;

export interface SaturationCase {
  dk: number;
  /** [QUERIES, dk] and [KEYS, dk], row-major, entries from N(0, 1). */
  q: Float32Array;
  k: Float32Array;
}

function normals(rand: () => number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand()));
    const a = 2 * Math.PI * rand();
    out[i] = r * Math.cos(a);
    if (i + 1 < count) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

export function saturationCases(seed: number): SaturationCase[] {
  return SATURATION_DKS.map((dk) => {
    const rand = mulberry32(mixSeed(seed, dk));
    return { dk, q: normals(rand, QUERIES * dk), k: normals(rand, KEYS * dk) };
  });
}

export interface WeightSummary {
  /** Mean over queries of the largest weight: 1/KEYS is uniform, 1 is one-hot. */
  maxWeight: number;
  /** Mean over queries of the entropy in nats: ln KEYS is uniform, 0 is one-hot. */
  entropy: number;
}

/** Summarises a [rows, cols] block of softmax weights; throws when a row does not sum to 1 (not attention weights). */
export function summariseWeights(w: ArrayLike<number>, rows: number, cols: number): WeightSummary {
  let maxSum = 0;
  let entropySum = 0;
  for (let r = 0; r < rows; r++) {
    let max = 0;
    let sum = 0;
    let h = 0;
    for (let c = 0; c < cols; c++) {
      const p = w[r * cols + c]!;
      sum += p;
      max = Math.max(max, p);
      if (p > 0) h -= p * Math.log(p);
    }
    if (!(Math.abs(sum - 1) < 1e-3)) throw new Error(`row ${r} of the attention weights sums to ${sum.toFixed(4)}, not 1`);
    maxSum += max;
    entropySum += h;
  }
  return { maxWeight: maxSum / rows, entropy: entropySum / rows };
}

export interface SaturationRow {
  dk: number;
  scaled: WeightSummary;
  unscaled: WeightSummary;
}

export interface SaturationReport {
  /** Whose scaledDotProductAttention produced the weights. */
  source: 'yours' | 'reference';
  file: string;
  /** Why this one: "your attention.ts passes the grader", or why the reference stood in. */
  why: string;
  rows: SaturationRow[];
}

/** The measurement as screen lines: a small table, then what it shows. */
export function saturationLines(r: SaturationReport): string[] {
  const uniform = Math.log(KEYS);
  const lines = [
    `Measured on ${r.source === 'yours' ? 'your' : 'the reference'} scaledDotProductAttention (${r.why}):`,
    `${QUERIES} queries × ${KEYS} keys, N(0, 1) entries; uniform: max ${(1 / KEYS).toFixed(3)}, entropy ${uniform.toFixed(2)} nats`,
    '   dₖ   max weight: /√dₖ   unscaled   entropy: /√dₖ   unscaled',
    ...r.rows.map(
      (row) =>
        `${String(row.dk).padStart(5)}   ${row.scaled.maxWeight.toFixed(3).padStart(16)}   ${row.unscaled.maxWeight.toFixed(3).padStart(8)}   ` +
        `${row.scaled.entropy.toFixed(2).padStart(13)}   ${row.unscaled.entropy.toFixed(2).padStart(8)}`,
    ),
  ];
  const first = r.rows[0];
  const last = r.rows.at(-1);
  if (first && last) {
    lines.push(
      `Scaled, the weights stay as spread at dₖ ${last.dk} as at ${first.dk}. Unscaled, the largest weight climbs to ${last.unscaled.maxWeight.toFixed(2)}: ` +
        'the softmax is nearly one-hot, its gradient nearly zero, and attention stops learning.',
    );
  }
  return lines;
}
