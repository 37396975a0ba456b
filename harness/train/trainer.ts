// The training loop: data → model → steps with evals and checkpoints → sample, metrics, charts and report in OUT.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Generate, GPT, GPTConfig } from '../../katas/contracts.ts';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { mixSeed } from '../../grader/seeded-random.ts';
import { batchIds, batchTensors, splitTokens } from '../../datasets/splits.ts';
import { median } from '../bench/median.ts';
import { AdamW } from './adamw.ts';
import { bigramForward, bigramGenerate, initBigramParams } from './bigram.ts';
import { causalityProbe, type ProbeResult } from './causality-probe.ts';
import { assignWeights, checkpointDir, hasCheckpoint, loadCheckpoint, saveCheckpoint, type CheckpointMeta, type ModelMeta } from './checkpoint.ts';
import { RunDetectors, type Alert } from './detectors.ts';
import { trainingDropout } from './dropout.ts';
import { estimateLoss, estimateLossWithError } from './evaluate.ts';
import { estimateLine, estimateRun } from './estimate.ts';
import { failsGraderMark } from './grader-mark.ts';
import { initGPTParams } from './init-params.ts';
import { learningRate, type LrSchedule } from './lr-schedule.ts';
import { appendEvalLine, appendTrainLine, evalsOf, readMetrics, resetMetrics, type EvalLine, type MetricsLine } from './metrics.ts';
import type { ModelCode } from './model-code.ts';
import { countParams, disposeParams, flattenParams } from './param-tree.ts';
import { type TrainConfig, gptConfigOf } from './presets.ts';
import { formatDuration, Progress, type OutputStream } from './progress-bar.ts';
import { writeRunReport } from './run-report.ts';
import { refuseToReplace } from './run-folder.ts';
import { UserError } from '../../grader/user-error.ts';
import { gptForward, trainStep, type Forward } from './train-step.ts';

/** Which model to train: a contract GPT (the reference's or the learner's functions) or the bigram baseline. */
export type ModelSpec =
  | { kind: 'gpt'; source: 'reference' | 'mine'; file?: string; gpt: GPT; generate: Generate; code?: ModelCode }
  | { kind: 'bigram' };

export interface TrainRunOptions {
  /** Headline for the console and the report, e.g. "reference GPT, baby preset". */
  title: string;
  preset: string;
  out: string;
  config: TrainConfig;
  seed: number;
  resume: boolean;
  /** --fresh: start over in a folder that holds a run (without it, such a folder is refused unless resume). */
  fresh?: boolean;
  /** The command, for the refusal's wording (default "train"). */
  command?: string;
  text: { text: string; path: string };
  model: ModelSpec;
  /** describeBackend()'s short line, for the report. */
  backend: string;
  /** The backend's full reason, for the report's details section. */
  backendDetails?: string;
  stream?: OutputStream;
  /** train:mine --anyway: the grader's mistakes in the learner's gpt.ts; every output is marked with them. */
  failsGrader?: readonly string[];
  /** Also run the causality probe on the finished model (the pitfall lab reports it for every variant). */
  finalProbe?: boolean;
  /** Print an estimate of the run's time before it starts (default true; experiments estimate all runs up front). */
  estimate?: boolean;
  /** Told every metrics line as it is written, and the sample at the end (the W&B logger). */
  observer?: RunObserver;
}

export interface RunObserver {
  metrics(line: MetricsLine): void;
  sample(text: string, step: number): void;
}

export interface TrainRunResult {
  /** Every line of metrics.jsonl: the train loss every log interval and the evaluations. */
  metrics: MetricsLine[];
  /** The evaluations only. */
  evals: EvalLine[];
  finalTrainLoss: number;
  finalValLoss: number;
  /** Standard error of the final val loss over its eval batches. */
  finalValSe: number;
  /** Val loss of the untrained model (step 0). */
  initialValLoss: number;
  wallS: number;
  params: number;
  sample: string;
  /** Median wall time of one training step in this process (NaN if it ran none). */
  msPerStep: number;
  /** What the detectors said, and what each checked. */
  alerts: Alert[];
  detectorChecks: string[];
  /** The causality probe on the finished model, when finalProbe was asked for. */
  probe?: ProbeResult;
}

