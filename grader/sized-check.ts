// A check over inputs of many sizes whose failure means "works only up to a fixed size" when the same function is
// right on a small input, the size every probe has: a mask precomputed at 8×8 or 32×32 and sliced to T, say.
import { compareOutput, type Tolerance } from './compare.ts';
import { type CaseIO, type Check, callFn } from './suite.ts';

/** What the small input is: the function, one case of the probes' size, and the tolerance it is compared with. */
export interface SmallCase {
  fn: string;
  io: CaseIO;
  tol: Tolerance;
}

/** `check`, naming `mistake` when it fails with no catalogued name while the function is right on `small`. */
export function sizedCheck(check: Check, small: SmallCase, mistake: string): Check {
  return {
    ...check,
    async run(ctx) {
      const out = await check.run(ctx);
      if (out.status !== 'fail' || (out.mistake !== null && out.mistake.includes('/'))) return out;
      const r = await callFn(ctx, { op: 'call', fn: small.fn, args: small.io.args });
      if (!r.ok || !compareOutput(r.value, small.io.expected(), small.tol).ok) return out;
      return { ...out, mistake };
    },
  };
}
