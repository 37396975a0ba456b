// Oracle for kata 3: the causal (lower-triangular) mask and future-masked scores, with mistake knobs.
import { type NDArray, nd, unravel } from './ndarray.ts';

export interface CausalMaskKnobs {
  /** Which (i, j) are kept: j <= i (right), j >= i, j < i, or j <= i + 1. */
  keep?: 'lower' | 'upper' | 'strict-lower' | 'lower-plus-one';
  /** What future scores become: -Infinity (right), 0, or the NaN-everywhere-else of scores·mask + (1 − mask)·(−∞). */
  fill?: 'neg-inf' | 'zero' | 'inf-times-zero';
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
  }
}

/** [T, T], 1 where j <= i: torch.tril(torch.ones(T, T)). */
export function causalMask(T: number, knobs: CausalMaskKnobs = {}): NDArray {
  return nd([T, T], (n) => (keeps(Math.floor(n / T), n % T, knobs.keep) ? 1 : 0));
}

/** scores (..., T, T) with future (j > i) entries set to -Infinity and all others unchanged. */
export function maskFuture(scores: NDArray, knobs: CausalMaskKnobs = {}): NDArray {
  const r = scores.shape.length;
  const fill = knobs.fill === 'zero' ? 0 : -Infinity;
  return nd(scores.shape, (n) => {
    const idx = unravel(n, scores.shape);
    const kept = keeps(idx[r - 2]!, idx[r - 1]!, knobs.keep);
    if (knobs.fill === 'inf-times-zero') return kept ? NaN : -Infinity; // s·1 + 0·(−∞) = NaN
    return kept ? scores.data[n]! : fill;
  });
}
