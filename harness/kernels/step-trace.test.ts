// Freeing a repeated step's forward tensors from the last step's record: less memory held while the step runs, the
// same loss and gradients, and a step that departs from the record (a late use, a read, a kept tensor) still right.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seeded } from './test-support/cpu-oracle.ts';
import { freeDuringBackward } from './backward-pass.ts';
import { StepTrace } from './step-trace.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  freeDuringBackward();
});

const LAYERS = 8;

/** Weights of a residual chain, 64 wide. */
const weights = (): tf.Variable[] =>
  Array.from({ length: LAYERS }, (_, i) => tf.variable(tf.tensor2d(seeded(20 + i, 64 * 64), [64, 64]).mul(0.2)));

interface ChainOptions {
  /** Called with the first layer's output after the last layer: a use the record did not see. */
  late?: (first: tf.Tensor) => tf.Tensor;
  /** Memory in use as the forward pass ends. */
  peak?: number[];
}

/** A no-tidy residual chain (every layer's tensors stay in one scope), its loss and gradients as arrays. */
function step(trace: StepTrace, ws: tf.Variable[], x: tf.Tensor, o: ChainOptions = {}): number[][] {
  const { value, grads } = trace.run(() => tf.variableGrads(() => {
    let h = x;
    let first: tf.Tensor | undefined;
    for (const w of ws) {
      h = tf.relu(h.matMul(w)).add(h).div(2);
      first ??= h;
    }
    let loss = h.square().mean<tf.Scalar>();
    if (o.late) loss = loss.add(o.late(first!));
    o.peak?.push(tf.memory().numBytes);
    return loss;
  }, ws));
  const out = [value, ...ws.map((w) => grads[w.name]!)].map((t) => Array.from(t.dataSync()));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('freeing a repeated step by its record', () => {
  it('holds less memory in the forward pass from the second step on, with the same loss and gradients', () => {
    const ws = weights();
    const x = tf.tensor2d(seeded(9, 32 * 64), [32, 64]);
    const plain = step(new StepTrace(), ws, x); // a first step records only
    const trace = new StepTrace();
    const peaks: number[] = [];
    const runs = [1, 2, 3].map(() => step(trace, ws, x, { peak: peaks }));
    expect(trace.freedLastRun).toBeGreaterThan(LAYERS * 3);
    runs.forEach((r) => expect(r).toEqual(plain));
    const layerBytes = 32 * 64 * 4;
    expect(peaks[0]! - peaks[2]!).toBeGreaterThan(LAYERS * layerBytes); // each layer's scratch freed as the pass went
    expect(peaks[2]).toBe(peaks[1]);
    tf.dispose([x, ...ws]);
  });

  it('runs a step again, freeing nothing, when the model uses a tensor after the record said it was done', () => {
    const ws = weights();
    const x = tf.tensor2d(seeded(10, 32 * 64), [32, 64]);
    const late = (first: tf.Tensor) => first.sum().mul(1e-3);
    const expected = step(new StepTrace(), ws, x, { late });
    const trace = new StepTrace();
    step(trace, ws, x);
    step(trace, ws, x);
    expect(trace.freedLastRun).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    expect(step(trace, ws, x, { late })).toEqual(expected); // the first layer's output was freed; the step ran again
    expect(tf.memory().numTensors).toBe(before); // nothing of the abandoned run is left
    step(trace, ws, x);
    expect(trace.freedLastRun).toBe(0); // and nothing is freed for the rest of the run
    tf.dispose([x, ...ws]);
  });

  it('records afresh after a step that runs other kernels, and frees again from the next', () => {
    const ws = weights();
    const x = tf.tensor2d(seeded(12, 32 * 64), [32, 64]);
    const extra = () => tf.scalar(2).square().mul(0); // kernels the record does not have, on tensors of their own
    const expected = step(new StepTrace(), ws, x);
    const trace = new StepTrace();
    step(trace, ws, x);
    expect(step(trace, ws, x, { late: extra })).toEqual(expected);
    expect(step(trace, ws, x)).toEqual(expected); // recorded afresh: frees nothing
    expect(trace.freedLastRun).toBe(0);
    expect(step(trace, ws, x)).toEqual(expected);
    expect(trace.freedLastRun).toBeGreaterThan(LAYERS * 3);
    tf.dispose([x, ...ws]);
  });

  it('never frees a tensor whose values the step read, or one it kept', () => {
    const ws = weights();
    const x = tf.tensor2d(seeded(11, 32 * 64), [32, 64]);
    const trace = new StepTrace();
    const keptOnes: tf.Tensor[] = [];
    const readsAndKeeps = (first: tf.Tensor) => {
      keptOnes.push(tf.keep(first));
      return tf.scalar(first.dataSync()[0]! * 0);
    };
    const expected = step(new StepTrace(), ws, x, { late: readsAndKeeps });
    for (let i = 0; i < 3; i++) expect(step(trace, ws, x, { late: readsAndKeeps })).toEqual(expected);
    expect(keptOnes.every((t) => !t.isDisposed)).toBe(true);
    tf.dispose([x, ...ws, ...keptOnes]);
  });
});
