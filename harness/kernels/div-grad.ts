// RealDiv's gradient, with the divisor's part in one pass on wasm where the divisor holds one value per row (x / std
// in every LayerNorm): −Σ(dy·a)/b² per row instead of Multiply, Sum, Square, RealDiv and Neg; tfjs's formula otherwise.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

const DIV_GRAD_ROWS = 'GptKataDivGradRows';

/** db for dy, a and a divisor b of a's shape with the last axis 1 (wasm/kernels.c div_grad_rows). */
const kernel: WasmKernelFunc = ({ inputs, backend }) => {
  const { dy, a, b } = inputs as { dy: tf.TensorInfo; a: tf.TensorInfo; b: tf.TensorInfo };
  const out = backend.makeOutput([...b.shape], 'float32');
  const n = a.shape[a.shape.length - 1]!;
  const rows = tf.util.sizeFromShape(b.shape);
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  if (rows > 0) simdModule(backend).exports.div_grad_rows(off(dy), off(a), off(b), off(out), rows, n);
  return out;
};

export const divGradRowsConfig: tf.KernelConfig = {
  kernelName: DIV_GRAD_ROWS,
  backendName: 'wasm',
  kernelFunc: kernel as unknown as tf.KernelFunc,
};

/** b has a's shape but for a last axis of 1, so a / b divides each row by one value. */
function perRow(a: tf.Tensor, b: tf.Tensor): boolean {
  return a.rank >= 1 && b.rank === a.rank && b.shape[b.rank - 1] === 1 && a.shape[a.rank - 1]! > 1 &&
    a.shape.slice(0, -1).every((n, i) => n === b.shape[i]);
}

let installed = false;

/** Installs RealDiv's gradient once per process: tfjs's formula, with the one-pass divisor part where it applies. */
export function registerDivGradient(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: tf.RealDiv,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const g = dy as tf.Tensor;
      const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const derA = () => {
        const res = tf.div(g, tf.cast(b, 'float32'));
        const axes = tf.broadcast_util.getReductionAxes(a.shape, outShape);
        return axes.length > 0 ? tf.reshape(tf.sum(res, axes), a.shape) : res;
      };
      const fast = perRow(a, b) && g.dtype === 'float32' && a.dtype === 'float32' && b.dtype === 'float32' &&
        tf.getBackend() === 'wasm' && tf.getKernel(DIV_GRAD_ROWS, 'wasm') !== undefined;
      const derB = () => {
        if (fast) return tf.engine().runKernel<tf.Tensor>(DIV_GRAD_ROWS, { dy: g, a, b });
        let res = tf.mul(g, tf.cast(a, 'float32'));
        const axes = tf.broadcast_util.getReductionAxes(b.shape, outShape);
        if (axes.length > 0) res = tf.reshape(tf.sum(res, axes), b.shape);
        return tf.neg(tf.div(res, tf.cast(tf.square(b), 'float32')));
      };
      return { a: derA, b: derB };
    },
  });
}
