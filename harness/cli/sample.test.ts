// `npm run -s sample` as a user types it: continue a prompt from a saved run; refuse what the run cannot encode.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt, generate } from '../../grader/katas/gpt/reference.ts';
import { selectBackend } from '../backends/select.ts';
import { PRESETS } from '../train/presets.ts';
import { runTraining } from '../train/trainer.ts';
import { readSlice } from '../../datasets/tiny-shakespeare-slice.ts';
import { npmRun } from './test-support/npm-run.ts';

// -s: the sampled text on stdout is the output, as it is for a user who pipes it into a file
const sample = (args: string[]) => npmRun('sample', ['--backend', 'wasm', ...args], { silent: true });
let out = '';

beforeAll(async () => {
  await selectBackend('wasm');
  out = mkdtempSync(join(tmpdir(), 'gpt-kata-sample-'));
  await runTraining({
    title: 'sample test',
    preset: 'tiny',
    out,
    config: { ...PRESETS.tiny, iters: 20, evalIters: 1, finalEvalIters: 1, sampleChars: 10 },
    seed: 1,
    resume: false,
    text: { text: readSlice(50_000), path: 'tinyshakespeare[0:50k]' },
    model: { kind: 'gpt', source: 'reference', gpt, generate },
    backend: 'wasm',
    stream: { write: () => true },
  });
});

describe('npm run sample', () => {
  it('prints the prompt and --chars new characters on stdout, the backend on stderr', async () => {
    const r = await sample(['--run', out, '--chars', '80', '--prompt', 'ROMEO:', '--temperature', '0.8']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^backend: \w+/m);
    const text = r.stdout; // execa already strips the one newline the CLI adds; a sampled newline at the end is text
    expect(text.startsWith('ROMEO:')).toBe(true);
    expect([...text]).toHaveLength(6 + 80);
  });

  it('temperature 0 is greedy: the same text twice', async () => {
    const a = await sample(['--run', out, '--chars', '40', '--temperature', '0']);
    const b = await sample(['--run', out, '--chars', '40', '--temperature', '0']);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('names a prompt character outside the vocabulary, and a run without a checkpoint', async () => {
    const bad = await sample(['--run', out, '--prompt', 'naïve']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--prompt: the character "ï" is not in this run\'s vocabulary');
    const none = await sample(['--run', join(out, 'nothing-here')]);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toMatch(/no checkpoint in .*nothing-here\/checkpoint: train first/);
  });
});
