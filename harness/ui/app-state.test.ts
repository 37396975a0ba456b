// The app's state machine, driven event by event with a fake clock: splits, clock-out, resume, hints, references, queueing.
import { describe, expect, it } from 'vitest';
import type { KataId } from '../../grader/report.ts';
import { initState, reduce, referenceAllowed, type AppEvent, type KeyInfo, type Setup, type State } from './app-state.ts';
import type { HistoryRecord } from './history.ts';
import { failingReport, passingReport } from './test-support/test-reports.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const setup: Setup = { dir: '/tmp/kata', katas: ['attention', 'multi-head', 'causal-mask', 'block', 'gpt'], minutes: 60, hintTiers: { attention: [1, 2, 3] } };

const key = (input: string, at: number, k: KeyInfo = {}): AppEvent => ({ type: 'key', input, key: k, at });
const enter = (at: number): AppEvent => key('', at, { return: true });

function run(state: State, ...events: AppEvent[]): State {
  return events.reduce(reduce, state);
}
function ready(kata: KataId, at: number): AppEvent {
  return { type: 'file-ready', kata, file: `/tmp/kata/${kata}.ts`, archivedTo: null, signature: 'sig', at };
}
function graded(kata: KataId, passed: boolean, savedAt: number, at = savedAt + 1000): AppEvent {
  const report = passed ? passingReport(kata, `/tmp/kata/${kata}.ts`) : failingReport(kata, `/tmp/kata/${kata}.ts`);
  return { type: 'graded', kata, report, savedAt, at };
}
const effects = (s: State) => s.outbox.map((e) => e.type);
const records = (s: State, type: HistoryRecord['type']) => s.records.filter((r) => r.type === type);

