// Every kernel a GPT training step uses, forward and gradient, on WebGPU against the cpu backend (tiny shapes: lavapipe is slow).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gelu, layerNorm } from '../../grader/katas/block/reference.ts';
import { selectBackend } from './select.ts';
import { webgpuAvailable } from './test-support/webgpu-test-gate.ts';

const available = await webgpuAvailable('webgpu kernels');

/** Deterministic inputs: the same numbers on both backends. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Input = { shape: number[]; int?: number; positive?: boolean }; // int: ids in [0, int)

function makeInput(spec: Input, seed: number): tf.Tensor {
  const next = rng(seed);
  const n = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.int !== undefined) return tf.tensor(Int32Array.from({ length: n }, () => Math.floor(next() * spec.int!)), spec.shape, 'int32');
  const vals = Float32Array.from({ length: n }, () => (spec.positive ? 0.1 + next() : 2 * next() - 1));
  return tf.tensor(vals, spec.shape, 'float32');
}

interface Case {
  name: string;
  inputs: Input[];
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  grad?: boolean; // also compare d(sum(f·dy))/d(every float input)
}

const C = 8; // channels
const CASES: Case[] = [
  { name: 'matMul [5,7]@[7,3]', inputs: [{ shape: [5, 7] }, { shape: [7, 3] }], f: (a, b) => tf.matMul(a, b), grad: true },
  { name: 'matMul transposeA', inputs: [{ shape: [7, 5] }, { shape: [7, 3] }], f: (a, b) => tf.matMul(a, b, true, false), grad: true },
  { name: 'matMul transposeB', inputs: [{ shape: [5, 7] }, { shape: [3, 7] }], f: (a, b) => tf.matMul(a, b, false, true), grad: true },
  { name: 'matMul transposeA+B', inputs: [{ shape: [7, 5] }, { shape: [3, 7] }], f: (a, b) => tf.matMul(a, b, true, true), grad: true },
  // attention scores q·kᵀ over (B, h, T, d)
  { name: 'batched matMul q@kT [2,2,6,4]', inputs: [{ shape: [2, 2, 6, 4] }, { shape: [2, 2, 6, 4] }], f: (q, k) => tf.matMul(q, k, false, true), grad: true },
  // x[B,T,C] @ w[C,4C]: the broadcast case whose gradient tfjs gets wrong (grader/tfjs fix)
  { name: 'broadcast matMul [2,3,8]@[8,32]', inputs: [{ shape: [2, 3, C] }, { shape: [C, 4 * C] }], f: (x, w) => tf.matMul(x, w), grad: true },
  { name: 'softmax last axis', inputs: [{ shape: [2, 3, 5] }], f: (x) => tf.softmax(x.mul(3)), grad: true },
  {
    name: 'causal masked softmax (bandPart + where, -Infinity)',
    inputs: [{ shape: [2, 6, 6] }],
    f: (s) => {
      const keep = tf.linalg.bandPart(tf.ones([6, 6]), -1, 0).cast('bool').broadcastTo([2, 6, 6]); // (B, T, T)
      return tf.softmax(tf.where(keep, s, tf.fill([2, 6, 6], -Infinity)));
    },
    grad: true,
  },
  // forward only: the mask is built from a constant, and tfjs's bandPart gradient throws on every backend
  { name: 'bandPart (tril)', inputs: [{ shape: [5, 5] }], f: (x) => tf.linalg.bandPart(x, -1, 0) },
  {
    name: 'layerNorm (mean, variance, sqrt, div, gamma, beta)',
    inputs: [{ shape: [2, 3, C] }, { shape: [C], positive: true }, { shape: [C] }],
    f: (x, gamma, beta) => layerNorm(x, { gamma: gamma as tf.Tensor1D, beta: beta as tf.Tensor1D }),
    grad: true,
  },
  { name: 'moments + rsqrt', inputs: [{ shape: [4, C] }], f: (x) => tf.moments(x, -1, true).variance.add(1e-5).rsqrt(), grad: true },
  { name: 'gather (token embedding) + its gradient', inputs: [{ shape: [11, C] }, { shape: [2, 5], int: 11 }], f: (w, ids) => tf.gather(w, ids), grad: true },
  { name: 'erf', inputs: [{ shape: [3, 7] }], f: (x) => tf.erf(x.mul(2)), grad: true },
  { name: 'gelu (exact, erf)', inputs: [{ shape: [3, 7] }], f: (x) => gelu(x.mul(3)), grad: true },
  { name: 'relu', inputs: [{ shape: [3, 7] }], f: (x) => tf.relu(x), grad: true },
  {
    name: 'heads split/merge: reshape + transpose + unstack + concat',
    inputs: [{ shape: [2, 4, 3 * C] }],
    f: (qkv) => {
      const heads = qkv.reshape([2, 4, 3, 2, C / 2]).transpose([2, 0, 3, 1, 4]); // (3, B, h, T, d)
      const [q, k, v] = tf.unstack(heads);
      return tf.concat([q!.mul(k!), v!], -1).transpose([0, 2, 1, 3]).reshape([2 * 4, 2 * C]); // (B, h, T, 2d) -> (B*T, 2C)
    },
    grad: true,
  },
  { name: 'slice (positions) + broadcast add', inputs: [{ shape: [2, 5, C] }, { shape: [9, C] }], f: (tok, wpe) => tok.add(wpe.slice([0, 0], [5, C])), grad: true },
  { name: 'sum / mean over axes', inputs: [{ shape: [2, 3, 4] }], f: (x) => tf.concat([x.sum(-1), x.mean(1).reshape([2, 4]).slice([0, 0], [2, 3]), x.mean([0, 1], false).reshape([1, 4]).tile([2, 1]).slice([0, 0], [2, 3])], 1), grad: true },
  {
    name: 'cross-entropy (logSoftmax + oneHot + mean)',
    inputs: [{ shape: [6, 13] }, { shape: [6], int: 13 }],
    f: (logits, y) => tf.logSoftmax(logits.mul(2)).mul(tf.oneHot(y, 13)).sum(-1).mean().neg(),
    grad: true,
  },
  {
    name: 'AdamW update (elementwise)',
    inputs: [{ shape: [4, C] }, { shape: [4, C] }, { shape: [4, C] }, { shape: [4, C], positive: true }],
    f: (p, g, m, v) => {
      const [b1, b2, lr, wd] = [0.9, 0.99, 1e-2, 0.1];
      const m2 = m.mul(b1).add(g.mul(1 - b1));
      const v2 = v.mul(b2).add(g.square().mul(1 - b2));
      const denom = v2.sqrt().div(Math.sqrt(1 - b2 ** 3)).add(1e-8);
      return [p.mul(1 - lr * wd).sub(m2.div(denom).mul(lr / (1 - b1 ** 3))), m2, v2];
    },
  },
  // gradient clipping sums one square-norm per parameter: more inputs than a shader can bind (8 by default)
  { name: 'addN of 30 tensors', inputs: Array.from({ length: 30 }, () => ({ shape: [3, 4] })), f: (...xs) => tf.addN(xs), grad: true },
  { name: 'global-norm clip (square, sum, sqrt, minimum)', inputs: [{ shape: [3, C] }], f: (g) => g.mul(tf.minimum(1, tf.div(0.5, g.square().sum().sqrt()))), grad: true },
];

/** Runs one case on the active backend: outputs, then gradients. */
async function run(c: Case, seed: number): Promise<{ data: Float32Array[]; nOut: number }> {
  let nOut = 0;
  const tensors = tf.tidy(() => {
    const xs = c.inputs.map((spec, i) => makeInput(spec, seed + i));
    const y = c.f(...xs);
    const outs = Array.isArray(y) ? y : [y];
    nOut = outs.length;
    if (!c.grad) return outs;
    const floats = c.inputs.map((s, i) => (s.int === undefined ? i : -1)).filter((i) => i >= 0);
    const dy = makeInput({ shape: outs[0]!.shape }, seed + 99); // a random upstream gradient, not all-ones
    const g = tf.grads((...fx: tf.Tensor[]) => {
      const all = xs.map((x, i) => (floats.includes(i) ? fx[floats.indexOf(i)]! : x));
      return c.f(...all) as tf.Tensor;
    })(floats.map((i) => xs[i]!), dy);
    return [...outs, ...g];
  });
  const data = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(tensors);
  return { data, nOut };
}

