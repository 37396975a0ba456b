// The sampling check names each catalogued sampling mistake from its counts, in repeated simulated gradings, with the
// rows of a call drawn as tfjs's cpu multinomial draws them (one uniform for every row) and drawn apart.
import { describe, expect, it } from 'vitest';
import { rng } from '../../random-cases.ts';
import { defaultTemperatureCase } from './default-temperature-case.ts';
import { P_FAIL, SAMPLING_TEMPERATURES, type SamplingCase, samplingCase } from './sampling-case.ts';
import { nameSamplingMistake, samplingPValue } from './sampling-naming.ts';

const SEED = 20260529;
/** Simulated gradings per mistake and coupling. */
const GRADINGS = 30;

/** The token whose CDF interval holds u, as tfjs's cpu kernel finds it (the last token when none does). */
function inverseCdf(probs: number[], u: number): number {
  let c = 0;
  for (let k = 0; k < probs.length - 1; k++) {
    c += probs[k]!;
    if (u < c) return k;
  }
  return probs.length - 1;
}

/** Counts [run][row][token] for one grading of a generate that samples from `dist` [run][row]. */
function simulate(c: SamplingCase, dist: number[][][], dfltCalls: number, oneUniform: boolean, r: () => number): number[][][] {
  const calls = [...c.calls, dfltCalls];
  return dist.map((rows, run) => {
    const counts = rows.map((p) => p.map(() => 0));
    for (let n = 0; n < calls[run]!; n++) {
      const shared = r();
      for (const [b, p] of rows.entries()) counts[b]![inverseCdf(p, oneUniform ? shared : r())]!++;
    }
    return counts;
  });
}

describe('naming a sampling mistake from its counts', () => {
  const dflt = defaultTemperatureCase(SEED + 60);
  const c = samplingCase(SEED + 50, dflt);
  const level = P_FAIL / (c.prompts.length * SAMPLING_TEMPERATURES.length);
  // every listed mistake, and the unlisted logits / √T, which the fitted power names (logits / T^1.5 may be named
  // "applied twice" as well, so it is left out)
  const sqrtT = c.hypotheses.find((h) => h.excess !== undefined)!;
  const cases = [...c.hypotheses.slice(1).filter((h) => h.excess === undefined), sqrtT];
  for (const [k, h] of cases.entries()) {
    const label = `${h.id} (${h === sqrtT ? 'logits / √T' : `listed hypothesis ${k + 1}`})`;
    for (const oneUniform of [true, false]) {
      it(`names ${label} in ${GRADINGS} gradings, rows drawn ${oneUniform ? 'from one uniform' : 'apart'}`, () => {
        const r = rng(SEED + k * 2 + (oneUniform ? 1 : 0));
        const names: (string | null)[] = [];
        for (let g = 0; g < GRADINGS; g++) {
          const runs = simulate(c, h.dist, dflt.n, oneUniform, r);
          const right = c.hypotheses[0]!.dist;
          const caught = runs.slice(0, SAMPLING_TEMPERATURES.length).some((byRow, t) => byRow.some((cnt, b) => samplingPValue(cnt, right[t]![b]!) < level));
          names.push(caught ? nameSamplingMistake(c, runs, level).id : 'passed');
        }
        expect(names.filter((n) => n !== h.id)).toEqual([]);
      }, 120_000);
    }
  }
});
