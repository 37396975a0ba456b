// Oracle for kata 3: the causal (lower-triangular) mask and future-masked scores, with mistake knobs.
import { type NDArray, nd, unravel } from '../../ndarray.ts';

export interface CausalMaskKnobs {
  /** Which (i, j) are kept: j <= i (right), j >= i, j < i, j <= i + 1, or j > i (the fill applied where tril is 1). */
  keep?: 'lower' | 'upper' | 'strict-lower' | 'lower-plus-one' | 'strict-upper';
  /**
   * What future scores become: -Infinity (right), 0, the NaN-everywhere-else of scores·mask + (1 − mask)·(−∞),
   * nothing at all (the scores come back unchanged), `fillValue` added to them, or the 0/1 mask itself added
   * to the scores (+1 on the past, nothing on the future). The added forms round as float32 does.
   */
  fill?: 'neg-inf' | 'zero' | 'inf-times-zero' | 'none' | 'additive' | 'mask-added';
  /** For fill 'additive': what is added to each future score (−1e4 leaves scores above 3 at more than −1e4). */
  fillValue?: number;
  /** Which axis of the scores the mask's size T is read from: the last (right), the first, or the second. */
  sizeFrom?: 'last' | 'first' | 'second';
}

function keeps(i: number, j: number, keep: CausalMaskKnobs['keep']): boolean {
  switch (keep ?? 'lower') {
    case 'lower':
      return j <= i;
    case 'upper':
      return j >= i;
    case 'strict-lower':
      return j < i;
    case 'lower-plus-one':
      return j <= i + 1;
    case 'strict-upper':
      return j > i;
  }
}

/** [T, T], 1 where j <= i: torch.tril(torch.ones(T, T)). */
export function causalMask(T: number, knobs: CausalMaskKnobs = {}): NDArray {
  return nd([T, T], (n) => (keeps(Math.floor(n / T), n % T, knobs.keep) ? 1 : 0));
}

/**
 * scores (..., T, T) with future (j > i) entries set to -Infinity and all others unchanged. Null where a mistaken
 * mask size cannot broadcast onto the scores (tfjs throws there too).
 */
export function maskFuture(scores: NDArray, knobs: CausalMaskKnobs = {}): NDArray | null {
  const r = scores.shape.length;
  const T = scores.shape[r - 1]!;
  const sized = { last: T, first: scores.shape[0]!, second: scores.shape[1] ?? T }[knobs.sizeFrom ?? 'last'];
  if (sized !== T && sized !== 1) return null; // a [sized, sized] mask does not broadcast onto [..., T, T]
  if (sized === 1) return scores; // a [1, 1] tril keeps everything
  const fill = knobs.fill === 'zero' ? 0 : -Infinity;
  return nd(scores.shape, (n) => {
    const idx = unravel(n, scores.shape);
    const kept = keeps(idx[r - 2]!, idx[r - 1]!, knobs.keep);
    const s = scores.data[n]!;
    switch (knobs.fill) {
      case 'inf-times-zero':
        return kept ? NaN : -Infinity; // s·1 + 0·(−∞) = NaN
      case 'none':
        return s;
      case 'additive':
        return kept ? s : Math.fround(s + knobs.fillValue!);
      case 'mask-added':
        return kept ? Math.fround(s + 1) : s;
      default:
        return kept ? s : fill;
    }
  });
}
