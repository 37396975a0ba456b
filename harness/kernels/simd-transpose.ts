// Transpose on wasm through our kernel: tfjs's own wasm Transpose takes ~70 ns/element on rank-5 perms.
import type * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

/** Drops size-1 axes and merges input axes that stay adjacent in the output: [12,64,3,4,32] perm [2,0,3,1,4] stays rank 5. */
export function collapse(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  const keep = shape.map((n, i) => (n === 1 ? -1 : i)).filter((i) => i >= 0);
  const s = keep.map((i) => shape[i]!);
  const p = perm.filter((i) => shape[i] !== 1).map((i) => keep.indexOf(i)); // perm over the kept axes
  // merge runs p[j+1] === p[j] + 1
  const groups: number[][] = [];
  for (const axis of p) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1]! + 1 === axis) last.push(axis);
    else groups.push([axis]);
  }
  const order = [...groups].sort((x, y) => x[0]! - y[0]!); // groups in input order
  const newShape = order.map((g) => g.reduce((n, axis) => n * s[axis]!, 1));
  return { shape: newShape, perm: groups.map((g) => order.indexOf(g)) };
}

/** Wraps `fallback` (used for 1-byte bool tensors and no-op perms). */
export function simdTranspose(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const perm = (attrs as { perm: number[] }).perm;
    if (x.dtype === 'bool' || x.dtype === 'string') return fallback(args);
    const c = collapse(x.shape, perm);
    if (c.perm.every((p, i) => p === i)) return fallback(args);
    const out = backend.makeOutput(perm.map((p) => x.shape[p]!), x.dtype);
    const simd = simdModule(backend);
    const work = simd.scratch(4 * 64); // shape[8] perm[8] then 32 ints of kernel workspace
    const ints = new Int32Array(simd.memory.buffer, work, 16);
    ints.set(c.shape, 0);
    ints.set(c.perm, 8);
    const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
    simd.exports.transpose(off(x), off(out), c.shape.length, work, work + 32, work + 64);
    return out;
  };
}
