// The mistake catalogue: every known mistake of every kata, looked up by id. Adding a mistake touches its kata's file.
import type { KataId } from '../report.ts';
import { attentionMistakes } from './attention.ts';
import { blockMistakes } from './block.ts';
import { causalMaskMistakes } from './causal-mask.ts';
import { genericMistakes } from './generic.ts';
import { gptMistakes } from './gpt.ts';
import type { Mistake } from './mistake.ts';
import { multiHeadMistakes } from './multi-head.ts';

export type { Mistake } from './mistake.ts';

export const MISTAKES_BY_KATA: Record<KataId, Mistake[]> = {
  attention: attentionMistakes as Mistake[],
  'multi-head': multiHeadMistakes as Mistake[],
  'causal-mask': causalMaskMistakes as Mistake[],
  block: blockMistakes as Mistake[],
  gpt: gptMistakes as Mistake[],
};

const ALL = new Map<string, Mistake>([...genericMistakes, ...Object.values(MISTAKES_BY_KATA).flat()].map((m) => [m.id, m]));

export interface MistakeInfo {
  id: string;
  kata: KataId | null;
  explanation: string;
  hintTier: 0 | 1 | 2 | 3;
}

export function getMistake(id: string): MistakeInfo | undefined {
  const m = ALL.get(id);
  if (!m) return undefined;
  const kata = id.includes('/') ? (id.split('/')[0] as KataId) : null;
  return { id: m.id, kata, explanation: m.explanation, hintTier: m.hintTier };
}

export function allMistakeIds(): string[] {
  return [...ALL.keys()];
}
