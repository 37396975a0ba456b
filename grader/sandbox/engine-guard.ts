// Locks the parts of tfjs that the grader's measurements rely on, before the learner's bundle loads: every method of
// the engine (runKernel, memory, …) becomes a read-only property of the engine itself whose setter only records the
// attempt, and the engine's prototype is frozen. Every kernel the engine runs is counted by name on the way, in an
// object with no prototype, so that kernel counts come from tfjs's own dispatch and from nothing learner code can
// patch (Array.prototype stays writable: freezing it made every tfjs call in the child about a third slower).
// The child asks after every call whether anything tried.
import type * as tf from '@tensorflow/tfjs';

export interface EngineGuard {
  /** A sentence naming the first part of tfjs the learner's code replaced, or null. */
  tampered(): string | null;
  /** How many times each kernel has run through the engine since the guard was set, by kernel name. */
  kernelCounts(): Record<string, number>;
}

// Captured when this module is evaluated (before any learner code), so that replacing them later changes nothing here.
const apply = Reflect.apply;
const create = Object.create;
const defineProperty = Object.defineProperty;
const freeze = Object.freeze;

export function guardEngine(engine: ReturnType<typeof tf.engine>): EngineGuard {
  let attempts = 0;
  let first = '';
  const counts = create(null) as Record<string, number>;
  const proto = Object.getPrototypeOf(engine) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    if (name === 'constructor' || !d || typeof d.value !== 'function') continue;
    const original = d.value as (...args: unknown[]) => unknown;
    // every kernel, from tf.* ops, gradients and custom ops alike, reaches the backend through runKernelFunc
    const value =
      name === 'runKernelFunc'
        ? function (this: unknown, params: { kernelName?: unknown }) {
            const kernel = params.kernelName;
            if (typeof kernel === 'string') counts[kernel] = (counts[kernel] ?? 0) + 1;
            return apply(original, this, [params]);
          }
        : original;
    defineProperty(engine, name, {
      get: () => value,
      set: () => {
        if (attempts++ === 0) first = `engine.${name}`;
      },
      enumerable: false,
      configurable: false,
    });
  }
  freeze(proto);
  // the child's own promises and bound functions
  for (const p of [Promise.prototype, Function.prototype]) freeze(p);
  freeze(Promise);
  return {
    tampered: () => (attempts > 0 ? `your code replaced tfjs's ${first} (the grader measures with it, so the kata stops here)` : null),
    kernelCounts: () => {
      const copy = create(null) as Record<string, number>;
      for (const k in counts) copy[k] = counts[k]!;
      return copy;
    },
  };
}
