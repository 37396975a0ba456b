// Oracle for kata 1: scaled dot-product attention in float64, with knobs that reproduce each catalogued mistake.
import { type NDArray, matmul, transposeLast2, scale, softmax, zip, broadcastShapes, broadcastTo } from '../../ndarray.ts';

export interface AttentionKnobs {
  /** How scores are scaled: by 1/√dk (right), not at all, by 1/dk, 1/√dv, 1/√Tq, times √dk, or the weights after softmax. */
  scale?: 'sqrt-dk' | 'none' | 'dk' | 'sqrt-dv' | 'sqrt-tq' | 'times-sqrt-dk' | 'after-softmax';
  /** Scores divided by this number instead (a fitted knob: any constant factor); overrides `scale`. */
  divisor?: number;
  /** Softmax over keys (last axis, right) or over queries. */
  softmaxAxis?: 'keys' | 'queries';
  /**
   * How the mask is applied: -inf before softmax (right), zeroing after softmax, 0 instead of -inf, 0 and 1 swapped,
   * not at all, or as scores + (1 - mask)·(-inf), which is 0·∞ = NaN wherever the mask is 1; the 0/1 mask added to
   * the scores as it is; masked scores set to +∞ (a doubled minus sign: NaN in every row with a masked key) or to a
   * large positive number (+1e9, which float32 makes equal for every masked key: uniform weight on the masked keys);
   * 'inverted-large' is the inverted mask with −1e9 for −∞, which differs only in a row the mask keeps whole.
   */
  mask?: 'before-softmax' | 'after-softmax' | 'fill-zero' | 'inverted' | 'inverted-large' | 'ignored' | 'inf-times-zero' | 'added' | 'fill-plus-inf' | 'fill-plus-large';
}

/** softmax(q·kᵀ/√dk with masked entries -∞)·v; q [..., Tq, dk], k [..., Tk, dk], v [..., Tk, dv]. */
export function attention(q: NDArray, k: NDArray, v: NDArray, mask?: NDArray, knobs: AttentionKnobs = {}): NDArray {
  const dk = q.shape[q.shape.length - 1]!;
  const dv = v.shape[v.shape.length - 1]!;
  const tq = q.shape[q.shape.length - 2]!;
  const factors = { 'sqrt-dk': 1 / Math.sqrt(dk), none: 1, dk: 1 / dk, 'sqrt-dv': 1 / Math.sqrt(dv), 'sqrt-tq': 1 / Math.sqrt(tq), 'times-sqrt-dk': Math.sqrt(dk), 'after-softmax': 1 };
  const factor = knobs.divisor !== undefined ? 1 / knobs.divisor : factors[knobs.scale ?? 'sqrt-dk'];
  let scores = scale(matmul(q, transposeLast2(k)), factor); // (..., Tq, Tk)
  const weigh = (s: NDArray, axis: number) => (knobs.scale === 'after-softmax' ? scale(softmax(s, axis), 1 / Math.sqrt(dk)) : softmax(s, axis));
  const mode = knobs.mask ?? 'before-softmax';
  const axis = knobs.softmaxAxis === 'queries' ? -2 : -1;
  if (mask && mode !== 'ignored') {
    const m = broadcastTo(mask, broadcastShapes(mask.shape, scores.shape));
    if (mode === 'before-softmax') scores = zip(scores, m, (s, keep) => (keep !== 0 ? s : -Infinity));
    if (mode === 'fill-zero') scores = zip(scores, m, (s, keep) => (keep !== 0 ? s : 0));
    if (mode === 'inverted') scores = zip(scores, m, (s, keep) => (keep !== 0 ? -Infinity : s));
    if (mode === 'inverted-large') scores = zip(scores, m, (s, keep) => (keep !== 0 ? -1e9 : s));
    if (mode === 'inf-times-zero') scores = zip(scores, m, (s, keep) => s + (1 - keep) * -Infinity);
    if (mode === 'added') scores = zip(scores, m, (s, keep) => s + keep);
    if (mode === 'fill-plus-inf') scores = zip(scores, m, (s, keep) => (keep !== 0 ? s : Infinity));
    if (mode === 'fill-plus-large') scores = zip(scores, m, (s, keep) => (keep !== 0 ? s : 1e9));
    let weights = weigh(scores, axis);
    if (mode === 'after-softmax') weights = zip(weights, m, (w, keep) => (keep !== 0 ? w : 0));
    return matmul(weights, v);
  }
  return matmul(weigh(scores, axis), v); // (..., Tq, dv)
}
