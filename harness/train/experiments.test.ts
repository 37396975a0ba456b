// The experiments command's outputs on a few steps: five runs, one plot with every curve, the table, the samples, the report;
// and experiments --mine, which trains every GPT configuration through the learner's own gpt.
import { execa } from 'execa';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backends/select.ts';
import { EXPERIMENT_SAMPLE_CHARS, runExperiments, type ExperimentRow } from './experiments.ts';
import { findChromium, renderInChromium } from './headless-chromium.ts';
import { loadLearnerGpt } from './learner-gpt.ts';
import { evalsOf, readMetrics, trainLinesOf } from './metrics.ts';
import { PRESETS, type TrainConfig } from './presets.ts';
import { SLICE_PATH, readSlice } from '../../datasets/tiny-shakespeare-slice.ts';

const text = { text: readSlice(50_000), path: 'tinyshakespeare[0:50k]' };
const BASE: TrainConfig = { ...PRESETS.tiny, nEmbd: 16, blockSize: 16, batchSize: 4, iters: 6, evalInterval: 3, evalIters: 1, finalEvalIters: 1, sampleChars: 10 };
let out = '';
let rows: ExperimentRow[] = [];

beforeAll(async () => {
  await selectBackend('wasm');
  out = mkdtempSync(join(tmpdir(), 'gpt-kata-experiments-'));
  rows = await runExperiments({
    preset: 'tiny',
    base: BASE,
    seed: 3,
    out,
    text,
    backend: 'wasm',
    stream: { write: () => true },
  });
});

