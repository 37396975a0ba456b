// The contract's Dropout callback: real, seeded dropout while training, the identity everywhere else.
import * as tf from '@tensorflow/tfjs';
import type { Dropout } from '../../katas/contracts.ts';
import { mixSeed } from '../../grader/seeded-random.ts';

export const identity: Dropout = (t) => t;

/** Backends whose tensors live off the CPU: tf.dropout would draw every uniform number in JavaScript and upload it. */
const DEVICE_BACKENDS = new Set(['webgpu', 'webgl', 'tensorflow']);

/** Element index i split as i = hi·4096 + lo (both exact in float32), per element count, kept on the device. */
const indexParts = new Map<number, { lo: tf.Tensor1D; hi: tf.Tensor1D }>();

function partsFor(size: number): { lo: tf.Tensor1D; hi: tf.Tensor1D } {
  let parts = indexParts.get(size);
  if (!parts) {
    const i = tf.range(0, size, 1, 'int32');
    parts = tf.tidy(() => ({ lo: tf.keep(tf.mod<tf.Tensor1D>(i, 4096).cast('float32')), hi: tf.keep(tf.floorDiv<tf.Tensor1D>(i, 4096).cast('float32')) }));
    i.dispose();
    indexParts.set(size, parts);
  }
  return parts;
}

/**
 * Uniform numbers in [0, 1) computed on the device with the classic shader hash fract(sin(a·12.9898 + b·78.233)·43758.5453)
 * over (lo, hi) parts of the element index, offset by two phases drawn from the seed. tf.dropout's JavaScript generator
 * takes ~110 ms for one lecture-size activation (64×256×384) and a lecture step needs 13 of them; this is a few
 * elementwise kernels on the GPU. The arguments stay below ~1e6, where GPU sin is still accurate enough to scramble.
 * Deterministic for a seed, as resuming needs; its statistics are tested on cpu and on WebGPU.
 */
export function deviceUniform(shape: number[], seed: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const { lo, hi } = partsFor(size);
  const s = seed >>> 0;
  const phaseA = (s % 9973) * 0.1031; // below ~1030
  const phaseB = (Math.floor(s / 9973) % 9967) * 0.0713; // below ~711: ~1e8 distinct (phaseA, phaseB) pairs
  return tf.tidy(() => {
    const h = lo.add(phaseA).mul(12.9898).add(hi.add(phaseB).mul(78.233)).sin().mul(43758.5453);
    return h.sub(h.floor()).reshape(shape);
  });
}

/** Inverted dropout with a device-side mask: keep where u ≥ rate, scale the kept values by 1/(1 − rate). */
export function deviceDropout(t: tf.Tensor, rate: number, seed: number): tf.Tensor {
  return tf.tidy(() => {
    const keep = deviceUniform(t.shape, seed).greaterEqual(rate).cast(t.dtype);
    return t.mul(keep).mul(1 / (1 - rate));
  });
}

/**
 * Dropout for one training step. Each call gets its own mask, seeded by (run seed, step, call number), so a
 * resumed run drops exactly the units the uninterrupted run would have dropped.
 */
export function trainingDropout(rate: number, seed: number, step: number): Dropout {
  if (rate <= 0) return identity;
  const onDevice = DEVICE_BACKENDS.has(tf.getBackend());
  let call = 0;
  return (t) => {
    const s = mixSeed(seed, step, call++);
    return onDevice ? deviceDropout(t, rate, s) : tf.dropout(t, rate, undefined, s);
  };
}
