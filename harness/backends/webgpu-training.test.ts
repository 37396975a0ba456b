// A few training steps of the tiny GPT on WebGPU give the cpu backend's losses: the whole path, not just kernels.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { readSlice } from '../../datasets/tiny-shakespeare-slice.ts';
import { batchIds, batchTensors, splitTokens, type Batch } from '../../datasets/splits.ts';
import { gpt } from '../../grader/katas/gpt/reference.ts';
import type { GPTConfig } from '../../katas/contracts.ts';
import { AdamW } from '../train/adamw.ts';
import { crossEntropy } from '../train/cross-entropy.ts';
import { identity } from '../train/dropout.ts';
import { initGPTParams } from '../train/init-params.ts';
import { disposeParams, flattenParams } from '../train/param-tree.ts';
import { PRESETS } from '../train/presets.ts';
import { gptForward, trainStep } from '../train/train-step.ts';
import { selectBackend } from './select.ts';
import { webgpuAvailable } from './test-support/webgpu-test-gate.ts';

const available = await webgpuAvailable('webgpu training');

const STEPS = 3; // enough for the optimiser's moments to matter; lavapipe needs ~0.5-2 s a step here
const TINY = PRESETS.tiny;
const BATCH = TINY.batchSize / 2; // the tiny preset's model, half its batch to keep CI fast
const SEED = 1337;

interface Run {
  losses: number[];
  msPerStep: number;
  tensorsAfter: number[]; // live tensors after each step
  gpuBytes: number; // bytes in GPU buffers at the end (0 unless the run really used the GPU)
}

/** One optimisation step on `batch`, returning the loss; `init` builds the state it closes over. */
type Stepper = { step(batch: Batch): Promise<number>; dispose(): void };

/** The trainer's own step: forward, cross-entropy, backward, global-norm clip, AdamW. */
function trainerStepper(cfg: GPTConfig): Stepper {
  const params = initGPTParams(cfg, SEED);
  const optimizer = new AdamW(flattenParams(params), { beta1: TINY.beta1, beta2: TINY.beta2, weightDecay: TINY.weightDecay });
  const forward = gptForward(gpt, cfg);
  return {
    async step(batch) {
      try {
        return (await trainStep(forward, params, optimizer, batch, { lr: TINY.lr, gradClip: TINY.gradClip, dropout: identity })).loss;
      } catch (err) {
        const msg = (err as Error).message;
        if (!/OffscreenCanvas/.test(msg)) throw err;
        throw new Error(`the trainer read a GPU tensor synchronously (dataSync/arraySync), which webgpu cannot do under Node; use await t.data() (${msg})`);
      }
    },
    dispose() {
      optimizer.dispose();
      disposeParams(params);
    },
  };
}

/** No trainer code at all: the reference GPT with tfjs's Adam, so a failure here is the backend's, not the trainer's. */
function tfAdamStepper(cfg: GPTConfig): Stepper {
  const params = initGPTParams(cfg, SEED);
  const vars = flattenParams(params).map((p) => p.variable);
  const optimizer = tf.train.adam(TINY.lr);
  return {
    async step(batch) {
      const loss = optimizer.minimize(() => crossEntropy(gpt(batch.x, params, cfg), batch.y), true, vars)!;
      const value = (await loss.data())[0]!;
      loss.dispose();
      return value;
    },
    dispose() {
      optimizer.dispose();
      disposeParams(params);
    },
  };
}

/** STEPS steps on `backend` from the same init and the same batches. */
async function train(backend: string, trainIds: Int32Array, cfg: GPTConfig, make: (cfg: GPTConfig) => Stepper): Promise<Run> {
  await tf.setBackend(backend);
  const stepper = make(cfg);
  const losses: number[] = [];
  const tensorsAfter: number[] = [];
  const t0 = performance.now();
  for (let step = 0; step < STEPS; step++) {
    const batch = batchTensors(batchIds(trainIds, BATCH, cfg.blockSize, SEED, step), BATCH, cfg.blockSize);
    try {
      losses.push(await stepper.step(batch));
    } finally {
      tf.dispose([batch.x, batch.y]);
    }
    tensorsAfter.push(tf.memory().numTensors);
  }
  const msPerStep = (performance.now() - t0) / STEPS;
  const gpuBytes = (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? 0;
  stepper.dispose();
  return { losses, msPerStep, tensorsAfter, gpuBytes };
}

describe.skipIf(!available)('tiny GPT training on webgpu', () => {
  let trainIds: Int32Array;
  let cfg: GPTConfig;
  beforeAll(async () => {
    const text = readSlice(); // its 62 characters: an untrained model's loss is ln 62 ≈ 4.13
    const tok = CharTokenizer.fromText(text);
    trainIds = splitTokens(tok.encode(text)).train;
    cfg = { vocabSize: tok.vocabSize, blockSize: TINY.blockSize, nEmbd: TINY.nEmbd, nHead: TINY.nHead, nLayer: TINY.nLayer, activation: TINY.activation };
    await selectBackend('webgpu'); // registers the backend, the chunked AddN and the broadcast-matmul gradient fix
  });

  async function compare(label: string, make: (cfg: GPTConfig) => Stepper): Promise<void> {
    const cpu = await train('cpu', trainIds, cfg, make);
    const gpu = await train('webgpu', trainIds, cfg, make);
    const worst = Math.max(...gpu.losses.map((l, i) => Math.abs(l - cpu.losses[i]!)));
    console.log(`[webgpu training/${label}] losses cpu ${cpu.losses.map((l) => l.toFixed(5)).join(' ')} | webgpu ${gpu.losses.map((l) => l.toFixed(5)).join(' ')}; max difference ${worst.toExponential(2)}`);
    console.log(`[webgpu training/${label}] ms/step (tiny GPT, batch ${BATCH}): cpu ${cpu.msPerStep.toFixed(0)}, webgpu ${gpu.msPerStep.toFixed(0)}`);

    expect(cpu.losses[0]).toBeCloseTo(Math.log(cfg.vocabSize), 1); // an untrained model is uniform: ln vocab
    expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]! - 0.1); // and it learns
    for (let i = 0; i < STEPS; i++) {
      expect(Math.abs(gpu.losses[i]! - cpu.losses[i]!), `step ${i}: webgpu ${gpu.losses[i]} vs cpu ${cpu.losses[i]}`).toBeLessThan(1e-3);
    }
    expect(gpu.gpuBytes, 'the webgpu run kept its weights in GPU buffers').toBeGreaterThan(0);
    // No tensor leaks on the GPU: the count is flat from step to step.
    expect(new Set(gpu.tensorsAfter.slice(1)).size, `live tensors per step: ${gpu.tensorsAfter}`).toBe(1);
  }

  it(`${STEPS} steps of the reference GPT with tfjs's Adam give the cpu backend's losses`, () => compare('tf.train.adam', tfAdamStepper));

  it(`${STEPS} steps of the trainer's step (AdamW, clipping) give the cpu backend's losses`, () => compare('trainer', trainerStepper));
});
