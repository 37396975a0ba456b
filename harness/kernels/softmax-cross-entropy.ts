// The trainer's cross-entropy on wasm as one kernel: loss and gradient of mean −log softmax(logits)[target] in one
// SIMD pass per row (wasm/kernels.c softmax_xent), instead of ~25 tfjs kernels forward and backward.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

const SOFTMAX_XENT = 'GptKataSoftmaxCrossEntropy';

/**
 * logits [R, V] float32, targets [R] int32 → [loss (a scalar), dlogits [R, V]]: the mean over the R rows of
 * log Σe^x − x[target], and its gradient (softmax − onehot)/R. A target outside [0, V) selects no class (tfjs's
 * oneHot): its row adds nothing to the loss and gets a zero gradient.
 */
const kernel: WasmKernelFunc = ({ inputs, backend }) => {
  const { logits, targets } = inputs as { logits: tf.TensorInfo; targets: tf.TensorInfo };
  const [rows, n] = logits.shape as [number, number];
  const loss = backend.makeOutput([], 'float32');
  const dx = backend.makeOutput([rows, n], 'float32');
  if (rows === 0 || n === 0) {
    backend.typedArrayFromHeap(loss).fill(NaN); // the mean of no rows, as tfjs's mean
    return [loss, dx];
  }
  const mod = simdModule(backend);
  const stats = mod.scratch(8 * rows); // allocates, so before the heap views below
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  mod.exports.softmax_xent(off(logits), off(targets), off(dx), stats, rows, n, 1 / rows);
  const heap = mod.memory.buffer;
  const x = new Float32Array(heap, off(logits), rows * n);
  const t = new Int32Array(heap, off(targets), rows);
  const st = new Float32Array(heap, stats, 2 * rows);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const target = t[r]!;
    if (target >= 0 && target < n) total += st[2 * r]! + Math.log(st[2 * r + 1]!) - x[r * n + target]!;
  }
  new Float32Array(heap, off(loss), 1)[0] = total / rows;
  return [loss, dx];
};

export const softmaxCrossEntropyConfig: tf.KernelConfig = {
  kernelName: SOFTMAX_XENT,
  backendName: 'wasm',
  kernelFunc: kernel as unknown as tf.KernelFunc,
};

/**
 * mean over rows of −log softmax(logits)[target], with its gradient, as one kernel where it is registered (wasm,
 * float32 logits, int32 targets); undefined elsewhere, for the caller's tfjs formula.
 */
export function fusedSoftmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar | undefined {
  if (tf.getBackend() !== 'wasm' || !tf.getKernel(SOFTMAX_XENT, 'wasm') || logits.dtype !== 'float32' || targets.dtype !== 'int32') {
    return undefined;
  }
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [value, dx] = tf.engine().runKernel<tf.Tensor[]>(SOFTMAX_XENT, { logits: x, targets });
    save([dx!]);
    return { value: value as tf.Scalar, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(saved[0]!, dy) };
  });
  return f(logits);
}
