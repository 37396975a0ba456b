// Corrects tfjs's BatchMatMul gradient when batch axes broadcast (tfjs issue #8548), e.g. x[B,T,C] @ w[C,4C].
// tfjs returns a gradient with the broadcast shape ([B,C,4C] for w) and training throws; we sum the broadcast axes.
import * as tf from '@tensorflow/tfjs';

/** Sums `grad` down to `shape`: drops extra leading axes and collapses axes that were 1 in the input. */
function reduceToShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  if (grad.shape.length === shape.length && grad.shape.every((n, i) => n === shape[i])) return grad;
  const lead = grad.rank - shape.length; // axes the input did not have at all
  const axes: number[] = [];
  for (let i = 0; i < grad.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && grad.shape[i] !== 1)) axes.push(i);
  }
  return tf.sum(grad, axes).reshape(shape);
}

let installed = false;

/** Registers the corrected gradient once per process; every process that grades or trains calls this. */
export function registerBroadcastMatMulGradient(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: tf.BatchMatMul,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      const g = dy as tf.Tensor;
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      let da: () => tf.Tensor;
      let db: () => tf.Tensor;
      if (!transposeA && !transposeB) {
        da = () => tf.matMul(g, b, false, true);
        db = () => tf.matMul(a, g, true, false);
      } else if (!transposeA && transposeB) {
        da = () => tf.matMul(g, b, false, false);
        db = () => tf.matMul(g, a, true, false);
      } else if (transposeA && !transposeB) {
        da = () => tf.matMul(b, g, false, true);
        db = () => tf.matMul(a, g, false, false);
      } else {
        da = () => tf.matMul(b, g, true, true);
        db = () => tf.matMul(g, a, true, true);
      }
      return { a: () => reduceToShape(da(), a.shape), b: () => reduceToShape(db(), b.shape) };
    },
  });
}