describe('kata app state', () => {
  it('starts the clock on Enter, creates the file, and records a pass with its split and time on the kata', () => {
    let s = initState(setup, [], T0);
    expect(s.screen).toBe('home');
    s = run(s, enter(T0 + 5000));
    expect(s.screen).toBe('kata');
    expect(s.current).toBe('attention');
    expect(effects(s)).toContain('create-file');
    s = run(s, ready('attention', T0 + 5010), { type: 'file-changed', kata: 'attention', at: T0 + 3 * MIN });
    expect(s.grading).toEqual({ kata: 'attention', savedAt: T0 + 3 * MIN });
    s = run(s, graded('attention', false, T0 + 3 * MIN), { type: 'file-changed', kata: 'attention', at: T0 + 8 * MIN }, graded('attention', true, T0 + 8 * MIN));
    const pass = records(s, 'pass')[0];
    expect(pass).toMatchObject({ kata: 'attention', splitMs: 8 * MIN - 5000, kataMs: 8 * MIN - 5000 });
    // The pass stays on screen; only the home cursor moves on.
    expect(s.screen).toBe('kata');
    expect(s.current).toBe('attention');
    expect(s.cursor).toBe(1);
    expect(s.banner?.kind).toBe('passed');
    s = run(s, key('n', T0 + 9 * MIN));
    expect(s.current).toBe('multi-head');
    expect(records(s, 'focus').map((r) => r.type === 'focus' && r.kata)).toEqual(['attention', 'multi-head']);
  });

  it('counts time per kata only while it is on screen, across jumps', () => {
    let s = run(initState(setup, [], T0), enter(T0), ready('attention', T0));
    s = run(s, key('2', T0 + 2 * MIN), ready('multi-head', T0 + 2 * MIN), key('1', T0 + 5 * MIN));
    s = run(s, { type: 'file-changed', kata: 'attention', at: T0 + 6 * MIN }, graded('attention', true, T0 + 6 * MIN));
    // 2 minutes before the jump + 1 minute after coming back; not the 3 minutes spent on multi-head.
    expect(records(s, 'pass')[0]).toMatchObject({ splitMs: 6 * MIN, kataMs: 3 * MIN });
  });

  it('ends the session when the clock runs out and unlocks the references', () => {
    let s = run(initState(setup, [], T0), enter(T0), ready('attention', T0));
    expect(referenceAllowed(s, 'attention')).toBe(false);
    s = run(s, key('s', T0 + MIN));
    expect(s.pane).toBe('result');
    expect(s.banner?.text).toMatch(/unlocks when this kata passes/);
    s = run(s, { type: 'tick', at: T0 + 60 * MIN });
    expect(s.screen).toBe('end');
    expect(records(s, 'session-end')[0]).toMatchObject({ reason: 'clock-out', at: T0 + 60 * MIN });
    expect(referenceAllowed(s, 'block')).toBe(true);
  });

  it('offers to resume an unfinished session, and closes one whose time ran out while the app was closed', () => {
    const started = run(initState(setup, [], T0), enter(T0), ready('attention', T0));
    const history = started.records;
    const resumed = initState(setup, history, T0 + 10 * MIN);
    expect(resumed.prompt).toBe('resume');
    const back = run(resumed, enter(T0 + 10 * MIN));
    expect(back.screen).toBe('kata');
    expect(back.current).toBe('attention');
    expect(effects(back)).toEqual(['grade']); // the kept file is graded again, not replaced

    const late = initState(setup, history, T0 + 61 * MIN);
    expect(late.prompt).toBeNull();
    expect(records(late, 'session-end')[0]).toMatchObject({ reason: 'clock-out', at: T0 + 60 * MIN });
  });

  it('offers the hint tier that explains the named mistake first, then the others in order', () => {
    let s = run(initState(setup, [], T0), enter(T0), ready('attention', T0));
    s = run(s, { type: 'file-changed', kata: 'attention', at: T0 + MIN }, graded('attention', false, T0 + MIN));
    const shown: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      s = run(s, key('h', T0 + 2 * MIN));
      shown.push(s.hintShown);
    }
    expect(shown).toEqual([2, 1, 3, 2]);
    expect(records(s, 'hint').map((r) => r.type === 'hint' && r.tier)).toEqual([2, 1, 3]);
  });

  it('grades one file at a time and re-grades a file saved while it was being graded', () => {
    let s = run(initState(setup, [], T0), enter(T0), ready('attention', T0));
    s = run(s, { type: 'file-changed', kata: 'attention', at: T0 + 1000 }, { type: 'file-changed', kata: 'attention', at: T0 + 2000 });
    expect(s.outbox.filter((e) => e.type === 'grade')).toHaveLength(1);
    expect(s.queue).toEqual([{ kata: 'attention', savedAt: T0 + 2000 }]);
    s = run(s, graded('attention', false, T0 + 1000));
    expect(s.grading).toEqual({ kata: 'attention', savedAt: T0 + 2000 });
    expect(s.outbox.filter((e) => e.type === 'grade')).toHaveLength(2);
  });

  it('quits on q and on Ctrl-C from any screen', () => {
    expect(effects(run(initState(setup, [], T0), key('q', T0)))).toEqual(['exit']);
    expect(effects(run(initState(setup, [], T0), key('c', T0, { ctrl: true })))).toEqual(['exit']);
  });

  it('closes an unfinished session on n instead of resuming it, then Enter starts a new one', () => {
    const history = run(initState(setup, [], T0), enter(T0), ready('attention', T0)).records;
    let s = run(initState(setup, history, T0 + MIN), key('n', T0 + MIN));
    expect(s.prompt).toBeNull();
    expect(s.progress.active).toBeNull();
    expect(records(s, 'session-end').at(-1)).toMatchObject({ reason: 'ended' });
    s = run(s, enter(T0 + 2 * MIN));
    expect(s.progress.active?.startedAt).toBe(T0 + 2 * MIN);
    expect(s.screen).toBe('kata');
  });

  it('ends the session only after e is confirmed with y, and shows the end screen', () => {
    let s = run(initState(setup, [], T0), enter(T0), ready('attention', T0), key('e', T0 + MIN));
    expect(s.prompt).toBe('confirm-end');
    s = run(s, key('x', T0 + MIN));
    expect(s.progress.active).not.toBeNull();
    s = run(s, key('e', T0 + MIN), key('y', T0 + MIN));
    expect(s.screen).toBe('end');
    expect(records(s, 'session-end')[0]).toMatchObject({ reason: 'ended' });
  });

  it('jumps to any kata by number and back to the overview with Esc', () => {
    let s = run(initState(setup, [], T0), enter(T0), ready('attention', T0), key('4', T0 + MIN));
    expect(s.current).toBe('block');
    expect(effects(s).filter((e) => e === 'create-file')).toHaveLength(2);
    s = run(s, key('', T0 + MIN, { escape: true }));
    expect(s.screen).toBe('home');
    expect(s.cursor).toBe(3);
    s = run(s, key('', T0 + MIN, { upArrow: true }), enter(T0 + MIN));
    expect(s.current).toBe('causal-mask');
  });
});
