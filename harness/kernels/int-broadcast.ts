// Add and Sub of int32 tensors whose shapes broadcast, e.g. bandPart's row indices [T,1] − column indices [T] (every
// causal mask): tfjs's wasm kernels index such a pair element by element through a generic path, ~270 µs for a
// 64×64 result, where one loop over the output takes ~10 µs.
import * as tf from '@tensorflow/tfjs';
import { broadcastStrides } from './batch-broadcast.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

/** The int32 result of a, b, as tfjs stores it: the exact sum or difference, wrapped to 32 bits. */
type IntOp = (a: number, b: number) => number;

export const intAdd: IntOp = (a, b) => (a + b) | 0;
export const intSub: IntOp = (a, b) => (a - b) | 0;

/** `op` over int32 operands of different (broadcasting) shapes; every other case goes to `fallback`. */
export function intBroadcast(fallback: WasmKernelFunc, op: IntOp): WasmKernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    if (a.dtype !== 'int32' || b.dtype !== 'int32' || tf.util.arraysEqual(a.shape, b.shape)) return fallback(args);
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.makeOutput(shape, 'int32');
    const n = tf.util.sizeFromShape(shape);
    if (n === 0) return out;
    const av = backend.typedArrayFromHeap(a) as Int32Array; // views after the output's allocation, which may grow the heap
    const bv = backend.typedArrayFromHeap(b) as Int32Array;
    const ov = backend.typedArrayFromHeap(out) as Int32Array;
    const rank = shape.length;
    const sa = broadcastStrides(a.shape, rank, 1);
    const sb = broadcastStrides(b.shape, rank, 1);
    const at = new Array<number>(rank).fill(0); // the odometer: the output index, axis by axis
    let ia = 0;
    let ib = 0;
    for (let i = 0; i < n; i++) {
      ov[i] = op(av[ia]!, bv[ib]!);
      for (let d = rank - 1; d >= 0; d--) {
        ia += sa[d]!;
        ib += sb[d]!;
        if (++at[d]! < shape[d]!) break;
        ia -= sa[d]! * shape[d]!;
        ib -= sb[d]! * shape[d]!;
        at[d] = 0;
      }
    }
    return out;
  };
}
