// AdamW (Loshchilov & Hutter), written out because tfjs ships only Adam: weight decay is decoupled and hits matrices only.
import * as tf from '@tensorflow/tfjs';
import { add, div, fusedElementwise, mul, sqrt, sub } from '../kernels/fused-elementwise.ts';
import type { NamedVariable } from './param-tree.ts';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  weightDecay: number;
  /** Added to √v̂, PyTorch's default. */
  eps?: number;
}

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

/**
 * The update of one parameter, element by element (PyTorch's torch.optim.AdamW), with g = gradScale·grad:
 *   m' = β1·m + (1−β1)·g;  v' = β2·v + (1−β2)·g²;  p' = p·decay − step·m' / (√v'·invSqrtBc2 + ε)
 * where decay = 1 − lr·wd (1 for undecayed tensors), step = lr/(1−β1ᵗ) and invSqrtBc2 = 1/√(1−β2ᵗ): the bias
 * corrections folded into two scalars. On wasm it is one pass over p, g, m, v instead of ~13 tfjs ops.
 */
const ADAMW_STEP = fusedElementwise(4, 9, ([p, g, m, v], [gradScale, beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, decay, step, invSqrtBc2]) => {
  const gs = mul(gradScale!, g!);
  const m1 = add(mul(beta1!, m!), mul(oneMinusBeta1!, gs));
  const v1 = add(mul(beta2!, v!), mul(oneMinusBeta2!, mul(gs, gs)));
  const denom = add(mul(sqrt(v1), invSqrtBc2!), eps!);
  return [sub(mul(p!, decay!), mul(step!, div(m1, denom))), m1, v1];
});

/** Updates p, m and v in place (tf.Variable.assign) with gradient g; one fused kernel on wasm, tfjs ops elsewhere. */
export function adamwUpdate(p: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, c: AdamWConstants): void {
  const gradScale = c.gradScale ?? 1;
  const decay = 1 - c.lr * c.weightDecay;
  const step = c.lr / (1 - c.beta1 ** c.t);
  const invSqrtBc2 = 1 / Math.sqrt(1 - c.beta2 ** c.t);
  const f32 = Math.fround; // the fused pass works in float32, so 1 − β is float32 arithmetic on β rounded to float32
  const fused = ADAMW_STEP.run([p, g, m, v],
    [gradScale, c.beta1, f32(1 - f32(c.beta1)), c.beta2, f32(1 - f32(c.beta2)), c.eps, decay, step, invSqrtBc2]);
  const [np, nm, nv] = fused ?? tf.tidy(() => {
    const gs = gradScale === 1 ? g : g.mul(gradScale);
    const m1 = m.mul(c.beta1).add(gs.mul(1 - c.beta1));
    const v1 = v.mul(c.beta2).add(gs.square().mul(1 - c.beta2));
    const denom = v1.sqrt().mul(invSqrtBc2).add(c.eps);
    return [p.mul(decay).sub(m1.div(denom).mul(step)), m1, v1];
  });
  p.assign(np!);
  m.assign(nm!);
  v.assign(nv!);
  tf.dispose([np!, nm!, nv!]);
}

/** nanoGPT's rule: decay every tensor of rank ≥ 2 (matmul weights, embeddings); never biases or LayerNorm. */
function decays(v: tf.Variable): boolean {
  return v.rank >= 2;
}

export class AdamW {
  readonly params: readonly NamedVariable[];
  /** Updates applied so far (t in the bias corrections). */
  t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly weightDecay: number;
  private readonly eps: number;

  constructor(params: readonly NamedVariable[], opts: AdamWOptions) {
    this.params = params;
    this.beta1 = opts.beta1;
    this.beta2 = opts.beta2;
    this.weightDecay = opts.weightDecay;
    this.eps = opts.eps ?? 1e-8;
    this.m = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p.variable), false));
  }

  /**
   * One update, PyTorch's torch.optim.AdamW exactly (adamwUpdate, per parameter):
   *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε).
   * `grads` is keyed by tf.Variable name (what tf.variableGrads returns); each is used times `gradScale` (gradient
   * clipping's factor, clip-grad.ts clipScale), exactly as if the scaled gradients had been passed.
   */
  apply(grads: tf.NamedTensorMap, lr: number, gradScale = 1): void {
    this.t += 1;
    this.params.forEach(({ name, variable: p }, i) => {
      const g = grads[p.name];
      if (!g) throw new Error(`no gradient for parameter ${name}: is it used by the model's forward pass?`);
      adamwUpdate(p, g, this.m[i]!, this.v[i]!, {
        lr,
        beta1: this.beta1,
        beta2: this.beta2,
        eps: this.eps,
        weightDecay: decays(p) ? this.weightDecay : 0,
        t: this.t,
        gradScale,
      });
    });
  }

  /** Moments for the checkpoint, named "m.<param>" and "v.<param>". */
  stateTensors(): { name: string; tensor: tf.Tensor }[] {
    return this.params.flatMap(({ name }, i) => [
      { name: `m.${name}`, tensor: this.m[i]! },
      { name: `v.${name}`, tensor: this.v[i]! },
    ]);
  }

  loadState(t: number, tensors: tf.NamedTensorMap): void {
    this.params.forEach(({ name }, i) => {
      for (const [key, slot] of [[`m.${name}`, this.m[i]!], [`v.${name}`, this.v[i]!]] as const) {
        const saved = tensors[key];
        if (!saved) throw new Error(`the checkpoint's optimizer state has no ${key}`);
        slot.assign(saved);
      }
    });
    this.t = t;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