// Salts that keep the batch streams apart: training batches, and the fixed eval sets of each split.
const TRAIN_STREAM = 1;
const EVAL_TRAIN = 2;
const EVAL_VAL = 3;

export interface BuiltModel {
  params: unknown;
  /** The forward pass the step differentiates. */
  forward: Forward<never>;
  /** Appends n tokens sampled at temperature 1 with the model's own generate. */
  sampleTokens: (idx: tf.Tensor2D, n: number) => tf.Tensor2D;
}

/** The model's parameters (seeded init), forward pass and sampler; the caller disposes the parameters. */
function buildModel(model: ModelSpec, cfg: GPTConfig, seed: number): BuiltModel {
  if (model.kind === 'gpt') {
    const p = initGPTParams(cfg, seed);
    const gen = model.generate;
    return { params: p, forward: gptForward(model.gpt, cfg), sampleTokens: (idx, n) => gen(idx, p, cfg, n, 1) };
  }
  const p = initBigramParams(cfg.vocabSize);
  return { params: p, forward: bigramForward, sampleTokens: (idx, n) => bigramGenerate(idx, p, n, 1) };
}

/** Times `model` under config `c` on this machine and returns the estimated seconds of a whole run (experiments sum these). */
export async function estimateModelRun(model: ModelSpec, c: TrainConfig, vocabSize: number, train: Int32Array, seed: number) {
  const cfg = gptConfigOf(c, vocabSize);
  const built = buildModel(model, cfg, seed);
  try {
    return await estimateRun(built.forward, built.params as never, flattenParams(built.params).map((p) => p.variable), train, c, built.sampleTokens);
  } finally {
    disposeParams(built.params);
  }
}

function modelMetaMatches(a: ModelMeta, b: ModelMeta): string | null {
  if (a.kind !== b.kind) return `it holds a ${a.kind} model, not a ${b.kind}`;
  const keys = ['vocabSize', 'blockSize', 'nEmbd', 'nHead', 'nLayer', 'activation'] as const;
  for (const k of keys) if (a.config[k] !== b.config[k]) return `its ${k} is ${a.config[k]}, this run's is ${b.config[k]}`;
  return null;
}

