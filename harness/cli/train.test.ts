// npm run train / train:mine as a user types them (through npm and the launcher), on the committed Tiny Shakespeare slice.
import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLICE_PATH, readSlice } from '../../datasets/tiny-shakespeare-slice.ts';
import { evalsOf, readMetrics, trainLinesOf } from '../train/metrics.ts';
import { webgpuAvailable } from '../backends/test-support/webgpu-test-gate.ts';
import { npmRun } from './test-support/npm-run.ts';

// On the slice (re-measured there): tiny, 60 steps, val loss 4.139 → 2.920 (the whole text: 4.195 → 2.882); 300 steps of
// the reference 4.139 → 2.472. The thresholds below keep their margins on it.
const DATA = SLICE_PATH;
const tmp = (tag: string) => mkdtempSync(join(tmpdir(), `gpt-kata-${tag}-`));
const train = (args: string[]) => npmRun('train', args);
const trainMine = (args: string[]) => npmRun('train:mine', args);
const webgpu = await webgpuAvailable('npm run train on WebGPU');

const sample = (args: string[]) => npmRun('sample', ['--backend', 'wasm', ...args], { silent: true });

const OUTPUTS = ['metrics.jsonl', 'checkpoint/model.json', 'checkpoint/weights.bin', 'checkpoint/optimizer.bin', 'sample.txt', 'loss.svg', 'loss.png', 'report.html'];

