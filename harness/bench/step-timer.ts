// Times the trainer's own training step (harness/train/train-step.ts) on real batches: the numbers `npm run bench` reports.
import * as tf from '@tensorflow/tfjs';
import type { GPT, GPTConfig } from '../../katas/contracts.ts';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { batchIds, batchTensors, splitTokens } from '../../datasets/splits.ts';
import { AdamW } from '../train/adamw.ts';
import { initGPTParams } from '../train/init-params.ts';
import { disposeParams, flattenParams } from '../train/param-tree.ts';
import { type TrainConfig, gptConfigOf } from '../train/presets.ts';
import { gptForward, trainStep } from '../train/train-step.ts';
import { matmulShapes, recordMatmulShapes, type MatmulShareByShape } from '../kernels/matmul-shapes.ts';
import { kernelsAreSynchronous, timeKernels } from './kernel-timer.ts';
import { median } from './median.ts';

export interface StepTiming {
  /** Median wall time of the timed steps. */
  msPerStep: number;
  tokensPerS: number;
  /** Every timed step, in order (ms). */
  samples: number[];
  /** Median CPU time of a step (user + system, all threads of this process): steadier than wall time on a busy machine. */
  cpuMsPerStep: number;
  /** Per-kernel and per-matmul-shape time of a step, from PROFILED_STEPS extra steps per setting (only when asked for). */
  profiles?: StepProfile[];
}

interface KernelShare {
  name: string;
  /** The median over the profiled steps of this kernel's total in a step: one descheduled step does not skew it. */
  ms: number;
  calls: number; // per step
}

interface StepProfile {
  /** The setting it ran under, e.g. "default threads". */
  label: string;
  /** How kernels were timed: a wall clock around each call, or tf.profile's timers (GPU backends). */
  timer: 'wall time of each kernel call' | 'tf.profile';
  steps: number;
  /** Slowest first. */
  kernels: KernelShare[];
  /** The matmuls by shape, per step (the mean over the profiled steps), slowest first; empty where our wasm matmul does not run. */
  matmuls: MatmulShareByShape[];
}

interface ProfileSetting {
  label: string;
  apply(): void;
}

/** Extra steps profiled after the timed ones, per setting. */
const PROFILED_STEPS = 5;

export interface TimeStepsOptions {
  gpt: GPT;
  config: TrainConfig;
  text: string;
  steps: number;
  /** Untimed steps first: kernel setup, wasm heap growth and V8's JIT all settle in the first few. */
  warmup: number;
  /** Profile PROFILED_STEPS extra steps under each setting: apply() sets it up before its steps. */
  profile?: readonly ProfileSetting[];
  seed?: number;
}

/** Builds the model and optimizer exactly as the trainer does, runs warmup + steps training steps, and times them. */
export async function timeSteps(o: TimeStepsOptions): Promise<StepTiming> {
  const c = o.config;
  const seed = o.seed ?? 1337;
  const tok = CharTokenizer.fromText(o.text);
  const { train } = splitTokens(tok.encode(o.text));
  const cfg: GPTConfig = gptConfigOf(c, tok.vocabSize);
  const params = initGPTParams(cfg, seed);
  const optimizer = new AdamW(flattenParams(params), { beta1: c.beta1, beta2: c.beta2, weightDecay: c.weightDecay });
  const forward = gptForward(o.gpt, cfg);
  const hp = { lr: c.lr, gradClip: c.gradClip, dropout: (t: tf.Tensor) => t }; // dropout 0 in the timed presets' spirit
  let index = 0;
  const step = async () => {
    const batch = batchTensors(batchIds(train, c.batchSize, c.blockSize, seed, index++), c.batchSize, c.blockSize);
    try {
      await trainStep(forward, params, optimizer, batch, hp);
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
  };
  try {
    for (let i = 0; i < o.warmup; i++) await step();
    const samples: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < o.steps; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await step();
      samples.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
    }
    const msPerStep = median(samples);
    const timing: StepTiming = { msPerStep, tokensPerS: (c.batchSize * c.blockSize * 1000) / msPerStep, samples, cpuMsPerStep: median(cpu) };
    if (o.profile) {
      timing.profiles = [];
      for (const setting of o.profile) {
        setting.apply();
        timing.profiles.push(await profileSteps(step, setting.label));
      }
    }
    return timing;
  } finally {
    optimizer.dispose();
    disposeParams(params);
  }
}

/**
 * Runs PROFILED_STEPS steps, each kernel call timed (kernel-timer.ts; tf.profile where kernels run asynchronously):
 * per kernel the median of its time in a step, per matmul shape the mean.
 */
async function profileSteps(step: () => Promise<void>, label: string): Promise<StepProfile> {
  const perStep: Map<string, { ms: number; calls: number }>[] = [];
  const wallClock = kernelsAreSynchronous(tf.getBackend());
  recordMatmulShapes(true);
  try {
    for (let i = 0; i < PROFILED_STEPS; i++) {
      if (wallClock) {
        perStep.push(await timeKernels(step));
        continue;
      }
      const info = await tf.profile(async () => {
        await step();
      });
      const byName = new Map<string, { ms: number; calls: number }>();
      for (const k of info.kernels) {
        const share = byName.get(k.name) ?? { ms: 0, calls: 0 };
        share.ms += Number(k.kernelTimeMs) || 0;
        share.calls += 1;
        byName.set(k.name, share);
      }
      perStep.push(byName);
    }
    const names = new Set(perStep.flatMap((m) => [...m.keys()]));
    const kernels = [...names].map((name) => ({
      name,
      ms: median(perStep.map((m) => m.get(name)?.ms ?? 0)),
      calls: Math.round(median(perStep.map((m) => m.get(name)?.calls ?? 0))),
    }));
    const matmuls = matmulShapes().map((m) => ({ ...m, ms: m.ms / PROFILED_STEPS, calls: m.calls / PROFILED_STEPS }));
    const timer = wallClock ? 'wall time of each kernel call' : 'tf.profile';
    return { label, timer, steps: PROFILED_STEPS, kernels: kernels.sort((a, b) => b.ms - a.ms), matmuls };
  } finally {
    recordMatmulShapes(false);
  }
}
