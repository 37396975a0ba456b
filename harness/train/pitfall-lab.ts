// npm run experiments -- --pitfalls: every pitfall trained for real beside the correct model, the sampling leak measured, one report.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import type { Generate, GPTConfig, GPTParams } from '../../katas/contracts.ts';
import { generate, gpt } from '../../grader/katas/gpt/reference.ts';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { splitTokens } from '../../datasets/splits.ts';
import { assignWeights, loadCheckpoint } from './checkpoint.ts';
import { withCurvePoints } from './experiments.ts';
import { initGPTParams } from './init-params.ts';
import { disposeParams, flattenParams } from './param-tree.ts';
import { writePitfallReport } from './pitfall-report.ts';
import type { LeakCurve, LeakResult, PitfallLabOptions, PitfallLabResult, TrainedPitfall } from './pitfall-results.ts';
import { loadFaultyModel } from './pitfalls/faulty-model.ts';
import { LEAK_PITFALL, TRAINING_PITFALLS, type TrainingPitfall } from './pitfalls/index.ts';
import { gptConfigOf, PRESETS } from './presets.ts';
import { runTraining } from './trainer.ts';
import { UserError } from '../../grader/user-error.ts';

const slug = (id: string) => id.replace(/\//g, '--');

/** Least-squares slope and R² of y against x. */
function linearFit(x: readonly number[], y: readonly number[]): { slope: number; r2: number } {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  const slope = sxx ? sxy / sxx : 0;
  return { slope, r2: syy ? (sxy * sxy) / (sxx * syy) : 1 };
}

/**
 * Samples `n` tokens one call at a time (generate(seq, 1), then the previous sequence is disposed) and reads
 * tf.memory() after each. A leaky generate leaves the same tensors per call as per iteration of its own loop
 * (the old sequence and that step's intermediates), so the count after k calls is what generate(k) leaves.
 * Everything the variant leaked is freed afterwards, so the next variant starts from the same memory.
 */
export function measureLeak(label: string, gen: Generate, params: GPTParams, cfg: GPTConfig, prompt: Int32Array, n: number): LeakCurve {
  const tokens: number[] = [];
  const tensors: number[] = [];
  const bytes: number[] = [];
  const base = tf.memory();
  tf.tidy(() => {
    let seq = tf.tensor2d(prompt, [1, prompt.length], 'int32'); // (1, T0)
    const record = (i: number) => {
      const m = tf.memory();
      tokens.push(i);
      tensors.push(m.numTensors - base.numTensors);
      bytes.push(m.numBytes - base.numBytes);
    };
    record(0);
    for (let i = 1; i <= n; i++) {
      const next = gen(seq, params, cfg, 1, 1); // (1, T0 + i)
      seq.dispose();
      seq = next;
      record(i);
    }
  }); // frees whatever the variant leaked
  const t = linearFit(tokens, tensors);
  const b = linearFit(tokens, bytes);
  return { label, tokens, tensors, bytes, tensorsPerToken: t.slope, bytesPerToken: b.slope, r2: b.r2 };
}

/** The trained weights of a finished GPT run, as the contract's params. */
function loadTrainedGpt(dir: string): { params: GPTParams; cfg: GPTConfig } {
  const ck = loadCheckpoint(dir);
  const cfg = ck.meta.model.config;
  const params = initGPTParams(cfg, 0);
  try {
    assignWeights(flattenParams(params), ck.weights);
  } finally {
    tf.dispose(ck.weights);
    tf.dispose(ck.optimizer.tensors);
  }
  return { params, cfg };
}

const GPU_BUDGET_BYTES = 80e9; // an 80 GB A100/H100, the class of GPU the lecture's run is usually shown on

export async function runPitfallLab(o: PitfallLabOptions): Promise<PitfallLabResult> {
  const stream = o.stream ?? process.stdout;
  const say = (line: string) => stream.write(`${line}\n`);
  if (!o.fresh && existsSync(join(o.out, 'correct', 'metrics.jsonl'))) {
    throw new UserError(`${o.out} already holds a pitfall lab, and experiments does not replace it silently: start afresh over it with --fresh, or give the lab another folder with --out DIR.`);
  }
  mkdirSync(o.out, { recursive: true });
  const config = withCurvePoints(o.base);
  const train = async (pitfall: TrainingPitfall | null, i: number): Promise<TrainedPitfall> => {
    const name = pitfall ? slug(pitfall.mistake) : 'correct';
    say(`\n=== pitfall lab ${i + 1}/${TRAINING_PITFALLS.length + 1}: ${pitfall ? `${pitfall.title} [${pitfall.mistake}]` : 'the correct model (reference gpt)'} ===`);
    const dir = join(o.out, name);
    const model = pitfall ? await loadFaultyModel(pitfall.fixture) : { gpt, generate };
    if (pitfall) say(`model: ${pitfall.fixture}, the grader's fixture of ${pitfall.mistake}`);
    const run = await runTraining({
      title: pitfall ? `pitfall ${pitfall.mistake} (${pitfall.title}), ${o.preset} preset` : `pitfall lab: correct model, ${o.preset} preset`,
      preset: o.preset,
      out: dir,
      config,
      seed: o.seed,
      resume: false,
      fresh: true, // the folder was checked above, as a whole
      text: o.text,
      model: { kind: 'gpt', source: 'reference', gpt: model.gpt, generate: model.generate },
      backend: o.backend,
      stream,
      finalProbe: true,
    });
    return { pitfall, dir, run };
  };
  const correct = await train(null, 0);
  const pitfalls: TrainedPitfall[] = [];
  for (const [i, p] of TRAINING_PITFALLS.entries()) pitfalls.push(await train(p, i + 1));

  say(`\n=== pitfall lab: ${LEAK_PITFALL.title} [${LEAK_PITFALL.mistake}] ===`);
  const tok = CharTokenizer.fromText(o.text.text);
  const val = splitTokens(tok.encode(o.text.text)).val;
  const leakTokens = o.leakTokens ?? 200;
  const samplers = await Promise.all(LEAK_PITFALL.variants.map(async (v) => ({ label: v.label, generate: v.fixture ? (await loadFaultyModel(v.fixture)).generate : generate })));
  const trained = loadTrainedGpt(correct.dir);
  let small: LeakCurve[];
  try {
    const prompt = val.slice(0, trained.cfg.blockSize);
    small = samplers.map((v) => measureLeak(v.label, v.generate, trained.params, trained.cfg, prompt, leakTokens));
  } finally {
    disposeParams(trained.params);
  }
  for (const c of small) say(`${c.label}: ${c.tensorsPerToken.toFixed(1)} tensors and ${Math.round(c.bytesPerToken).toLocaleString('en-US')} bytes a token (${o.preset} preset, ${leakTokens} tokens)`);
  const lectureCfg = gptConfigOf(PRESETS.lecture, tok.vocabSize);
  const lectureParams = initGPTParams(lectureCfg, o.seed);
  let lecture: LeakCurve[];
  try {
    const prompt = val.slice(0, lectureCfg.blockSize);
    lecture = samplers.map((v) => measureLeak(v.label, v.generate, lectureParams, lectureCfg, prompt, o.lectureTokens ?? 3));
  } finally {
    disposeParams(lectureParams);
  }
  for (const c of lecture) say(`${c.label}: ${Math.round(c.bytesPerToken).toLocaleString('en-US')} bytes a token at the lecture size`);
  const leak: LeakResult = {
    small: { config: trained.cfg, curves: small },
    lecture: { config: lectureCfg, curves: lecture },
    budgets: [
      { label: `this machine's memory (${(totalmem() / 2 ** 30).toFixed(1)} GiB)`, bytes: totalmem() },
      { label: 'an 80 GB GPU', bytes: GPU_BUDGET_BYTES },
    ],
  };
  const result: PitfallLabResult = { correct, pitfalls, leak, config };
  writePitfallReport(o.out, { ...o, result });
  say(`\nwrote ${o.out}/{report.html,results.json,*.svg} and one run folder per model`);
  return result;
}
