// The bigram baseline of the lecture's first half: logits for the next character are a row of a V×V table.
import * as tf from '@tensorflow/tfjs';
import type { Forward } from './train-step.ts';

export interface BigramParams {
  table: tf.Variable<tf.Rank.R2>; // [V, V]: row i holds the logits of the character after i
}

export function initBigramParams(vocabSize: number): BigramParams {
  return { table: tf.variable(tf.zeros<tf.Rank.R2>([vocabSize, vocabSize])) }; // uniform start: loss = ln V
}

export const bigramForward: Forward<BigramParams> = (idx, p) => tf.gather(p.table, idx) as unknown as tf.Tensor3D; // (B, T, V)

/** Appends maxNewTokens sampled tokens; only the last token matters to a bigram. */
export function bigramGenerate(idx: tf.Tensor2D, p: BigramParams, maxNewTokens: number, temperature = 1): tf.Tensor2D {
  let out = idx.clone();
  for (let i = 0; i < maxNewTokens; i++) {
    const next = tf.tidy(() => {
      const [B, T] = out.shape;
      const last = tf.gather(p.table, out.slice([0, T - 1], [B, 1]).reshape([B])) as tf.Tensor2D; // (B, V)
      const token =
        temperature === 0 ? last.argMax(-1).reshape([B, 1]).cast('int32') : tf.multinomial(last.div<tf.Tensor2D>(temperature), 1).cast('int32');
      return tf.concat([out, token], 1) as tf.Tensor2D;
    });
    out.dispose();
    out = next;
  }
  return out;
}
