// `npm run experiments` as a user types it: five configurations trained on the same steps, one plot, one table.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLICE_PATH } from '../../datasets/tiny-shakespeare-slice.ts';
import { npmRun } from './test-support/npm-run.ts';

const CONFIGURATIONS = ['baseline', 'n_embd-x2', 'n_layer-x2', 'gelu', 'bigram'];

describe('npm run experiments', () => {
  it('trains the five configurations (tiny, 3 steps) and writes the plot, the table and the report', async () => {
    const out = mkdtempSync(join(tmpdir(), 'gpt-kata-npm-experiments-'));
    const r = await npmRun('experiments', ['--preset', 'tiny', '--iters', '3', '--backend', 'wasm', '--data', SLICE_PATH, '--out', out]);
    expect(r.exitCode, r.all).toBe(0);
    for (const name of CONFIGURATIONS) expect(existsSync(join(out, name, 'metrics.jsonl')), name).toBe(true);
    for (const f of ['loss.svg', 'loss.png', 'results.md', 'results.json', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const rows = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { name: string; final_val_loss: number }[];
    expect(rows.map((row) => row.name)).toEqual(CONFIGURATIONS);
    for (const row of rows) expect(row.final_val_loss, row.name).toBeLessThan(Math.log(65) + 0.1); // ~uniform or better after 3 steps
    expect(r.stdout).toMatch(/^\| baseline \| the preset as is \|/m); // the table, printed too
    expect(r.all).not.toMatch(/\n\s+at /);
  });
});
