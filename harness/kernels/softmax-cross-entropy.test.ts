// The one-kernel cross-entropy on wasm gives the cpu backend's loss and gradient (tfjs's logSoftmax·oneHot formula).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, runOn, seeded } from './test-support/cpu-oracle.ts';
import { registerWasmKernels } from './index.ts';
import { fusedSoftmaxCrossEntropy } from './softmax-cross-entropy.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

/** The loss as tfjs ops (the oracle on cpu), or the fused kernel on wasm: both with their gradients times `weight`. */
function lossAndGrad(logits: number[], targets: number[], rows: number, n: number, weight: number): tf.Tensor[] {
  const loss = (x: tf.Tensor) => {
    const ids = tf.tensor1d(targets, 'int32');
    const fused = tf.getBackend() === 'wasm' ? fusedSoftmaxCrossEntropy(x as tf.Tensor2D, ids) : undefined;
    if (tf.getBackend() === 'wasm') expect(fused).toBeDefined();
    const value = fused ?? tf.logSoftmax(x).mul(tf.oneHot(ids, n)).sum(-1).mean().neg();
    return value.mul(weight); // an upstream gradient other than 1
  };
  const { value, grad } = tf.valueAndGrad(loss)(tf.tensor2d(logits, [rows, n]));
  return [value, grad];
}

describe('softmax cross-entropy as one kernel', () => {
  it('matches the cpu backend\'s loss and gradient on random shapes, scales and targets, masked logits included', async () => {
    await fc.assert(
      // rows, classes (tfjs's oneHot needs 2 or more), logits' seed and scale, the upstream gradient
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2, max: 70 }), fc.integer(), fc.double({ min: 0.1, max: 30, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }), async (rows, n, seed, scale, weight) => {
          const logits = seeded(seed, rows * n).map((v, i) => (i % 7 === 6 ? -1e9 : v * scale));
          const targets = seeded(seed + 1, rows).map((v) => Math.floor(((v + 1) / 2) * n));
          const f = () => lossAndGrad(logits, targets, rows, n, weight);
          const [cpuLoss, cpuGrad] = await runOn('cpu', f);
          const [wasmLoss, wasmGrad] = await runOn('wasm', f);
          expect(Math.abs((wasmLoss as number) - (cpuLoss as number))).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpuLoss as number)));
          expect(maxAbsDiff(cpuGrad, wasmGrad)).toBeLessThan(1e-6);
        }),
      { numRuns: 80, seed: 11 },
    );
  });

  it('gives a target outside the vocabulary no loss and no gradient, as tfjs\'s oneHot does', async () => {
    const logits = seeded(5, 3 * 6).map((v) => 4 * v);
    const f = () => lossAndGrad(logits, [2, -1, 6], 3, 6, 1);
    const cpu = await runOn('cpu', f);
    const wasm = await runOn('wasm', f);
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-6);
    expect((wasm[1] as number[][])[1]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('leaks no tensors, with or without a gradient being taken', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(seeded(9, 4 * 5), [4, 5]);
    const ids = tf.tensor1d([0, 4, 2, 1], 'int32');
    tf.dispose([tf.tidy(() => fusedSoftmaxCrossEntropy(x, ids)!), tf.grad((t: tf.Tensor) => fusedSoftmaxCrossEntropy(t as tf.Tensor2D, ids)!)(x)]);
    tf.dispose([x, ids]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
