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

/** A WebAssembly.Memory (this project's TypeScript libs do not declare the WebAssembly API). */
export interface WasmMemory {
  /** Replaced by a new ArrayBuffer whenever the memory grows: take it afresh for every use. */
  readonly buffer: ArrayBuffer;
}

const WasmMemoryClass = (globalThis as unknown as { WebAssembly: { Memory: abstract new (...args: never[]) => WasmMemory } }).WebAssembly.Memory;

const memories = new WeakMap<object, WasmMemory>();

/** The WebAssembly.Memory that holds this wasm backend's heap (its tensors), found once per backend. */
export function heapMemory(backend: WasmBackend): WasmMemory {
  const known = memories.get(backend);
  if (known) return known;
  const asm = (backend.wasm as unknown as { asm: Record<string, unknown> }).asm;
  const memory = Object.values(asm).find((v): v is WasmMemory => v instanceof WasmMemoryClass);
  if (!memory) throw new Error('tfjs-backend-wasm exports no WebAssembly.Memory; is @tensorflow/tfjs-backend-wasm 4.22 installed?');
  memories.set(backend, memory);
  return memory;
}

/** The heap's ArrayBuffer as it is now: take it after every allocation, which may grow the heap and replace it. */
export function heapBuffer(backend: WasmBackend): ArrayBuffer {
  return heapMemory(backend).buffer;
}
