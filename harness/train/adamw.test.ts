// adamwUpdate on wasm (one fused elementwise kernel) follows the same trajectory as the tfjs-ops formula on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, seeded } from '../kernels/test-support/cpu-oracle.ts';
import { adamwUpdate } from './adamw.ts';
import { registerWasmKernels } from '../kernels/index.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

/** Runs 3 updates from fixed p, m, v with fixed gradients on `backend`; returns the final p, m, v. */
async function trajectory(backend: 'cpu' | 'wasm', shape: number[], seed: number, weightDecay: number, gradScale: number): Promise<number[][]> {
  await tf.setBackend(backend);
  const n = tf.util.sizeFromShape(shape);
  const own = (t: tf.Tensor) => {
    const variable = tf.variable(t);
    t.dispose(); // the variable holds the buffer
    return variable;
  };
  const p = own(tf.tensor(seeded(seed, n), shape));
  const m = own(tf.zeros(shape));
  const v = own(tf.zeros(shape));
  for (let t = 1; t <= 3; t++) {
    const g = tf.tensor(seeded(seed + t, n).map((x) => x * 0.1), shape);
    adamwUpdate(p, g, m, v, { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay, t, gradScale });
    g.dispose();
  }
  const out = [p, m, v].map((x) => Array.from(x.dataSync()));
  tf.dispose([p, m, v]);
  return out;
}

describe('adamwUpdate', () => {
  it('matches the tfjs-ops formula on the cpu backend, with and without weight decay and clipping, and leaks no tensors', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 3 }),
        fc.integer(),
        fc.constantFrom(0, 0.1), // weight decay: off (biases) and nanoGPT's
        fc.constantFrom(1, 0.3), // gradient scale: unclipped and clipped
        async (shape, seed, wd, gradScale) => {
          const cpu = await trajectory('cpu', shape, seed, wd, gradScale);
          const before = tf.memory().numTensors;
          const wasm = await trajectory('wasm', shape, seed, wd, gradScale);
          expect(tf.memory().numTensors).toBe(before);
          for (let i = 0; i < 3; i++) expect(maxAbsDiff(cpu[i], wasm[i])).toBeLessThan(1e-5); // p, and m and v (which see the scale)
          expect(maxAbsDiff(cpu[0], seeded(seed, cpu[0]!.length))).toBeGreaterThan(1e-3); // the parameters really moved
        },
      ),
      { numRuns: 25, seed: 12 },
    );
  });
});
