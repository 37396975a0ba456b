// The pitfall lab's gpt/generate-leak: the reference generate without tf.tidy or dispose, tfjs's "forgot to detach".
import * as tf from '@tensorflow/tfjs';
import type { Generate, GPT } from '../../../katas/contracts.ts';

/** Samples like the reference's generate, but every token leaves its context slice, logits and old sequence alive. */
export const leakyGenerate = (gpt: GPT): Generate => (idx, p, cfg, maxNewTokens, temperature = 1) => {
  let out = idx.clone();
  for (let i = 0; i < maxNewTokens; i++) {
    const [B, T] = out.shape;
    const start = Math.max(0, T - cfg.blockSize);
    const context = out.slice([0, start], [B, T - start]); // (B, <=blockSize): never disposed
    const logits = gpt(context, p, cfg); // (B, T', V): never disposed
    const last = logits.slice([0, T - start - 1, 0], [B, 1, cfg.vocabSize]).reshape([B, cfg.vocabSize]) as tf.Tensor2D; // (B, V)
    const token = temperature === 0 ? last.argMax(-1).reshape([B, 1]).cast('int32') : tf.multinomial(last.div(temperature) as tf.Tensor2D, 1).cast('int32');
    out = tf.concat([out, token], 1) as tf.Tensor2D; // the old sequence is dropped without dispose
  }
  return out;
};
