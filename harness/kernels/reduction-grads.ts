// Gradients of Sum and Mean as a broadcast of dy: tfjs multiplies dy by ones(x.shape), which it builds as a JS array
// and uploads on every backward pass (~2M floats a baby step, for LayerNorm's means). Same values, no upload.
import * as tf from '@tensorflow/tfjs';

/** dy reshaped with the reduced axes kept as 1, then broadcast back to x's shape. */
function spread(dy: tf.Tensor, x: tf.Tensor, axis: unknown, scale: number): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const kept = x.shape.map((n, i) => (axes.includes(i) ? 1 : n)); // x's shape with the reduced axes as 1
  const g = tf.reshape(dy, kept);
  return tf.broadcastTo(scale === 1 ? g : tf.div(g, scale), x.shape);
}

let installed = false;

/** Installs both gradients once per process. They hold on every backend (the math is tfjs's own). */
export function registerReductionGradients(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => spread(dy as tf.Tensor, x, attrs.axis, 1) };
    },
  });
  tf.registerGradient({
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
      const reduceSize = axes.reduce((n, a) => n * x.shape[a]!, 1);
      return { x: () => spread(dy as tf.Tensor, x, attrs.axis, reduceSize) };
    },
  });
}