describe('runExperiments', () => {
  it('runs the five configurations with what each changes', () => {
    expect(rows.map((r) => r.name)).toEqual(['baseline', 'n_embd-x2', 'n_layer-x2', 'gelu', 'bigram']);
    const params = Object.fromEntries(rows.map((r) => [r.name, r.params]));
    expect(params['gelu']).toBe(params['baseline']); // same shapes, different activation
    expect(params['n_layer-x2']).toBeGreaterThan(params['baseline']!);
    expect(params['n_embd-x2']).toBeGreaterThan(params['n_layer-x2']!); // width costs more than depth here
    const vocab = (JSON.parse(readFileSync(join(out, 'bigram', 'checkpoint', 'model.json'), 'utf8')) as { vocab: string[] }).vocab.length;
    expect(params['bigram']).toBe(vocab * vocab); // one V×V table
    for (const r of rows) expect(existsSync(join(out, r.name, 'report.html'))).toBe(true);
  });

  it('writes one plot with every curve, and the table as markdown and JSON', () => {
    const svg = readFileSync(join(out, 'loss.svg'), 'utf8');
    // train and val for each of the four GPT configurations, and the converged bigram as one line
    expect([...svg.matchAll(/<path d="M/g)]).toHaveLength(9);
    expect(svg).toMatch(/<title>baseline: train<\/title>/);
    expect(svg).toMatch(/<title>baseline: val<\/title>/);
    expect(svg).toMatch(/<title>bigram, converged: val \d\.\d{3}<\/title>/);
    const baseline = readMetrics(join(out, 'baseline'));
    expect(evalsOf(baseline)).toHaveLength(7); // 6 steps, evaluated at every step: at least 10 points or every step
    expect(trainLinesOf(baseline).map((m) => m.step)).toEqual([6]); // the log interval (10) is longer than the run: its last step
    expect(readFileSync(join(out, 'loss.png')).subarray(1, 4).toString('ascii')).toBe('PNG');
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    const lines = md.split('\n');
    const table = lines.slice(lines.findIndex((l) => l.startsWith('| configuration')) + 2);
    expect(table.slice(0, table.indexOf(''))).toHaveLength(5);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ExperimentRow[];
    expect(Object.keys(json[0]!)).toEqual(['name', 'change', 'params', 'final_train_loss', 'final_val_loss', 'wall_s', 'ms_per_step', 'sample', 'alerts']);
  });

  it('samples 300 characters from every configuration, bigram included, side by side in results.md', () => {
    for (const r of rows) expect([...r.sample], r.name).toHaveLength(EXPERIMENT_SAMPLE_CHARS);
    expect(new Set(rows.map((r) => r.sample)).size).toBe(5);
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toContain('| baseline | n_embd-x2 | n_layer-x2 | gelu | bigram |');
    const cells = md.split('\n').at(-2)!.split(/(?<!\\)\| /).slice(1);
    expect(cells).toHaveLength(5);
    expect(md).not.toMatch(/<(?!br>)[a-z]/i); // the samples cannot open an HTML tag
  });

  it('trains the bigram to convergence on its own schedule, not the GPT\'s steps', () => {
    const bigram = evalsOf(readMetrics(join(out, 'bigram')));
    expect(bigram.at(-1)!.step).toBe(2000);
    expect(rows[4]!.final_val_loss).toBeLessThan(2.7); // 50k characters: near the count-based optimum, far below ln 65 ≈ 4.17
  });

  it('refuses to run into a folder that holds experiments, naming --fresh', async () => {
    await expect(runExperiments({ preset: 'tiny', base: BASE, seed: 3, out, text, backend: 'wasm', stream: { write: () => true } })).rejects.toThrow(
      /already holds experiments \(baseline, n_embd-x2, n_layer-x2, gelu, bigram\), and experiments does not replace them silently: start afresh over them with --fresh/,
    );
  });

  it.skipIf(!findChromium())('report.html shows the curves and the table in headless Chromium', async () => {
    const { dom } = await renderInChromium(join(out, 'report.html'));
    expect([...dom.matchAll(/<path d="M/g)]).toHaveLength(9);
    expect(dom).toContain('<a href="n_layer-x2/report.html">n_layer-x2</a>');
    expect(dom).toContain(rows[3]!.final_val_loss.toFixed(4));
    const samples = [...dom.matchAll(/<pre class="sample" data-config="([^"]+)">/g)].map((m) => m[1]);
    expect(samples).toEqual(['baseline', 'n_embd-x2', 'n_layer-x2', 'gelu', 'bigram']);
  });
});

type Calls = Record<string, { gpt: number; generate: number }>;
/** A correct learner gpt.ts (a grader fixture) behind wrappers that count its calls per model configuration. */
function countingLearner(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-mine-'));
  copyFileSync('grader/katas/gpt/fixtures/correct/gather-tidy.ts', join(dir, 'gpt-impl.ts'));
  writeFileSync(
    join(dir, 'gpt.ts'),
    `// learner's gpt, counting its calls per configuration so the test can tell each one really ran
import type * as tf from '@tensorflow/tfjs';
import { gpt as inner, generate as innerGenerate } from './gpt-impl.ts';
type Cfg = { nEmbd: number; nLayer: number; activation: string };
const calls = ((globalThis as Record<string, unknown>).__experimentCalls ??= {}) as Record<string, { gpt: number; generate: number }>;
const count = (c: Cfg) => (calls[\`\${c.nEmbd}/\${c.nLayer}/\${c.activation}\`] ??= { gpt: 0, generate: 0 });
export function gpt(...args: Parameters<typeof inner>): tf.Tensor3D { count(args[2]).gpt++; return inner(...args); }
export function generate(...args: Parameters<typeof innerGenerate>): tf.Tensor2D { count(args[2]).generate++; return innerGenerate(...args); }
`,
  );
  return dir;
}

describe('experiments --mine', () => {
  it('grades the learner\'s gpt.ts, then trains every GPT configuration through it; the bigram beside them', async () => {
    const learner = await loadLearnerGpt(countingLearner(), () => {}, { command: 'experiments -- --mine' });
    const mineOut = mkdtempSync(join(tmpdir(), 'gpt-kata-experiments-mine-'));
    const mine = await runExperiments({ preset: 'tiny', base: BASE, seed: 3, out: mineOut, text, backend: 'wasm', stream: { write: () => true }, learner });
    const calls = (globalThis as unknown as { __experimentCalls: Calls }).__experimentCalls;
    // 6 training steps + an eval before each (at least 10 points a curve: every step here; 2 splits × 1 batch) + the final eval; one generate for the sample;
    // and, before anything trains, the estimate times each configuration: 3 steps and 3 eval batches (the first of each a warm-up), 2 generate calls
    const each = { gpt: 6 + 6 * 2 * 1 + 2 * 1 + 3 + 3, generate: 1 + 2 };
    expect(calls).toEqual({ '16/2/relu': each, '32/2/relu': each, '16/4/relu': each, '16/2/gelu': each });
    expect(mine.map((r) => r.name)).toEqual(['baseline', 'n_embd-x2', 'n_layer-x2', 'gelu', 'bigram']);
    // same seed and batches: the learner's (correct) gpt gives the reference's numbers
    expect(mine.map((r) => r.final_train_loss)).toEqual(rows.map((r) => r.final_train_loss).map((l, i) => (i === 4 ? l : (expect.closeTo(l, 3) as number))));
    const html = readFileSync(join(mineOut, 'report.html'), 'utf8');
    expect(html).toContain(`your gpt (${learner.file})`);
    expect([...html.matchAll(/<path d="M/g)]).toHaveLength(9);
    expect([...html.matchAll(/<pre class="sample"/g)]).toHaveLength(5);
    expect(readFileSync(join(mineOut, 'results.md'), 'utf8')).toContain('# Experiments: your gpt (');
    expect((JSON.parse(readFileSync(join(mineOut, 'baseline', 'checkpoint', 'model.json'), 'utf8')) as { model: unknown }).model).toMatchObject({ source: 'mine', file: learner.file });
  });

  it('refuses a faulty gpt.ts with the named mistake, before training anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-mine-faulty-'));
    copyFileSync('grader/katas/gpt/fixtures/faulty/tied-head.ts', join(dir, 'gpt.ts'));
    const o = mkdtempSync(join(tmpdir(), 'gpt-kata-experiments-refused-'));
    const r = await execa('npx', ['tsx', 'harness/cli/experiments.ts', '--mine', '--dir', dir, '--preset', 'tiny', '--data', SLICE_PATH, '--out', o], {
      reject: false,
      all: true,
    });
    expect(r.exitCode).toBe(1);
    expect(r.all).toContain('does not pass the gpt kata yet, so experiments -- --mine will not train it');
    expect(r.all).toContain('named mistakes: gpt/tied-head');
    expect(r.all).not.toMatch(/\n\s+at /);
    expect(existsSync(join(o, 'baseline'))).toBe(false);
  });
});
