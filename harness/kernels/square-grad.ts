// Square's gradient, dy·(x·2), as one native pass on the wasm heap (native-unary.ts) instead of two Multiply kernels
// over LayerNorm's centred input; tfjs's own formula, in the same order, elsewhere and for gradients of gradients.
import * as tf from '@tensorflow/tfjs';

export const SQUARE_GRAD = 'GptKataSquareGrad';

let installed = false;

/** Installs Square's gradient once per process: the one-pass kernel where it is registered, else tfjs's formula. */
export function registerSquareGradient(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: tf.Square,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      const g = dy as tf.Tensor;
      const engine = tf.engine() as unknown as { state: { gradientDepth: number } };
      const same = g.size === x.size && g.dtype === 'float32' && x.dtype === 'float32';
      // the kernel has no gradient of its own: where an outer tape records this backward pass (depth above 0: a
      // gradient of this gradient), tfjs's ops run
      if (same && engine.state.gradientDepth === 0 && tf.getBackend() === 'wasm' && tf.getKernel(SQUARE_GRAD, 'wasm')) {
        return { x: () => tf.engine().runKernel<tf.Tensor>(SQUARE_GRAD, { dy: g, x }) };
      }
      return { x: () => tf.mul(g, tf.mul(tf.cast(x, 'float32'), 2)) };
    },
  });
}
