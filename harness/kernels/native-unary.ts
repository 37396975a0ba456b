// Relu and Square of float32 tensors, and the one-pass kernels of their gradients (relu-grad.ts, square-grad.ts),
// through the native addon (blas/unary.cc): the same floats as tfjs's, on the calling thread or, for big tensors while
// the thread choice shares, half on the helper thread (nativeThreads in blas-matmul.ts). Small tensors and other dtypes
// keep `fallback`.
import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './blas-addon.ts';
import { nativeThreads } from './blas-matmul.ts';
import { heapBuffer, type WasmBackend, type WasmKernelFunc } from './wasm-backend.ts';

const OPS = { relu: 0, reluGrad: 1, square: 2, squareGrad: 3 } as const;

function run(addon: BlasAddon, backend: WasmBackend, op: number, x: tf.TensorInfo, dy: tf.TensorInfo | undefined,
  n: number, threads: number): tf.TensorInfo {
  const out = backend.makeOutput([...x.shape], 'float32');
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  // the buffer taken after makeOutput, which may have grown the heap
  addon.unary(heapBuffer(backend), op, off(x), dy ? off(dy) : 0, off(out), n, threads);
  return out;
}

/** Relu or Square: native for float32 tensors from NATIVE_MIN_ELEMENTS, else `fallback`. */
export function nativeUnary(addon: BlasAddon, op: 'relu' | 'square', fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const n = tf.util.sizeFromShape(x.shape);
    const threads = x.dtype === 'float32' ? nativeThreads(n) : 0;
    return threads === 0 ? fallback(args) : run(addon, args.backend, OPS[op], x, undefined, n, threads);
  };
}

/**
 * A gradient kernel over { dy, x } of one shape, float32: native, on the calling thread at least; `fallback` (a
 * one-pass wasm kernel) for small tensors where there is one.
 */
export function nativeUnaryGrad(addon: BlasAddon, op: 'reluGrad' | 'squareGrad', fallback?: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { dy, x } = args.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const n = tf.util.sizeFromShape(x.shape);
    const threads = nativeThreads(n);
    if (threads === 0 && fallback) return fallback(args);
    return run(addon, args.backend, OPS[op], x, dy, n, Math.max(1, threads));
  };
}
