// int32 Add and Sub that broadcast, on wasm, equal the cpu backend's (wrapping included), and so do causal masks.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runOn } from './test-support/cpu-oracle.ts';
import { registerWasmKernels } from './index.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

/** A shape of rank 1-4 and a second one that broadcasts against it: each axis kept, 1, or missing at the front. */
const broadcastPair = fc
  .array(fc.record({ n: fc.integer({ min: 1, max: 5 }), a: fc.constantFrom('keep', 'one'), b: fc.constantFrom('keep', 'one') }), { minLength: 1, maxLength: 4 })
  .chain((axes) => fc.record({ axes: fc.constant(axes), dropA: fc.nat(axes.length - 1), dropB: fc.nat(axes.length - 1) }))
  .map(({ axes, dropA, dropB }) => ({
    a: axes.map((x) => (x.a === 'keep' ? x.n : 1)).slice(dropA),
    b: axes.map((x) => (x.b === 'keep' ? x.n : 1)).slice(dropB),
  }));

const ints = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((seed + i * 7919) % 2001) - 1000);

describe('int32 Add and Sub with broadcasting', () => {
  it('equal the cpu backend on random broadcasting shapes', async () => {
    await fc.assert(
      fc.asyncProperty(broadcastPair, fc.integer({ min: 0, max: 1e6 }), async ({ a, b }, seed) => {
        const f = () => {
          const x = tf.tensor(ints(tf.util.sizeFromShape(a), seed), a, 'int32');
          const y = tf.tensor(ints(tf.util.sizeFromShape(b), seed + 1), b, 'int32');
          return [tf.add(x, y), tf.sub(x, y), tf.sub(y, x)];
        };
        const cpu = await runOn('cpu', f);
        const wasm = await runOn('wasm', f);
        expect(wasm).toEqual(cpu);
      }),
      { numRuns: 80, seed: 3 },
    );
  });

  it('wrap to 32 bits as the cpu backend does', async () => {
    const f = () => {
      const x = tf.tensor2d([[2147483647], [-2147483648]], [2, 1], 'int32');
      const y = tf.tensor1d([1, -1, 2147483647], 'int32');
      return [tf.add(x, y), tf.sub(x, y)];
    };
    expect(await runOn('wasm', f)).toEqual(await runOn('cpu', f));
  });

  it('build the causal mask (bandPart) as the cpu backend does', async () => {
    const f = () => [tf.linalg.bandPart(tf.ones([7, 7]), -1, 0), tf.linalg.bandPart(tf.ones([3, 5, 6]), 2, 1)];
    expect(await runOn('wasm', f)).toEqual(await runOn('cpu', f));
  });
});
