// The shared train step on the wasm backend: it learns, it leaks nothing, and dropout is on only while training.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dropout, GPTConfig, GPTParams } from '../../katas/contracts.ts';
import { gpt } from '../../grader/katas/gpt/reference.ts';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { batchIds, batchTensors, splitTokens } from '../../datasets/splits.ts';
import { AdamW } from './adamw.ts';
import { selectBackend } from '../backends/select.ts';
import { identity, trainingDropout } from './dropout.ts';
import { estimateLoss } from './evaluate.ts';
import { initGPTParams } from './init-params.ts';
import { flattenParams } from './param-tree.ts';
import { gptForward, trainStep, type Forward } from './train-step.ts';
import { readSlice } from '../../datasets/tiny-shakespeare-slice.ts';

const text = readSlice(200_000);
const tok = CharTokenizer.fromText(text);
const { train } = splitTokens(tok.encode(text));
const cfg: GPTConfig = { vocabSize: tok.vocabSize, blockSize: 16, nEmbd: 16, nHead: 2, nLayer: 1, activation: 'relu' };
const batch = (i: number) => batchTensors(batchIds(train, 4, 16, 7, i), 4, 16);

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

function setup() {
  const params = initGPTParams(cfg, 1);
  const opt = new AdamW(flattenParams(params), { beta1: 0.9, beta2: 0.99, weightDecay: 0.1 });
  return { params, opt };
}

describe('trainStep', () => {
  it('initialises as the lecture does: N(0, 0.02) weights, zero biases, LayerNorm gamma 1', () => {
    const { params } = setup();
    const w = Array.from(params.blocks[0]!.mlp.w1.dataSync());
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(std).toBeGreaterThan(0.018);
    expect(std).toBeLessThan(0.022);
    expect(Math.max(...Array.from(params.blocks[0]!.mlp.b1.dataSync(), Math.abs))).toBe(0);
    expect([...new Set(params.lnF.gamma.dataSync())]).toEqual([1]);
  });

  it('starts at ln V and lowers the loss on a repeated batch', async () => {
    const { params, opt } = setup();
    const b = batch(0);
    const first = await trainStep(gptForward(gpt, cfg), params, opt, b, { lr: 1e-2, gradClip: 1, dropout: identity });
    expect(first.loss).toBeCloseTo(Math.log(tok.vocabSize), 1);
    let last = first.loss;
    for (let i = 0; i < 30; i++) last = (await trainStep(gptForward(gpt, cfg), params, opt, b, { lr: 1e-2, gradClip: 1, dropout: identity })).loss;
    expect(last).toBeLessThan(first.loss - 1);
  });

  it('keeps the live tensor count flat from step to step', async () => {
    const { params, opt } = setup();
    const forward = gptForward(gpt, cfg);
    const step = async (i: number) => {
      const b = batch(i);
      await trainStep(forward, params, opt, b, { lr: 1e-3, gradClip: 1, dropout: trainingDropout(0.1, 1, i) });
      tf.dispose([b.x, b.y]);
    };
    await step(0);
    await step(1);
    const before = tf.memory().numTensors;
    for (let i = 2; i < 8; i++) await step(i);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('hands the model real dropout while training and the identity while evaluating', async () => {
    const { params, opt } = setup();
    const seen: { training: boolean; dropped: boolean }[] = [];
    let training = true;
    const spy: Forward<GPTParams> = (idx, p, dropout: Dropout) =>
      gpt(idx, p, cfg, (t) => {
        const out = dropout(t);
        const zeros = tf.tidy(() => out.equal(0).sum().dataSync()[0]!);
        seen.push({ training, dropped: zeros > 0 });
        return out;
      });
    const b = batch(0);
    await trainStep(spy, params, opt, b, { lr: 1e-3, gradClip: 1, dropout: trainingDropout(0.5, 1, 0) });
    training = false;
    await estimateLoss(spy, params, train, { batchSize: 4, blockSize: 16, iters: 1, seed: 1 }, 0);
    expect(seen.filter((s) => s.training).every((s) => s.dropped)).toBe(true);
    expect(seen.filter((s) => !s.training).some((s) => s.dropped)).toBe(false);
    expect(seen.filter((s) => !s.training).length).toBeGreaterThan(0);
  });

  it('seeds dropout by (seed, step): the same step drops the same units', () => {
    const x = tf.ones([1000]);
    const a = trainingDropout(0.2, 5, 3)(x).dataSync();
    const b = trainingDropout(0.2, 5, 3)(x).dataSync();
    const c = trainingDropout(0.2, 5, 4)(x).dataSync();
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
    const kept = Array.from(a).filter((v) => v > 0);
    expect(kept.length).toBeGreaterThan(700);
    expect(kept.length).toBeLessThan(900);
    expect(kept[0]).toBeCloseTo(1 / 0.8, 5); // inverted dropout: survivors scaled by 1/(1 − rate)
  });
});
