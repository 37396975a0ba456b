// AdamW against hand-computed updates, the lr schedule's shape, and global-norm clipping.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW } from './adamw.ts';
import { selectBackend } from '../backends/select.ts';
import { clipScale } from './clip-grad.ts';
import { learningRate } from './lr-schedule.ts';

const close = (got: ArrayLike<number>, want: number[], tol = 1e-6) =>
  want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(tol));

describe.each(['cpu', 'wasm'] as const)('AdamW on %s', (backend) => {
  beforeAll(async () => {
    expect((await selectBackend(backend)).name).toBe(backend);
  });

  it('first step: p·(1 − lr·wd) − lr·sign(g) on matrices, no decay on vectors', () => {
    // At t = 1 the bias corrections make m̂ = g and v̂ = g², so the Adam step is lr·g/(|g| + ε) ≈ lr·sign(g).
    const w = tf.variable(tf.tensor2d([[1, -2], [0.5, 3]]));
    const b = tf.variable(tf.tensor1d([0.1, -0.1]));
    const opt = new AdamW([{ name: 'w', variable: w }, { name: 'b', variable: b }], { beta1: 0.9, beta2: 0.99, weightDecay: 0.1 });
    opt.apply({ [w.name]: tf.tensor2d([[0.5, -0.5], [2, 0.01]]), [b.name]: tf.tensor1d([-0.3, 0.2]) }, 0.1);
    // w: 1·0.99 − 0.1 = 0.89; −2·0.99 + 0.1 = −1.88; 0.5·0.99 − 0.1 = 0.395; 3·0.99 − 0.1 = 2.87
    close(w.dataSync(), [0.89, -1.88, 0.395, 2.87], 1e-5);
    // b: 0.1 + 0.1 = 0.2; −0.1 − 0.1 = −0.2 (no weight decay on a bias)
    close(b.dataSync(), [0.2, -0.2], 1e-5);
    expect(opt.t).toBe(1);
  });

  it('second step matches PyTorch AdamW written out in float64', () => {
    const [lr, wd, b1, b2, eps] = [0.01, 0.1, 0.9, 0.99, 1e-8];
    const p0 = [0.3, -0.7];
    const grads = [[0.2, -0.05], [-0.1, 0.4]];
    const w = tf.variable(tf.tensor2d([p0]));
    const opt = new AdamW([{ name: 'w', variable: w }], { beta1: b1, beta2: b2, weightDecay: wd, eps });
    let p = [...p0];
    const m = [0, 0];
    const v = [0, 0];
    grads.forEach((g, k) => {
      const t = k + 1;
      p = p.map((x, i) => {
        m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
        v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
        const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
        return x * (1 - lr * wd) - (lr / (1 - b1 ** t)) * (m[i] / denom);
      });
      opt.apply({ [w.name]: tf.tensor2d([g]) }, lr);
    });
    close(w.dataSync(), p, 1e-6);
  });

  it('names the parameter that got no gradient', () => {
    const w = tf.variable(tf.zeros([2, 2]));
    const opt = new AdamW([{ name: 'blocks.0.mlp.w1', variable: w }], { beta1: 0.9, beta2: 0.99, weightDecay: 0 });
    expect(() => opt.apply({}, 0.1)).toThrow(/no gradient for parameter blocks\.0\.mlp\.w1/);
  });
});

describe('learning-rate schedule', () => {
  const s = { lr: 1e-3, minLr: 1e-4, warmupIters: 100, decayIters: 2000 };
  it('warms up linearly, peaks, decays along a cosine and stays at minLr', () => {
    expect(learningRate(0, s)).toBeCloseTo(1e-3 / 101, 12);
    expect(learningRate(49, s)).toBeCloseTo((1e-3 * 50) / 101, 12);
    expect(learningRate(100, s)).toBeCloseTo(1e-3, 12);
    expect(learningRate(1050, s)).toBeCloseTo(5.5e-4, 12); // halfway: the mean of lr and minLr
    expect(learningRate(2000, s)).toBe(1e-4);
    expect(learningRate(5000, s)).toBe(1e-4);
    for (let i = 101; i < 2000; i += 37) expect(learningRate(i, s)).toBeLessThan(learningRate(i - 1, s));
  });
});

describe.each(['cpu', 'wasm'] as const)('clipping by global norm on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });

  it('scales every gradient by max/‖g‖ when the global norm is larger', async () => {
    const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }; // global norm 5
    const { norm, scale } = await clipScale(grads, 1);
    expect(norm).toBeCloseTo(5, 5);
    expect(scale).toBeCloseTo(0.2, 6);
  });

  it('leaves gradients under the cap unchanged', async () => {
    const { norm, scale } = await clipScale({ a: tf.tensor1d([0.3, 0.4]) }, 1);
    expect(norm).toBeCloseTo(0.5, 5);
    expect(scale).toBe(1);
  });

  it('AdamW.apply with the factor updates exactly as with the scaled gradients', () => {
    const run = (scaleInside: boolean) => {
      const w = tf.variable(tf.tensor2d([[0.3, -0.7, 1.1], [0.2, 0.05, -0.4]]));
      const b = tf.variable(tf.tensor1d([0.1, -0.1, 0.25]));
      const opt = new AdamW([{ name: 'w', variable: w }, { name: 'b', variable: b }], { beta1: 0.9, beta2: 0.99, weightDecay: 0.1 });
      for (const [k, scale] of [0.37, 0.81, 0.123].entries()) {
        const g = { [w.name]: tf.tensor2d([[0.5, -0.25 * k, 2], [0.01, -3, 0.7]]), [b.name]: tf.tensor1d([-0.3, 0.2 * k, 1.5]) };
        const scaled = scaleInside ? g : tf.tidy(() => Object.fromEntries(Object.entries(g).map(([n, t]) => [n, tf.mul(t, scale)])));
        opt.apply(scaled, 0.01, scaleInside ? scale : 1);
        tf.dispose([...Object.values(g), ...Object.values(scaled)]);
      }
      const out = [...w.dataSync(), ...b.dataSync()];
      opt.dispose();
      tf.dispose([w, b]);
      return out;
    };
    expect(run(true)).toEqual(run(false)); // bit for bit: the same float32 product, made inside the update
  });
});
