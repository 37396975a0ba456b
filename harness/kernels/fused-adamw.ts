// AdamW's whole update of one parameter as one wasm kernel (one pass over p, g, m, v) instead of ~13 tfjs ops;
// other backends get the same formula as tfjs ops. For the trainer's AdamW.apply (harness/train/adamw.ts).
import * as tf from '@tensorflow/tfjs';
import { simdModule } from './simd-module.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

export const FUSED_ADAMW = 'GptKataAdamW';

/** One update's constants, PyTorch's torch.optim.AdamW. */
export interface AdamWConstants {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay for this tensor (0 for biases and LayerNorm). */
  weightDecay: number;
  /** Updates so far, this one included (t ≥ 1, for the bias corrections). */
  t: number;
  /** The gradient is used times this (gradient clipping's coefficient, so no clipped copy is made); default 1. */
  gradScale?: number;
}

interface KernelAttrs {
  gradScale: number;
  beta1: number;
  beta2: number;
  eps: number;
  decay: number; // 1 - lr * weightDecay
  step: number; // lr / (1 - beta1^t)
  invSqrtBc2: number; // 1 / sqrt(1 - beta2^t)
}

const fusedAdamW: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { p, g, m, v } = inputs as Record<'p' | 'g' | 'm' | 'v', tf.TensorInfo>;
  const a = attrs as unknown as KernelAttrs;
  const outs = [p, m, v].map((t) => backend.makeOutput([...t.shape], 'float32'));
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  simdModule(backend).exports.adamw(
    off(p), off(g), off(m), off(v), off(outs[0]!), off(outs[1]!), off(outs[2]!), tf.util.sizeFromShape(p.shape), a.gradScale,
    a.beta1, a.beta2, a.eps, a.decay, a.step, a.invSqrtBc2,
  );
  return outs;
};

export const fusedAdamWConfig: tf.KernelConfig = {
  kernelName: FUSED_ADAMW,
  backendName: 'wasm',
  kernelFunc: fusedAdamW as unknown as tf.KernelFunc,
};

/** Updates p, m and v in place (tf.Variable.assign) with gradient g; one kernel on wasm, tfjs ops elsewhere. */
export function adamwUpdate(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, c: AdamWConstants): void {
  const attrs: KernelAttrs = {
    gradScale: c.gradScale ?? 1,
    beta1: c.beta1,
    beta2: c.beta2,
    eps: c.eps,
    decay: 1 - c.lr * c.weightDecay,
    step: c.lr / (1 - c.beta1 ** c.t),
    invSqrtBc2: 1 / Math.sqrt(1 - c.beta2 ** c.t),
  };
  const fused = p.dtype === 'float32' && g.dtype === 'float32' && tf.getBackend() === 'wasm' && tf.getKernel(FUSED_ADAMW, 'wasm');
  const [np, nm, nv] = fused
    ? (tf.engine().runKernel(FUSED_ADAMW, { p, g, m, v }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[])
    : tf.tidy(() => {
        const gs = attrs.gradScale === 1 ? g : g.mul(attrs.gradScale);
        const m1 = m.mul(c.beta1).add(gs.mul(1 - c.beta1));
        const v1 = v.mul(c.beta2).add(gs.square().mul(1 - c.beta2));
        const denom = v1.sqrt().mul(attrs.invSqrtBc2).add(c.eps);
        return [p.mul(attrs.decay).sub(m1.div(denom).mul(attrs.step)), m1, v1];
      });
  p.assign(np!);
  m.assign(nm!);
  v.assign(nv!);
  tf.dispose([np!, nm!, nv!]);
}
