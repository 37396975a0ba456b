// The experiments command's outputs on a few steps: five runs, one val plot with five curves, the table, the report.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from './backend.ts';
import { runExperiments, type ExperimentRow } from './experiments.ts';
import { findChromium, renderInChromium } from './headless-chromium.ts';
import { PRESETS } from './presets.ts';

const text = { text: readFileSync('../shared/datasets/tinyshakespeare.txt', 'utf8').slice(0, 50_000), path: 'tinyshakespeare[0:50k]' };
let out = '';
let rows: ExperimentRow[] = [];

beforeAll(async () => {
  await useBackend('wasm');
  out = mkdtempSync(join(tmpdir(), 'gpt-kata-experiments-'));
  rows = await runExperiments({
    preset: 'tiny',
    base: { ...PRESETS.tiny, nEmbd: 16, blockSize: 16, batchSize: 4, iters: 6, evalInterval: 3, evalIters: 1, finalEvalIters: 1, sampleChars: 10 },
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

  it('writes one val plot with every curve, and the table as markdown and JSON', () => {
    const svg = readFileSync(join(out, 'val_loss.svg'), 'utf8');
    expect([...svg.matchAll(/<path d="M/g)]).toHaveLength(5);
    const baseline = readFileSync(join(out, 'baseline', 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(baseline).toHaveLength(7); // 6 steps, evaluated at every step: at least 10 points or every step
    expect(readFileSync(join(out, 'val_loss.png')).subarray(1, 4).toString('ascii')).toBe('PNG');
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| configuration'))).toHaveLength(5);
    const json = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ExperimentRow[];
    expect(Object.keys(json[0]!)).toEqual(['name', 'change', 'params', 'final_train_loss', 'final_val_loss', 'wall_s', 'ms_per_step']);
  });

  it.skipIf(!findChromium())('report.html shows the curves and the table in headless Chromium', async () => {
    const { dom } = await renderInChromium(join(out, 'report.html'));
    expect([...dom.matchAll(/<path d="M/g)]).toHaveLength(5);
    expect(dom).toContain('<a href="n_layer-x2/report.html">n_layer-x2</a>');
    expect(dom).toContain(rows[3]!.final_val_loss.toFixed(4));
  });
});
