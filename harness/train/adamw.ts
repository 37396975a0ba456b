// AdamW (Loshchilov & Hutter), written out because tfjs ships only Adam: weight decay is decoupled and hits matrices only.
import * as tf from '@tensorflow/tfjs';
import { adamwUpdate } from '../kernels/fused-adamw.ts';
import type { NamedVariable } from './param-tree.ts';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  weightDecay: number;
  /** Added to √v̂, PyTorch's default. */
  eps?: number;
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
   * One update, PyTorch's torch.optim.AdamW exactly:
   *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − (lr/(1−β1ᵗ))·m / (√v/√(1−β2ᵗ) + ε).
   * `grads` is keyed by tf.Variable name (what tf.variableGrads returns).
   */
  apply(grads: tf.NamedTensorMap, lr: number): void {
    this.t += 1;
    this.params.forEach(({ name, variable: p }, i) => {
      const g = grads[p.name];
      if (!g) throw new Error(`no gradient for parameter ${name}: is it used by the model's forward pass?`);
      // One fused wasm kernel per parameter on wasm; the same formula as tfjs ops on every other backend.
      adamwUpdate(p, g, this.m[i]!, this.v[i]!, {
        lr,
        beta1: this.beta1,
        beta2: this.beta2,
        eps: this.eps,
        weightDecay: decays(p) ? this.weightDecay : 0,
        t: this.t,
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
