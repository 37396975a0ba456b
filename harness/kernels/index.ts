// Performance kernels for the wasm backend; registerWasmKernels() installs them all (call after setBackend('wasm')).
import * as tf from '@tensorflow/tfjs';
import { rerouteTransposes } from './transpose-reroute-matmul.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

const MARK = Symbol.for('gpt-kata.kernels'); // tags the kernels we registered, so a second call is a no-op

/** Replaces (or adds) the wasm kernel `name`; `make` receives the kernel it replaces, if any. */
function override(name: string, make: (previous: tf.KernelConfig | undefined) => tf.KernelConfig): void {
  const previous = tf.getKernel(name, 'wasm');
  if (previous && (previous as unknown as Record<symbol, boolean>)[MARK]) return;
  if (previous) tf.unregisterKernel(name, 'wasm');
  const config = make(previous);
  (config as unknown as Record<symbol, boolean>)[MARK] = true;
  tf.registerKernel(config);
}

/**
 * Registers every wasm kernel of ours: UnsortedSegmentSum (missing on wasm; gather's gradient) and a BatchMatMul
 * that never takes wasm's slow transposed path. Idempotent. Gradients are untouched, so
 * harness/tfjs/broadcast-matmul-grad.ts keeps working.
 */
export function registerWasmKernels(): void {
  override(tf.UnsortedSegmentSum, () => unsortedSegmentSumConfig);
  override(tf.BatchMatMul, (previous) => {
    if (!previous) throw new Error('the wasm backend has no BatchMatMul kernel: import @tensorflow/tfjs-backend-wasm first');
    return { ...previous, kernelFunc: rerouteTransposes(previous.kernelFunc as unknown as WasmKernelFunc) as unknown as tf.KernelFunc };
  });
}
