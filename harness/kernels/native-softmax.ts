// Softmax over the last axis and its one-pass gradient (softmax-grad.ts) through the native addon (blas/softmax.cc):
// the floats of our wasm kernels (simd-softmax.ts, wasm/kernels.c), compiled for the processor, on the calling thread
// or, for big tensors while the thread choice shares, by rows with the helper thread (nativeThreads in
// blas-matmul.ts). The forward pass goes native only where the addon was built with fused multiply-adds (x86 with AVX2
// and FMA, arm64), where it beats the wasm kernel: 182 against 223 µs for the attention weights ([12, 4, 64, 64], one
// thread, through tfjs). Small tensors keep `fallback`.
import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './blas-addon.ts';
import { nativeThreads } from './blas-matmul.ts';
import { heapBuffer, type WasmBackend, type WasmKernelFunc } from './wasm-backend.ts';

function run(addon: BlasAddon, backend: WasmBackend, x: tf.TensorInfo, y: tf.TensorInfo | undefined, threads: number): tf.TensorInfo {
  const out = backend.makeOutput([...x.shape], 'float32');
  const n = x.shape[x.shape.length - 1]!;
  const rows = tf.util.sizeFromShape(x.shape) / n;
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  // the buffer taken after makeOutput, which may have grown the heap
  addon.softmax(heapBuffer(backend), off(x), y ? off(y) : 0, off(out), rows, n, y !== undefined, threads);
  return out;
}

/** Softmax over the last axis of a float32 tensor natively, else `fallback`. */
export function nativeSoftmax(addon: BlasAddon, fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const x = args.inputs.logits as tf.TensorInfo;
    const dim = (args.attrs as { dim: number }).dim;
    const rank = x.shape.length;
    const last = rank > 0 && (dim === -1 || dim === rank - 1) && x.shape[rank - 1]! > 0;
    const threads = x.dtype === 'float32' && last && addon.softmaxFused ? nativeThreads(tf.util.sizeFromShape(x.shape)) : 0;
    return threads === 0 ? fallback(args) : run(addon, args.backend, x, undefined, threads);
  };
}

/** Softmax's gradient kernel over { dy, y } (float32, the last axis) natively, else `fallback`. */
export function nativeSoftmaxGrad(addon: BlasAddon, fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { dy, y } = args.inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    const n = y.shape[y.shape.length - 1] ?? 0;
    const threads = n > 0 ? nativeThreads(tf.util.sizeFromShape(y.shape)) : 0;
    return threads === 0 ? fallback(args) : run(addon, args.backend, dy, y, threads);
  };
}
