// The self-check inside the app's state machine, with a fake clock: drawing, typing, unreadable input, leaving, the 30-minute clock.
import { describe, expect, it } from 'vitest';
import { drawSelfCheck } from '../self-check/draw-self-check.ts';
import { gptParamCensus } from '../self-check/gpt-param-census.ts';
import { typedRightAnswer } from '../self-check/test-support/typed-answers.ts';
import { initState, reduce, type AppEvent, type KeyInfo, type Setup, type State } from './app-state.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const SEED = 2024;
const setup: Setup = { dir: '/tmp/kata', katas: ['attention', 'multi-head'], minutes: 60, hintTiers: {}, selfCheckSeed: SEED };
const questions = drawSelfCheck(SEED, gptParamCensus);

const key = (input: string, at: number, k: KeyInfo = {}): AppEvent => ({ type: 'key', input, key: k, at });
const enter = (at: number): AppEvent => key('', at, { return: true });
const run = (state: State, ...events: AppEvent[]) => events.reduce(reduce, state);
const drawn: AppEvent = { type: 'self-check-drawn', seed: SEED, questions };

describe('the self-check in the kata app', () => {
  it('starts from the row above the katas, draws with the replay seed and starts the measurement at once', () => {
    let s = initState(setup, [], T0);
    s = run(s, key('', T0, { upArrow: true }));
    expect(s.onSelfCheck).toBe(true);
    s = run(s, enter(T0 + 1000));
    expect(s.screen).toBe('self-check');
    expect(s.outbox.map((e) => e.type)).toEqual(['append', 'draw-self-check', 'measure-saturation']);
    expect(s.records.at(-1)).toEqual({ type: 'self-check-start', at: T0 + 1000, seed: SEED, minutes: 30 });
    // Keys before the questions arrive type nothing.
    s = run(s, key('7', T0 + 1100), drawn);
    expect(s.selfCheck?.input).toBe('');
  });

  it('types, erases, asks again without counting unreadable text, and counts right and wrong answers', () => {
    let s = run(initState(setup, [], T0), key('a', T0), drawn);
    s = run(s, key('2,', T0 + 1), key('x', T0 + 2), key('', T0 + 3, { backspace: true }), key('', T0 + 4, { delete: true }));
    expect(s.selfCheck?.input).toBe('2');
    s = run(s, key('', T0 + 5, { backspace: true }), key('no idea', T0 + 6), enter(T0 + 7));
    expect(s.selfCheck?.results).toHaveLength(0);
    expect(s.selfCheck?.notice?.kind).toBe('unreadable');
    s = run(s, key('u', T0 + 8, { ctrl: true }), ...[...'no idea'].map((_, i) => key('', T0 + 9 + i, { backspace: true })));
    expect(s.selfCheck?.input).toBe('');
    s = run(s, key(typedRightAnswer(questions[0]!), T0 + 10), enter(T0 + 11));
    expect(s.selfCheck?.index).toBe(1);
    expect(s.selfCheck?.notice?.kind).toBe('right');
    s = run(s, key('1,1,1', T0 + 12), enter(T0 + 13));
    expect(s.selfCheck?.feedback?.result.correct).toBe(false);
    expect(s.records.filter((r) => r.type === 'self-check-answer').map((r) => r.type === 'self-check-answer' && r.correct)).toEqual([true, false]);
    s = run(s, enter(T0 + 14));
    expect(s.selfCheck?.index).toBe(2);
  });

  it('scores what was answered when the learner leaves, and ends at 30 minutes on the clock', () => {
    let s = run(initState(setup, [], T0), key('a', T0), drawn, key(typedRightAnswer(questions[0]!), T0 + 1), enter(T0 + 2));
    const left = run(s, key('', T0 + 3 * MIN, { escape: true }));
    expect(left.records.at(-1)).toEqual({ type: 'self-check-end', at: T0 + 3 * MIN, seed: SEED, score: 1, total: questions.length, ms: 3 * MIN, reason: 'left' });
    expect(run(left, enter(T0 + 3 * MIN)).screen).toBe('home');

    s = run(s, { type: 'tick', at: T0 + 29 * MIN });
    expect(s.selfCheck?.endedAt).toBeNull();
    s = run(s, { type: 'tick', at: T0 + 31 * MIN });
    expect(s.records.at(-1)).toMatchObject({ type: 'self-check-end', at: T0 + 30 * MIN, score: 1, reason: 'clock-out' });
    // A measurement that arrives after the end changes nothing.
    expect(run(s, { type: 'saturation-failed', seed: SEED, message: 'late' }).selfCheck?.saturation).toEqual({ state: 'measuring' });
  });

  it('waits while a kata session is running: the two clocks never overlap', () => {
    let s = run(initState(setup, [], T0), enter(T0));
    expect(s.progress.active).not.toBeNull();
    s = run(s, key('', T0 + 1, { tab: true }), key('a', T0 + 2));
    expect(s.screen).toBe('home');
    expect(s.banner?.text).toContain('A kata session is running');
    expect(s.outbox.some((e) => e.type === 'draw-self-check')).toBe(false);
  });
});
