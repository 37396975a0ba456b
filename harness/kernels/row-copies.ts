// Unpack (unstack) along axis 0, SplitV, and GatherV2 of whole rows on wasm as plain row copies; tfjs's generic
// versions index element by element (3 ms to unstack q, k, v in a baby step, 4 ms to split them; 2 ms to gather).
import * as tf from '@tensorflow/tfjs';
import type { WasmKernelFunc } from './wasm-backend.ts';

const wordSized = (dtype: tf.DataType) => dtype === 'float32' || dtype === 'int32';

/** unstack(x, 0): n contiguous slices. Other axes and bool/string keep tfjs's kernel. */
export function rowUnpack(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.value as tf.TensorInfo;
    const axis = (attrs as { axis: number }).axis;
    if ((axis !== 0 && axis !== -x.shape.length) || !wordSized(x.dtype)) return fallback(args);
    const n = x.shape[0]!;
    const shape = x.shape.slice(1);
    const size = tf.util.sizeFromShape(shape);
    const outs = Array.from({ length: n }, () => backend.makeOutput(shape, x.dtype));
    const src = backend.typedArrayFromHeap(x); // views after every allocation: makeOutput may grow the heap
    outs.forEach((o, i) => backend.typedArrayFromHeap(o).set(src.subarray(i * size, (i + 1) * size)));
    return outs;
  };
}

/** gather(x, indices, 0) with batchDims 0 and indices in range; anything else keeps tfjs's kernel (and its errors). */
export function rowGather(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = attrs as { axis: number; batchDims: number };
    if (tf.util.parseAxisParam(axis, x.shape)[0] !== 0 || batchDims !== 0 || !wordSized(x.dtype) || indices.dtype !== 'int32') {
      return fallback(args);
    }
    const rows = x.shape[0]!;
    const ids = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < ids.length; i++) if (ids[i]! < 0 || ids[i]! >= rows) return fallback(args);
    const width = tf.util.sizeFromShape(x.shape.slice(1));
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    const idx = backend.typedArrayFromHeap(indices);
    for (let i = 0; i < idx.length; i++) dst.set(src.subarray(idx[i]! * width, (idx[i]! + 1) * width), i * width);
    return out;
  };
}

/** split(x, sizes, axis): each part is a run of contiguous blocks, one per index of the axes before `axis`. */
export function rowSplit(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const { numOrSizeSplits, axis } = attrs as { numOrSizeSplits: number | number[]; axis: number };
    if (!wordSized(x.dtype)) return fallback(args);
    const ax = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits, ax);
    const outer = tf.util.sizeFromShape(x.shape.slice(0, ax));
    const inner = tf.util.sizeFromShape(x.shape.slice(ax + 1)); // elements per index of the split axis
    const row = x.shape[ax]! * inner; // one outer index's elements in x
    const outs = sizes.map((n) => backend.makeOutput(x.shape.map((d, i) => (i === ax ? n : d)), x.dtype));
    const src = backend.typedArrayFromHeap(x);
    let start = 0;
    sizes.forEach((n, p) => {
      const dst = backend.typedArrayFromHeap(outs[p]!);
      const len = n * inner;
      for (let o = 0; o < outer; o++) dst.set(src.subarray(o * row + start, o * row + start + len), o * len);
      start += len;
    });
    return outs;
  };
}
