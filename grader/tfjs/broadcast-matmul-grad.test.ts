// The corrected BatchMatMul gradient: natural x[B,T,C] @ w[C,N] code trains, and gradients match the explicit 2-D form.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBroadcastMatMulGradient } from './broadcast-matmul-grad.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerBroadcastMatMulGradient();
});

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
}

describe('broadcast BatchMatMul gradient', () => {
  it('gives [C,N] gradients for w in x[B,T,C] @ w[C,N], equal to the reshaped 2-D matmul', () => {
    const x = tf.randomNormal([3, 5, 4]);
    const w = tf.randomNormal([4, 6]);
    const natural = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.matMul(xx, ww).square().sum());
    const flat = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.matMul(xx.reshape([15, 4]), ww).square().sum());
    const [gx, gw] = natural([x, w]);
    const [fx, fw] = flat([x, w]);
    expect(gw!.shape).toEqual([4, 6]);
    expect(maxDiff(gw!, fw!)).toBeLessThan(1e-4);
    expect(maxDiff(gx!, fx!)).toBeLessThan(1e-4);
  });

  it('handles transposed operands and size-1 batch axes', () => {
    const a = tf.randomNormal([2, 1, 3, 4]);
    const b = tf.randomNormal([5, 4]); // used transposed: [4,5]ᵀ
    const [ga, gb] = tf.grads((aa: tf.Tensor, bb: tf.Tensor) => tf.matMul(aa, bb, false, true).sum())([a, b]);
    expect(ga!.shape).toEqual([2, 1, 3, 4]);
    expect(gb!.shape).toEqual([5, 4]);
    const expected = tf.matMul(tf.ones([6, 5]), a.reshape([6, 4]), true, false); // Σ over rows of a, for every output column
    expect(maxDiff(gb!, expected)).toBeLessThan(1e-4);
  });

  it('gives a shared w with size-1 batch axes its own shape, transposed or not', () => {
    const x = tf.randomNormal([2, 3, 5, 4]);
    for (const transposeB of [false, true]) {
      const w = tf.randomNormal(transposeB ? [1, 1, 6, 4] : [1, 1, 4, 6]);
      const natural = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.matMul(xx, ww, false, transposeB).square().sum());
      const flat = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.matMul(xx.reshape([30, 4]), ww.reshape(ww.shape.slice(2)), false, transposeB).square().sum());
      const [, gw] = natural([x, w]);
      const [, fw] = flat([x, w]);
      expect(gw!.shape).toEqual(w.shape);
      expect(maxDiff(gw!.reshape(fw!.shape), fw!)).toBeLessThan(1e-4);
    }
  });
});
