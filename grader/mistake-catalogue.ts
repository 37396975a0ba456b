// The mistake catalogue: every known mistake, generic or of one kata, looked up by id. A kata's mistakes live in
// grader/katas/<kata>/mistakes.ts and reach this catalogue through the registry.
import { genericMistakes } from './generic-mistakes.ts';
import type { Mistake } from './mistake.ts';
import { KATAS, type KataId, isKataId, mistakesOf } from './registry.ts';

export interface MistakeInfo {
  id: string;
  kata: KataId | null;
  explanation: string;
  hintTier: 0 | 1 | 2 | 3;
}

function info(m: Mistake): MistakeInfo {
  const prefix = m.id.split('/')[0]!;
  return { id: m.id, kata: m.id.includes('/') && isKataId(prefix) ? prefix : null, explanation: m.explanation, hintTier: m.hintTier };
}

/** The generic mistakes and those of `katas` (default: every kata), by id. */
export async function mistakeCatalogue(katas: readonly KataId[] = KATAS.map((k) => k.id)): Promise<Map<string, MistakeInfo>> {
  const ofKatas = await Promise.all(katas.map(mistakesOf));
  return new Map([...genericMistakes, ...ofKatas.flat()].map((m) => [m.id, info(m)]));
}
