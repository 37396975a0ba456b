// A check over inputs of many sizes whose failure means "works only up to a fixed size" when the same function is
// right on every small input, whatever else varies: a mask precomputed at 8×8 or 32×32 and sliced to T, say. It
// also tries one input longer than the lecture's largest context (256), which random cases rarely reach.
import type { NDArray } from './ndarray.ts';
import type { Tolerance, Verdict } from './compare.ts';
import { type CaseIO, type Check, type CheckContext, callAndCompare, fail } from './suite.ts';

/** The lecture's largest context (block_size = 256): a mask precomputed at it is the likeliest fixed size. */
export const LONGEST_CONTEXT = 256;

/** The sizes a fixed-size mistake is told apart with. */
export interface Sizes {
  fn: string;
  /** Small inputs (T ≤ 4, the probes' size) varying in every other dimension the check's cases vary in. */
  small: (seed: number) => CaseIO[];
  /**
   * One long input, tried when the check passes: past LONGEST_CONTEXT (T = 257 is enough), or, where the contract
   * hands the function its context size (gpt's cfg.blockSize), past the lecture's smaller sizes (8, 32, 64).
   */
  large: CaseIO;
  tol: Tolerance;
}

const rightOn = (ctx: CheckContext, fn: string, io: CaseIO, tol: Tolerance): Promise<Verdict> => callAndCompare(ctx, fn, io.args, io.expected, tol);

/** `io` with its expected output computed once (a suite's prepare computes the large input's ahead). */
export function memoCase(io: CaseIO): CaseIO {
  let want: NDArray | undefined;
  return { ...io, expected: () => (want ??= io.expected()) };
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
