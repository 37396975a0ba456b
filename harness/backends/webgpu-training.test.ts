// A few training steps of a tiny GPT on WebGPU give the cpu backend's losses: the whole path, not just kernels.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { batchIds, batchTensors, splitTokens } from '../../datasets/splits.ts';
import { gpt } from '../../grader/reference/gpt.ts';
import type { GPTConfig, GPTParams } from '../../katas/contracts.ts';
import { selectBackend } from './select.ts';
import { webgpuAvailable } from './webgpu-test-gate.ts';

const available = await webgpuAvailable('webgpu training');

const DATA = resolve(import.meta.dirname, '../../../shared/datasets/tinyshakespeare.txt');
const STEPS = 3; // enough for Adam's moments to matter; lavapipe needs ~2 s a step here (shader compiles included)
const BATCH = 8; // the tiny preset's shapes, half its batch to keep CI fast
const SEED = 1337;

/** The tiny preset's model: 2 layers, 2 heads, n_embd 32, blockSize 32. */
function config(vocabSize: number): GPTConfig {
  return { vocabSize, blockSize: 32, nEmbd: 32, nHead: 2, nLayer: 2, activation: 'relu' };
}

/** N(0, 0.02) weights, zero biases, unit LayerNorm gains; seeded in JS, so identical on every backend. */
function initParams(cfg: GPTConfig): GPTParams {
  const { vocabSize: V, blockSize: T, nEmbd: C } = cfg;
  let seed = SEED;
  const w = (shape: [number, number]) => tf.variable(tf.randomNormal(shape, 0, 0.02, 'float32', seed++)) as tf.Variable<tf.Rank.R2>;
  const zeros = (n: number) => tf.variable(tf.zeros([n])) as tf.Variable<tf.Rank.R1>;
  const ln = () => ({ gamma: tf.variable(tf.ones([C])) as tf.Variable<tf.Rank.R1>, beta: zeros(C) });
  return {
    wte: w([V, C]),
    wpe: w([T, C]),
    blocks: Array.from({ length: cfg.nLayer }, () => ({
      ln1: ln(),
      attn: { wqkv: w([C, 3 * C]), wo: w([C, C]), bo: zeros(C) },
      ln2: ln(),
      mlp: { w1: w([C, 4 * C]), b1: zeros(4 * C), w2: w([4 * C, C]), b2: zeros(C) },
    })),
    lnF: ln(),
    head: { w: w([C, V]), b: zeros(V) },
  };
}

function crossEntropy(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
  const [B, T, V] = logits.shape;
  const logp = tf.logSoftmax(logits.reshape([B * T, V])); // (B*T, V)
  return logp.mul(tf.oneHot(targets.reshape([B * T]), V)).sum(-1).mean().neg() as tf.Scalar;
}

interface Run {
  losses: number[];
  msPerStep: number;
  tensorsAfter: number[]; // live tensors after each step
  gpuBytes: number; // bytes in GPU buffers at the end (0 unless the run really used the GPU)
}

/** STEPS Adam steps on the active backend from the same init and the same batches. */
async function train(backend: string, train: Int32Array, cfg: GPTConfig): Promise<Run> {
  await tf.setBackend(backend);
  const params = initParams(cfg);
  const vars: tf.Variable[] = [];
  const collect = (o: unknown): void => {
    if (o instanceof tf.Variable) vars.push(o);
    else if (o && typeof o === 'object') Object.values(o).forEach(collect);
  };
  collect(params);
  const optimizer = tf.train.adam(3e-3);
  const losses: number[] = [];
  const tensorsAfter: number[] = [];
  const t0 = performance.now();
  for (let step = 0; step < STEPS; step++) {
    const batch = batchTensors(batchIds(train, BATCH, cfg.blockSize, SEED, step), BATCH, cfg.blockSize);
    const loss = optimizer.minimize(() => crossEntropy(gpt(batch.x, params, cfg), batch.y), true, vars)!;
    losses.push((await loss.data())[0]!); // async: a GPU tensor cannot be read synchronously under Node
    tf.dispose([loss, batch.x, batch.y]);
    tensorsAfter.push(tf.memory().numTensors);
  }
  const msPerStep = (performance.now() - t0) / STEPS;
  const gpuBytes = (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? 0;
  optimizer.dispose();
  tf.dispose(vars);
  return { losses, msPerStep, tensorsAfter, gpuBytes };
}

describe.skipIf(!available)('tiny GPT training on webgpu', () => {
  it(`${STEPS} Adam steps give the cpu backend's losses`, async () => {
    const text = readFileSync(DATA, 'utf8');
    const tok = CharTokenizer.fromText(text);
    const { train: trainIds } = splitTokens(tok.encode(text));
    const cfg = config(tok.vocabSize);
    await selectBackend('webgpu'); // registers the backend and the broadcast-matmul gradient fix

    const cpu = await train('cpu', trainIds, cfg);
    const gpu = await train('webgpu', trainIds, cfg);
    const worst = Math.max(...gpu.losses.map((l, i) => Math.abs(l - cpu.losses[i]!)));
    console.log(`[webgpu training] max |loss difference| ${worst.toExponential(2)}; losses cpu ${cpu.losses.map((l) => l.toFixed(5)).join(' ')} | webgpu ${gpu.losses.map((l) => l.toFixed(5)).join(' ')}`);
    console.log(`[webgpu training] ms/step (tiny GPT, batch ${BATCH}): cpu ${cpu.msPerStep.toFixed(0)}, webgpu ${gpu.msPerStep.toFixed(0)}`);

    expect(cpu.losses[0]).toBeCloseTo(Math.log(tok.vocabSize), 1); // an untrained model is uniform: ln 65 ≈ 4.17
    expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]! - 0.1); // and it learns
    for (let i = 0; i < STEPS; i++) {
      expect(Math.abs(gpu.losses[i]! - cpu.losses[i]!), `step ${i}: webgpu ${gpu.losses[i]} vs cpu ${cpu.losses[i]}`).toBeLessThan(1e-3);
    }
    expect(gpu.gpuBytes, 'the webgpu run kept its weights in GPU buffers').toBeGreaterThan(0);
    // No tensor leaks on the GPU: the count is flat from step to step.
    expect(new Set(gpu.tensorsAfter.slice(1)).size, `live tensors per step: ${gpu.tensorsAfter}`).toBe(1);
  });
});
