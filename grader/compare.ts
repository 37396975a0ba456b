// Compares a learner's output with the oracle's: dtype and shape exactly first (never broadcast), then values,
// reporting the max abs/rel error, where it occurs, and the share of values within tolerance.
import type { NDArray } from './ndarray.ts';
import { unravel } from './ndarray.ts';
import { isWireTensor, type Wire, type WireDtype } from './sandbox/protocol.ts';
import { fmtNum, fmtShape } from './format.ts';

export interface Tolerance {
  /** Absolute tolerance as a fraction of the largest |expected| value (scale-free). */
  atol: number;
  /** Relative tolerance per value. */
  rtol: number;
  /** Values at or below this count as -Infinity when the oracle says -Infinity (masking stand-ins like -1e9). */
  negInfBelow?: number;
}

export type Verdict = { ok: true } | { ok: false; mistake: string | null; message: string };

/** Axis names for messages, e.g. ['B', 'h', 'Tq', 'dv']. */
export type AxisNames = readonly string[];

export function checkShape(got: Wire, shape: readonly number[], dtype: WireDtype, axes?: AxisNames): Verdict {
  if (!isWireTensor(got)) {
    const what = got === undefined ? 'undefined' : Array.isArray(got) ? 'an array' : typeof got === 'string' ? got : typeof got;
    return { ok: false, mistake: 'shape', message: `returned ${what}, expected a tf.Tensor of shape ${fmtShape(shape)}` };
  }
  const named = (i: number) => (axes?.[axes.length - shape.length + i] ? ` (${axes[axes.length - shape.length + i]})` : '');
  if (got.shape.length !== shape.length) {
    return {
      ok: false,
      mistake: 'shape',
      message: `returned rank ${got.shape.length} ${fmtShape(got.shape)}, expected rank ${shape.length} ${fmtShape(shape)}${axes ? ` = [${axes.slice(-shape.length).join(', ')}]` : ''}`,
    };
  }
  const bad = shape.findIndex((n, i) => got.shape[i] !== n);
  if (bad >= 0) {
    return {
      ok: false,
      mistake: 'shape',
      message: `returned ${fmtShape(got.shape)}, expected ${fmtShape(shape)}: axis ${bad}${named(bad)} is ${got.shape[bad]} but should be ${shape[bad]}`,
    };
  }
  if (got.dtype !== dtype) return { ok: false, mistake: 'shape', message: `returned dtype ${got.dtype}, expected ${dtype}` };
  return { ok: true };
}

interface Closeness {
  close: boolean;
  maxAbs: number;
  maxRel: number;
  worst: number; // flat index of the worst value
  fractionClose: number;
  nonFinite: number; // learner values that are NaN/Inf where the oracle is finite
}

function closeness(got: ArrayLike<number>, want: NDArray, tol: Tolerance): Closeness {
  let scale = 0;
  for (const w of want.data) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  const atol = tol.atol * Math.max(scale, 1e-30);
  let maxAbs = 0;
  let maxRel = 0;
  let worst = 0;
  let worstExcess = -Infinity;
  let nClose = 0;
  let nonFinite = 0;
  for (let i = 0; i < want.data.length; i++) {
    const g = got[i]!;
    const w = want.data[i]!;
    const bound = Number.isFinite(w) ? atol + tol.rtol * Math.abs(w) : 0;
    let ok: boolean;
    let err: number;
    if (w === -Infinity) {
      ok = g <= (tol.negInfBelow ?? -Infinity);
      err = ok ? 0 : Infinity;
    } else if (!Number.isFinite(g)) {
      ok = g === w || (Number.isNaN(g) && Number.isNaN(w));
      err = ok ? 0 : Infinity;
      if (!ok && Number.isFinite(w)) nonFinite++;
    } else {
      err = Math.abs(g - w);
      ok = err <= bound;
      if (w !== 0) maxRel = Math.max(maxRel, err / Math.abs(w));
    }
    maxAbs = Math.max(maxAbs, err);
    const excess = ok ? -Infinity : Number.isFinite(err) ? err - bound : Infinity;
    if (excess > worstExcess || (i === 0 && worstExcess === -Infinity)) {
      worstExcess = excess;
      worst = i;
    }
    if (ok) nClose++;
  }
  return { close: nClose === want.data.length, maxAbs, maxRel, worst, fractionClose: nClose / Math.max(1, want.data.length), nonFinite };
}

/**
 * How far got lies from want, in units of the tolerance: ≤ 1 is close. Infinity when the shapes differ or a
 * non-finite value does not match; a smooth measure for fitting a knob (grader/knob-fit.ts).
 */
export function misfit(got: Wire, want: NDArray, tol: Tolerance): number {
  if (!checkShape(got, want.shape, 'float32').ok) return Infinity;
  const data = (got as { data: Float32Array }).data;
  let scale = 0;
  for (const w of want.data) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  const atol = tol.atol * Math.max(scale, 1e-30);
  let worst = 0;
  for (let i = 0; i < want.data.length; i++) {
    const g = data[i]!;
    const w = want.data[i]!;
    if (w === -Infinity) {
      if (!(g <= (tol.negInfBelow ?? -Infinity))) return Infinity;
    } else if (!Number.isFinite(g) || !Number.isFinite(w)) {
      if (!(g === w || (Number.isNaN(g) && Number.isNaN(w)))) return Infinity;
    } else worst = Math.max(worst, Math.abs(g - w) / (atol + tol.rtol * Math.abs(w)));
  }
  return worst;
}

/** Shape, dtype, finiteness and values, in that order; the message carries the error figures. */
export function compareOutput(got: Wire, want: NDArray, tol: Tolerance, axes?: AxisNames): Verdict {
  const shape = checkShape(got, want.shape, 'float32', axes);
  if (!shape.ok) return shape;
  const data = (got as { data: Float32Array }).data;
  const c = closeness(data, want, tol);
  if (c.close) return { ok: true };
  const at = fmtShape(unravel(c.worst, want.shape));
  const figures =
    `max abs error ${fmtNum(c.maxAbs)}, max rel error ${fmtNum(c.maxRel)}; worst at ${at}: got ${fmtNum(data[c.worst]!)}, ` +
    `expected ${fmtNum(want.data[c.worst]!)}; ${(c.fractionClose * 100).toFixed(0)}% of values close`;
  if (c.nonFinite > 0) return { ok: false, mistake: 'not-finite', message: `${c.nonFinite} value(s) are NaN or Infinity where the reference is finite; ${figures}` };
  return { ok: false, mistake: null, message: figures };
}
