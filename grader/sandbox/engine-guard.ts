// Locks the parts of tfjs that the grader's measurements rely on, before the learner's bundle loads: every method of
// the engine (profile, memory, runKernel, …) becomes a read-only property of the engine itself whose setter only
// records the attempt, the engine's prototype and the built-in prototypes that profiling uses are frozen, so that
// kernel counts and tensor counts come from tfjs's own code. The child asks after every call whether anything tried.
import type * as tf from '@tensorflow/tfjs';

export interface EngineGuard {
  /** A sentence naming the first part of tfjs the learner's code replaced, or null. */
  tampered(): string | null;
}

export function guardEngine(engine: ReturnType<typeof tf.engine>): EngineGuard {
  const attempts: string[] = [];
  const proto = Object.getPrototypeOf(engine) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (name === 'constructor' || !d || typeof d.value !== 'function') continue;
    const original = d.value as unknown;
    Object.defineProperty(engine, name, {
      get: () => original,
      set: () => {
        attempts.push(`engine.${name}`);
      },
      enumerable: false,
      configurable: false,
    });
  }
  Object.freeze(proto);
  // profile() records kernels with Array.prototype.push and settles through promises; the child reads them with map
  for (const p of [Array.prototype, Promise.prototype, Function.prototype]) Object.freeze(p);
  Object.freeze(Promise);
  return {
    tampered: () => (attempts.length ? `your code replaced tfjs's ${attempts[0]} (the grader measures with it, so the kata stops here)` : null),
  };
}