describe('npm run train', () => {
  it('trains the reference GPT (tiny preset), says which backend and why, and writes every output', async () => {
    const out = tmp('train');
    const r = await train(['--preset', 'tiny', '--iters', '60', '--data', DATA, '--out', out]);
    expect(r.exitCode, r.all).toBe(0);
    const backendLine = r.all.split('\n').find((l) => l.startsWith('backend: '))!;
    expect(backendLine).toMatch(/^backend: \w+ on .+: .+ \(npm run doctor for the details\)$/); // the name, on what, the gist of why
    expect(backendLine.length).toBeLessThan(120); // one short line, not the whole story
    expect(r.all).toMatch(/^estimate: \d+s in all \(60 steps × \d+ ms, evaluations \d+s, sample \d+s\)/m); // before the first step
    expect(r.all.indexOf('estimate:')).toBeLessThan(r.all.indexOf('step 0:'));
    expect(r.all).toMatch(/step 60\/60 │ loss \d\.\d{4} │ [\d,]+ tok\/s │ \[█+\] 100% │ ETA 0s/);
    for (const f of OUTPUTS) expect(existsSync(join(out, f)), f).toBe(true);
    const metrics = readMetrics(out);
    // the train loss every log interval (10 steps), the val loss at every evaluation
    expect(trainLinesOf(metrics).map((m) => m.step)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(Object.keys(trainLinesOf(metrics)[0]!)).toEqual(['step', 'train_loss']);
    const evals = evalsOf(metrics);
    expect(evals.map((m) => m.step)).toEqual([0, 60]);
    expect(Object.keys(evals[0]!)).toEqual(['step', 'train_loss', 'val_loss', 'lr', 'tokens_per_s', 'elapsed_s']);
    expect(evals[1]!.val_loss).toBeLessThan(evals[0]!.val_loss - 0.5);
    expect(evals[1]!.val_se).toBeGreaterThan(0); // the final figure comes with its standard error
    // the end of the run shows its result: the final losses, the sample itself, where the files are
    const sampleText = readFileSync(join(out, 'sample.txt'), 'utf8').replace(/\n$/, '');
    expect([...sampleText]).toHaveLength(500);
    expect(r.all).toContain(`\n${sampleText}\n`);
    expect(r.all).toMatch(new RegExp(`final train loss ${evals[1]!.train_loss.toFixed(4)}, val loss ${evals[1]!.val_loss.toFixed(4)} ± 0\\.\\d{4}`));
    expect(r.all).toContain(`files: ${out}/`);
  });

  it('never replaces a run silently: the same command again refuses, naming --resume and --fresh; --fresh starts over', async () => {
    const out = tmp('twice');
    const args = ['--preset', 'tiny', '--iters', '20', '--data', DATA, '--out', out];
    expect((await train(args)).exitCode).toBe(0);
    const weights = readFileSync(join(out, 'checkpoint', 'weights.bin'));
    const again = await train(args);
    expect(again.exitCode).toBe(1);
    expect(again.all).toMatch(/already holds a run at step 20 of 20, saved .* UTC, and train does not replace a run silently: continue it with --resume, start afresh over it with --fresh, or give this run another folder with --out DIR\./);
    expect(readFileSync(join(out, 'checkpoint', 'weights.bin')).equals(weights)).toBe(true);
    const fresh = await train([...args, '--fresh', '--seed', '7']);
    expect(fresh.exitCode, fresh.all).toBe(0);
    expect(readFileSync(join(out, 'checkpoint', 'weights.bin')).equals(weights)).toBe(false);
  });

  it('refuses an unknown flag with what it accepts (exit 2), and a bad value', async () => {
    const r = await train(['--max_iters', '10']);
    expect(r.exitCode).toBe(2);
    expect(r.all).toMatch(/^train: unknown option --max_iters\nusage: npm run train -- \[options\]\n/m);
    expect(r.all).toMatch(/^ {2}--preset tiny\|baby\|lecture {2}/m);
    const bad = await train(['--backend', 'tpu']);
    expect(bad.exitCode).toBe(2);
    expect(bad.all).toContain('train: --backend tpu: expected one of auto, tensorflow, webgpu, wasm, cpu');
    expect(bad.all).not.toMatch(/\n\s+at /);
    const anyway = await train(['--anyway']);
    expect(anyway.exitCode).toBe(2);
    expect(anyway.all).toContain('--anyway is for npm run train:mine');
  });

  it.skipIf(!webgpu)('--backend webgpu --preset tiny --iters 5 trains on the WebGPU adapter, with nothing but our own words', async () => {
    const out = tmp('train-webgpu');
    const r = await train(['--backend', 'webgpu', '--preset', 'tiny', '--iters', '5', '--data', DATA, '--out', out]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/^backend: webgpu on .+asked for webgpu/m);
    expect(r.all).not.toMatch(/^\s+at |^Warning: |\.(cpp|cc|h):\d+|Initialization of backend/m);
    expect(evalsOf(readMetrics(out)).map((m) => m.step)).toEqual([0, 5]);
  }, 240_000); // lavapipe emulates the GPU on the CPU: 25-60 s here

  it('says where to put the data when --data points nowhere, without a stack trace', async () => {
    const r = await train(['--preset', 'tiny', '--data', '/nonexistent/input.txt', '--out', tmp('nodata')]);
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('--data /nonexistent/input.txt: no such file; pass --data PATH');
    expect(r.all).not.toMatch(/\n\s+at /);
  });
});

// A correct learner gpt.ts (one of the grader's correct fixtures) behind wrappers that count the calls into it.
function learnerDir(): string {
  const dir = tmp('mine');
  copyFileSync('grader/katas/gpt/fixtures/correct/gather-tidy.ts', join(dir, 'gpt-impl.ts'));
  writeFileSync(
    join(dir, 'gpt.ts'),
    `// learner's gpt, counting its calls so the test can tell it really ran
import type * as tf from '@tensorflow/tfjs';
import { gpt as inner, generate as innerGenerate } from './gpt-impl.ts';
const calls = ((globalThis as Record<string, unknown>).__learnerCalls ??= { gpt: 0, generate: 0 }) as { gpt: number; generate: number };
export function gpt(...args: Parameters<typeof inner>): tf.Tensor3D { calls.gpt++; return inner(...args); }
export function generate(...args: Parameters<typeof innerGenerate>): tf.Tensor2D { calls.generate++; return innerGenerate(...args); }
`,
  );
  return dir;
}

describe('npm run train:mine', () => {
  it('grades, then really trains the learner\'s gpt and samples with the learner\'s generate', async () => {
    const { loadLearnerGpt } = await import('../train/learner-gpt.ts');
    const { selectBackend } = await import('../backends/select.ts');
    const { runTraining } = await import('../train/trainer.ts');
    const { PRESETS } = await import('../train/presets.ts');
    await selectBackend('wasm');
    const learner = await loadLearnerGpt(learnerDir(), () => {});
    const calls = (globalThis as unknown as { __learnerCalls: { gpt: number; generate: number } }).__learnerCalls;
    await runTraining({
      title: 'mine',
      preset: 'tiny',
      out: tmp('mine-out'),
      config: { ...PRESETS.tiny, iters: 10, evalIters: 2, finalEvalIters: 2, sampleChars: 50 },
      seed: 1,
      resume: false,
      text: { text: readSlice(50_000), path: DATA },
      model: { kind: 'gpt', source: 'mine', file: learner.file, gpt: learner.gpt, generate: learner.generate },
      backend: 'wasm',
      stream: { write: () => true },
    });
    // 10 training steps + 2 evals × 2 splits × 2 batches, and the estimate before them: 3 steps and 3 eval batches (the first of each a warm-up)
    expect(calls.gpt).toBe(10 + 2 * 2 * 2 + 3 + 3);
    expect(calls.generate).toBe(1 + 2); // the sample, and the estimate's warm-up and timed call
  });

  it('acceptance: --preset tiny --iters 300 exits 0, lowers val loss by well over 1 nat, writes every output', async () => {
    const out = tmp('mine-cli');
    const r = await trainMine(['--dir', learnerDir(), '--preset', 'tiny', '--iters', '300', '--data', DATA, '--out', out]);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.all).toMatch(/passes the gpt kata/);
    expect(r.all).toMatch(/model: your gpt \(.*gpt\.ts\)/);
    for (const f of OUTPUTS) expect(existsSync(join(out, f)), f).toBe(true);
    const m = evalsOf(readMetrics(out));
    expect(m[0]!.val_loss - m.at(-1)!.val_loss).toBeGreaterThan(1.2);
    // the detectors judged this correct run and stayed silent
    expect(m.some((l) => l.alerts)).toBe(false);
    expect(r.all).not.toContain('⚠');
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('flat loss: judged at step 60');
  });

  it('the run owns its model: with the learner\'s files broken, sample uses the code saved with the checkpoint and says so', async () => {
    const dir = learnerDir();
    const out = tmp('mine-owned');
    const r = await train(['--mine', '--dir', dir, '--preset', 'tiny', '--iters', '20', '--data', DATA, '--out', out]);
    expect(r.exitCode, r.all).toBe(0);
    expect(existsSync(join(out, 'checkpoint', 'code', 'gpt.mjs'))).toBe(true);
    expect(readFileSync(join(out, 'checkpoint', 'code', 'src', 'gpt-impl.ts'), 'utf8')).toBe(readFileSync('grader/katas/gpt/fixtures/correct/gather-tidy.ts', 'utf8'));
    writeFileSync(join(dir, 'gpt.ts'), 'export const gpt = (; // half-typed\n');
    appendFileSync(join(dir, 'gpt-impl.ts'), '\nthrow new Error("broken");\n');
    const s = await sample(['--run', out, '--chars', '30', '--temperature', '0']);
    expect(s.exitCode, s.stderr).toBe(0);
    expect([...s.stdout.slice(1)]).toHaveLength(30); // the prompt (a newline) and 30 characters
    const said = s.stderr.trim().split('\n').at(-1)!;
    expect(said).toMatch(/^\S+, \S+ changed since this run was trained; sampling with the code it was trained with \(.*checkpoint\/code\)$/);
    expect(said).toContain(join(dir, 'gpt.ts'));
    expect(said).toContain(join(dir, 'gpt-impl.ts'));
    expect(s.stderr.trim().split('\n')).toHaveLength(2); // the backend line and that one line
    expect(s.stderr).not.toContain('grading');
  });

  it('refuses a faulty gpt.ts with the failing checks and the named mistake, exit 1', async () => {
    const dir = tmp('mine-faulty');
    copyFileSync('grader/katas/gpt/fixtures/faulty/no-position.ts', join(dir, 'gpt.ts'));
    const out = tmp('mine-faulty-out');
    const r = await trainMine(['--dir', dir, '--preset', 'tiny', '--data', DATA, '--out', out]);
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('does not pass the gpt kata yet, so train:mine will not train it');
    expect(r.all).toContain('gpt/no-position');
    expect(r.all).not.toMatch(/\n\s+at /);
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(false);
  });

  it('--anyway trains a failing gpt.ts, marks every output, and the flat-loss detector explains what it does', async () => {
    const dir = tmp('mine-anyway');
    copyFileSync('grader/katas/gpt/fixtures/faulty/returns-probabilities.ts', join(dir, 'gpt.ts'));
    const out = tmp('mine-anyway-out');
    const r = await trainMine(['--anyway', '--dir', dir, '--preset', 'tiny', '--iters', '100', '--data', DATA, '--out', out]);
    expect(r.exitCode, r.all).toBe(0);
    const mark = 'this gpt.ts FAILS the grader (mistakes: gpt/returns-probabilities)';
    expect(r.all.split(mark).length - 1).toBeGreaterThanOrEqual(3); // when graded, when training starts, when it ends
    expect(r.all).toContain('⚠ loss has flatlined at ln(vocab): check your scale and softmax axis (step 20:');
    const m = evalsOf(readMetrics(out));
    for (const line of m) expect(line.grader).toBe(mark);
    expect(m.flatMap((l) => l.alerts ?? []).map((a) => [a.id, a.step])).toEqual([['flat-loss', 20]]);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(`<p class="fails-grader" id="fails-grader">⚠ ${mark}</p>`);
    expect(html).toContain('data-alert="flat-loss"');
    expect((JSON.parse(readFileSync(join(out, 'checkpoint', 'model.json'), 'utf8')) as { model: { failsGrader: string[] } }).model.failsGrader).toEqual(['gpt/returns-probabilities']);
  });
});
