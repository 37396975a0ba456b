// Checkpoints in OUT/checkpoint/: tfjs's weights-manifest format for the weights, the same for AdamW's moments, and the run's metadata.
//
// Format (gpt-kata-checkpoint/1):
//   model.json     { format, step, elapsedS, seed, model: {kind, source, file?, config}, train, vocab,
//                    weightsManifest: [{paths: ["weights.bin"], weights: [{name, shape, dtype}]}],
//                    optimizer: {t, paths: ["optimizer.bin"], weights: [{name: "m.<param>" | "v.<param>", shape, dtype}]} }
//   weights.bin    the parameters, float32 little-endian, concatenated in manifest order; names are paths into
//                  GPTParams such as "blocks.0.attn.wqkv" (weights are [in, out], x @ W)
//   optimizer.bin  AdamW's first and second moments, same layout
//   code/          train:mine runs only: the model code it trained with (model-code.ts): gpt.mjs, the bundle of the
//                  learner's gpt.ts and everything it imports; src/, those sources; manifest.json, where each came from
// Loading the weights elsewhere: tf.io.decodeWeights(readFileSync('weights.bin'), manifest.weightsManifest[0].weights).
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GPTConfig } from '../../katas/contracts.ts';
import type { AdamW } from './adamw.ts';
import { writeModelCode, type ModelCode } from './model-code.ts';
import type { NamedVariable } from './param-tree.ts';
import type { TrainConfig } from './presets.ts';

const CHECKPOINT_FORMAT = 'gpt-kata-checkpoint/1';

export interface ModelMeta {
  kind: 'gpt' | 'bigram';
  /** Whose gpt/generate trained it: the reference solution or the learner's file. */
  source: 'reference' | 'mine';
  /** The learner's gpt.ts, for source 'mine'. */
  file?: string;
  config: GPTConfig;
  /** Only for train:mine --anyway: the grader's mistakes in the gpt.ts that was trained regardless. */
  failsGrader?: string[];
}

export interface CheckpointMeta {
  /** Training steps completed; --resume continues with this step index. */
  step: number;
  /** Training wall time so far (excludes the time a run was stopped). */
  elapsedS: number;
  seed: number;
  model: ModelMeta;
  train: TrainConfig;
  vocab: string[];
}

interface ManifestGroup {
  paths: string[];
  weights: tf.io.WeightsManifestEntry[];
}

interface ModelJson extends CheckpointMeta {
  format: string;
  weightsManifest: ManifestGroup[];
  optimizer: ManifestGroup & { t: number };
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  weights: tf.NamedTensorMap;
  optimizer: { t: number; tensors: tf.NamedTensorMap };
}

export const checkpointDir = (out: string) => join(out, 'checkpoint');

/** Writes the checkpoint into a temporary folder and swaps it in, so an interrupted save never leaves a broken one. */
export async function saveCheckpoint(out: string, meta: CheckpointMeta, params: readonly NamedVariable[], optimizer: AdamW, code?: ModelCode): Promise<void> {
  const final = checkpointDir(out);
  const tmp = `${final}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const weights = await tf.io.encodeWeights(params.map((p) => ({ name: p.name, tensor: p.variable })));
  const moments = await tf.io.encodeWeights(optimizer.stateTensors());
  writeFileSync(join(tmp, 'weights.bin'), new Uint8Array(weights.data));
  writeFileSync(join(tmp, 'optimizer.bin'), new Uint8Array(moments.data));
  const json: ModelJson = {
    format: CHECKPOINT_FORMAT,
    ...meta,
    weightsManifest: [{ paths: ['weights.bin'], weights: weights.specs }],
    optimizer: { t: optimizer.t, paths: ['optimizer.bin'], weights: moments.specs },
  };
  if (code) writeModelCode(tmp, code);
  writeFileSync(join(tmp, 'model.json'), `${JSON.stringify(json, null, 1)}\n`);
  rmSync(`${final}.old`, { recursive: true, force: true });
  if (existsSync(final)) renameSync(final, `${final}.old`);
  renameSync(tmp, final);
  rmSync(`${final}.old`, { recursive: true, force: true });
}

function bufferOf(path: string): ArrayBuffer {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

export function hasCheckpoint(out: string): boolean {
  return existsSync(join(checkpointDir(out), 'model.json'));
}

/** The run's metadata from model.json, without loading any weights. */
export function readCheckpointMeta(out: string): CheckpointMeta {
  const path = join(checkpointDir(out), 'model.json');
  if (!existsSync(path)) throw new Error(`no checkpoint at ${checkpointDir(out)}: train first (npm run train -- --out ${out})`);
  const { format: _f, weightsManifest: _w, optimizer: _o, ...meta } = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  return meta;
}

/** Reads a checkpoint; the caller disposes the returned tensors. */
export function loadCheckpoint(out: string): LoadedCheckpoint {
  const dir = checkpointDir(out);
  const path = join(dir, 'model.json');
  if (!existsSync(path)) throw new Error(`no checkpoint at ${dir}: train first (npm run train -- --out ${out})`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  if (json.format !== CHECKPOINT_FORMAT) {
    throw new Error(`${path} has format ${JSON.stringify(json.format)}; this version reads ${CHECKPOINT_FORMAT}`);
  }
  const group = json.weightsManifest[0]!;
  const weights = tf.io.decodeWeights(bufferOf(join(dir, group.paths[0]!)), group.weights);
  const tensors = tf.io.decodeWeights(bufferOf(join(dir, json.optimizer.paths[0]!)), json.optimizer.weights);
  const { format: _f, weightsManifest: _w, optimizer, ...meta } = json;
  return { meta, weights, optimizer: { t: optimizer.t, tensors } };
}

/** Copies saved weights into the model's variables, checking every name and shape. */
export function assignWeights(params: readonly NamedVariable[], weights: tf.NamedTensorMap): void {
  for (const { name, variable } of params) {
    const w = weights[name];
    if (!w) throw new Error(`the checkpoint has no weight ${name}; was it saved by a different model configuration?`);
    if (w.shape.join() !== variable.shape.join()) {
      throw new Error(`checkpoint weight ${name} has shape [${w.shape}], the model expects [${variable.shape}]`);
    }
    variable.assign(w);
  }
}
