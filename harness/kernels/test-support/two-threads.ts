// For the two-thread kernels' tests: sharing switched on whatever the core count, and values read off a backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll } from 'vitest';
import { quietCpuBanner } from '../../../grader/tfjs/quiet-cpu-banner.ts';
import { registerWasmKernels } from '../index.ts';

/** In this suite, GPT_KATA_THREADS=2 (so the thread choice shares on a 1-core machine too) and our wasm kernels on. */
export function sharingOnTwoThreads(): void {
  const before = process.env.GPT_KATA_THREADS;
  beforeAll(async () => {
    process.env.GPT_KATA_THREADS = '2';
    quietCpuBanner(); // the cpu backend is the oracle
    await tf.setBackend('wasm');
    registerWasmKernels();
  });
  afterAll(() => {
    if (before === undefined) delete process.env.GPT_KATA_THREADS;
    else process.env.GPT_KATA_THREADS = before;
  });
}

/** The values of the tensor f makes on `backend`, as plain numbers. */
export async function valuesOn(backend: 'cpu' | 'wasm', f: () => tf.Tensor): Promise<number[]> {
  await tf.setBackend(backend);
  const t = f();
  const v = Array.from(await t.data());
  t.dispose();
  return v;
}
