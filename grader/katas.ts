// The kata list, in session order: one entry per kata, with its file, exports and suggested time budget.
import type { KataId } from './report.ts';

export interface KataInfo {
  id: KataId;
  /** Position in the session, 1-based. */
  number: number;
  title: string;
  /** File name inside the learner's DIR. */
  file: string;
  /** Names the file must export. */
  exports: string[];
  /** Suggested minutes; the first four sum to the 60-minute bar. */
  budgetMinutes: number;
  /** One line for lists and the UI. */
  summary: string;
}

export const KATAS: readonly KataInfo[] = [
  {
    id: 'attention',
    number: 1,
    title: 'Scaled dot-product attention',
    file: 'attention.ts',
    exports: ['scaledDotProductAttention'],
    budgetMinutes: 10,
    summary: 'softmax(q·kᵀ/√dk, masked → −∞)·v for any leading dims, in under 30 lines',
  },
  {
    id: 'multi-head',
    number: 2,
    title: 'Multi-head attention, one batched matmul',
    file: 'multi-head.ts',
    exports: ['multiHeadAttention'],
    budgetMinutes: 20,
    summary: 'x@wqkv split into h heads, attention over all heads at once, concat@wo+bo; no loops',
  },
  {
    id: 'causal-mask',
    number: 3,
    title: 'Causal mask with tril',
    file: 'causal-mask.ts',
    exports: ['causalMask', 'maskFuture'],
    budgetMinutes: 10,
    summary: 'tril(ones(T,T)) with tf.linalg.bandPart, and future scores set to −∞',
  },
  {
    id: 'block',
    number: 4,
    title: 'Pre-norm transformer block',
    file: 'block.ts',
    exports: ['transformerBlock'],
    budgetMinutes: 20,
    summary: 'x + attn(ln1(x)), then x + mlp(ln2(x)); causal; ReLU or exact GELU',
  },
  {
    id: 'gpt',
    number: 5,
    title: 'The whole GPT',
    file: 'gpt.ts',
    exports: ['gpt', 'generate'],
    budgetMinutes: 25,
    summary: 'embeddings + positions, blocks, final LayerNorm, head; and leak-free sampling',
  },
];

/** The curriculum's bar: the first four katas inside this many minutes. */
export const BAR_MINUTES = 60;
export const BAR_KATAS: readonly KataId[] = ['attention', 'multi-head', 'causal-mask', 'block'];

export function kataById(id: string): KataInfo | undefined {
  return KATAS.find((k) => k.id === id);
}
