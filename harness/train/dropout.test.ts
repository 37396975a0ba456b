// Dropout's device-side masks (used on GPU backends): right statistics, deterministic per seed, scaled, and cheap.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backends/select.ts';
import { webgpuAvailable } from '../backends/test-support/webgpu-test-gate.ts';
import { deviceDropout, deviceUniform } from './dropout.ts';

const onWebgpu = await webgpuAvailable('device-side dropout');

for (const backend of ['cpu', 'webgpu'] as const) describe.skipIf(backend === 'webgpu' && !onWebgpu)(`device-side dropout masks on ${backend}`, () => {
  beforeAll(async () => {
    if (backend === 'webgpu') await selectBackend('webgpu'); // by name: lavapipe is accepted
    else await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('are uniform on [0, 1): mean, spread and neighbour correlation', async () => {
    const n = 200_000;
    for (const seed of [1, 987654321, 4242]) {
      const u = await deviceUniform([n], seed).data(); // await: GPU tensors cannot be read synchronously under Node
      let sum = 0;
      let sq = 0;
      let lag = 0;
      let min = 1;
      let max = 0;
      for (let i = 0; i < n; i++) {
        sum += u[i]!;
        sq += u[i]! * u[i]!;
        if (i > 0) lag += (u[i]! - 0.5) * (u[i - 1]! - 0.5);
        min = Math.min(min, u[i]!);
        max = Math.max(max, u[i]!);
      }
      const mean = sum / n;
      const variance = sq / n - mean * mean;
      // the standard error of the mean is 0.29/√n ≈ 6.5e-4: these bounds are > 6 of them
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
      expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.003);
      expect(Math.abs(lag / (n - 1) / (1 / 12))).toBeLessThan(0.02); // neighbours uncorrelated
      expect(min).toBeGreaterThanOrEqual(0);
      expect(max).toBeLessThan(1);
    }
  });

  it('keep 1 − rate of the units, scaled by 1/(1 − rate); the same seed gives the same mask, another seed another', async () => {
    const x = tf.ones([64, 32, 48]);
    const a = await deviceDropout(x, 0.2, 7).data();
    const b = await deviceDropout(x, 0.2, 7).data();
    const c = await deviceDropout(x, 0.2, 8).data();
    const kept = a.filter((v) => v !== 0);
    expect(Math.abs(kept.length / a.length - 0.8)).toBeLessThan(0.01);
    expect([...new Set(kept)].map((v) => v.toFixed(5))).toEqual([(1 / 0.8).toFixed(5)]);
    expect(Array.from(a)).toEqual(Array.from(b));
    const differ = Array.from(a).reduce((n, v, i) => n + (v !== c[i] ? 1 : 0), 0);
    expect(differ / a.length).toBeGreaterThan(0.2); // two independent masks at rate 0.2 differ on ~32% of units
  });

  it('leaves no tensors behind but the cached index range', () => {
    const x = tf.ones([10, 10]);
    deviceDropout(x, 0.5, 1).dispose();
    const before = tf.memory().numTensors;
    for (let s = 2; s < 10; s++) deviceDropout(x, 0.5, s).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
