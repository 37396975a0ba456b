// The mistake catalogue: every known mistake, generic or of one kata, looked up by id. A kata's mistakes live in
// grader/katas/<kata>/mistakes.ts and reach this catalogue through the registry.
import { genericMistakes } from './generic-mistakes.ts';
import type { Mistake } from './mistake.ts';
import { KATAS, type KataId, isKataId } from './registry.ts';

const ALL = new Map<string, Mistake>([...genericMistakes, ...KATAS.flatMap((k) => k.suite.mistakes)].map((m) => [m.id, m]));

export interface MistakeInfo {
  id: string;
  kata: KataId | null;
  explanation: string;
  hintTier: 0 | 1 | 2 | 3;
}

export function getMistake(id: string): MistakeInfo | undefined {
  const m = ALL.get(id);
  if (!m) return undefined;
  const prefix = id.split('/')[0]!;
  return { id: m.id, kata: id.includes('/') && isKataId(prefix) ? prefix : null, explanation: m.explanation, hintTier: m.hintTier };
}
