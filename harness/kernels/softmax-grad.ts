// Softmax's gradient, dy·y − Σ(dy·y)·y along the last axis, as one SIMD pass per row on the wasm heap instead of four
// tfjs kernels (Multiply, Sum, Multiply, Sub) over the attention scores; tfjs's own formula on other backends.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

const SOFTMAX_GRAD = 'GptKataSoftmaxGrad';

/** dx for dy and the softmax output y, in one SIMD pass per row (wasm/kernels.c softmax_grad). */
const kernel: WasmKernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const out = backend.makeOutput([...y.shape], 'float32');
  const n = y.shape[y.shape.length - 1]!;
  const rows = n === 0 ? 0 : tf.util.sizeFromShape(y.shape) / n;
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  simdModule(backend).exports.softmax_grad(off(dy), off(y), off(out), rows, n);
  return out;
};

export const softmaxGradConfig: tf.KernelConfig = {
  kernelName: SOFTMAX_GRAD,
  backendName: 'wasm',
  kernelFunc: kernel as unknown as tf.KernelFunc,
};

let installed = false;

/** Installs Softmax's gradient once per process: the one-pass kernel where it is registered, else tfjs's formula. */
export function registerSoftmaxGradient(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: tf.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [y] = saved as [tf.Tensor];
      const g = dy as tf.Tensor;
      const { dim } = attrs as unknown as { dim: number };
      const last = dim === -1 || dim === y.rank - 1;
      if (last && tf.getBackend() === 'wasm' && tf.getKernel(SOFTMAX_GRAD, 'wasm') && g.dtype === 'float32' && y.dtype === 'float32') {
        return { logits: () => tf.engine().runKernel<tf.Tensor>(SOFTMAX_GRAD, { dy: g, y }) };
      }
      return {
        logits: () => {
          const dyTimesY = tf.mul(g, y);
          return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
        },
      };
    },
  });
}
