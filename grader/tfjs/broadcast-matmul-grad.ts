// Corrects tfjs's BatchMatMul gradient when batch axes broadcast (tfjs issue #8548), e.g. x[B,T,C] @ w[C,4C]:
// tfjs returns a gradient with the broadcast shape ([B,C,4C] for w) and training throws. The gradient of the
// shared operand is one GEMM with the batch folded into the inner dimension; other broadcasts sum their axes.
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

/** The product of a shape's entries (1 for no axes). */
const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/**
 * The gradient of w, shared across the batch in x[...,M,K] @ w[K,N] (or w[N,K] with transposeB): Σ over the batch of
 * xᵢᵀ·gᵢ is one [K, P·M] @ [P·M, N] product (gᵀ·x for the transposed w), read in place with GEMM transpose flags;
 * no per-batch products, no [P,K,N] buffer, no sum. Null where the batch does not fold (x transposed, or both
 * operands batched).
 */
function foldedSharedGradient(x: tf.Tensor, w: tf.Tensor, g: tf.Tensor, transposeX: boolean, transposeW: boolean): tf.Tensor | null {
  if (transposeX || x.rank < 3 || size(w.shape.slice(0, -2)) !== 1) return null;
  const K = x.shape[x.rank - 1]!;
  const N = g.shape[g.rank - 1]!;
  const rows = size(x.shape.slice(0, -1)); // P·M
  const x2 = x.reshape([rows, K]);
  const g2 = g.reshape([rows, N]);
  return (transposeW ? tf.matMul(g2, x2, true, false) : tf.matMul(x2, g2, true, false)).reshape(w.shape);
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
      return {
        a: () => reduceToShape(da(), a.shape),
        b: () => foldedSharedGradient(a, b, g, transposeA, transposeB) ?? reduceToShape(db(), b.shape),
      };
    },
  });
}
