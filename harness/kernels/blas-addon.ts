// Loads the optional native BLAS addon (harness/kernels/blas/) and says what it is, or why it is not there.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

/** Where node-gyp builds it, and where scripts/build-blas.ts writes why it could not. */
export const BLAS_DIR = fileURLToPath(new URL('./blas/', import.meta.url));
export const BLAS_BINARY = `${BLAS_DIR}build/Release/blas_matmul.node`;
export const NOT_BUILT_FILE = `${BLAS_DIR}build/not-built.txt`;

/** What blas-matmul.cc reports about the library it was linked with. */
export interface BlasInfo {
  library: 'OpenBLAS' | 'Accelerate' | 'CBLAS';
  config: string; // openblas_get_config(), e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64"
  core: string; // openblas_get_corename(): the kernel set OpenBLAS chose for this CPU (OPENBLAS_CORETYPE overrides it)
  parallel: string; // pthreads | OpenMP | sequential
  threads: number | null;
}

/** The addon's functions (see blas-matmul.cc for the exact contract of gemm). */
export interface BlasAddon {
  gemm(heap: ArrayBuffer, transA: boolean, transB: boolean, M: number, N: number, K: number,
    a: number, b: number, c: number, batch: number, strideA: number, strideB: number, split?: boolean): void;
  setThreads(n: number): void;
  /** out = x op y (y op x when flip) over n floats, y laid out as `layout` (see blas/elementwise.cc); byte offsets. */
  binary(heap: ArrayBuffer, op: number, layout: number, flip: boolean, x: number, y: number, out: number, n: number,
    inner: number, threads: number): void;
  /** out = op(x) for op 0 Relu, 2 Square; op 1 Relu's and 3 Square's gradient of dy (see blas/unary.cc); byte offsets. */
  unary(heap: ArrayBuffer, op: number, x: number, dy: number, out: number, n: number, threads: number): void;
  /**
   * Softmax by rows of n: out = softmax(x), or with grad its gradient for dy = x and the softmax output y (see
   * blas/softmax.cc); byte offsets.
   */
  softmax(heap: ArrayBuffer, x: number, y: number, out: number, rows: number, n: number, grad: boolean, threads: number): void;
  /** Whether softmax runs its AVX2-with-FMA (or arm64) build: multiply-adds fused, as the wasm kernels' relaxed-SIMD build runs them. */
  softmaxFused: boolean;
  /** out = x transposed by perm (4-byte elements; shape and perm of rank 1-8); byte offsets. */
  transpose(heap: ArrayBuffer, x: number, out: number, shape: number[], perm: number[], threads: number): void;
  /** out = x repeated along its size-1 axes to outShape (4-byte elements, rank 1-8); byte offsets. */
  broadcast(heap: ArrayBuffer, x: number, out: number, xShape: number[], outShape: number[], threads: number): void;
  /** out[o, i] = Σ_r x[o, r, i] for x of [O, R, I], each column summed over r in order; byte offsets. */
  sumMid(heap: ArrayBuffer, x: number, out: number, O: number, R: number, I: number, threads: number): void;
  info(): BlasInfo;
}

export type BlasStatus = { ok: true; addon: BlasAddon; info: BlasInfo } | { ok: false; reason: string };

const HOW_TO_BUILD = process.platform === 'darwin'
  ? 'xcode-select --install, then npm run build:blas'
  : 'apt-get install libopenblas-dev, then npm run build:blas'; // where the build never ran or its library went

let threadsFor: { setting: string | undefined; n: number } | undefined;

/**
 * BLAS threads: GPT_KATA_THREADS, else every core. Asked before every big kernel, so the answer is kept while the
 * variable stays as it was: availableParallelism() costs ~15 µs a call, ~2 ms of a baby step.
 */
export function blasThreads(): number {
  const setting = process.env.GPT_KATA_THREADS;
  if (threadsFor && threadsFor.setting === setting) return threadsFor.n;
  const asked = Number(setting ?? availableParallelism());
  const n = Number.isInteger(asked) && asked >= 1 ? asked : availableParallelism();
  threadsFor = { setting, n };
  return n;
}

let status: BlasStatus | undefined;

/**
 * Runs `load` (the addon's dlopen, where OpenBLAS reads its environment) with OPENBLAS_THREAD_TIMEOUT=4 unless it is
 * set: OpenBLAS's idle workers then sleep at once instead of busy-waiting 2^28 cycles (~0.1 s) after each product,
 * which kept a second core spinning through the whole training step (CPU 143–179 ms a step instead of 97–100 on the
 * 2-core machine of docs/cpu-performance.md, and slower steps); a worker's wake-up is then part of the step's own
 * time, which thread-choice.ts weighs. The variable is put back afterwards, so child processes (the PyTorch anchor)
 * do not inherit it.
 */
function withSleepingWorkers<T>(load: () => T): T {
  const own = process.env.OPENBLAS_THREAD_TIMEOUT;
  if (own === undefined) process.env.OPENBLAS_THREAD_TIMEOUT = '4';
  try {
    return load();
  } finally {
    if (own === undefined) delete process.env.OPENBLAS_THREAD_TIMEOUT;
  }
}

/** Loads the addon once per process. GPT_KATA_BLAS=0 turns it off (the wasm kernels run, as without it). */
export function loadBlas(): BlasStatus {
  if (status) return status;
  if (process.env.GPT_KATA_BLAS === '0') return (status = { ok: false, reason: 'native addon turned off: GPT_KATA_BLAS=0' });
  if (!existsSync(BLAS_BINARY)) {
    // scripts/build-blas.ts wrote why and what to do; without that file its build never ran (npm install --ignore-scripts)
    const why = existsSync(NOT_BUILT_FILE) ? readFileSync(NOT_BUILT_FILE, 'utf8').trim() : `npm install did not build it; ${HOW_TO_BUILD}`;
    return (status = { ok: false, reason: `native addon not built: ${why}` });
  }
  try {
    const addon = withSleepingWorkers(() => createRequire(import.meta.url)(BLAS_BINARY) as BlasAddon);
    addon.setThreads(blasThreads());
    return (status = { ok: true, addon, info: addon.info() });
  } catch (err) {
    // e.g. "libopenblas.so.0: cannot open shared object file": the library was removed after the build
    const first = String((err as Error).message).split('\n')[0]!.replace(`${BLAS_BINARY}: `, '');
    return (status = { ok: false, reason: `native addon failed to load (${first}); ${HOW_TO_BUILD}` });
  }
}

/** "OpenBLAS 0.3.21 (pthreads, up to 2 threads, core Haswell)": up to, because each shape runs on as many as pay off. */
export function describeBlas(info: BlasInfo): string {
  const version = /OpenBLAS (\S+)/.exec(info.config)?.[1];
  const threads = info.threads === null ? [] : [info.threads === 1 ? '1 thread' : `up to ${info.threads} threads`];
  const parts = [info.parallel, ...threads, ...(info.core ? [`core ${info.core}`] : [])];
  return `${info.library}${version ? ` ${version}` : ''} (${parts.join(', ')})`;
}
