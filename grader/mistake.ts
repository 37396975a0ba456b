// What a catalogued mistake is: an id, the sentence a learner reads, the hint tier that explains it, and
// (when output comparison can recognise it) the oracle knobs that reproduce it, listed or fitted.
import type { Wire } from './sandbox/protocol.ts';

/** A mistake with a continuous knob (a scale factor, an ε, a power): the knob is fitted to the learner's outputs. */
export interface KnobFit<Knobs> {
  /** The oracle knobs for knob value x. */
  knobs(x: number): Knobs;
  /** Where x is searched (log-spaced when `log`, so lo must be positive). */
  lo: number;
  hi: number;
  log: boolean;
  /** One x per probe (a knob that depends on the probe's shapes, like a divisor against √dk) or one for all. */
  perProbe: boolean;
  /** The sentence for the learner, from each probe's fitted x and that probe's arguments. */
  describe(fits: { x: number; args: Wire[] }[]): string;
}

export interface Mistake<Knobs = unknown> {
  /** "<kata>/<id>", or a generic id such as "shape". */
  id: string;
  /** One line: what the code does wrong and why it matters. */
  explanation: string;
  /** Which hint in katas/<kata>/README.md explains it (0 for generic mistakes). */
  hintTier: 0 | 1 | 2 | 3;
  /** Oracle knob settings that reproduce the mistake; the learner's output matching any of them names it. */
  variants?: Knobs[];
  /**
   * A continuous knob fitted to the probes: named when some value reproduces every probe of the wrong function. Several
   * fits are tried in turn where the knob can sit in different places (ε in every LayerNorm, or in the last alone).
   */
  fit?: KnobFit<Knobs> | KnobFit<Knobs>[];
  /** An error message that only this mistake produces (e.g. tfjs refusing a softmax over a non-last axis). */
  errorPattern?: RegExp;
  /**
   * A sign in the learner's source that must also be present, for a mistake whose outputs are those of another one
   * (a mask computed and thrown away looks, from outside, like a mask never applied). Catalogued before that one.
   */
  sourceSign?: (source: string) => boolean;
}
