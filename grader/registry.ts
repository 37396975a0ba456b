// The kata registry: one line per kata, in session order. Every other list of katas (ids, files, suites, mistakes,
// the bar) derives from this one. Adding a kata is one folder under grader/katas/, one README in katas/ and one line here.
import type { Mistake } from './mistake.ts';
import type { KataSuite } from './suite.ts';

interface KataLine<Id extends string> {
  id: Id;
  title: string;
  /** File name inside the learner's DIR. */
  file: string;
  /** Names the file must export. */
  exports: readonly string[];
  /** Suggested minutes; the bar's katas sum to BAR_MINUTES. */
  budgetMinutes: number;
  /** Part of the curriculum's bar (the first four katas inside BAR_MINUTES). */
  bar: boolean;
  /** One line for lists and the UI. */
  summary: string;
  /**
   * The checks, probes and mistake catalogue: grader/katas/<id>/, loaded on first use, so that a command which only
   * lists the katas (or starts the sandbox child first) does not load fast-check and TypeScript before it needs them.
   */
  suite: () => Promise<KataSuite>;
}

const line = <Id extends string>(k: KataLine<Id>) => k;

const REGISTRY = [
  line({ id: 'attention', title: 'Scaled dot-product attention', file: 'attention.ts', exports: ['scaledDotProductAttention'], budgetMinutes: 10, bar: true, summary: 'softmax(q·kᵀ/√dk, masked → −∞)·v for any leading dims, in under 30 lines', suite: () => import('./katas/attention/checks.ts').then((m) => m.attentionSuite) }),
  line({ id: 'multi-head', title: 'Multi-head attention, one batched matmul', file: 'multi-head.ts', exports: ['multiHeadAttention'], budgetMinutes: 20, bar: true, summary: 'x@wqkv split into h heads, attention over all heads at once, concat@wo+bo; no loops', suite: () => import('./katas/multi-head/checks.ts').then((m) => m.multiHeadSuite) }),
  line({ id: 'causal-mask', title: 'Causal mask with tril', file: 'causal-mask.ts', exports: ['causalMask', 'maskFuture'], budgetMinutes: 10, bar: true, summary: 'tril(ones(T,T)) with tf.linalg.bandPart, and future scores set to −∞', suite: () => import('./katas/causal-mask/checks.ts').then((m) => m.causalMaskSuite) }),
  line({ id: 'block', title: 'Pre-norm transformer block', file: 'block.ts', exports: ['transformerBlock'], budgetMinutes: 20, bar: true, summary: 'x + attn(ln1(x)), then x + mlp(ln2(x)); causal; ReLU or exact GELU', suite: () => import('./katas/block/checks.ts').then((m) => m.blockSuite) }),
  line({ id: 'gpt', title: 'The whole GPT', file: 'gpt.ts', exports: ['gpt', 'generate'], budgetMinutes: 25, bar: false, summary: 'embeddings + positions, blocks, final LayerNorm, head; and leak-free sampling', suite: () => import('./katas/gpt/checks.ts').then((m) => m.gptSuite) }),
] as const;

export type KataId = (typeof REGISTRY)[number]['id'];

export interface KataInfo extends KataLine<KataId> {
  /** Position in the session, 1-based. */
  number: number;
}

export const KATAS: readonly KataInfo[] = REGISTRY.map((k, i) => ({ ...k, number: i + 1 }));

/** The curriculum's bar: the bar's katas inside this many minutes. */
export const BAR_MINUTES = 60;
export const BAR_KATAS: readonly KataId[] = KATAS.filter((k) => k.bar).map((k) => k.id);

export function kataById(id: string): KataInfo | undefined {
  return KATAS.find((k) => k.id === id);
}

export function isKataId(id: string): id is KataId {
  return kataById(id) !== undefined;
}

/** A kata's catalogued mistakes. */
export async function mistakesOf(id: KataId): Promise<readonly Mistake[]> {
  return (await kataById(id)!.suite()).mistakes;
}
