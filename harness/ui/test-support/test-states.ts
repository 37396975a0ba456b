// Ready-made app states for the screen tests: a session in progress with a failing report, and a finished session.
import type { KataId } from '../../../grader/report.ts';
import { initState, reduce, type AppEvent, type Setup, type State } from '../app-state.ts';
import { failingReport, passingReport, sampleDoc } from './test-reports.ts';
import type { Texts } from '../view-model.ts';

export const T0 = 1_700_000_000_000;
export const MIN = 60_000;
export const SETUP: Setup = { dir: '/home/learner/gpt-kata/solutions', katas: ['attention', 'multi-head', 'causal-mask', 'block', 'gpt'], minutes: 60, hintTiers: { attention: [1, 2, 3] } };
export const TEXTS: Texts = {
  docs: { attention: sampleDoc() },
  references: { attention: { ok: true, value: 'export function scaledDotProductAttention() {}\n' } },
  cwd: '/home/learner/gpt-kata',
};

function run(state: State, events: AppEvent[]): State {
  return events.reduce(reduce, state);
}

function save(kata: KataId, passed: boolean, at: number, longMessage = false): AppEvent[] {
  const file = `${SETUP.dir}/${kata}.ts`;
  const report = passed ? passingReport(kata, file) : failingReport(kata, file);
  if (longMessage) {
    report.checks = [
      ...report.checks,
      ...Array.from({ length: 8 }, (_, i) => ({ name: `behaviour property number ${i + 1}`, status: 'pass' as const, message: '', mistake: null })),
    ];
    report.checks[2]!.message += '\n' + Array.from({ length: 40 }, (_, i) => `  v row ${i}: [${Array.from({ length: 12 }, () => '0.1234').join(', ')}]`).join('\n');
  }
  return [
    { type: 'file-changed', kata, at },
    { type: 'graded', kata, report, savedAt: at, at: at + 1500 },
  ];
}

export function failingState(columns = 80, rows = 24, longMessage = false): State {
  const s = initState(SETUP, [], T0, columns, rows);
  return run(s, [
    { type: 'key', input: '', key: { return: true }, at: T0 },
    { type: 'file-ready', kata: 'attention', file: `${SETUP.dir}/attention.ts`, archivedTo: null, signature: 'x', at: T0 },
    ...save('attention', false, T0 + 4 * MIN, longMessage),
    { type: 'tick', at: T0 + 4 * MIN + 3000 },
  ]);
}

export function finishedState(columns = 80, rows = 24): State {
  let s = initState(SETUP, [], T0, columns, rows);
  const katas = SETUP.katas;
  let at = T0;
  s = run(s, [{ type: 'key', input: '', key: { return: true }, at }]);
  for (const [i, kata] of katas.entries()) {
    if (i > 0) s = run(s, [{ type: 'key', input: 'n', key: {}, at }]);
    s = run(s, [{ type: 'file-ready', kata, file: `${SETUP.dir}/${kata}.ts`, archivedTo: null, signature: 'x', at }]);
    at += (i + 7) * MIN;
    s = run(s, save(kata, true, at));
  }
  return run(s, [{ type: 'key', input: '', key: { return: true }, at: at + 2000 }]);
}
