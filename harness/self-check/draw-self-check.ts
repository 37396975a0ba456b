// Session A's self-check, drawn afresh from a seed: shapes, parameter counts, the √dₖ variance and the three design questions.
import { mixSeed, mulberry32 } from '../../grader/seeded-random.ts';
import { choiceQuestions } from './choice-questions.ts';
import { drawGptConfig, paramQuestions, type ParamCensus } from './param-questions.ts';
import type { Question } from './question.ts';
import { drawDims, shapeQuestions } from './shape-questions.ts';
import { varianceQuestion } from './variance-question.ts';

/** The page gives the self-check 30 minutes. */
export const SELF_CHECK_MINUTES = 30;
export const SELF_CHECK_TITLE = 'Session A self-check';

/** A six-digit seed from the clock: short enough to type back (npm run kata -- --seed N replays the same questions). */
export function seedFromTime(now: number): number {
  return mixSeed(Math.floor(now)) % 1_000_000;
}

/** The command that asks a sitting's questions again: the score screen and WEEK.md print it. */
export function replayCommand(seed: number): string {
  return `npm run kata -- --seed ${seed}`;
}

export function drawSelfCheck(seed: number, census: ParamCensus): Question[] {
  const stream = (salt: number) => mulberry32(mixSeed(seed, salt));
  return [
    ...shapeQuestions(drawDims(stream(1))),
    ...paramQuestions(drawGptConfig(stream(2)), census),
    varianceQuestion(stream(3)),
    ...choiceQuestions(stream(4)),
  ];
}
