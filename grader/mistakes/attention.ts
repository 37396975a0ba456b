// Known mistakes in kata 1, scaled dot-product attention.
import type { AttentionKnobs } from '../oracle/attention.ts';
import type { Mistake } from './mistake.ts';

export const attentionMistakes: Mistake<AttentionKnobs>[] = [
  { id: 'attention/no-scale', explanation: 'The scores are not divided by √dk, so softmax saturates as dk grows.', hintTier: 1, variants: [{ scale: 'none' }] },
  { id: 'attention/wrong-scale', explanation: 'The scores are scaled by the wrong factor: divide by √dk (the width of q and k), not dk or √dv.', hintTier: 1, variants: [{ scale: 'dk' }, { scale: 'sqrt-dv' }] },
  { id: 'attention/softmax-axis', explanation: 'Softmax runs over the queries axis; each query row must sum to 1 over the keys (the last axis).', hintTier: 1, variants: [{ softmaxAxis: 'queries' }] },
  { id: 'attention/mask-after-softmax', explanation: 'The mask is applied after softmax, so the kept weights no longer sum to 1; mask the scores before softmax.', hintTier: 2, variants: [{ mask: 'after-softmax' }] },
  { id: 'attention/mask-fill-zero', explanation: 'Masked scores are set to 0, which still gets weight e^0; use −∞ (or −1e9) before softmax.', hintTier: 2, variants: [{ mask: 'fill-zero' }] },
  { id: 'attention/mask-inverted', explanation: 'The mask is read the wrong way round: 1 means "may attend", 0 means "masked".', hintTier: 2, variants: [{ mask: 'inverted' }] },
  { id: 'attention/mask-ignored', explanation: 'The mask argument is never applied.', hintTier: 2, variants: [{ mask: 'ignored' }] },
  { id: 'attention/too-long', explanation: 'The solution has 30 or more lines of code; the kata asks for fewer (blank lines, comments and imports do not count).', hintTier: 3 },
];
