// Native Softmax and its gradient (native-softmax.ts, blas/softmax.cc) on one thread or two: our wasm kernels' floats
// bit for bit where both fuse multiply-adds alike (the cpu backend's to rounding everywhere), masked scores exactly 0,
// and proof that the native path ran on the threads asked for.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlasAddon } from './blas-addon.ts';
import { simdModule } from './simd-module.ts';
import { blasAvailable } from './test-support/blas-test-gate.ts';
import { maxAbsDiff, seeded } from './test-support/cpu-oracle.ts';
import { recordCalls, sharingOnTwoThreads, valuesOn, withThreads } from './test-support/two-threads.ts';
import type { WasmBackend } from './wasm-backend.ts';

const found = blasAvailable('native softmax');

/** The values f makes on wasm with GPT_KATA_THREADS as given, and each native call's [grad, threads]. */
async function onWasm(addon: BlasAddon, threads: string, f: () => tf.Tensor): Promise<{ values: number[]; calls: [boolean, number][] }> {
  const pick = (a: Parameters<BlasAddon['softmax']>): [boolean, number] => [a[6], a[7]];
  const { result, calls } = await withThreads(threads, () => recordCalls(addon, 'softmax', pick, () => valuesOn('wasm', f)));
  return { values: result, calls };
}

/** What our wasm kernels (wasm/kernels.c) give for the softmax of x and its gradient for dy, called directly. */
async function wasmKernels(x: number[], dy: number[], shape: number[]): Promise<number[]> {
  await tf.setBackend('wasm');
  const backend = tf.backend() as unknown as WasmBackend;
  const kernels = simdModule(backend).exports;
  const n = shape[shape.length - 1]!;
  const rows = x.length / n;
  const [xt, dyt, y, dx] = [tf.tensor(x, shape), tf.tensor(dy, shape), tf.zeros(shape), tf.zeros(shape)];
  const off = (t: tf.Tensor) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  kernels.softmax_rows(off(xt), off(y), rows, n);
  kernels.softmax_grad(off(dyt), off(y), off(dx), rows, n);
  const values = [...(await y.data()), ...(await dx.data())];
  tf.dispose([xt, dyt, y, dx]);
  return values;
}

describe.skipIf(!found)('native Softmax and its gradient', () => {
  const addon = found!;
  sharingOnTwoThreads();

  it('give our wasm kernels\' floats exactly on one thread and on two, and the cpu backend\'s to rounding', async () => {
    await tf.setBackend('wasm');
    const sameArithmetic = addon.softmaxFused === simdModule(tf.backend() as unknown as WasmBackend).fma;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<number[]>([12, 4, 64, 64], [700, 7], [90, 65], [33, 130], [4100, 1], [2, 3000]),
        fc.integer(),
        fc.double({ min: 0.1, max: 60, noNaN: true }),
        async (shape, seed, scale) => {
          const size = tf.util.sizeFromShape(shape);
          const last = shape[shape.length - 1]!;
          // every 5th score masked, but never a row's first; a NaN row now and then
          const x = seeded(seed, size).map((v, i) => (i % 4099 === 7 ? NaN : i % last !== 0 && i % 5 === 4 ? (i % 2 ? -1e9 : -Infinity) : v * scale));
          const dy = seeded(seed + 1, size);
          const f = () => {
            const g = tf.grad((t: tf.Tensor) => tf.softmax(t).mul(tf.tensor(dy, shape)).sum());
            const xt = tf.tensor(x, shape);
            return tf.concat([tf.softmax(xt).flatten(), g(xt).flatten()]);
          };
          const shared = await onWasm(addon, '2', f);
          const alone = await onWasm(addon, '1', f);
          const t = size >= 65536 ? 2 : 1;
          // softmax for the tape, softmax, gradient; the forward pass native only where it has fused multiply-adds
          const calls = (k: number): [boolean, number][] => [...(addon.softmaxFused ? [[false, k], [false, k]] as [boolean, number][] : []), [true, k]];
          expect(shared.calls).toEqual(calls(t));
          expect(alone.calls).toEqual(calls(1));
          expect(shared.values).toEqual(alone.values);
          if (sameArithmetic) expect(shared.values).toEqual(await wasmKernels(x, dy, shape));
          const cpu = await valuesOn('cpu', f);
          const finite = (v: number[]) => v.map((e) => (Number.isNaN(e) ? 0 : e));
          expect(maxAbsDiff(finite(cpu), finite(shared.values))).toBeLessThan(1e-5);
          const nanRows = new Set(x.flatMap((v, i) => (Number.isNaN(v) ? [Math.floor(i / last)] : [])));
          x.forEach((v, i) => {
            if (v <= -1e9 && !nanRows.has(Math.floor(i / last))) expect(shared.values[i]).toBe(0);
          });
        },
      ),
      { numRuns: 12, seed: 17 },
    );
  });

  it('leaves small tensors and other axes to the wasm kernels', async () => {
    const small = () => tf.softmax(tf.tensor2d(seeded(1, 1000), [10, 100]));
    expect((await onWasm(addon, '2', small)).calls).toEqual([]);
  });

  it('refuses offsets outside the heap', () => {
    expect(() => addon.softmax(new ArrayBuffer(1024), 0, 0, 1000, 4, 4, false, 1)).toThrow(/outside the heap/);
    expect(() => addon.softmax(new ArrayBuffer(1024), 0, 1000, 0, 4, 4, true, 1)).toThrow(/outside the heap/);
  });
});
