// Reference kata 5: the whole GPT (token + position embeddings, blocks, final LayerNorm, head) and sampling.
import * as tf from '@tensorflow/tfjs';
import type { Dropout, GPTConfig, GPTParams } from '../../../katas/contracts.ts';
import { layerNorm, transformerBlock } from '../block/reference.ts';

/** Logits (B, T, V) for int32 token ids (B, T), T <= blockSize. */
export function gpt(idx: tf.Tensor2D, p: GPTParams, cfg: GPTConfig, dropout: Dropout = (t) => t): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T] = idx.shape;
    if (T > cfg.blockSize) throw new Error(`sequence length ${T} exceeds blockSize ${cfg.blockSize}`);
    const C = cfg.nEmbd;
    const tok = tf.gather(p.wte, idx); // (B, T, C)
    const pos = p.wpe.slice([0, 0], [T, C]); // (T, C), positions 0..T-1
    let x = dropout(tok.add(pos)) as tf.Tensor3D;
    for (const block of p.blocks) {
      x = transformerBlock(x, block, { nHead: cfg.nHead, activation: cfg.activation, dropout });
    }
    const normed = layerNorm(x, p.lnF).reshape([B * T, C]); // (B*T, C)
    return normed.matMul(p.head.w).add(p.head.b).reshape<tf.Tensor3D>([B, T, cfg.vocabSize]);
  });
}

/** Appends maxNewTokens sampled tokens to idx; temperature 0 is argmax. The caller owns the result. */
export function generate(
  idx: tf.Tensor2D,
  p: GPTParams,
  cfg: GPTConfig,
  maxNewTokens: number,
  temperature = 1,
): tf.Tensor2D {
  let out = idx.clone();
  for (let i = 0; i < maxNewTokens; i++) {
    const next = tf.tidy(() => {
      const [B, T] = out.shape;
      const start = Math.max(0, T - cfg.blockSize);
      const context = out.slice([0, start], [B, T - start]); // (B, <=blockSize), the last blockSize tokens
      const logits = gpt(context, p, cfg);
      const last = logits.slice([0, T - start - 1, 0], [B, 1, cfg.vocabSize]).reshape([B, cfg.vocabSize]); // (B, V)
      const token =
        temperature === 0
          ? last.argMax(-1).reshape([B, 1]).cast('int32')
          : tf.multinomial(last.div<tf.Tensor2D>(temperature), 1).cast('int32'); // (B, 1)
      return tf.concat([out, token], 1) as tf.Tensor2D;
    });
    out.dispose();
    out = next;
  }
  return out;
}
