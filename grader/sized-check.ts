// A check over inputs of many sizes whose failure means "works only up to a fixed size" when the same function is
// right on every small input, whatever else varies: a mask precomputed at 8×8 or 32×32 and sliced to T, say. It
// also tries one input longer than the lecture's largest context (256), which random cases rarely reach.
import { compareOutput, type Tolerance, type Verdict } from './compare.ts';
import { type CaseIO, type Check, type CheckContext, callFn, fail } from './suite.ts';

/** The lecture's largest context (block_size = 256): a mask precomputed at it is the likeliest fixed size. */
export const LONGEST_CONTEXT = 256;

/** The sizes a fixed-size mistake is told apart with. */
export interface Sizes {
  fn: string;
  /** Small inputs (T ≤ 4, the probes' size) varying in every other dimension the check's cases vary in. */
  small: (seed: number) => CaseIO[];
  /** One input longer than LONGEST_CONTEXT, tried when the check passes. */
  large: CaseIO;
  tol: Tolerance;
}

async function rightOn(ctx: CheckContext, fn: string, io: CaseIO, tol: Tolerance): Promise<Verdict> {
  const r = await callFn(ctx, { op: 'call', fn, args: io.args });
  return r.ok ? compareOutput(r.value, io.expected(), tol) : r.verdict;
}

/**
 * `check`, naming `mistake` when it fails with no catalogued name while the function is right on every small input
 * (a failure that small inputs show too is some other mistake); when it passes, the large input must be right too.
 */
export function sizedCheck(check: Check, sizes: Sizes, mistake: string): Check {
  return {
    ...check,
    async run(ctx) {
      const out = await check.run(ctx);
      if (out.status === 'pass') {
        const large = await rightOn(ctx, sizes.fn, sizes.large, sizes.tol);
        if (large.ok) return out;
        return fail(`right on the random cases, wrong on a longer input:\n${sizes.large.describe()}\n${large.message}`, mistake);
      }
      if (out.status !== 'fail' || (out.mistake !== null && out.mistake.includes('/'))) return out;
      for (const io of sizes.small(ctx.seed)) if (!(await rightOn(ctx, sizes.fn, io, sizes.tol)).ok) return out;
      return { ...out, mistake };
    },
  };
}
