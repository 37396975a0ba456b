// Spare sandbox children, spawned ahead of need so that node and tfjs are already loaded when a file is to be graded.
// A spare has run no learner code; each is handed out once and serves one file, under the same limits as any child.
import { DEFAULT_LIMITS, Sandbox, type SandboxLimits, type SpawnOptions } from './sandbox.ts';

const spares = new Map<string, Promise<Sandbox>[]>();
const keyOf = (l: SandboxLimits) => `${l.memoryMb}:${l.loadTimeoutMs}`;

/**
 * Makes sure `count` spare children with these limits are starting or waiting (the kata app calls this after each
 * grading, with two, warmed up: a kata may grade on two children at once, and the app's spares wait for a save).
 */
export function prewarm(limits: SandboxLimits = DEFAULT_LIMITS, count = 1, opts: SpawnOptions = {}): void {
  const key = keyOf(limits);
  const waiting = spares.get(key) ?? [];
  while (waiting.length < count) waiting.push(Sandbox.spawn(limits, opts));
  spares.set(key, waiting);
}

/** A child for one file: a spare if there is a live one with these limits, else one spawned now. */
export async function takeSandbox(limits: SandboxLimits = DEFAULT_LIMITS): Promise<Sandbox> {
  const waiting = spares.get(keyOf(limits)) ?? [];
  for (let spare = waiting.shift(); spare; spare = waiting.shift()) {
    const s = await spare.catch(() => null);
    if (s && s.alive()) return s;
  }
  return Sandbox.spawn(limits);
}

/** Stops every spare (tests, and a clean exit of the kata app). */
export async function closeSpares(): Promise<void> {
  const all = [...spares.values()].flat();
  spares.clear();
  for (const s of await Promise.all(all.map((p) => p.catch(() => null)))) s?.dispose();
}
