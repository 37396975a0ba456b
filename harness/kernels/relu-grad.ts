// Relu's gradient, dy·step(x), as one SIMD pass on the wasm heap instead of three tfjs kernels (Step, Cast, Multiply)
// over the MLP's hidden activations; tfjs's own formula on other backends.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

const RELU_GRAD = 'GptKataReluGrad';

/** dx for dy and Relu's input x, in one pass (wasm/kernels.c relu_grad). */
const kernel: WasmKernelFunc = ({ inputs, backend }) => {
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const out = backend.makeOutput([...x.shape], 'float32');
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  simdModule(backend).exports.relu_grad(off(dy), off(x), off(out), tf.util.sizeFromShape(x.shape));
  return out;
};

export const reluGradConfig: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: kernel as unknown as tf.KernelFunc,
};

let installed = false;

/** Installs Relu's gradient once per process: the one-pass kernel where it is registered, else tfjs's formula. */
export function registerReluGradient(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      const g = dy as tf.Tensor;
      const same = g.size === x.size && g.dtype === 'float32' && x.dtype === 'float32';
      if (same && tf.getBackend() === 'wasm' && tf.getKernel(RELU_GRAD, 'wasm')) {
        return { x: () => tf.engine().runKernel<tf.Tensor>(RELU_GRAD, { dy: g, x }) };
      }
      return { x: () => tf.mul(g, tf.cast(tf.step(x), 'float32')) };
    },
  });
}
