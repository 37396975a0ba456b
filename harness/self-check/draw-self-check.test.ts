// The drawn self-check: fresh per seed, the same for the same seed, every right answer accepted and a wrong one explained.
import { describe, expect, it } from 'vitest';
import { checkAnswer, rightAnswer } from './check-answer.ts';
import { drawSelfCheck, seedFromTime } from './draw-self-check.ts';
import { gptParamCensus } from './gpt-param-census.ts';
import { typedRightAnswer as typedRight, typedWrongAnswer as typedWrong } from './test-support/typed-answers.ts';

describe('the Session A self-check', () => {
  const questions = drawSelfCheck(123456, gptParamCensus);

  it('asks every tensor on the page\'s list, the parameter counts, the √dₖ variance and the three design questions', () => {
    expect(questions.map((q) => q.id)).toEqual([
      'shape/input', 'shape/qkv', 'shape/q', 'shape/heads', 'shape/scores', 'shape/weights', 'shape/out', 'shape/concat', 'shape/proj',
      'params/attention', 'params/block', 'params/gpt',
      'sqrt-dk/variance',
      'why/causal-mask', 'why/heads', 'why/wo',
    ]);
    const masking = questions.find((q) => q.id === 'why/causal-mask')!;
    expect(masking.explanation).toContain('npm run experiments -- --pitfalls');
  });

  it('accepts every right answer and explains every wrong one', () => {
    for (const q of questions) {
      expect(checkAnswer(q, typedRight(q)).kind, q.id).toBe('right');
      const wrong = checkAnswer(q, typedWrong(q));
      expect(wrong.kind, q.id).toBe('wrong');
      if (wrong.kind === 'wrong') expect(wrong.why.length, q.id).toBeGreaterThan(40);
    }
  });

  it('asks again, without counting it, when the text is not an answer at all', () => {
    for (const q of questions) expect(checkAnswer(q, 'no idea').kind, q.id).toBe('unreadable');
  });

  it('draws fresh questions for another seed and the same ones for the same seed', () => {
    const again = drawSelfCheck(123456, gptParamCensus);
    expect(again.map(rightAnswer)).toEqual(questions.map(rightAnswer));
    const seeds = [1, 2, 3, 4, 5].map((s) => drawSelfCheck(s, gptParamCensus).map(rightAnswer).join('|'));
    expect(new Set(seeds).size).toBe(5);
    expect(seedFromTime(Date.UTC(2026, 0, 1))).not.toBe(seedFromTime(Date.UTC(2026, 0, 1, 0, 0, 1)));
    expect(seedFromTime(Date.now())).toBeLessThan(1_000_000);
  });

  it('draws shapes whose sizes all differ, so a swapped axis is never accepted', () => {
    for (let seed = 0; seed < 50; seed++) {
      const heads = drawSelfCheck(seed, gptParamCensus).find((q) => q.id === 'shape/heads')!;
      if (heads.kind !== 'shape') throw new Error('shape/heads is a shape question');
      expect(new Set(heads.answer).size).toBe(4);
    }
  });
});
