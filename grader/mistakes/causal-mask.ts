// Known mistakes in kata 3, the causal mask with tril.
import type { CausalMaskKnobs } from '../oracle/causal-mask.ts';
import type { Mistake } from './mistake.ts';

export const causalMaskMistakes: Mistake<CausalMaskKnobs>[] = [
  { id: 'causal-mask/upper-triangle', explanation: 'The mask keeps j ≥ i (the future) instead of j ≤ i: that is triu, not tril.', hintTier: 1, variants: [{ keep: 'upper' }] },
  { id: 'causal-mask/diagonal', explanation: 'The diagonal is off by one: position i must see itself (j ≤ i), and nothing after it.', hintTier: 1, variants: [{ keep: 'strict-lower' }, { keep: 'lower-plus-one' }] },
  { id: 'causal-mask/fill-zero', explanation: 'Future scores are set to 0, which softmax still weighs as e^0; set them to −∞.', hintTier: 2, variants: [{ fill: 'zero' }] },
  { id: 'causal-mask/inf-times-zero', explanation: 'Future scores are masked as scores·mask + (1 − mask)·(−∞): 0·∞ is NaN for every kept score; use tf.where.', hintTier: 2, variants: [{ fill: 'inf-times-zero' }] },
  { id: 'causal-mask/no-tril', explanation: 'The mask is not built with tf.linalg.bandPart, tfjs’s tril, as the kata requires.', hintTier: 3 },
];
