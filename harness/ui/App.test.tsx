// The kata app end to end inside ink-testing-library: real files, history and file watching; hand-made verdicts.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { KataId, KataReport } from '../../grader/report.ts';
import { App } from './App.tsx';
import { historyPath, readHistory } from './history.ts';
import { drawSelfCheck } from '../self-check/draw-self-check.ts';
import { gptParamCensus } from '../self-check/gpt-param-census.ts';
import { measureSaturation } from '../self-check/measure-saturation.ts';
import { typedRightAnswer } from '../self-check/test-support/typed-answers.ts';
import { failingReport, passingReport, sampleDoc } from './test-support/test-reports.ts';
import { inputsReady, waitFor, waitForText } from './test-support/test-frames.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setupApp(options: { katas?: KataId[]; minutes?: number; selfCheckSeed?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kata-ui-'));
  dirs.push(dir);
  const graded: string[] = [];
  // The verdict depends on a marker in the saved text; the test's "grader" reads text, it runs nothing.
  const grade = async (kata: KataId, file: string): Promise<KataReport> => {
    graded.push(kata);
    return readFileSync(file, 'utf8').includes('CORRECT') ? passingReport(kata, file) : failingReport(kata, file);
  };
  // The self-check's real drawing (the trainer's parameter census) and real measurement (the sandboxed reference).
  const selfCheck = {
    draw: (seed: number) => Promise.resolve(drawSelfCheck(seed, gptParamCensus)),
    measure: (seed: number) => measureSaturation(dir, seed, (file) => grade('attention', file)),
  };
  const mount = () =>
    render(
      <App
        setup={{
          dir,
          katas: options.katas ?? ['attention', 'multi-head', 'causal-mask', 'block', 'gpt'],
          minutes: options.minutes ?? 60,
          hintTiers: { attention: [1, 2, 3] },
          ...(options.selfCheckSeed === undefined ? {} : { selfCheckSeed: options.selfCheckSeed }),
        }}
        historyFile={historyPath(dir)}
        initialRecords={readHistory(historyPath(dir)).records}
        texts={{ docs: { attention: sampleDoc() }, references: { attention: { ok: true, value: 'export const REFERENCE_BODY = 1;' } }, cwd: dir }}
        grade={grade}
        selfCheck={selfCheck}
      />,
    );
  return { dir, graded, mount };
}

const ENTER = '\r';

