// Typed access to the wasm backend's internals that custom kernels need (heap views, tensor ids, outputs).
import type * as tf from '@tensorflow/tfjs';

/** The slice of tfjs-backend-wasm's BackendWasm that our kernels use. */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array; HEAPF32: Float32Array; HEAP32: Int32Array };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[] } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/** A kernel function as the registry calls it, with the wasm backend typed. */
export type WasmKernelFunc = (args: {
  inputs: Record<string, tf.TensorInfo>;
  backend: WasmBackend;
  attrs?: Record<string, unknown>;
}) => tf.TensorInfo | tf.TensorInfo[];
