// WebGPU AddN that works for any number of inputs: tfjs binds every input as one storage buffer in one shader, and
// WebGPU's default cap is 8 per stage, so tf.addN over a model's ~30-80 gradients (global-norm clipping) fails validation.
import * as tf from '@tensorflow/tfjs';

const MARK = Symbol.for('gpt-kata.webgpu-addn');

interface Backend {
  device: GPUDevice;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Largest number of inputs one AddN shader may take on this device (one storage buffer is the output). */
function addNInputLimit(device: GPUDevice): number {
  return Math.max(2, device.limits.maxStorageBuffersPerShaderStage - 1);
}

/** Replaces the webgpu AddN kernel with one that sums in chunks the device can bind. Idempotent. */
export function registerChunkedAddN(): void {
  const previous = tf.getKernel(tf.AddN, 'webgpu');
  if (!previous) throw new Error('the webgpu backend has no AddN kernel: register the webgpu backend first');
  if ((previous as unknown as Record<symbol, boolean>)[MARK]) return;
  const addN = previous.kernelFunc;
  const config: tf.KernelConfig = {
    ...previous,
    kernelFunc: (args) => {
      const backend = args.backend as unknown as Backend;
      const limit = addNInputLimit(backend.device);
      let inputs = Object.values(args.inputs) as tf.TensorInfo[];
      const partials: tf.TensorInfo[] = [];
      while (inputs.length > limit) {
        const next: tf.TensorInfo[] = [];
        for (let i = 0; i < inputs.length; i += limit) {
          const chunk = inputs.slice(i, i + limit);
          if (chunk.length === 1) {
            next.push(chunk[0]!);
            continue;
          }
          const sum = addN({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
          partials.push(sum);
          next.push(sum);
        }
        inputs = next;
      }
      const out = addN({ ...args, inputs: inputs as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
      for (const p of partials) backend.disposeData(p.dataId);
      return out;
    },
  };
  (config as unknown as Record<symbol, boolean>)[MARK] = true;
  tf.unregisterKernel(tf.AddN, 'webgpu');
  tf.registerKernel(config);
}
