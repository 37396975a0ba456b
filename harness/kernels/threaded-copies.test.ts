// Native Transpose and broadcast (threaded-copies.ts, blas/transpose.cc) on one thread or two: the cpu backend's result
// exactly, for any permutation of ranks 2-5 and any broadcast of size-1 axes, float32 and int32, and proof that the
// native path ran on the threads asked for.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlasAddon } from './blas-addon.ts';
import { blasAvailable } from './test-support/blas-test-gate.ts';
import { seeded } from './test-support/cpu-oracle.ts';
import { recordCalls, sharingOnTwoThreads, valuesOn } from './test-support/two-threads.ts';
import { collapse } from './simd-transpose.ts';

const found = blasAvailable('two-thread transpose');

/** Counts the addon's `name` calls while `f` runs, and the threads each asked for: proof that the native path ran. */
async function counting<T>(addon: BlasAddon, name: 'transpose' | 'broadcast', f: () => T | Promise<T>): Promise<{ result: T; calls: number; threads: number[] }> {
  const { result, calls } = await recordCalls(addon, name, (a) => a[5], f);
  return { result, calls: calls.length, threads: calls };
}

/** A shape of rank 2-5 with at least 65,536 elements (one axis made large enough), and a permutation of its axes. */
const shapeAndPerm = fc
  .integer({ min: 2, max: 5 })
  .chain((rank) =>
    fc.tuple(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: rank - 1, maxLength: rank - 1 }),
      fc.shuffledSubarray([...Array(rank).keys()], { minLength: rank, maxLength: rank }),
    ),
  )
  .map(([small, perm]) => {
    const rest = small.reduce((p, d) => p * d, 1);
    const shape = [...small];
    shape.splice(small[0]! % (small.length + 1), 0, Math.ceil(65536 / rest) + (small[0]! % 7));
    return { shape, perm };
  });

describe.skipIf(!found)('native Transpose and broadcast', () => {
  const addon = found!;
  sharingOnTwoThreads();

  it('gives the cpu backend\'s result exactly, any permutation of ranks 2-5, float32 and int32', async () => {
    await fc.assert(
      fc.asyncProperty(shapeAndPerm, fc.constantFrom<'float32' | 'int32'>('float32', 'int32'), fc.integer(), async ({ shape, perm }, dtype, seed) => {
        const n = shape.reduce((p, d) => p * d, 1);
        const values = seeded(seed, n).map((v) => (dtype === 'int32' ? Math.round(v * 1e6) : v));
        const f = () => tf.transpose(tf.tensor(values, shape, dtype), perm);
        const cpu = await valuesOn('cpu', f);
        const { result: wasm, calls } = await counting(addon, 'transpose', () => valuesOn('wasm', f));
        const moves = !collapse(shape, perm).perm.every((p, i) => p === i); // a perm that only moves size-1 axes is a copy
        expect(calls).toBe(moves ? 1 : 0);
        expect(wasm).toEqual(cpu);
      }),
      { numRuns: 40, seed: 5 },
    );
  });

  it('runs attention\'s head split natively on two threads, and on the calling thread alone with one BLAS thread', async () => {
    await tf.setBackend('wasm');
    const split = () => tf.tidy(() => tf.transpose(tf.ones([12, 64, 3, 4, 32]), [2, 0, 3, 1, 4]).dataSync());
    expect((await counting(addon, 'transpose', split)).threads).toEqual([2]);
    process.env.GPT_KATA_THREADS = '1';
    try {
      expect((await counting(addon, 'transpose', split)).threads).toEqual([1]);
    } finally {
      process.env.GPT_KATA_THREADS = '2';
    }
  });

  it('broadcasts size-1 axes as the cpu backend does, exactly, float32 and int32', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.constantFrom<'float32' | 'int32'>('float32', 'int32'),
        fc.integer(),
        async (small, ones, dtype, seed) => {
          // the output: the small shape with one axis large enough for the native path; the input has 1 where `ones`
          const out = [...small];
          out.splice(small[0]! % (small.length + 1), 0, Math.ceil(65536 / small.reduce((p, d) => p * d, 1)));
          const shape = out.map((d, i) => (ones[i] ? 1 : d));
          const n = shape.reduce((p, d) => p * d, 1);
          const values = seeded(seed, n).map((v) => (dtype === 'int32' ? Math.round(v * 1e6) : v));
          const f = () => tf.broadcastTo(tf.tensor(values, shape, dtype), out);
          const cpu = await valuesOn('cpu', f);
          const { result: wasm, calls } = await counting(addon, 'broadcast', () => valuesOn('wasm', f));
          expect(calls).toBe(shape.every((d, i) => d === out[i]) ? 0 : 1); // nothing to repeat: no kernel at all
          expect(wasm).toEqual(cpu);
        },
      ),
      { numRuns: 40, seed: 9 },
    );
  });

  it('refuses a bad permutation and offsets outside the heap', () => {
    const heap = new ArrayBuffer(1024);
    expect(() => addon.transpose(heap, 0, 512, [4, 4], [0, 0], 2)).toThrow(/permutation/);
    expect(() => addon.transpose(heap, 0, 1000, [8, 8], [1, 0], 2)).toThrow(/outside the heap/);
    expect(() => addon.broadcast(heap, 0, 512, [2, 3], [4, 3], 2)).toThrow(/1 or the output's size/);
    expect(() => addon.broadcast(heap, 0, 1000, [1, 8], [8, 8], 2)).toThrow(/outside the heap/);
  });
});