describe('kata app', () => {
  it('shows the five katas and the clock, starts a session with a fresh file, grades each save and keeps a pass on screen', async () => {
    const { dir, mount } = setupApp();
    const app = mount();
    const home = await waitForText(app.lastFrame, 'clock 60:00');
    await inputsReady();
    for (const title of ['Scaled dot-product attention', 'Multi-head attention', 'Causal mask with tril', 'Pre-norm transformer block', 'The whole GPT']) {
      expect(home).toContain(title);
    }
    expect(home).toContain('not tried');

    app.stdin.write(ENTER);
    await waitForText(app.lastFrame, 'attention.ts in your editor');
    const file = join(dir, 'attention.ts');
    await waitFor(() => String(existsSync(file)), (f) => f === 'true');
    expect(readFileSync(file, 'utf8')).toMatch(/^\/\/ Kata 1: Scaled dot-product attention/);
    await waitForText(app.lastFrame, 'left');

    writeFileSync(file, 'export const scaledDotProductAttention = 1; // wrong\n');
    const failed = await waitForText(app.lastFrame, 'FAILED');
    expect(failed).toContain('✗ reference equivalence (fast-check)');
    expect(failed).toContain('The scores are not divided by √dk');
    expect(failed).toContain('q [1, 2] = [[0.5, -1]]');
    // The named mistake's tier (2) is offered first.
    expect(failed).toContain('h hint 2 (explains no-scale)');
    app.stdin.write('h');
    const hint = await waitForText(app.lastFrame, 'Hint 2 of 3');
    expect(hint).toContain('divide the scores by Math.sqrt(dk)');
    // The reference stays locked until the kata passes.
    app.stdin.write('s');
    await waitForText(app.lastFrame, 'unlocks when this kata passes');

    writeFileSync(file, 'export const scaledDotProductAttention = 2; // CORRECT\n');
    const passed = await waitForText(app.lastFrame, 'attention passed');
    expect(passed).toContain('PASSED');
    expect(passed).toContain('n: next kata, multi-head');
    expect(passed).toContain('Kata 1'); // still on the kata that passed
    app.stdin.write('s');
    await waitForText(app.lastFrame, 'REFERENCE_BODY');

    app.stdin.write('n');
    await waitForText(app.lastFrame, 'multi-head.ts in your editor');
    app.stdin.write('q');
    app.unmount();

    const records = readHistory(historyPath(dir)).records;
    expect(records.filter((r) => r.type === 'attempt').map((r) => r.type === 'attempt' && r.passed)).toEqual([false, true]);
    const pass = records.find((r) => r.type === 'pass');
    expect(pass).toMatchObject({ kata: 'attention' });
  });

  it('archives an earlier attempt instead of overwriting it', async () => {
    const { dir, mount } = setupApp();
    writeFileSync(join(dir, 'attention.ts'), '// my earlier attempt\nexport const x = 1;\n');
    const app = mount();
    await waitForText(app.lastFrame, 'clock 60:00');
    await inputsReady();
    app.stdin.write(ENTER);
    await waitForText(app.lastFrame, 'archived');
    const archived = readdirSync(join(dir, 'archive'));
    expect(archived).toHaveLength(1);
    expect(readFileSync(join(dir, 'archive', archived[0]!), 'utf8')).toContain('my earlier attempt');
    expect(readFileSync(join(dir, 'attention.ts'), 'utf8')).not.toContain('my earlier attempt');
    app.unmount();
  });

  it('remembers a pass after a restart and offers to resume the session', async () => {
    const { dir, mount } = setupApp();
    const first = mount();
    await waitForText(first.lastFrame, 'clock 60:00');
    await inputsReady();
    first.stdin.write(ENTER);
    await waitForText(first.lastFrame, 'in your editor');
    await waitFor(() => String(existsSync(join(dir, 'attention.ts'))), (f) => f === 'true');
    writeFileSync(join(dir, 'attention.ts'), 'export const scaledDotProductAttention = 2; // CORRECT\n');
    await waitForText(first.lastFrame, 'attention passed');
    first.unmount();

    const second = mount();
    const home = await waitForText(second.lastFrame, 'unfinished session');
    await inputsReady();
    expect(home).toMatch(/Scaled dot-product attention\s+10 min\s+✓ passed/);
    expect(home).toContain('1 of 5 katas passed');
    second.stdin.write(ENTER);
    // Resuming returns to the kata in focus, whose file is kept (no archive) and re-graded.
    await waitForText(second.lastFrame, 'PASSED');
    expect(existsSync(join(dir, 'archive'))).toBe(false);
    second.unmount();
  });

  it('ends a session on request and reports splits and the bar', async () => {
    const { dir, mount } = setupApp({ katas: ['attention'] });
    const app = mount();
    await waitForText(app.lastFrame, 'clock 60:00');
    await inputsReady();
    app.stdin.write(ENTER);
    await waitForText(app.lastFrame, 'in your editor');
    await waitFor(() => String(existsSync(join(dir, 'attention.ts'))), (f) => f === 'true');
    writeFileSync(join(dir, 'attention.ts'), 'export const scaledDotProductAttention = 2; // CORRECT\n');
    await waitForText(app.lastFrame, 'All katas passed');
    app.stdin.write(ENTER);
    const end = await waitForText(app.lastFrame, 'session results');
    expect(end).toContain('All katas passed. Well done.');
    expect(end).toMatch(/✓ 1 {2}attention\s+10:00\s+\d:\d\d\s+\d:\d\d\s+—\s+new best/);
    expect(end).toContain('Bar: not measured');
    app.unmount();
  });

  it('offers the Session A self-check above the katas: answers checked, a wrong one explained, the score kept in the history', async () => {
    const seed = 4242;
    const { dir, mount } = setupApp({ selfCheckSeed: seed });
    const questions = drawSelfCheck(seed, gptParamCensus);
    const app = mount();
    const home = await waitForText(app.lastFrame, 'clock 60:00');
    await inputsReady();
    expect(home).toMatch(/A {2}Session A self-check\s+30 min\s+· not tried/);
    expect(home.indexOf('Session A self-check')).toBeLessThan(home.indexOf('Scaled dot-product attention'));

    app.stdin.write('a');
    await waitForText(app.lastFrame, `Question 1 of ${questions.length}`);
    for (const [i, q] of questions.entries()) {
      await waitForText(app.lastFrame, `Question ${i + 1} of`);
      if (q.id === 'shape/scores') {
        app.stdin.write('2, 8, 64');
        await waitForText(app.lastFrame, '› 2, 8, 64');
        app.stdin.write(ENTER);
        const explained = await waitForText(app.lastFrame, 'The answer: (');
        expect(explained.replace(/\s+/g, ' ')).toContain('one score per (query, key) pair');
        app.stdin.write(ENTER);
        continue;
      }
      app.stdin.write(typedRightAnswer(q));
      await waitForText(app.lastFrame, `› ${typedRightAnswer(q)}`);
      app.stdin.write(ENTER);
      if (q.id === 'sqrt-dk/variance') {
        const measured = await waitForText(app.lastFrame, 'Measured on the reference', 120_000);
        expect(measured).toContain('no attention.ts in your folder yet');
        expect(measured).toMatch(/ {1,4}1024 /);
        app.stdin.write(ENTER);
      }
    }
    const end = await waitForText(app.lastFrame, `Score ${questions.length - 1} of ${questions.length}`);
    expect(end).toContain('shape/scores');
    expect(end).toContain(`--seed ${seed}`);
    app.stdin.write(ENTER);
    const after = await waitForText(app.lastFrame, 'clock 60:00');
    expect(after).toContain(`last ${questions.length - 1}/${questions.length}`);
    app.unmount();

    const records = readHistory(historyPath(dir)).records;
    const answers = records.filter((r) => r.type === 'self-check-answer');
    expect(answers).toHaveLength(questions.length);
    expect(answers.filter((r) => r.type === 'self-check-answer' && !r.correct).map((r) => r.type === 'self-check-answer' && r.question)).toEqual(['shape/scores']);
    expect(records.at(-1)).toMatchObject({ type: 'self-check-end', seed, score: questions.length - 1, total: questions.length, reason: 'finished' });
  }, 180_000);
});
