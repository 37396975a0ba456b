// The freeing backward pass: the same gradients as tfjs's own pass, bit for bit; memory that falls as the pass goes
// instead of growing; nothing leaked; the caller's tensors and a gradient of a gradient left as they were.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seeded } from './test-support/cpu-oracle.ts';
import { freeDuringBackward } from './backward-pass.ts';

type Gradients = (f: () => tf.Scalar, xs: tf.Tensor[]) => { value: tf.Scalar; grads: tf.Tensor[] };

/** tfjs's own pass: the engine's prototype method, which the installed pass shadows on the engine object. */
const tfjsPass: Gradients = (f, xs) => {
  const engine = tf.engine();
  const proto = Object.getPrototypeOf(engine) as { gradients: Gradients };
  return proto.gradients.call(engine, f, xs);
};
const freeingPass: Gradients = (f, xs) => (tf.engine() as unknown as { gradients: Gradients }).gradients(f, xs);

beforeAll(() => {
  freeDuringBackward();
});

/** Passes its input through, and its gradient dy back unchanged (the same tensor): records memory in use as it does. */
function probe(samples: number[]): (t: tf.Tensor) => tf.Tensor {
  const through = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor) => {
      samples.push(tf.memory().numBytes);
      return [dy];
    },
  }));
  return (t) => through(t);
}

/**
 * A pre-norm block's ops over variables: LayerNorm, matmuls, ReLU, a masked softmax, residuals, a tensor read twice
 * (its gradients summed), an op off the path to the loss, and a gradient that passes dy through unchanged.
 */
function blockLoss(x: tf.Tensor2D, w1: tf.Tensor, w2: tf.Tensor, gamma: tf.Tensor, through: (t: tf.Tensor) => tf.Tensor): tf.Scalar {
  const centred = x.sub(x.mean(-1, true));
  const normed = centred.div(centred.square().mean(-1, true).add(1e-5).sqrt()).mul(gamma);
  const h = through(tf.relu(normed.matMul(w1))).matMul(w2);
  h.abs().max(); // off the path to the loss
  const future = tf.tensor2d(Array.from({ length: 36 }, (_, i) => (i % 6 > Math.floor(i / 6) ? -1e9 : 0)), [6, 6]);
  const scores = tf.softmax(h.matMul(x, false, true).add(future));
  return x.add(scores.matMul(h)).add(h).square().mean<tf.Scalar>();
}

/** Loss and gradients (as arrays) of blockLoss under `pass`, with fresh variables; every tensor freed after. */
function blockGradients(pass: Gradients): number[][] {
  const x = tf.tensor2d(seeded(1, 6 * 8), [6, 8]);
  const vars = [tf.variable(tf.tensor2d(seeded(2, 8 * 16), [8, 16])), tf.variable(tf.tensor2d(seeded(3, 16 * 8), [16, 8])),
    tf.variable(tf.tensor1d(seeded(4, 8)))] as const;
  const { value, grads } = pass(() => blockLoss(x, ...vars, probe([])), [...vars]);
  const out = [value, ...grads].map((t) => Array.from(t.dataSync()));
  tf.dispose([x, value, ...grads, ...vars]);
  return out;
}

describe.each(['cpu', 'wasm'] as const)('the freeing backward pass on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });

  it('gives tfjs\'s loss and gradients bit for bit', () => {
    expect(blockGradients(freeingPass)).toEqual(blockGradients(tfjsPass));
  });

  it('frees as it goes: memory in use falls through the pass, where tfjs\'s pass only grows', () => {
    const layers = 12;
    const during = (pass: Gradients): number[] => {
      const samples: number[] = [];
      const through = probe(samples);
      const x = tf.tensor2d(seeded(5, 32 * 64), [32, 64]);
      const ws = Array.from({ length: layers }, (_, i) => tf.variable(tf.tensor2d(seeded(6 + i, 64 * 64), [64, 64]).mul(0.2)));
      const { value, grads } = pass(() => {
        let h: tf.Tensor = x;
        for (const w of ws) h = through(tf.relu(h.matMul(w)).add(h));
        return h.square().mean<tf.Scalar>();
      }, ws);
      tf.dispose([x, value, ...grads, ...ws]);
      return samples; // the last layer's first: the backward pass walks the chain from the loss down
    };
    const ours = during(freeingPass);
    const theirs = during(tfjsPass);
    const layerBytes = 32 * 64 * 4;
    expect(theirs.at(-1)! - theirs[0]!).toBeGreaterThan(layers * layerBytes); // each layer's gradients kept to the end
    expect(ours[0]! - ours.at(-1)!).toBeGreaterThan(layers * layerBytes); // each layer's saves and gradients freed
  });

  it('leaks nothing, and leaves the caller\'s dy and inputs alive', () => {
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([0.5, -1, 2]);
    const dy = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((t: tf.Tensor) => t.square().add(t).mul(t))(x, dy);
    expect(Array.from(g.dataSync())).toEqual([1 * (3 * 0.25 + 1), 2 * (3 * 1 - 2), 3 * (3 * 4 + 4)]);
    expect(Array.from(dy.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(x.dataSync())).toEqual([0.5, -1, 2]);
    tf.dispose([x, dy, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves nothing behind when the forward pass throws', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
    expect(() => tf.variableGrads(() => {
      w.square().mul(w).sum(); // saved for a backward pass that never comes
      throw new Error('the model failed');
    }, [w])).toThrow('the model failed');
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('leaves nothing behind when a gradient throws', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, 2, 3])));
    const failing = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: (args[0] as tf.Tensor).square(),
      gradFunc: () => {
        throw new Error('the gradient failed');
      },
    }));
    expect(() => tf.variableGrads(() => failing(w.mul(2)).mul(w).sum<tf.Scalar>(), [w])).toThrow('the gradient failed');
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('still gives a gradient of a gradient (tfjs\'s pass inside)', () => {
    // d²/dx² of sum(x³) = 6x
    const x = tf.tensor1d([0.3, -1.2, 2]);
    const second = tf.grad((y: tf.Tensor) => tf.grad((z: tf.Tensor) => z.pow(3).sum())(y).sum())(x);
    const got = Array.from(second.dataSync());
    [0.3, -1.2, 2].forEach((v, i) => expect(got[i]).toBeCloseTo(6 * v, 4));
    tf.dispose([x, second]);
  });
});
