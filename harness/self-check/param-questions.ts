// Parameter counts: one attention layer in terms of d_model, then one block and a whole GPT for a drawn configuration,
// every answer taken from a census of the tensors the trainer's own initialisation creates (never a formula kept here).
import type { GPTConfig } from '../../katas/contracts.ts';
import { formatPolynomial } from './parse-answer.ts';
import { pick } from './pick.ts';
import type { Question } from './question.ts';

/** One parameter tensor as the trainer builds it: its path in GPTParams ("blocks.0.attn.wqkv") and shape. */
export interface ParamTensor {
  name: string;
  shape: readonly number[];
}

/** Every parameter tensor the trainer would create for a configuration (harness/self-check/gpt-param-census.ts). */
export type ParamCensus = (cfg: GPTConfig) => readonly ParamTensor[];

const size = (t: ParamTensor) => t.shape.reduce((a, b) => a * b, 1);
const total = (ts: readonly ParamTensor[]) => ts.reduce((n, t) => n + size(t), 0);
const under = (ts: readonly ParamTensor[], prefix: string) => ts.filter((t) => t.name.startsWith(prefix));
const n = (x: number) => x.toLocaleString('en-US');

/** Tiny Shakespeare's character vocabulary. */
const VOCAB = 65;

export function drawGptConfig(rand: () => number): GPTConfig {
  const nHead = pick(rand, [2, 4, 6, 8]);
  const nEmbd = nHead * pick(rand, [8, 16, 24, 32]);
  return { vocabSize: VOCAB, blockSize: pick(rand, [32, 64, 128, 256]), nEmbd, nHead, nLayer: pick(rand, [2, 3, 4, 6]), activation: 'relu' };
}

/**
 * The attention layer's count as a polynomial in d, read off the census at d = 1, 2, 3 (one head) and confirmed at d = 4:
 * if the initialisation ever changes, the expected answer changes with it.
 */
export function attentionPolynomial(census: ParamCensus): number[] {
  const at = (d: number) => total(under(census({ vocabSize: 2, blockSize: 2, nEmbd: d, nHead: 1, nLayer: 1, activation: 'relu' }), 'blocks.0.attn.'));
  const [a1, a2, a3, a4] = [at(1), at(2), at(3), at(4)];
  const c2 = (a3 - 2 * a2 + a1) / 2;
  const c1 = a2 - a1 - 3 * c2;
  const c0 = a1 - c1 - c2;
  if (c0 + 4 * c1 + 16 * c2 !== a4) throw new Error('the attention layer\'s parameter count is not a quadratic in d_model; the self-check cannot state it');
  return [c0, c1, c2];
}

function listing(ts: readonly ParamTensor[], strip: string): string {
  return ts.map((t) => `${t.name.slice(strip.length)} [${t.shape.join(', ')}] = ${n(size(t))}`).join('; ');
}

export function paramQuestions(cfg: GPTConfig, census: ParamCensus): Question[] {
  const poly = attentionPolynomial(census);
  const all = census(cfg);
  const d = cfg.nEmbd;
  const attn = under(all, 'blocks.0.attn.');
  const block = under(all, 'blocks.0.');
  const groups = ['ln1', 'attn', 'ln2', 'mlp'].map((g) => `${g} ${n(total(under(block, `blocks.0.${g}.`)))}`).join(' + ');
  const outside = all.filter((t) => !t.name.startsWith('blocks.'));
  return [
    {
      kind: 'polynomial',
      id: 'params/attention',
      topic: 'Parameter counts',
      prompt:
        'One attention layer as our contract holds it (katas/contracts.ts: wqkv [d, 3d], wo [d, d], bo [d]; the LayerNorm before it not counted). ' +
        'How many parameters, in terms of d = d_model? Type a polynomial, e.g. 2d^2 + 3d.',
      answer: poly,
      explanation:
        `At d = ${d}: ${listing(attn, 'blocks.0.attn.')}, in all ${n(total(attn))}. In d: wqkv 3d², wo d², bo d, so ${formatPolynomial(poly)}. ` +
        'The fused wqkv has no bias, so q, k and v add none. With a bias on each of q, k, v and the output (PyTorch\'s nn.Linear default, as in the paper\'s four projections) it is 4d² + 4d.',
    },
    {
      kind: 'number',
      id: 'params/block',
      topic: 'Parameter counts',
      prompt: `One whole transformer block at d_model = ${d}, n_heads = ${cfg.nHead}: ln1, attention, ln2 and the MLP (hidden width 4·d_model, biases). How many parameters?`,
      answer: total(block),
      explanation:
        `The trainer builds ${listing(block, 'blocks.0.')}. By part: ${groups} = ${n(total(block))}. ` +
        'Heads do not change the count: they split wqkv\'s columns, they add none.',
    },
    {
      kind: 'number',
      id: 'params/gpt',
      topic: 'Parameter counts',
      prompt:
        `A whole GPT: vocab ${cfg.vocabSize}, block_size ${cfg.blockSize}, d_model ${d}, n_heads ${cfg.nHead}, n_layers ${cfg.nLayer} ` +
        '(token and position embeddings, the blocks, the final LayerNorm, the head with its bias; no weight tying). How many parameters?',
      answer: total(all),
      explanation:
        `${cfg.nLayer} blocks × ${n(total(block))} = ${n(cfg.nLayer * total(block))}, plus ${listing(outside, '')}: ${n(total(all))} in all, ` +
        'the count npm run train prints for this configuration.',
    },
  ];
}
