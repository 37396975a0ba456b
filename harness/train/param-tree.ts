// Model parameters as a tree of tf.Variables (GPTParams or any other shape), named by their path, e.g. "blocks.0.attn.wqkv".
import * as tf from '@tensorflow/tfjs';

export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** Every leaf variable in a stable depth-first order (object keys in insertion order, arrays by index). */
export function flattenParams(tree: unknown, prefix = ''): NamedVariable[] {
  if (tree instanceof tf.Variable) return [{ name: prefix, variable: tree as tf.Variable }];
  if (tree instanceof tf.Tensor) {
    throw new Error(`parameter ${prefix} is a plain tensor; parameters must be tf.Variables to train`);
  }
  if (Array.isArray(tree)) return tree.flatMap((t, i) => flattenParams(t, prefix ? `${prefix}.${i}` : `${i}`));
  if (tree && typeof tree === 'object') {
    return Object.entries(tree).flatMap(([k, v]) => flattenParams(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

export function countParams(tree: unknown): number {
  return flattenParams(tree).reduce((n, p) => n + p.variable.size, 0);
}

export function disposeParams(tree: unknown): void {
  for (const p of flattenParams(tree)) p.variable.dispose();
}
