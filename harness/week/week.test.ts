// npm run week after a tiny train:mine run and a tiny experiments --mine run, built by the real trainer: WEEK.md holds the
// diagram, the sample, the bigram comparison, the experiments, the katas and the self-check, and every link in it resolves.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt, generate } from '../../grader/katas/gpt/reference.ts';
import { mulberry32 } from '../../grader/seeded-random.ts';
import { bundleSolution } from '../../grader/sandbox/bundle.ts';
import { PROJECT_ROOT } from '../../grader/sandbox/paths.ts';
import { selectBackend } from '../backends/select.ts';
import { runExperiments, type Experiment } from '../train/experiments.ts';
import { modelCodeOf } from '../train/model-code.ts';
import { PRESETS, type TrainConfig } from '../train/presets.ts';
import { runTraining } from '../train/trainer.ts';
import { appendRecord, historyPath } from '../ui/history.ts';
import { writeWeek } from './write-week.ts';

const root = mkdtempSync(join(tmpdir(), 'week-'));
const runs = join(root, 'runs');
const workspace = join(root, 'solutions');
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A made-up text with Tiny Shakespeare's flavour, enough for a val split longer than the block. */
function text(): { text: string; path: string } {
  const words = ['the', 'king', 'shall', 'speak', 'my', 'lord', 'to', 'thee', 'and', 'what', 'is', 'love', 'but', 'night', 'come', 'hither'];
  const rand = mulberry32(7);
  let t = '';
  while (t.length < 6000) t += `${Array.from({ length: 8 }, () => words[Math.floor(rand() * words.length)]).join(' ')}.\n`;
  return { text: t, path: 'a made-up text' };
}

const CONFIG: TrainConfig = { ...PRESETS.tiny, nLayer: 1, nHead: 2, nEmbd: 16, blockSize: 8, batchSize: 4, iters: 4, evalInterval: 2, evalIters: 1, finalEvalIters: 1 };
const quiet = { write: () => true };
const learnerFile = join(workspace, 'gpt.ts');

beforeAll(async () => {
  await selectBackend('cpu');
  mkdirSync(workspace, { recursive: true });
  // train:mine: the learner's gpt (here the reference's functions, recorded as the learner's file), 500 characters sampled.
  await runTraining({
    title: 'your GPT, tiny preset',
    preset: 'tiny',
    out: join(runs, 'mine-tiny'),
    config: CONFIG,
    seed: 1,
    resume: false,
    text: text(),
    model: { kind: 'gpt', source: 'mine', file: learnerFile, gpt, generate },
    backend: 'cpu',
    stream: quiet,
  });
  const only: Experiment[] = [
    { name: 'baseline', change: 'the preset as is', config: (b) => b, kind: 'gpt' },
    { name: 'gelu', change: 'GELU instead of ReLU in the MLP', config: (b) => ({ ...b, activation: 'gelu' }), kind: 'gpt' },
    { name: 'bigram', change: 'bigram table (no attention), lr 1e-2', config: (b) => ({ ...b, lr: 1e-2 }), kind: 'bigram' },
  ];
  // The learner's code as train:mine keeps it: a correct learner-style gpt.ts, bundled.
  writeFileSync(learnerFile, readFileSync(join(PROJECT_ROOT, 'grader', 'katas', 'gpt', 'fixtures', 'correct', 'gather-tidy.ts')));
  const built = await bundleSolution(learnerFile);
  if (!built.ok) throw new Error(built.message);
  const code = modelCodeOf(learnerFile, built.path);
  await runExperiments(
    { preset: 'tiny', base: CONFIG, seed: 1, out: join(runs, 'experiments-mine-tiny'), text: text(), backend: 'cpu', stream: quiet, learner: { file: learnerFile, gpt, generate, code } },
    only,
  );
  const history = historyPath(workspace);
  const t0 = Date.UTC(2026, 11, 1, 9);
  appendRecord(history, { type: 'session-start', at: t0, session: 's1', minutes: 60, katas: ['attention', 'multi-head'] });
  appendRecord(history, { type: 'focus', at: t0, session: 's1', kata: 'attention' });
  appendRecord(history, { type: 'pass', at: t0 + 372_000, session: 's1', kata: 'attention', splitMs: 372_000, kataMs: 372_000 });
  appendRecord(history, { type: 'session-end', at: t0 + 600_000, session: 's1', reason: 'ended' });
  appendRecord(history, { type: 'self-check-start', at: t0 + 700_000, seed: 123456, minutes: 30 });
  appendRecord(history, { type: 'self-check-end', at: t0 + 1_300_000, seed: 123456, score: 14, total: 16, ms: 600_000, reason: 'finished' });
}, 300_000);

