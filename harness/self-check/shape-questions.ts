// Shape arithmetic: for drawn (batch, seq_len, d_model, n_heads), the shape of every tensor from the input to the output projection.
import { pick } from './pick.ts';
import type { Question } from './question.ts';

export interface AttentionDims {
  batch: number;
  seqLen: number;
  dModel: number;
  nHeads: number;
}

/** Sizes drawn so that batch, seq_len, d_model, n_heads and d_head all differ: a swapped axis is always caught. */
export function drawDims(rand: () => number): AttentionDims {
  for (;;) {
    const batch = pick(rand, [2, 3, 4, 5, 6, 8]);
    const seqLen = pick(rand, [10, 12, 16, 20, 24, 32, 48, 64, 128]);
    const nHeads = pick(rand, [2, 3, 4, 6, 8, 12]);
    const dHead = pick(rand, [8, 16, 32, 64]);
    const dModel = nHeads * dHead;
    if (new Set([batch, seqLen, dModel, nHeads, dHead]).size === 5) return { batch, seqLen, dModel, nHeads };
  }
}

/** The page's list, in order: input, projections, heads, scores, softmax, applied to V, heads joined, output projection. */
export function shapeQuestions(d: AttentionDims): Question[] {
  const { batch: B, seqLen: T, dModel: C, nHeads: h } = d;
  const dh = C / h;
  const given = `batch ${B}, seq_len ${T}, d_model ${C}, n_heads ${h}`;
  const ask = (id: string, what: string, answer: number[], explanation: string): Question => ({
    kind: 'shape',
    id: `shape/${id}`,
    topic: 'Shape arithmetic',
    prompt: `${given}. Shape of ${what}?`,
    answer,
    explanation,
  });
  return [
    ask('input', 'the input x (token + position embeddings)', [B, T, C], `The input is (batch, seq_len, d_model) = (${B}, ${T}, ${C}): one d_model-wide vector per token.`),
    ask('qkv', 'x @ wqkv, the contract\'s fused projection (wqkv is [d_model, 3·d_model])', [B, T, 3 * C], `A matmul keeps the leading axes and swaps the last: (${B}, ${T}, ${C}) @ [${C}, ${3 * C}] gives (${B}, ${T}, ${3 * C}), q | k | v side by side.`),
    ask('q', 'Q, one of the three projections (K and V are the same)', [B, T, C], `Each of q, k, v is d_model wide: (${B}, ${T}, ${C}). Splitting the fused ${3 * C} columns in three gives ${C} each.`),
    ask('heads', 'Q reshaped to heads', [B, h, T, dh], `d_head = d_model / n_heads = ${C} / ${h} = ${dh}; reshape to (${B}, ${T}, ${h}, ${dh}) then transpose to (batch, n_heads, seq_len, d_head) = (${B}, ${h}, ${T}, ${dh}), so every head is one more batch dimension of the matmul.`),
    ask('scores', 'the scores Q · Kᵀ', [B, h, T, T], `Q (${B}, ${h}, ${T}, ${dh}) @ Kᵀ (${B}, ${h}, ${dh}, ${T}) = (${B}, ${h}, ${T}, ${T}): one score per (query, key) pair in every head; d_head is summed away.`),
    ask('weights', 'the weights after scaling, masking and softmax', [B, h, T, T], `Scaling, masking and softmax are elementwise or along the last axis: the shape stays (${B}, ${h}, ${T}, ${T}), and every row now sums to 1.`),
    ask('out', 'the weights applied to V', [B, h, T, dh], `(${B}, ${h}, ${T}, ${T}) @ V (${B}, ${h}, ${T}, ${dh}) = (${B}, ${h}, ${T}, ${dh}): each query gets a weighted mix of the values, d_head wide.`),
    ask('concat', 'the heads joined again', [B, T, C], `Transpose back to (${B}, ${T}, ${h}, ${dh}) and merge the last two axes: ${h} × ${dh} = ${C}, so (${B}, ${T}, ${C}).`),
    ask('proj', 'the output projection (… @ wo + bo)', [B, T, C], `wo is [${C}, ${C}], so the output is (${B}, ${T}, ${C}), the input's shape: the block can add it to the residual stream.`),
  ];
}
