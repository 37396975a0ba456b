// Seeded random tensors for the checks: float32-exact values, so the child and the float64 oracle see the same numbers.
import { mulberry32 } from './seeded-random.ts';
import { type NDArray, nd, size } from './ndarray.ts';
import { type WireTensor, wireTensor } from './sandbox/protocol.ts';

export type Rng = () => number;

/** mulberry32 (shared with the trainer's data pipeline): small, fast, and the same sequence on every machine. */
export const rng = (seed: number): Rng => mulberry32(seed);

function gaussian(r: Rng): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** A tensor the grader can send (float32) and the oracle can read (the same values in float64). */
export interface Pair {
  nd: NDArray;
  wire: WireTensor;
}

export function pair(shape: number[], values: ArrayLike<number>, dtype: 'float32' | 'int32' = 'float32'): Pair {
  const exact = Array.from(values, (v) => (dtype === 'int32' ? v : Math.fround(v)));
  return { nd: nd(shape, exact), wire: wireTensor(shape, exact, dtype) };
}

/** N(0, scale²) values rounded to float32. */
export function randn(r: Rng, shape: number[], scale = 1): Pair {
  return pair(shape, Array.from({ length: size(shape) }, () => gaussian(r) * scale));
}

/** 0/1 mask of `shape` whose last axis always keeps at least one 1 (every query row attends somewhere);
 * `mixed` also guarantees a 0 in every row that has room for one. */
export function randMask(r: Rng, shape: number[], mixed = false): Pair {
  const n = shape[shape.length - 1]!;
  const values: number[] = [];
  for (let row = 0; row < size(shape) / n; row++) {
    const keep = Array.from({ length: n }, () => (r() < 0.6 ? 1 : 0));
    if (!keep.includes(1)) keep[Math.floor(r() * n)] = 1;
    if (mixed && n > 1 && !keep.includes(0)) keep[(keep.indexOf(1) + 1 + Math.floor(r() * (n - 1))) % n] = 0;
    values.push(...keep);
  }
  return pair(shape, values);
}

export function randInt(r: Rng, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}
