// Checks for kata 3, the causal mask: bandPart rule, the exact tril pattern, and maskFuture on any rank.
import fc from 'fast-check';
import { type CausalMaskKnobs, causalMask, maskFuture } from './oracle.ts';
import { causalMaskMistakes } from './mistakes.ts';
import { checkShape, type Tolerance } from '../../compare.ts';
import { exportsCheck } from '../../common-checks.ts';
import { fmtInputs } from '../../format.ts';
import { randn, rng } from '../../random-cases.ts';
import { memberUses } from '../../static-rules.ts';
import { type CaseIO, type Check, type KataSuite, type Probe, callFn, equivalenceCheck, fail, nameMistake, pass } from '../../suite.ts';
import { LONGEST_CONTEXT, memoCase, sizedCheck } from '../../sized-check.ts';

/** Kept entries must come back bit-for-bit; masked ones may be any stand-in at or below -1e4. */
const EXACT: Tolerance = { atol: 0, rtol: 0, negInfBelow: -1e4 };

const maskIO = (T: number): CaseIO => ({ args: [T], expected: () => causalMask(T), describe: () => `  T = ${T}` });

interface ScoresCase {
  lead: number[];
  T: number;
  seed: number;
}
/** Any square T is the contract: small T with up to three leading axes, and T up to 80 with at most one. */
const LARGEST_T = 80;
const scoresArb: fc.Arbitrary<ScoresCase> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      lead: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 }),
      T: fc.integer({ min: 1, max: 6 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      lead: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 0, maxLength: 1 }),
      T: fc.integer({ min: 7, max: LARGEST_T }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    }),
  },
);
/** causalMask's sizes: every T from 1 to 9, and the sizes around powers of two a fixed-size mask would stop at. */
const maskSizes = fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 9 }) }, { weight: 1, arbitrary: fc.constantFrom(16, 17, 32, 33, 64, 65, LARGEST_T) });
const scoresIO = (c: ScoresCase): CaseIO => {
  const s = randn(rng(c.seed), [...c.lead, c.T, c.T], 3);
  return { args: [s.wire], expected: () => maskFuture(s.nd)!, describe: () => fmtInputs({ scores: s.nd }) };
};

/** The probes' size, for telling a fixed-size mask apart: scores [2, 4, 4]. */
const smallScores: CaseIO = (() => {
  const s = randn(rng(2), [2, 4, 4], 3);
  return { args: [s.wire], expected: () => maskFuture(s.nd)!, describe: () => fmtInputs({ scores: s.nd }) };
})();

const usesBandPart: Check = {
  name: 'rule: uses tf.linalg.bandPart',
  async run(ctx) {
    const uses = memberUses(ctx.source, 'bandPart');
    return uses.length ? pass(`line ${uses[0]!.line}`) : fail('tf.linalg.bandPart (tfjs’s tril) appears nowhere in the code', 'causal-mask/no-tril');
  },
};

function shapeCheck(name: string, fn: string, args: CaseIO['args'], want: number[], what: string): Check {
  return {
    name,
    async run(ctx) {
      const r = await callFn(ctx, { op: 'call', fn, args });
      if (!r.ok) return fail(r.verdict.message, await nameMistake(ctx, r.verdict));
      const v = checkShape(r.value, want, 'float32');
      return v.ok ? pass(what) : fail(`${what}: ${v.message}`, 'shape');
    },
  };
}

const maskShape = shapeCheck('causalMask: shape and dtype', 'causalMask', [4], [4, 4], 'causalMask(4) -> float32 [4, 4]');
const futureShape = shapeCheck('maskFuture: shape and dtype', 'maskFuture', [randn(rng(1), [2, 3, 3]).wire], [2, 3, 3], 'maskFuture([2, 3, 3]) -> float32 [2, 3, 3]');

/** Past a mask precomputed at the lecture's largest block_size; computed when the kata opens. */
const LARGE_MASK = memoCase(maskIO(LONGEST_CONTEXT + 1));
const LARGE_SCORES = memoCase(scoresIO({ lead: [1], T: LONGEST_CONTEXT + 1, seed: 3 }));

export const causalMaskSuite: KataSuite = {
  mistakes: causalMaskMistakes,
  prepare: () => {
    LARGE_MASK.expected();
    LARGE_SCORES.expected();
  },
  checks: [
    exportsCheck(['causalMask', 'maskFuture']),
    usesBandPart,
    maskShape,
    sizedCheck(
      {
        ...equivalenceCheck({ fn: 'causalMask', needs: [maskShape.name], arb: maskSizes, numRuns: 16, io: maskIO, tol: EXACT }),
        name: `causalMask(T) is tril(ones(T, T)) for T = 1..9 and up to ${LARGEST_T}`,
      },
      { fn: 'causalMask', small: () => [1, 2, 3, 4].map(maskIO), large: LARGE_MASK, tol: EXACT },
      'causal-mask/fixed-size',
    ),
    futureShape,
    sizedCheck(
      {
        ...equivalenceCheck({ fn: 'maskFuture', needs: [futureShape.name], arb: scoresArb, numRuns: 48, io: scoresIO, tol: EXACT }),
        name: `maskFuture: future entries ≤ −1e4, all others unchanged, T up to ${LARGEST_T} (fast-check)`,
      },
      { fn: 'maskFuture', small: (seed) => [smallScores, ...fc.sample(scoresArb.map((c) => ({ ...c, T: Math.min(c.T, 4) })), { seed, numRuns: 8 }).map(scoresIO)], large: LARGE_SCORES, tol: EXACT },
      'causal-mask/fixed-size',
    ),
  ],
  probes(seed): Probe[] {
    const masks = [1, 2, 3, 5].map((T) => ({ fn: 'causalMask', args: [T], oracle: (k: unknown) => causalMask(T, k as CausalMaskKnobs), tol: EXACT }));
    const scores = [[2, 4, 4], [3, 3], [1, 2, 5, 5]].map((shape, i) => {
      const s = randn(rng(seed + i), shape, 3);
      return { fn: 'maskFuture', args: [s.wire], oracle: (k: unknown) => maskFuture(s.nd, k as CausalMaskKnobs), tol: EXACT };
    });
    return [...masks, ...scores];
  },
};
