// GPU-check fallback timer: one preset's training step (reference GPT, AdamW, on-device clipping), loss read asynchronously.
// Used by scripts/gpu-check.sh when `bench` cannot run on webgpu; prints the same JSON line as `npm run bench -- --json`.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { batchIds, batchTensors, splitTokens } from '../../datasets/splits.ts';
import { gpt } from '../../grader/katas/gpt/reference.ts';
import type { GPTConfig } from '../../katas/contracts.ts';
import { parseBackendChoice, selectBackend } from '../../harness/backends/select.ts';
import { AdamW } from '../../harness/train/adamw.ts';
import { crossEntropy } from '../../harness/train/cross-entropy.ts';
import { trainingDropout } from '../../harness/train/dropout.ts';
import { initGPTParams } from '../../harness/train/init-params.ts';
import { flattenParams } from '../../harness/train/param-tree.ts';
import { PRESETS, type PresetName } from '../../harness/train/presets.ts';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};
const preset = arg('preset', 'baby') as PresetName;
if (!PRESETS[preset]) throw new Error(`unknown preset '${preset}': use ${Object.keys(PRESETS).join(', ')}`);
// --no-dropout: how much of the step is tf.dropout's masks, which tfjs draws on the CPU (seedrandom) and uploads
const noDropout = process.argv.includes('--no-dropout');
const p = { ...PRESETS[preset], ...(noDropout ? { dropout: 0 } : {}) };
const steps = Number(arg('steps', '20'));
const warmup = Number(arg('warmup', '3'));
const selected = await selectBackend(parseBackendChoice(arg('backend', 'webgpu')));
console.error(`step-bench: ${selected.name} on ${selected.device ?? '?'} (${selected.reason})`);

const text = readFileSync(arg('data', 'datasets/tinyshakespeare.txt'), 'utf8'); // where npm run train caches the download
const tok = CharTokenizer.fromText(text);
const { train } = splitTokens(tok.encode(text));
const cfg: GPTConfig = { vocabSize: tok.vocabSize, blockSize: p.blockSize, nEmbd: p.nEmbd, nHead: p.nHead, nLayer: p.nLayer, activation: p.activation };
const params = initGPTParams(cfg, 1337);
const named = flattenParams(params);
const optimizer = new AdamW(named, { beta1: p.beta1, beta2: p.beta2, weightDecay: p.weightDecay });
const vars = named.map((n) => n.variable);

/** forward, loss, backward, global-norm clip kept on the device (no GPU->CPU sync but the loss), AdamW. */
async function step(i: number): Promise<number> {
  const b = batchTensors(batchIds(train, p.batchSize, p.blockSize, 1337, i), p.batchSize, p.blockSize);
  const dropout = trainingDropout(p.dropout, 1337, i);
  const { value, grads } = tf.variableGrads(() => crossEntropy(gpt(b.x, params, cfg, dropout), b.y), vars);
  const clipped = tf.tidy(() => {
    const norm = tf.addN(Object.values(grads).map((g) => g.square().sum())).sqrt();
    const scale = tf.minimum(1, tf.div(p.gradClip, norm.add(1e-6))); // PyTorch's clip_coef, clamped at 1
    return Object.fromEntries(Object.entries(grads).map(([k, g]): [string, tf.Tensor] => [k, g.mul(scale)]));
  });
  optimizer.apply(clipped, p.lr);
  const loss = (await value.data())[0]!;
  tf.dispose([value, b.x, b.y, ...Object.values(grads), ...Object.values(clipped)]);
  return loss;
}

for (let i = 0; i < warmup; i++) await step(i);
const times: number[] = [];
let loss = NaN;
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  loss = await step(warmup + i);
  times.push(performance.now() - t0);
}
const ms = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
console.log(JSON.stringify({ backend: selected.name, preset: noDropout ? `${preset}-nodropout` : preset, ms_per_step: ms, tokens_per_s: (p.batchSize * p.blockSize * 1000) / ms, steps, loss, source: 'step-bench' }));
process.exit(0);