/** Trains one model into `o.out`; throws a UserError for problems the user can fix. */
export async function runTraining(o: TrainRunOptions): Promise<TrainRunResult> {
  const c = o.config;
  const stream = o.stream ?? process.stdout;
  const say = (line: string) => stream.write(`${line}\n`);

  const tok = CharTokenizer.fromText(o.text.text);
  const tokens = tok.encode(o.text.text);
  const { train, val } = splitTokens(tokens);
  if (val.length <= c.blockSize + 1) {
    throw new UserError(`${o.text.path} is too short: its val split has ${val.length} tokens, fewer than blockSize ${c.blockSize}`);
  }
  const cfg: GPTConfig = gptConfigOf(c, tok.vocabSize);
  const modelMeta: ModelMeta =
    o.model.kind === 'gpt'
      ? { kind: 'gpt', source: o.model.source, ...(o.model.file ? { file: o.model.file } : {}), config: cfg, ...(o.failsGrader ? { failsGrader: [...o.failsGrader] } : {}) }
      : { kind: 'bigram', source: 'reference', config: cfg };
  const mark = o.failsGrader ? failsGraderMark(o.failsGrader) : undefined;

  if (!o.resume) refuseToReplace(o.out, { fresh: o.fresh === true, resumable: true, command: o.command ?? 'train' });
  mkdirSync(o.out, { recursive: true });
  const { params, forward, sampleTokens } = buildModel(o.model, cfg, o.seed);
  const named = flattenParams(params);
  const optimizer = new AdamW(named, { beta1: c.beta1, beta2: c.beta2, weightDecay: c.weightDecay });
  const nParams = countParams(params);

  try {
    let start = 0;
    let elapsedBefore = 0;
    if (o.resume) {
      if (!hasCheckpoint(o.out)) {
        throw new UserError(`--resume: no checkpoint in ${checkpointDir(o.out)}; train without --resume first (or pass the run's --out)`);
      }
      const ck = loadCheckpoint(o.out);
      try {
        const mismatch = modelMetaMatches(ck.meta.model, modelMeta);
        if (mismatch) throw new UserError(`--resume: the checkpoint in ${checkpointDir(o.out)} does not fit this run: ${mismatch}`);
        if (ck.meta.vocab.join('') !== tok.chars.join('')) {
          throw new UserError(`--resume: the checkpoint was trained on a different text (another vocabulary); pass the same --data`);
        }
        assignWeights(named, ck.weights);
        optimizer.loadState(ck.optimizer.t, ck.optimizer.tensors);
        start = ck.meta.step;
        elapsedBefore = ck.meta.elapsedS;
      } finally {
        tf.dispose(ck.weights);
        tf.dispose(ck.optimizer.tensors);
      }
      resetMetrics(o.out, start + 1); // keep what was measured up to the checkpoint
    } else {
      resetMetrics(o.out);
      rmSync(checkpointDir(o.out), { recursive: true, force: true }); // a stale checkpoint must not be resumed by mistake
    }

    say(
      `data: ${o.text.path} (${tokens.length.toLocaleString('en-US')} characters, vocabulary ${tok.vocabSize}; ` +
        `${train.length.toLocaleString('en-US')} train / ${val.length.toLocaleString('en-US')} val tokens)`,
    );
    say(
      o.model.kind === 'gpt'
        ? `model: ${o.model.source === 'mine' ? `your gpt (${o.model.file})` : 'reference gpt'}, ${nParams.toLocaleString('en-US')} parameters ` +
            `(${c.nLayer} layers, ${c.nHead} heads, n_embd ${c.nEmbd}, block ${c.blockSize}, ${c.activation}, dropout ${c.dropout})`
        : `model: bigram table, ${nParams.toLocaleString('en-US')} parameters`,
    );
    if (mark) say(`⚠ ${mark}`);
    say(
      `training: ${c.iters} steps of ${c.batchSize}×${c.blockSize} tokens, lr ${c.lr} → ${c.minLr} (cosine, ${c.warmupIters} warm-up), ` +
        `AdamW wd ${c.weightDecay}, clip ${c.gradClip}, seed ${o.seed}${start ? `; resuming at step ${start}` : ''}`,
    );
    if (o.estimate !== false) {
      const e = await estimateRun(forward, params as never, named.map((p) => p.variable), train, c, sampleTokens, start);
      say(estimateLine(e, c, start));
    }

    const probeLive = async (): Promise<ProbeResult> => {
      try {
        return await causalityProbe(forward, params as never, val, c.blockSize, tok.vocabSize, o.seed);
      } catch (e) {
        const who = o.model.kind === 'gpt' && o.model.source === 'mine' ? `your gpt (${o.model.file})` : 'the model';
        throw new UserError(`the causality probe could not run ${who}: ${(e as Error).message}`);
      }
    };
    const schedule: LrSchedule = { lr: c.lr, minLr: c.minLr, warmupIters: c.warmupIters, decayIters: c.lrDecayIters ?? c.iters };
    const evalSpec = (iters: number) => ({ batchSize: c.batchSize, blockSize: c.blockSize, iters, seed: o.seed });
    const t0 = performance.now();
    const elapsed = () => elapsedBefore + (performance.now() - t0) / 1000;
    const progress = new Progress({ total: c.iters, every: c.logInterval, stream });
    const detectors = new RunDetectors(c, tok.vocabSize, (line) => progress.print(line)); // above the live progress bar
    const stepMs: number[] = [];
    let windowMs = 0; // training time since the last eval
    let windowSteps = 0;
    let logLosses: number[] = []; // training-batch losses since the last train line
    let finalValSe = 0;
    const record = (line: MetricsLine) => {
      if ('val_loss' in line) appendEvalLine(o.out, line);
      else appendTrainLine(o.out, line);
      o.observer?.metrics(line);
    };

    const meta = (step: number): CheckpointMeta => ({
      step,
      elapsedS: elapsed(),
      seed: o.seed,
      model: modelMeta,
      train: c,
      vocab: [...tok.chars],
    });

    for (let step = start; ; step++) {
      const final = step >= c.iters;
      const alreadyMeasured = o.resume && step === start; // the checkpoint was written right after this eval
      if (!alreadyMeasured && (final || step % c.evalInterval === 0)) {
        const e0 = performance.now();
        const iters = final ? c.finalEvalIters : c.evalIters;
        const trainLoss = await estimateLoss(forward, params as never, train, evalSpec(iters), mixSeed(o.seed, EVAL_TRAIN));
        const { mean: valLoss, se: valSe } = await estimateLossWithError(forward, params as never, val, evalSpec(iters), mixSeed(o.seed, EVAL_VAL));
        const tokensPerS = windowSteps ? (windowSteps * c.batchSize * c.blockSize) / (windowMs / 1000) : 0;
        progress.print(
          `step ${step}: train loss ${trainLoss.toFixed(4)}, val loss ${valLoss.toFixed(4)}${final ? ` ± ${valSe.toFixed(4)} (standard error)` : ''} ` +
            `(${iters} batches each, ${((performance.now() - e0) / 1000).toFixed(1)}s)`,
        );
        if (final) finalValSe = valSe;
        await detectors.afterEval(step, trainLoss, () => probeLive());
        record({
          step,
          train_loss: trainLoss,
          val_loss: valLoss,
          ...(final ? { val_se: valSe } : {}),
          lr: learningRate(step, schedule),
          tokens_per_s: tokensPerS,
          elapsed_s: elapsed(),
          alerts: detectors.takeUnwritten(),
          ...(mark ? { grader: mark } : {}),
        });
        windowMs = 0;
        windowSteps = 0;
        if (step > 0) await saveCheckpoint(o.out, meta(step), named, optimizer, o.model.kind === 'gpt' ? o.model.code : undefined);
      }
      if (final) break;

      const lr = learningRate(step, schedule);
      const ids = batchIds(train, c.batchSize, c.blockSize, mixSeed(o.seed, TRAIN_STREAM), step);
      const batch = batchTensors(ids, c.batchSize, c.blockSize);
      const s0 = performance.now();
      let loss: number;
      try {
        ({ loss } = await trainStep(forward, params as never, optimizer, batch, {
          lr,
          gradClip: c.gradClip,
          dropout: trainingDropout(c.dropout, o.seed, step),
        }));
      } catch (e) {
        if (o.model.kind === 'gpt' && o.model.source === 'mine' && !(e instanceof UserError)) {
          throw new UserError(`your gpt (${o.model.file}) threw at training step ${step}: ${(e as Error).message}`);
        }
        throw e;
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
      const ms = performance.now() - s0;
      detectors.afterStep(step + 1, loss);
      logLosses.push(loss);
      if ((step + 1) % c.logInterval === 0 || step + 1 === c.iters) {
        record({ step: step + 1, train_loss: logLosses.reduce((a, b) => a + b, 0) / logLosses.length });
        logLosses = [];
      }
      stepMs.push(ms);
      windowMs += ms;
      windowSteps += 1;
      const done = step + 1 - start;
      const perStep = (performance.now() - t0) / done; // evals included, so the ETA is honest
      const recent = stepMs.slice(-20);
      const tokensPerS = (recent.length * c.batchSize * c.blockSize) / (recent.reduce((a, b) => a + b, 0) / 1000);
      progress.update(step + 1, loss, tokensPerS, ((c.iters - step - 1) * perStep) / 1000);
    }
    progress.done();
    detectors.finish(c.iters);
    const probe = o.finalProbe ? await probeLive() : undefined;

    // The week's deliverable: 500 characters at temperature 1 from the model's own generate.
    const s0 = performance.now();
    const startId = tok.canEncode('\n') ? tok.encode('\n')[0]! : 0;
    const prompt = tf.tensor2d([[startId]], [1, 1], 'int32');
    let sample: string;
    try {
      const out = sampleTokens(prompt, c.sampleChars);
      const ids = Array.from(await out.data()).slice(1);
      out.dispose();
      sample = tok.decode(ids);
    } catch (e) {
      const who = o.model.kind === 'gpt' && o.model.source === 'mine' ? `your generate (${o.model.file})` : 'generate';
      throw new UserError(`training finished, but ${who} threw while sampling: ${(e as Error).message}`);
    } finally {
      prompt.dispose();
    }
    writeFileSync(join(o.out, 'sample.txt'), `${sample}\n`);
    const sampleS = (performance.now() - s0) / 1000;
    o.observer?.sample(sample, c.iters);

    const metrics = readMetrics(o.out);
    const evals = evalsOf(metrics);
    const wallS = elapsed();
    writeRunReport(o.out, {
      title: o.title,
      model:
        o.model.kind === 'gpt'
          ? o.model.source === 'mine'
            ? `your gpt (${o.model.file})`
            : 'reference gpt (grader/katas/gpt/reference.ts)'
          : 'bigram table (the lecture\'s first model)',
      backend: o.backend,
      ...(o.backendDetails ? { backendDetails: o.backendDetails } : {}),
      preset: o.preset,
      config: c,
      seed: o.seed,
      params: nParams,
      vocabSize: tok.vocabSize,
      data: { path: o.text.path, tokens: tokens.length, train: train.length, val: val.length },
      metrics,
      sample,
      wallS,
      alerts: evals.flatMap((m) => m.alerts ?? []), // a resumed run keeps what was said before the checkpoint
      detectorChecks: detectors.checks,
      ...(mark ? { failsGrader: mark } : {}),
    });
    const last = evals.at(-1)!;
    say(`\nsample (${[...sample].length} characters at temperature 1, ${sampleS.toFixed(1)}s):\n${'─'.repeat(60)}\n${sample}\n${'─'.repeat(60)}`);
    if (mark) say(`⚠ ${mark}`);
    say(
      `done in ${formatDuration(wallS)}: ${c.iters} steps; final train loss ${last.train_loss.toFixed(4)}, ` +
        `val loss ${last.val_loss.toFixed(4)} ± ${finalValSe.toFixed(4)} (standard error over ${c.finalEvalIters} batches)`,
    );
    say(`files: ${o.out}/`);
    say(`  report.html   curves, sample, configuration   loss.png, loss.svg   the curves`);
    say(`  metrics.jsonl train loss every ${c.logInterval} steps, val loss every ${c.evalInterval}   sample.txt   the sample above`);
    say(`  checkpoint/   weights and optimizer${o.model.kind === 'gpt' && o.model.code ? ', and code/: the model code it trained with' : ''} (npm run sample -- --run ${o.out})`);
    return {
      metrics,
      evals,
      finalTrainLoss: last.train_loss,
      finalValLoss: last.val_loss,
      finalValSe,
      initialValLoss: evals[0]!.val_loss,
      wallS,
      params: nParams,
      sample,
      msPerStep: median(stepMs),
      alerts: detectors.alerts,
      detectorChecks: detectors.checks,
      ...(probe ? { probe } : {}),
    };
  } finally {
    optimizer.dispose();
    disposeParams(params);
  }
}
