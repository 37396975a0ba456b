// One of our own TypeScript entry points as a plain .mjs that child processes start with plain `node` (no loader),
// compiled once into the project cache and reused while its sources are unchanged (compile-cache.mjs).
import { compiledScript } from './compile-cache.mjs';

const built = new Map<string, Promise<string>>();

export function ownScript(entry: string): Promise<string> {
  let p = built.get(entry);
  if (!p) {
    p = compiledScript(entry);
    built.set(entry, p);
  }
  return p;
}
