// The fitted-divisor sentence shared by attention and multi-head attention: which number the scores were divided
// by, per head width, against the √d they should be divided by.
import type { KnobFit } from '../../mistake.ts';
import { isWireTensor, type Wire } from '../../sandbox/protocol.ts';

const round = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '.0'));

/**
 * A KnobFit of the number the scores are divided by, fitted per probe; `width` reads that probe's head width
 * (dk, or d = C/h) from its arguments, and `name` is how the message calls it.
 */
export function divisorFit<Knobs>(knobs: (divisor: number) => Knobs, width: (args: Wire[]) => number, name: string): KnobFit<Knobs> {
  return {
    knobs,
    lo: 1e-3,
    hi: 1e3,
    log: true,
    perProbe: true,
    describe(fits) {
      const seen = new Map<number, number>();
      for (const f of fits) {
        const d = width(f.args);
        if (Math.abs(f.x / Math.sqrt(d) - 1) > 0.01 && !seen.has(d)) seen.set(d, f.x);
      }
      if (seen.size === 0) return `your scores are divided by the wrong number; they should be divided by √${name}`;
      const ds = [...seen.keys()];
      const by = ds.map((d) => `${round(seen.get(d)!)} where ${name} = ${d}`).join(' and by ');
      const should = ds.map((d) => round(Math.sqrt(d))).join(' and ');
      const half = ds.every((d) => Math.abs(seen.get(d)! / (d / 2) - 1) < 0.01);
      const hint = half ? ` (${name}/2: \`${name} ** 1/2\` is read as (${name} ** 1) / 2; write ${name} ** 0.5 or Math.sqrt(${name}))` : '';
      return `your scores are divided by ${by}; they should be divided by √${name} = ${should}${hint}`;
    },
  };
}

/** The last axis of the probe's argument `at` (a tensor), or NaN. */
export function lastAxis(args: Wire[], at: number): number {
  const t = args[at];
  return isWireTensor(t) ? t.shape[t.shape.length - 1]! : NaN;
}
