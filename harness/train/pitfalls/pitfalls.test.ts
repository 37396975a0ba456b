// The faulty models: the grader's own fixtures of real mistake ids, each changing the reference's logits, and caught (or not) by the causality probe.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Generate, GPT, GPTConfig, GPTParams } from '../../../katas/contracts.ts';
import { generate, gpt } from '../../../grader/katas/gpt/reference.ts';
import { mistakeCatalogue } from '../../../grader/mistake-catalogue.ts';
import { selectBackend } from '../../backends/select.ts';
import { causalityProbe } from '../causality-probe.ts';
import { initGPTParams } from '../init-params.ts';
import { disposeParams, flattenParams } from '../param-tree.ts';
import { measureLeak } from '../pitfall-lab.ts';
import { gptForward } from '../train-step.ts';
import { loadFaultyModel } from './faulty-model.ts';
import { LEAK_PITFALL, TRAINING_PITFALLS } from './index.ts';

const cfg: GPTConfig = { vocabSize: 11, blockSize: 8, nEmbd: 16, nHead: 2, nLayer: 2, activation: 'gelu' };
let params: GPTParams;
const data = Int32Array.from({ length: 400 }, (_, i) => (i * 7 + (i >> 3)) % 11);
const models = new Map<string, { gpt: GPT; generate: Generate }>();
const model = (mistake: string) => models.get(mistake)!;
const [, tidyLeak, untidyLeak] = LEAK_PITFALL.variants;

beforeAll(async () => {
  await selectBackend('wasm');
  for (const p of TRAINING_PITFALLS) models.set(p.mistake, await loadFaultyModel(p.fixture));
  for (const v of [tidyLeak!, untidyLeak!]) models.set(v.label, await loadFaultyModel(v.fixture!));
  params = initGPTParams(cfg, 5);
  // Larger weights than the N(0, 0.02) init, so every path through attention moves the logits measurably.
  for (const { variable } of flattenParams(params)) if (variable.shape.length === 2) variable.assign(variable.mul(25));
  return () => disposeParams(params);
}, 120_000);

const logits = (f: GPT) => tf.tidy(() => f(tf.tensor2d(data.slice(0, 16), [2, 8], 'int32'), params, cfg));
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(a.sub(b))).dataSync()[0]!);

describe('the pitfall catalogue', () => {
  it('names every variant by a mistake id the grader knows, and trains the fixture that declares it', async () => {
    const catalogue = await mistakeCatalogue();
    for (const id of [...TRAINING_PITFALLS.map((p) => p.mistake), LEAK_PITFALL.mistake]) expect(catalogue.get(id), id).toBeDefined();
    for (const { mistake, fixture } of [...TRAINING_PITFALLS, ...LEAK_PITFALL.variants.filter((v) => v.fixture).map((v) => ({ mistake: LEAK_PITFALL.mistake, fixture: v.fixture! }))]) {
      expect(readFileSync(fixture, 'utf8').split('\n')[0], fixture).toMatch(new RegExp(`^// mistake: ${mistake}: `));
    }
  });

  it('every faulty model changes the reference logits; the leaky fixtures compute them', () => {
    const ref = logits(gpt);
    for (const p of TRAINING_PITFALLS) expect(maxDiff(ref, logits(model(p.mistake).gpt)), p.mistake).toBeGreaterThan(1e-2);
    for (const v of [tidyLeak!, untidyLeak!]) expect(maxDiff(ref, logits(model(v.label).gpt)), v.label).toBeLessThan(1e-4);
    tf.dispose(ref);
  });

  it('a fixture outside grader/katas/<kata>/fixtures/faulty/ is refused with the path it needs', async () => {
    await expect(loadFaultyModel('grader/katas/gpt/reference.ts')).rejects.toThrow(/grader\/katas\/<kata>\/fixtures\/faulty\/<id>\.ts/);
  });
});

describe('causalityProbe', () => {
  const probe = (f: GPT) => causalityProbe(gptForward(f, cfg), params, data, cfg.blockSize, cfg.vocabSize, 3);

  it('passes the correct model exactly: no earlier logit moves at all', async () => {
    const r = await probe(gpt);
    expect(r).toMatchObject({ passed: true, cut: 4, firstMoved: -1 });
    expect(r.maxDelta).toBe(0);
  });

  it('fails the off-by-one mask, two positions before the cut with two layers, and the softmax over queries from position 0', async () => {
    const diag = await probe(model('causal-mask/diagonal').gpt);
    expect(diag.passed).toBe(false);
    expect(diag.firstMoved).toBe(diag.cut - 2); // each layer lets a position see one token further
    const axis = await probe(model('attention/softmax-axis').gpt);
    expect(axis.passed).toBe(false);
    expect(axis.firstMoved).toBe(0); // the normaliser of every column sums over all later queries
  });

  it('passes the wrong scales, which break attention but not causality', async () => {
    for (const id of ['attention/no-scale', 'attention/wrong-scale', 'gpt/returns-probabilities']) expect((await probe(model(id).gpt)).passed, id).toBe(true);
  });
});

describe('measureLeak', () => {
  it('the correct generate holds only its sequence; the leaky ones leave the same tensors every token', () => {
    const before = tf.memory().numTensors;
    const prompt = data.slice(0, cfg.blockSize);
    const ok = measureLeak('ok', generate, params, cfg, prompt, 12);
    const tidyGpt = measureLeak(tidyLeak!.label, model(tidyLeak!.label).generate, params, cfg, prompt, 12);
    const untidy = measureLeak(untidyLeak!.label, model(untidyLeak!.label).generate, params, cfg, prompt, 12);
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
