// For the native kernels' tests: sharing switched on whatever the core count, values read off a backend, and the
// addon's calls recorded.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll } from 'vitest';
import { quietCpuBanner } from '../../../grader/tfjs/quiet-cpu-banner.ts';
import type { BlasAddon } from '../blas-addon.ts';
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

/** The addon's kernel entry points (everything but info and setThreads). */
type Entry = 'gemm' | 'binary' | 'unary' | 'softmax' | 'transpose' | 'broadcast' | 'sumMid';

/**
 * Runs `run` with the addon's `name` wrapped, keeping `pick(args)` of each call (e.g. the threads it was asked to use):
 * proof of which native path ran, and how. The entry point is put back afterwards.
 */
export async function recordCalls<K extends Entry, R, T>(addon: BlasAddon, name: K,
  pick: (args: Parameters<BlasAddon[K]>) => R, run: () => T | Promise<T>): Promise<{ result: T; calls: R[] }> {
  type Fn = (...args: Parameters<BlasAddon[K]>) => void;
  const slot = addon as unknown as Record<K, Fn>;
  const saved = slot[name];
  const original: Fn = (...args) => {
    saved.apply(addon, args);
  };
  const calls: R[] = [];
  slot[name] = (...args) => {
    calls.push(pick(args));
    original(...args);
  };
  try {
    return { result: await run(), calls };
  } finally {
    slot[name] = saved;
  }
}

/** Runs `run` with GPT_KATA_THREADS as given, then back to 2 (this suite's setting: see sharingOnTwoThreads). */
export async function withThreads<T>(threads: string, run: () => Promise<T>): Promise<T> {
  process.env.GPT_KATA_THREADS = threads;
  try {
    return await run();
  } finally {
    process.env.GPT_KATA_THREADS = '2';
  }
}
