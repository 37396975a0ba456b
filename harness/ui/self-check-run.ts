// One sitting of the Session A self-check as pure transitions: drawing, typing, answering, explanations, the clock and the score.
// The kata app's reducer (app-state.ts) calls these and appends the history records they return.
import { checkAnswer } from '../self-check/check-answer.ts';
import type { Question } from '../self-check/question.ts';
import type { SaturationReport } from '../self-check/saturation.ts';
import type { HistoryRecord, SelfCheckEndReason } from './history.ts';

interface SelfCheckResult {
  question: Question;
  shown: string;
  correct: boolean;
}

/** What the screen shows after an answer until the learner moves on: every wrong answer, and the √dₖ question always. */
interface Feedback {
  result: SelfCheckResult;
  why: string;
}

type SaturationState = { state: 'measuring' } | { state: 'done'; report: SaturationReport } | { state: 'failed'; message: string };

export interface SelfCheckRun {
  seed: number;
  startedAt: number;
  minutes: number;
  /** Null while they are being drawn. */
  questions: readonly Question[] | null;
  /** Why the questions could not be drawn. */
  failure: string | null;
  index: number;
  input: string;
  results: SelfCheckResult[];
  feedback: Feedback | null;
  /** A one-line note above the answer: the last right answer, or how to type an answer that was not readable. */
  notice: { text: string; kind: 'right' | 'unreadable' } | null;
  saturation: SaturationState;
  endedAt: number | null;
  endReason: SelfCheckEndReason | null;
}

export interface Step {
  run: SelfCheckRun;
  records: HistoryRecord[];
}

/** The question whose answer is followed by the saturation measurement. */
export const MEASURED_QUESTION = 'sqrt-dk/variance';

export function startRun(seed: number, minutes: number, at: number): Step {
  const run: SelfCheckRun = {
    seed,
    startedAt: at,
    minutes,
    questions: null,
    failure: null,
    index: 0,
    input: '',
    results: [],
    feedback: null,
    notice: null,
    saturation: { state: 'measuring' },
    endedAt: null,
    endReason: null,
  };
  return { run, records: [{ type: 'self-check-start', at, seed, minutes }] };
}

export function runDeadline(run: SelfCheckRun): number {
  return run.startedAt + run.minutes * 60_000;
}

export function score(run: SelfCheckRun): number {
  return run.results.filter((r) => r.correct).length;
}

export function finish(run: SelfCheckRun, reason: SelfCheckEndReason, at: number): Step {
  if (run.endedAt !== null) return { run, records: [] };
  const ended: SelfCheckRun = { ...run, endedAt: at, endReason: reason, feedback: null, notice: null, input: '' };
  if (!run.questions) return { run: ended, records: [] }; // nothing was asked: nothing to score
  const record: HistoryRecord = { type: 'self-check-end', at, seed: run.seed, score: score(run), total: run.questions.length, ms: at - run.startedAt, reason };
  return { run: ended, records: [record] };
}

function advance(run: SelfCheckRun, at: number): Step {
  const next = { ...run, index: run.index + 1, input: '', feedback: null };
  return next.index >= (run.questions?.length ?? 0) ? finish(next, 'finished', at) : { run: next, records: [] };
}

/** Enter: checks the typed answer, or moves on from an explanation. */
export function submit(run: SelfCheckRun, at: number): Step {
  if (run.feedback) return advance(run, at);
  const q = run.questions?.[run.index];
  if (!q || run.endedAt !== null) return { run, records: [] };
  const verdict = checkAnswer(q, run.input);
  if (verdict.kind === 'unreadable') return { run: { ...run, notice: { text: verdict.message, kind: 'unreadable' } }, records: [] };
  const result: SelfCheckResult = { question: q, shown: verdict.shown, correct: verdict.kind === 'right' };
  const record: HistoryRecord = { type: 'self-check-answer', at, seed: run.seed, question: q.id, given: run.input.trim(), correct: result.correct };
  const answered: SelfCheckRun = { ...run, results: [...run.results, result], notice: null };
  if (verdict.kind === 'wrong' || q.id === MEASURED_QUESTION) {
    const why = verdict.kind === 'wrong' ? verdict.why : q.explanation;
    return { run: { ...answered, feedback: { result, why } }, records: [record] };
  }
  const step = advance({ ...answered, notice: { text: `✓ ${verdict.shown} is right.`, kind: 'right' } }, at);
  return { run: step.run, records: [record, ...step.records] };
}

/** Typed characters: what is printable goes into the answer; Backspace removes the last one. */
export function typed(run: SelfCheckRun, input: string, erase: boolean): SelfCheckRun {
  if (run.feedback || run.endedAt !== null || !run.questions) return run;
  if (erase) return { ...run, input: [...run.input].slice(0, -1).join('') };
  const printable = [...input].filter((c) => c >= ' ' && c !== '\x7f').join('');
  return printable && run.input.length < 200 ? { ...run, input: run.input + printable } : run;
}
