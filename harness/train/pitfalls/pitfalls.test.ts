// The faulty variants: named by real grader mistake ids, equal to the reference with no fault, and caught (or not) by the causality probe.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GPTConfig, GPTParams } from '../../../katas/contracts.ts';
import { generate, gpt } from '../../../grader/katas/gpt/reference.ts';
import { getMistake } from '../../../grader/mistake-catalogue.ts';
import { useBackend } from '../backend.ts';
import { causalityProbe } from '../causality-probe.ts';
import { initGPTParams } from '../init-params.ts';
import { disposeParams, flattenParams } from '../param-tree.ts';
import { measureLeak } from '../pitfall-lab.ts';
import { gptForward } from '../train-step.ts';
import { faultyGpt, FORWARD_FAULTS, untidyGpt, type ForwardFault } from './faulty-gpt.ts';
import { LEAK_PITFALL, TRAINING_PITFALLS } from './index.ts';
import { leakyGenerate } from './leaky-generate.ts';

const cfg: GPTConfig = { vocabSize: 11, blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 2, activation: 'gelu' };
let params: GPTParams;
const data = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 3)) % 11);

beforeAll(async () => {
  await useBackend('wasm');
  params = initGPTParams(cfg, 5);
  // Larger weights than the N(0, 0.02) init, so every path through attention moves the logits measurably.
  for (const { variable } of flattenParams(params)) if (variable.shape.length === 2) variable.assign(variable.mul(25));
  return () => disposeParams(params);
});

const logits = (f: ReturnType<typeof faultyGpt>) => tf.tidy(() => f(tf.tensor2d(data.slice(0, 16), [2, 8], 'int32'), params, cfg));

describe('the pitfall catalogue', () => {
  it('names every variant by a mistake id the grader knows', () => {
    for (const id of [...FORWARD_FAULTS, ...TRAINING_PITFALLS.map((p) => p.mistake), LEAK_PITFALL.mistake]) expect(getMistake(id), id).toBeDefined();
    expect(new Set(TRAINING_PITFALLS.map((p) => p.mistake))).toEqual(new Set(FORWARD_FAULTS));
  });

  it('faultyGpt(null) and untidyGpt compute the reference gpt; every fault changes the logits', () => {
    const ref = logits(gpt);
    for (const other of [logits(faultyGpt(null)), logits(untidyGpt)]) {
      expect(tf.max(tf.abs(ref.sub(other))).dataSync()[0]).toBeLessThan(1e-4);
    }
    for (const fault of FORWARD_FAULTS) {
      expect(tf.max(tf.abs(ref.sub(logits(faultyGpt(fault))))).dataSync()[0], fault).toBeGreaterThan(1e-2);
    }
  });
});

describe('causalityProbe', () => {
  const probe = (fault: ForwardFault | null) => causalityProbe(gptForward(fault ? faultyGpt(fault) : gpt, cfg), params, data, cfg.blockSize, cfg.vocabSize, 3);

  it('passes the correct model exactly: no earlier logit moves at all', async () => {
    const r = await probe(null);
    expect(r).toMatchObject({ passed: true, cut: 4, firstMoved: -1 });
    expect(r.maxDelta).toBe(0);
  });

  it('fails the off-by-one mask, two positions before the cut with two layers, and the softmax over queries from position 0', async () => {
    const diag = await probe('causal-mask/diagonal');
    expect(diag.passed).toBe(false);
    expect(diag.firstMoved).toBe(diag.cut - 2); // each layer lets a position see one token further
    const axis = await probe('attention/softmax-axis');
    expect(axis.passed).toBe(false);
    expect(axis.firstMoved).toBe(0); // the normaliser of every column sums over all later queries
  });

  it('passes the wrong scales, which break attention but not causality', async () => {
    for (const fault of ['attention/no-scale', 'attention/wrong-scale', 'gpt/returns-probabilities'] as const) expect((await probe(fault)).passed, fault).toBe(true);
  });
});

describe('measureLeak', () => {
  it('the correct generate holds only its sequence; the leaky ones leave the same tensors every token', () => {
    const before = tf.memory().numTensors;
    const prompt = data.slice(0, cfg.blockSize);
    const ok = measureLeak('ok', generate, params, cfg, prompt, 12);
    const tidyGpt = measureLeak('leaky', leakyGenerate(gpt), params, cfg, prompt, 12);
    const untidy = measureLeak('leaky, untidy', leakyGenerate(untidyGpt), params, cfg, prompt, 12);
    expect(tf.memory().numTensors).toBe(before); // the measurement frees what it leaked
    expect(new Set(ok.tensors)).toEqual(new Set([1])); // the sequence, nothing else
    for (const c of [tidyGpt, untidy]) {
      const steps = c.tensors.slice(1).map((t, i) => t - c.tensors[i]!);
      expect(new Set(steps).size, c.label).toBe(1); // exactly linear
      expect(c.r2).toBeGreaterThan(0.999);
    }
    expect(tidyGpt.tensorsPerToken).toBeGreaterThan(2);
    expect(untidy.tensorsPerToken).toBeGreaterThan(tidyGpt.tensorsPerToken * 3); // a whole forward pass's activations
    expect(untidy.bytesPerToken).toBeGreaterThan(tidyGpt.bytesPerToken * 3);
  });
});