/** Every markdown link and image target in the file, resolved against its folder. */
function linkTargets(file: string): string[] {
  const md = readFileSync(file, 'utf8');
  return [...md.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => resolve(dirname(file), decodeURIComponent(m[1]!)));
}

describe('WEEK.md', () => {
  it('holds the diagram with the run\'s shapes, the sample, the bigram comparison, the experiments, the katas and the self-check', () => {
    const out = join(root, 'direct');
    const written = writeWeek({ out, runsDir: runs, historyFile: historyPath(workspace) });
    const md = readFileSync(written.file, 'utf8');
    expect(md).toContain('```mermaid\nflowchart TD');
    expect(md).toContain('split into 2 heads (4, 2, 8, 8)'); // batch 4, 2 heads, block 8, d_head 8
    expect(md).toContain('logits (4, 8, ');
    const sample = readFileSync(join(runs, 'mine-tiny', 'sample.txt'), 'utf8').replace(/\n$/, '');
    expect([...sample].length).toBe(500);
    expect(md).toContain(sample);
    expect(md).toMatch(/\| my GPT \| `\.\.\/runs\/mine-tiny` \| 4 \|/);
    expect(md).toMatch(/\| bigram \| `\.\.\/runs\/experiments-mine-tiny\/bigram` \| 4 \|/);
    expect(md).toMatch(/\| gelu \| GELU instead of ReLU in the MLP \| [\d,]+ \| \d\.\d{4} \| \d\.\d{4} \| [+-]\d\.\d{4} \|/);
    expect(md).toContain('| 1. Scaled dot-product attention | 10:00 | 6:12 | 6:12 | 6:12 |');
    expect(md).toContain('Latest: 14 of 16 in 10:00 (seed 123456; `npm run kata -- --seed 123456`');
    expect(md).not.toContain('Not run yet');
    const targets = linkTargets(written.file);
    expect(targets.map((t) => t.slice(out.length + 1)).sort()).toEqual(['LEARNING_LOG.md', 'week-experiments-loss.png', 'week-train-loss.png']);
    for (const t of targets) expect(existsSync(t), t).toBe(true);
    expect(readFileSync(join(out, 'LEARNING_LOG.md'), 'utf8')).toContain('Three things I learned that the paper didn\'t say');
  });

  it('says what has not been run and gives the command, and never overwrites the learning log', () => {
    const out = join(root, 'empty');
    mkdirSync(out);
    writeFileSync(join(out, 'LEARNING_LOG.md'), '# mine\n1. attention is a weighted average\n');
    const written = writeWeek({ out, runsDir: join(root, 'no-runs'), historyFile: join(root, 'no-history.jsonl') });
    const md = readFileSync(written.file, 'utf8');
    for (const command of ['npm run train:mine', 'npm run experiments -- --mine', 'npm run kata']) expect(md).toContain(`Run \`${command}\``);
    expect(md).toContain('```mermaid'); // the preset's diagram, said to be the preset's
    expect(md).toContain('the baby preset that `npm run train:mine` trains (I have not run it yet)');
    expect(written.keptLearningLog).toBe(true);
    expect(readFileSync(join(out, 'LEARNING_LOG.md'), 'utf8')).toContain('attention is a weighted average');
    for (const t of linkTargets(written.file)) expect(existsSync(t), t).toBe(true);
  });

  it('is written by npm run week as typed, with --out, and every link resolves', async () => {
    const out = join(root, 'typed');
    const r = await execa('npm', ['run', '--silent', 'week', '--', '--out', out, '--runs', runs, '--dir', workspace], { cwd: PROJECT_ROOT, reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`wrote ${join(out, 'WEEK.md')}`);
    const md = readFileSync(join(out, 'WEEK.md'), 'utf8');
    expect(md).toContain('## Session C: three modifications');
    expect(md).toContain('![train and validation loss of every configuration](week-experiments-loss.png)');
    for (const t of linkTargets(join(out, 'WEEK.md'))) expect(existsSync(t), t).toBe(true);

    const bad = await execa('npm', ['run', '--silent', 'week', '--', '--outt', out], { cwd: PROJECT_ROOT, reject: false });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('week: ');
  }, 120_000);
});
