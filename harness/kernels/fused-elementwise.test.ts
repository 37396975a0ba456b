// fusedElementwise compiles a formula to one wasm pass whose every element equals float32 arithmetic done by hand.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { add, div, fusedElementwise, mul, sqrt, sub } from './fused-elementwise.ts';
import { registerWasmKernels } from './index.ts';
import { seeded } from './test-support/cpu-oracle.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

// out0 = (a·s0 + b) / √c, out1 = a − b·s1: shared subterms, all five operations, two scalars
const formula = fusedElementwise(3, 2, ([a, b, c], [s0, s1]) => [div(add(mul(a!, s0!), b!), sqrt(c!)), sub(a!, mul(b!, s1!))]);

describe('fusedElementwise', () => {
  it('gives, for every size (4-lane body and scalar tail), exactly the float32 result of each operation in turn', async () => {
    const f = Math.fround;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer(), fc.double({ min: -3, max: 3, noNaN: true }), async (n, seed, s) => {
        const [a, b] = [seeded(seed, n), seeded(seed + 1, n)];
        const c = seeded(seed + 2, n).map((x) => Math.abs(x) + 0.5);
        const before = tf.memory().numTensors;
        const ins = [a, b, c].map((x) => tf.tensor1d(x));
        const outs = formula.run(ins, [s, 0.25])!;
        const got = outs.map((t) => Array.from(t.dataSync()));
        tf.dispose([...ins, ...outs]);
        expect(tf.memory().numTensors).toBe(before);
        const [fa, fb, fc_, fs] = [a.map(f), b.map(f), c.map(f), f(s)];
        const want0 = fa.map((x, i) => f(f(f(x * fs) + fb[i]!) / f(Math.sqrt(fc_[i]!))));
        const want1 = fa.map((x, i) => f(x - f(fb[i]! * 0.25)));
        expect(got).toEqual([want0, want1]);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('declines (null) on another backend and for tensors that are not float32, so the caller uses tfjs ops', async () => {
    const ints = [1, 2, 3].map(() => tf.tensor1d([1, 2], 'int32'));
    expect(formula.run(ints, [1, 1])).toBeNull();
    tf.dispose(ints);
    await tf.setBackend('cpu');
    const floats = [1, 2, 3].map(() => tf.tensor1d([1, 2]));
    expect(formula.run(floats, [1, 1])).toBeNull();
    tf.dispose(floats);
    await tf.setBackend('wasm');
  });
});
