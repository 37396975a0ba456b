// Which catalogued sampling mistake a generate's counts show: the listed distribution that explains every test and
// is likeliest, else a temperature applied with a fitted wrong power.
import { fitKnob } from '../../knob-fit.ts';
import { gTest, gTestExact, logLikelihood } from '../../stats.ts';
import { type SamplingCase, powerHypothesis } from './sampling-case.ts';

/**
 * The exact G-test's p-value where the χ² approximation puts it near the tests' levels (1e-12 to 1e-2), the
 * approximation elsewhere: far below every level, where the exact sum would take up to a second and change no
 * verdict (with every expected count at least 0.16, the approximation is not off by the 10⁵ that would take).
 */
export function samplingPValue(counts: number[], probs: number[]): number {
  const approx = gTest(counts, probs).p;
  return approx < 1e-2 && approx > 1e-12 ? (gTestExact(counts, probs) ?? approx) : approx;
}

/**
 * The mistake named for counts [run][row][token] (the sampling temperatures' runs, then the default run where it is
 * well formed), each test at `level`; null when nothing catalogued explains them. `note` gives a fitted power of T.
 */
export function nameSamplingMistake(c: SamplingCase, runs: number[][][], level: number): { id: string | null; note: string } {
  const explains = (dist: number[][][]) => runs.every((byRow, t) => byRow.every((cnt, b) => samplingPValue(cnt, dist[t]![b]!) >= level));
  const ll = (dist: number[][][]) => runs.reduce((s, byRow, t) => s + byRow.reduce((s2, cnt, b) => s2 + logLikelihood(cnt, dist[t]![b]!), 0), 0);
  // The likeliest listed hypothesis that explains the counts; the p-values (some exact, the slow part) are computed
  // likeliest first, so usually for one. The unlisted powers of T (h.excess) only make the case catch them; they
  // are named by the fit below.
  const listed = c.hypotheses.slice(1).filter((h) => h.excess === undefined).map((h) => ({ id: h.id, dist: h.dist, ll: ll(h.dist) }));
  const best = listed.sort((a, b) => b.ll - a.ll).find((h) => explains(h.dist))?.id ?? null;
  // Temperature applied with the wrong power, logits / T^a: fit a, and name it when nothing listed fits better.
  if (best === null || best === 'gpt/generate-temperature') {
    const fit = fitKnob((a) => -ll(powerHypothesis(c, a)), -4, 5, false);
    if (Math.abs(fit.x - 1) > 0.1 && explains(powerHypothesis(c, fit.x))) {
      return { id: 'gpt/generate-temperature', note: `\nyour samples follow softmax(logits / T^${fit.x.toFixed(1)}); divide the logits by T itself, once` };
    }
  }
  return { id: best, note: '' };
}
