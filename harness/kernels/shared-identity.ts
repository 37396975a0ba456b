// Identity (and same-dtype Cast) on wasm share the input's buffer instead of copying it, as the cpu backend does.
// tfjs clones every tensor it saves for the backward pass (engine.saveTensorsForBackwardMode), ~400 a baby step;
// wasm's Identity memcpy'd each one. Tensors are immutable and the backend refcounts buffers, so sharing is safe.
import type * as tf from '@tensorflow/tfjs';
import type { WasmBackend, WasmKernelFunc } from './wasm-backend.ts';

function share(x: tf.TensorInfo, backend: WasmBackend): tf.TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/** Identity that shares the buffer; strings keep tfjs's own path. */
export function sharedIdentity(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    return x.dtype === 'string' ? fallback(args) : share(x, args.backend);
  };
}

/** Cast that shares the buffer when the dtype does not change (e.g. relu's gradient casts float32 to float32). */
export function sharedCast(fallback: WasmKernelFunc): WasmKernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const dtype = (args.attrs as { dtype: tf.DataType }).dtype;
    return x.dtype === dtype && dtype !== 'string' ? share(x, args.backend) : fallback(args);
  };
}
