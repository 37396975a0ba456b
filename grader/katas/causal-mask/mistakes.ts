// Known mistakes in kata 3, the causal mask with tril.
import type { CausalMaskKnobs } from './oracle.ts';
import { discardedResults } from '../../static-rules.ts';
import type { Mistake } from '../../mistake.ts';

export const causalMaskMistakes: Mistake<CausalMaskKnobs>[] = [
  { id: 'causal-mask/upper-triangle', explanation: 'The mask keeps j ≥ i (the future) instead of j ≤ i: that is triu, not tril.', hintTier: 1, variants: [{ keep: 'upper' }] },
  { id: 'causal-mask/diagonal', explanation: 'The diagonal is off by one: position i must see itself (j ≤ i), and nothing after it.', hintTier: 1, variants: [{ keep: 'strict-lower' }, { keep: 'lower-plus-one' }] },
  { id: 'causal-mask/fill-zero', explanation: 'Future scores are set to 0, which softmax still weighs as e^0; set them to −∞.', hintTier: 2, variants: [{ fill: 'zero' }] },
  { id: 'causal-mask/inf-times-zero', explanation: 'Future scores are masked as scores·mask + (1 − mask)·(−∞): 0·∞ is NaN for every kept score; use tf.where.', hintTier: 2, variants: [{ fill: 'inf-times-zero' }] },
  { id: 'causal-mask/fill-inverted', explanation: 'The fill lands where the tril is 1, so the past (and the diagonal) become −∞ and the future is kept; fill where the tril is 0.', hintTier: 2, variants: [{ keep: 'strict-upper' }] },
  { id: 'causal-mask/mask-added', explanation: 'The 0/1 tril is added to the scores as it is (+1 on the past, nothing on the future); add (1 − tril)·(−1e9), or use tf.where.', hintTier: 2, variants: [{ fill: 'mask-added' }] },
  {
    id: 'causal-mask/mask-discarded',
    explanation: 'The masked scores are computed and thrown away: tfjs ops return a new tensor and never change scores in place; return (or assign) the result.',
    hintTier: 2,
    variants: [{ fill: 'none' }],
    sourceSign: (source) => discardedResults(source).length > 0,
  },
  {
    id: 'causal-mask/nothing-masked',
    explanation: 'maskFuture returns the scores unchanged: often the −1e9 mask is multiplied by the 0/1 tril, which is 0 exactly where the −1e9 sits, so it cancels itself.',
    hintTier: 2,
    variants: [{ fill: 'none' }],
  },
  {
    id: 'causal-mask/fill-too-high',
    explanation: 'Future scores are lowered by only 1e4 (or less), so a positive score ends above −1e4, short of the −∞ the contract asks for; fill with −∞, or add −1e9.',
    hintTier: 2,
    variants: [{ fill: 'additive', fillValue: -1e4 }, { fill: 'additive', fillValue: -1e3 }, { fill: 'additive', fillValue: -100 }],
  },
  {
    id: 'causal-mask/size-wrong-axis',
    explanation: 'The mask’s size T is read from the wrong axis of the scores (axis 0 or 1); read it from the last axis, so [T, T], [B, T, T] and [B, h, T, T] all work.',
    hintTier: 1,
    variants: [{ sizeFrom: 'first' }, { sizeFrom: 'second' }],
  },
  {
    id: 'causal-mask/fixed-size',
    explanation: 'The mask works only up to a fixed size (a precomputed or cached tril sliced to T, say 32×32); the contract accepts any square T: build the mask for the T you are given.',
    hintTier: 1,
  },
  { id: 'causal-mask/no-tril', explanation: 'The mask is not built with tf.linalg.bandPart, tfjs’s tril, as the kata requires.', hintTier: 3 },
];
