// The learner's GPT as a mermaid flowchart, every arrow labelled with its tensor's shape for their configuration.
import type { GPTConfig } from '../../katas/contracts.ts';

const shape = (...dims: (number | string)[]) => `(${dims.join(', ')})`;

/** Mermaid source (no fence); B is the run's batch size, T its block size. */
export function architectureDiagram(cfg: GPTConfig, batch: number): string {
  const { vocabSize: V, blockSize: T, nEmbd: C, nHead: h, nLayer: L, activation } = cfg;
  const B = batch;
  const dh = C / h;
  const node = (id: string, text: string, indent = '  ') => `${indent}${id}["${text}"]`;
  const inner = (id: string, text: string) => node(id, text, '    ');
  return [
    'flowchart TD',
    node('idx', `token ids idx ${shape(B, T)}`),
    node('tok', `token embedding wte [${V}, ${C}] → ${shape(B, T, C)}`),
    node('pos', `position embedding wpe [${T}, ${C}] → ${shape(T, C)}`),
    node('sum', `x = tok + pos ${shape(B, T, C)}`),
    `  subgraph blocks["${L} × pre-norm transformer block"]`,
    `    direction TB`,
    inner('ln1', `ln1: LayerNorm ${shape(B, T, C)}`),
    inner('qkv', `x @ wqkv [${C}, ${3 * C}] → q, k, v ${shape(B, T, C)} each`),
    inner('heads', `split into ${h} heads ${shape(B, h, T, dh)}`),
    inner('scores', `q·kᵀ / √${dh} + causal mask, softmax ${shape(B, h, T, T)}`),
    inner('mix', `weights @ v ${shape(B, h, T, dh)}`),
    inner('join', `heads joined ${shape(B, T, C)}`),
    inner('wo', `@ wo [${C}, ${C}] + bo → ${shape(B, T, C)}`),
    inner('res1', `x + attention ${shape(B, T, C)}`),
    inner('ln2', `ln2: LayerNorm ${shape(B, T, C)}`),
    inner('mlp', `@ w1 [${C}, ${4 * C}] + b1, ${activation.toUpperCase()} ${shape(B, T, 4 * C)}`),
    inner('proj', `@ w2 [${4 * C}, ${C}] + b2 ${shape(B, T, C)}`),
    inner('res2', `x + MLP ${shape(B, T, C)}`),
    '  end',
    node('lnf', `lnF: final LayerNorm ${shape(B, T, C)}`),
    node('logits', `@ head.w [${C}, ${V}] + head.b → logits ${shape(B, T, V)}`),
    '  idx --> tok --> sum',
    '  idx --> pos --> sum',
    '  sum --> ln1 --> qkv --> heads --> scores --> mix --> join --> wo --> res1',
    '  sum -. residual .-> res1',
    '  res1 --> ln2 --> mlp --> proj --> res2',
    '  res1 -. residual .-> res2',
    `  res2 --> lnf --> logits`,
  ].join('\n');
}
