// Checkpoints: the saved files round-trip, and --resume continues exactly where an uninterrupted run would be.
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gpt, generate } from '../../grader/katas/gpt/reference.ts';
import { wasmMatmulPath } from '../kernels/index.ts';
import { selectBackend } from '../backends/select.ts';
import { loadCheckpoint } from './checkpoint.ts';
import { evalsOf, readMetrics, trainLinesOf } from './metrics.ts';
import { PRESETS, type TrainConfig } from './presets.ts';
import { runTraining, type TrainRunOptions } from './trainer.ts';
import { readSlice } from '../../datasets/tiny-shakespeare-slice.ts';

const text = { text: readSlice(100_000), path: 'tinyshakespeare[0:100k]' };
const config: TrainConfig = {
  ...PRESETS.tiny,
  nLayer: 1,
  nEmbd: 16,
  blockSize: 16,
  batchSize: 4,
  dropout: 0.1, // seeded dropout must resume exactly too
  iters: 12,
  lrDecayIters: 12,
  warmupIters: 2,
  evalInterval: 4,
  logInterval: 4, // a train line at every eval step, so the resumed run's lines match the straight run's
  evalIters: 2,
  finalEvalIters: 2,
  sampleChars: 20,
};
const quiet = { write: () => true };
const run = (out: string, over: Partial<TrainRunOptions> = {}, cfg: Partial<TrainConfig> = {}) =>
  runTraining({
    title: 'resume test',
    preset: 'tiny',
    out,
    config: { ...config, ...cfg },
    seed: 42,
    resume: false,
    text,
    model: { kind: 'gpt', source: 'reference', gpt, generate },
    backend: 'wasm',
    stream: quiet,
    ...over,
  });
const tmp = () => mkdtempSync(join(tmpdir(), 'gpt-kata-resume-'));

beforeAll(async () => {
  await selectBackend('wasm');
  console.log(`[resume] wasm backend, matmul: ${wasmMatmulPath()}`); // the system BLAS where its addon is built
});

describe('checkpoint and --resume', () => {
  it('writes the documented checkpoint: manifest, weights, AdamW moments, step', async () => {
    const out = tmp();
    await run(out);
    const ck = loadCheckpoint(out);
    expect(ck.meta.step).toBe(12);
    expect(ck.meta.model.config).toMatchObject({ nLayer: 1, nEmbd: 16, blockSize: 16, vocabSize: ck.meta.vocab.length });
    expect(ck.weights['blocks.0.attn.wqkv']!.shape).toEqual([16, 48]);
    expect(ck.weights['head.w']!.shape).toEqual([16, ck.meta.vocab.length]);
    expect(ck.optimizer.t).toBe(12);
    expect(Object.keys(ck.optimizer.tensors)).toContain('v.wte');
    const manifest = JSON.parse(readFileSync(join(out, 'checkpoint', 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    expect(manifest.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    tf.dispose([...Object.values(ck.weights), ...Object.values(ck.optimizer.tensors)]);
  });

  it('stopping at step 8 and resuming to 12 gives the very weights and losses of a straight run', async () => {
    const straight = tmp();
    await run(straight);
    const resumed = tmp();
    await run(resumed, {}, { iters: 8 }); // stops at 8; the cosine still spans 12 steps (lrDecayIters)
    await run(resumed, { resume: true });
    const a = readFileSync(join(straight, 'checkpoint', 'weights.bin'));
    const b = readFileSync(join(resumed, 'checkpoint', 'weights.bin'));
    expect(b.equals(a)).toBe(true);
    expect(readFileSync(join(resumed, 'checkpoint', 'optimizer.bin')).equals(readFileSync(join(straight, 'checkpoint', 'optimizer.bin')))).toBe(true);
    const pick = (m: ReturnType<typeof readMetrics>) => evalsOf(m).map(({ step, train_loss, val_loss, lr }) => ({ step, train_loss, val_loss, lr }));
    expect(pick(readMetrics(resumed))).toEqual(pick(readMetrics(straight)));
    expect(evalsOf(readMetrics(resumed)).map((m) => m.step)).toEqual([0, 4, 8, 12]);
    expect(trainLinesOf(readMetrics(resumed))).toEqual(trainLinesOf(readMetrics(straight))); // the train loss of every log interval too
  });

  it('--resume without a checkpoint says what to do', async () => {
    await expect(run(tmp(), { resume: true })).rejects.toThrow(/no checkpoint in .*train without --resume first/);
  });

  it('--resume with a different model shape refuses', async () => {
    const out = tmp();
    await run(out, {}, { iters: 4 });
    await expect(run(out, { resume: true }, { nEmbd: 32 })).rejects.toThrow(/does not fit this run: its nEmbd is 16, this run's is 32/);
  });
});
