// Known mistakes in kata 2, multi-head attention as one batched matmul.
import type { MultiHeadKnobs } from './oracle.ts';
import type { Mistake } from '../../mistake.ts';
import { divisorFit, lastAxis } from '../attention/scale-fit.ts';

export const multiHeadMistakes: Mistake<MultiHeadKnobs>[] = [
  { id: 'multi-head/loop', explanation: 'The heads are computed one at a time (a loop, or a map over heads); attend over all heads in one batched matmul.', hintTier: 3 },
  { id: 'multi-head/heads-no-transpose', explanation: 'Heads are reshaped to [B,T,h,d] but not transposed to [B,h,T,d], so attention runs across heads instead of time.', hintTier: 2, variants: [{ layout: 'no-transpose' }, { layout: 'no-transpose', merge: 'transpose' }] },
  { id: 'multi-head/scale-model-dim', explanation: 'The scores are scaled by 1/√C; each head must use 1/√d with d = C/h.', hintTier: 2, variants: [{ scale: 'sqrt-C' }] },
  {
    id: 'multi-head/wrong-scale',
    explanation: 'Each head’s scores are divided by the wrong number; divide them by √d, the head width d = C/h.',
    hintTier: 2,
    fit: divisorFit((divisor) => ({ divisor }), (args) => lastAxis(args, 0) / Number(args[2]), 'd'),
  },
  { id: 'multi-head/no-output-projection', explanation: 'The concatenated heads are returned without the output projection @ wo + bo.', hintTier: 1, variants: [{ output: 'none' }] },
  { id: 'multi-head/no-output-bias', explanation: 'The output projection leaves out its bias: it is concat(heads) @ wo + bo.', hintTier: 1, variants: [{ output: 'no-bias' }] },
  { id: 'multi-head/merge-no-transpose', explanation: 'The heads are merged with a plain reshape of [B,h,T,d]; transpose back to [B,T,h,d] first, then reshape to [B,T,C].', hintTier: 2, variants: [{ merge: 'reshape-only' }] },
  { id: 'multi-head/mask-ignored', explanation: 'The mask argument is never passed to the attention scores.', hintTier: 2, variants: [{ mask: 'ignored' }] },
  { id: 'multi-head/qkv-order', explanation: 'q, k and v are taken from the wrong thirds of x @ wqkv: the order is q | k | v.', hintTier: 1, variants: [{ order: 'qvk' }, { order: 'kqv' }, { order: 'kvq' }, { order: 'vqk' }, { order: 'vkq' }] },
  { id: 'multi-head/head-layout', explanation: 'Each head must own columns i·d … (i+1)·d−1 of q, k and v: reshape to [B,T,h,d], then transpose to [B,h,T,d].', hintTier: 1, variants: [{ layout: 'reshape-direct' }, { layout: 'reshape-direct', merge: 'transpose' }, { layout: 'interleaved' }, { layout: 'interleaved', merge: 'transpose' }, { layout: 'qkv-inner' }] },
  {
    id: 'multi-head/batch-time-swapped',
    explanation: 'Batch and time are swapped ([T, B, C] read as [B, T, C], as with seq-first PyTorch code), so each position attends across the batch items; x is [B, T, C] and heads are [B, h, T, d].',
    hintTier: 2,
    variants: [{ layout: 'batch-time-swapped' }],
  },
];