describe.skipIf(!available)('webgpu kernels match the cpu backend', () => {
  beforeAll(async () => {
    await selectBackend('webgpu');
    // Off: tfjs would run ops on small CPU-resident inputs on the CPU, and these tiny shapes would never reach a shader.
    tf.env().set('WEBGPU_CPU_FORWARD', false);
  });

  for (const [n, c] of CASES.entries()) {
    it(`${c.name}`, async () => {
      await tf.setBackend('cpu');
      const { data: want, nOut } = await run(c, 1000 * (n + 1));
      await tf.setBackend('webgpu');
      const { data: got } = await run(c, 1000 * (n + 1));
      expect(tf.getBackend()).toBe('webgpu');
      expect(got.length).toBe(want.length);
      for (const [k, w] of want.entries()) {
        const g = got[k]!;
        expect(g.length, `output ${k} length`).toBe(w.length);
        const scale = Math.max(1, ...Array.from(w, Math.abs));
        let worst = 0;
        for (let i = 0; i < w.length; i++) {
          if (w[i] === g[i]) continue; // equal infinities too
          worst = Math.max(worst, Math.abs(w[i]! - g[i]!));
        }
        expect(worst, `${k < nOut ? `output #${k}` : `gradient #${k - nOut}`}: max |webgpu - cpu|, scale ${scale.toFixed(2)}`).toBeLessThan(2e-5 * scale);
      }
    });
  }

  it('really runs on the GPU: results live in GPU buffers, not CPU arrays', async () => {
    // Guards the comparison above against being hollow (e.g. tfjs quietly computing on the CPU).
    const x = tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]));
    expect((await x.data())[0]).toBe(64);
    expect(tf.getBackend()).toBe('webgpu');
    expect((tf.backend() as unknown as { tensorMap: { get(id: object): { resource?: unknown } } }).tensorMap.get(x.dataId).resource).toBeDefined();
    x.dispose();
  });
});
