// Known mistakes in kata 1, scaled dot-product attention.
import type { AttentionKnobs } from './oracle.ts';
import { discardedResults } from '../../static-rules.ts';
import type { Mistake } from '../../mistake.ts';
import { divisorFit, lastAxis } from './scale-fit.ts';

export const attentionMistakes: Mistake<AttentionKnobs>[] = [
  { id: 'attention/no-scale', explanation: 'The scores are not divided by √dk, so softmax saturates as dk grows.', hintTier: 1, variants: [{ scale: 'none' }] },
  {
    id: 'attention/wrong-scale',
    explanation: 'The scores are scaled by the wrong factor: divide by √dk (the width of q and k), not dk or √dv.',
    hintTier: 1,
    variants: [{ scale: 'dk' }, { scale: 'sqrt-dv' }, { scale: 'sqrt-tq' }, { scale: 'times-sqrt-dk' }],
    fit: divisorFit((divisor) => ({ divisor }), (args) => lastAxis(args, 0), 'dk'),
  },
  { id: 'attention/scale-after-softmax', explanation: 'The attention weights are divided by √dk after softmax; scale the scores before softmax.', hintTier: 1, variants: [{ scale: 'after-softmax' }] },
  {
    id: 'attention/softmax-axis',
    explanation: 'Softmax runs over the wrong axis; each query row must sum to 1 over the keys, the last axis (-1).',
    hintTier: 1,
    variants: [{ softmaxAxis: 'queries' }],
    errorPattern: /Softmax along a non-last dimension/i,
  },
  { id: 'attention/mask-after-softmax', explanation: 'The mask is applied after softmax, so the kept weights no longer sum to 1; mask the scores before softmax.', hintTier: 2, variants: [{ mask: 'after-softmax' }] },
  { id: 'attention/mask-fill-zero', explanation: 'Masked scores are set to 0, which still gets weight e^0; use −∞ (or −1e9) before softmax.', hintTier: 2, variants: [{ mask: 'fill-zero' }] },
  { id: 'attention/mask-inverted', explanation: 'The mask is read the wrong way round: 1 means "may attend", 0 means "masked".', hintTier: 2, variants: [{ mask: 'inverted' }, { mask: 'inverted-large' }] },
  { id: 'attention/mask-inf-times-zero', explanation: 'The mask is applied as (1 − mask)·(−∞): 0·∞ is NaN for every kept score; use tf.where or −1e9.', hintTier: 2, variants: [{ mask: 'inf-times-zero' }] },
  { id: 'attention/mask-added', explanation: 'The 0/1 mask is added to the scores as it is, which masks nothing; turn it into 0 / −∞ first: scores + (1 − mask)·(−1e9), or tf.where.', hintTier: 2, variants: [{ mask: 'added' }] },
  {
    id: 'attention/mask-fill-positive',
    explanation: 'Masked scores are set to +∞ or +1e9 (a doubled minus sign, as in −(−Infinity)), so the masked keys take the weight; the fill must be negative.',
    hintTier: 2,
    variants: [{ mask: 'fill-plus-inf' }, { mask: 'fill-plus-large' }],
  },
  {
    id: 'attention/mask-discarded',
    explanation: 'The masked scores are computed and thrown away: tfjs ops return a new tensor and never change scores in place; assign the result (scores = tf.where(...)).',
    hintTier: 2,
    variants: [{ mask: 'ignored' }],
    sourceSign: (source) => discardedResults(source).length > 0,
  },
  { id: 'attention/mask-ignored', explanation: 'The mask argument is never applied.', hintTier: 2, variants: [{ mask: 'ignored' }] },
  { id: 'attention/too-long', explanation: 'The solution has 30 or more lines of code; the kata asks for fewer (blank lines, comments and imports do not count).', hintTier: 3 },
];
