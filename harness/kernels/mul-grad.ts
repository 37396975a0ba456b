// Multiply's gradient, with a row-broadcast vector's part in one pass on wasm (x·gamma in every LayerNorm): Σ over the
// rows of dy·x instead of a Multiply and a Sum; tfjs's formula for every other operand and backend.
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

const MUL_GRAD_COLS = 'GptKataMulGradCols';

/** dv for dy, x and a vector v of x's last-axis length (wasm/kernels.c mul_grad_cols); the output has v's shape. */
const kernel: WasmKernelFunc = ({ inputs, backend }) => {
  const { dy, x, v } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; v: tf.TensorInfo };
  const out = backend.makeOutput([...v.shape], 'float32');
  const n = tf.util.sizeFromShape(v.shape);
  const rows = n === 0 ? 0 : tf.util.sizeFromShape(x.shape) / n;
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  if (n > 0) simdModule(backend).exports.mul_grad_cols(off(dy), off(x), off(out), rows, n);
  return out;
};

export const mulGradColsConfig: tf.KernelConfig = {
  kernelName: MUL_GRAD_COLS,
  backendName: 'wasm',
  kernelFunc: kernel as unknown as tf.KernelFunc,
};

/** v broadcasts along the rows of x: x has the product's shape and v is [..., n] with only 1s before n = x's last axis. */
function rowVector(v: tf.Tensor, x: tf.Tensor, outShape: number[]): boolean {
  const n = x.shape[x.rank - 1];
  return x.rank >= 2 && tf.util.arraysEqual(x.shape, outShape) && v.rank >= 1 && v.shape[v.rank - 1] === n &&
    v.size === n && v.size < x.size;
}

let installed = false;

/** Installs Multiply's gradient once per process: tfjs's formula, with the one-pass vector part where it applies. */
export function registerMulGradient(): void {
  if (installed) return;
  installed = true;
  tf.registerGradient({
    kernelName: tf.Multiply,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      const g = dy as tf.Tensor;
      const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const wasm = tf.getBackend() === 'wasm' && tf.getKernel(MUL_GRAD_COLS, 'wasm') !== undefined &&
        g.dtype === 'float32' && a.dtype === 'float32' && b.dtype === 'float32';
      /** The gradient of `self`, whose partner in the product is `other`. */
      const der = (self: tf.Tensor, other: tf.Tensor) => () => {
        if (wasm && rowVector(self, other, outShape)) return tf.engine().runKernel<tf.Tensor>(MUL_GRAD_COLS, { dy: g, x: other, v: self });
        const res = tf.mul(g, tf.cast(other, 'float32'));
        const axes = tf.broadcast_util.getReductionAxes(self.shape, outShape);
        return axes.length > 0 ? tf.reshape(tf.sum(res, axes), self.shape) : res;
      };
      return { a: der(a, b), b: der(b, a) };
    },
  });
}
