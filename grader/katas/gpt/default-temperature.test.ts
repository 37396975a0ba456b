// The default-temperature check's power and false-failure rate: wrong defaults (0, 0.1, 10, −1) are caught, T = 1 passes.
import { describe, expect, it } from 'vitest';
import { nd, softmax } from '../../ndarray.ts';
import { gptForward } from './oracle.ts';
import { params64 } from './params.ts';
import { MIN_MARGIN, MIN_PROB, WRONG_DEFAULTS, defaultTemperatureCase } from './default-temperature-case.ts';
import { rng } from '../../random-cases.ts';
import { chiSquareCritical, chiSquareSurvival, gTest, gTestMargin } from '../../stats.ts';

const P_FAIL = 1e-6;

/** n seeded draws from probs, as counts. */
function draw(probs: number[], n: number, seed: number): number[] {
  const r = rng(seed);
  const counts = probs.map(() => 0);
  for (let k = 0; k < n; k++) {
    let u = r();
    let i = 0;
    while (i < probs.length - 1 && u >= probs[i]!) u -= probs[i++]!;
    counts[i]!++;
  }
  return counts;
}

/** What a generate with default t samples from: softmax(last / t), argmax at 0. */
function sampledAt(last: number[], t: number): number[] {
  if (t === 0) return last.map((l) => (l === Math.max(...last) ? 1 : 0));
  return [...softmax(nd([last.length], last.map((l) => l / t))).data];
}

describe('generate default-temperature check', () => {
  it('the critical value is the χ² quantile at p = 1e-6', () => {
    const c = chiSquareCritical(P_FAIL, 3);
    expect(chiSquareSurvival(c, 3)).toBeCloseTo(P_FAIL, 12);
    expect(c).toBeCloseTo(30.66, 1);
  });

  it('the margin is infinite for a one-hot sampler past the critical value, and zero for the right one', () => {
    expect(gTestMargin([1, 0, 0], [0.5, 0.3, 0.2], 400, 30)).toBe(Infinity);
    expect(gTestMargin([0.5, 0.3, 0.2], [0.5, 0.3, 0.2], 400, 30)).toBe(-Infinity);
  });

  for (const seed of [20260529 + 60, 1, 7, 99]) {
    it(`seed ${seed}: the chosen model keeps every token at 2% or more, and each wrong default 6 sds past the critical value`, () => {
      const c = defaultTemperatureCase(seed);
      expect(MIN_PROB).toBe(0.02);
      expect(MIN_MARGIN).toBe(6);
      expect(Math.min(...c.right)).toBeGreaterThanOrEqual(0.02);
      expect(c.n).toBeLessThanOrEqual(400);
      expect(c.margins).toHaveLength(WRONG_DEFAULTS.length);
      for (const m of c.margins) expect(m).toBeGreaterThanOrEqual(6);
    });
  }

  it('on the grader’s model, 300 seeded runs of each wrong default are all rejected and 300 right ones all pass', () => {
    const c = defaultTemperatureCase(20260529 + 60);
    const V = c.i.cfg.vocabSize;
    const logits = gptForward([c.prompt], params64(c.i), c.i.cfg)!;
    const last = Array.from(logits.data.subarray((c.prompt.length - 1) * V, c.prompt.length * V));
    for (const [w, t] of WRONG_DEFAULTS.entries()) {
      const q = sampledAt(last, t);
      const passed = Array.from({ length: 300 }, (_, k) => gTest(draw(q, c.n, 1000 * w + k), c.right).p >= P_FAIL).filter(Boolean);
      expect(passed, `default ${t}`).toHaveLength(0);
    }
    const failed = Array.from({ length: 300 }, (_, k) => gTest(draw(c.right, c.n, 50_000 + k), c.right).p < P_FAIL).filter(Boolean);
    expect(failed).toHaveLength(0);
  });
});
