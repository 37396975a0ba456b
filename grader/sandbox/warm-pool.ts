// Spare sandbox children, spawned ahead of need so that node and tfjs are already loaded when a file is to be graded.
// A spare has run no learner code; each is handed out once and serves one file, under the same limits as any child.
import { DEFAULT_LIMITS, Sandbox, type SandboxLimits } from './sandbox.ts';

const spares = new Map<string, Promise<Sandbox>>();
const keyOf = (l: SandboxLimits) => `${l.memoryMb}:${l.loadTimeoutMs}`;

/** Makes sure one spare child with these limits is starting or waiting (the kata app calls this after each grading). */
export function prewarm(limits: SandboxLimits = DEFAULT_LIMITS): void {
  const key = keyOf(limits);
  if (!spares.has(key)) spares.set(key, Sandbox.spawn(limits));
}

/** A child for one file: the spare if there is a live one with these limits, else one spawned now. */
export async function takeSandbox(limits: SandboxLimits = DEFAULT_LIMITS): Promise<Sandbox> {
  const key = keyOf(limits);
  const spare = spares.get(key);
  spares.delete(key);
  if (spare) {
    const s = await spare.catch(() => null);
    if (s && s.alive()) return s;
  }
  return Sandbox.spawn(limits);
}

/** Stops every spare (tests, and a clean exit of the kata app). */
export async function closeSpares(): Promise<void> {
  const all = [...spares.values()];
  spares.clear();
  for (const s of await Promise.all(all.map((p) => p.catch(() => null)))) s?.dispose();
}
