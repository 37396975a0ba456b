// Float32 Add, Sub, Multiply and RealDiv through the native addon (blas/elementwise.cc): the same floats as tfjs's
// kernels, one correctly rounded operation per element, compiled for the processor, and for big tensors while the
// thread choice shares (thread-choice.ts) with the step's idle second core doing half of each pass over memory
// (nativeThreads in blas-matmul.ts). The layouts a transformer step uses go native: the same shape, a row of the
// output's trailing axes repeated (a bias, gamma, a [T, T] mask), one value per row (LayerNorm's statistics) and a
// scalar, on either side; every other case, and every small or non-float32 one, keeps `fallback`.
import * as tf from '@tensorflow/tfjs';
import type { BlasAddon } from './blas-addon.ts';
import { nativeThreads } from './blas-matmul.ts';
import { heapBuffer, type WasmBackend, type WasmKernelFunc } from './wasm-backend.ts';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
const OPS: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };
const SAME = 0;
const ROW = 1;
const PER_ROW = 2;
const SCALAR = 3;

/** How `small` lines up with `full` (the output's shape), or undefined when it is none of the native layouts. */
function layoutOf(small: readonly number[], full: readonly number[]): { layout: number; inner: number } | undefined {
  const size = tf.util.sizeFromShape(small as number[]);
  const last = full[full.length - 1] ?? 1;
  if (tf.util.arraysEqual(small as number[], full as number[])) return { layout: SAME, inner: last };
  if (size === 1) return { layout: SCALAR, inner: last };
  const dims = [...small];
  while (dims.length > 0 && dims[0] === 1) dims.shift(); // leading ones broadcast away
  // the output's trailing axes (a bias over [.., C], a [T, T] mask over [B, h, T, T]): one row of them, repeated
  if (dims.length > 0 && dims.length < full.length && dims.every((d, i) => d === full[full.length - dims.length + i])) {
    return { layout: ROW, inner: tf.util.sizeFromShape(dims) };
  }
  // [..., 1] against [..., C]: one value per row, the leading axes equal
  if (small.length === full.length && small[small.length - 1] === 1 && small.slice(0, -1).every((d, i) => d === full[i])) {
    return { layout: PER_ROW, inner: last };
  }
  return undefined;
}

/** The kernel for `op`: native on the threads nativeThreads gives, else `fallback`. */
export function threadedBinary(addon: BlasAddon, op: BinaryOp, fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = tf.util.sizeFromShape(shape);
    const threads = nativeThreads(n);
    if (threads === 0) return fallback(args);
    // the operand of the output's shape is x; the other (y) may broadcast; flip when y came first
    const aFull = tf.util.arraysEqual(a.shape, shape);
    const [x, y, flip] = aFull ? [a, b, false] : [b, a, true];
    if (!tf.util.arraysEqual(x.shape, shape)) return fallback(args);
    const lay = layoutOf(y.shape, shape);
    if (!lay) return fallback(args);
    return runNative(addon, backend, OPS[op], lay, flip, x, y, shape, n, threads);
  };
}

function runNative(addon: BlasAddon, backend: WasmBackend, op: number, lay: { layout: number; inner: number }, flip: boolean,
  x: tf.TensorInfo, y: tf.TensorInfo, shape: number[], n: number, threads: number): tf.TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  // the buffer taken after makeOutput, which may have grown the heap
  addon.binary(heapBuffer(backend), op, lay.layout, flip, off(x), off(y), off(out), n, lay.inner, threads);
  return out;
}
