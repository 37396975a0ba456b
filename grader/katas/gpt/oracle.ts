// Oracle for kata 5: the GPT forward pass in float64 (with mistake knobs), softmax sampling distributions,
// and gradients by central finite differences, an independent check on tfjs's autodiff.
import { type NDArray, add, matmul, nd, slice, softmax, transposeLast2, zeros } from '../../ndarray.ts';
import { type Activation, type BlockParams64, type LayerNormKnobs, type LayerNormParams64, layerNorm, transformerBlock } from '../block/oracle.ts';

export interface GPTParams64 {
  wte: NDArray; // [V, C]
  wpe: NDArray; // [blockSize, C]
  blocks: BlockParams64[];
  lnF: LayerNormParams64;
  head: { w: NDArray; b: NDArray }; // [C, V], [V]
}

export interface GPTConfig64 {
  vocabSize: number;
  blockSize: number;
  nEmbd: number;
  nHead: number;
  nLayer: number;
  activation: Activation;
}

export interface GPTKnobs {
  /** Position rows added: wpe[0..T-1] (right), none, wpe[1..T], or the last T rows of wpe. */
  position?: 'normal' | 'none' | 'offset-one' | 'last-rows';
  finalLayerNorm?: boolean;
  /** What is returned: logits [B, T, V] (right), softmax probabilities, or the logits flattened to [B*T, V]. */
  output?: 'logits' | 'probabilities' | 'flat';
  /** The head: head.w and head.b (right), or tied to the token embedding, x @ wteᵀ. */
  head?: 'own' | 'tied';
  /** Every LayerNorm's knobs (the blocks' ln1, ln2 and the final lnF), e.g. a wrong ε. */
  layerNorm?: LayerNormKnobs;
  /** The final LayerNorm's alone (instead of layerNorm's for lnF). */
  finalLayerNormKnobs?: LayerNormKnobs;
}

/** idx [B][T] token ids -> logits [B, T, V]. */
export function gptForward(idx: number[][], p: GPTParams64, cfg: GPTConfig64, knobs: GPTKnobs = {}): NDArray | null {
  const B = idx.length;
  const T = idx[0]!.length;
  const C = cfg.nEmbd;
  const posStart = { normal: 0, none: 0, 'offset-one': 1, 'last-rows': cfg.blockSize - T }[knobs.position ?? 'normal'];
  if (posStart + T > cfg.blockSize) return null; // this mistake cannot even run at this length
  const tok = nd([B, T, C], (i) => {
    const c = i % C;
    const bt = Math.floor(i / C);
    return p.wte.data[idx[Math.floor(bt / T)]![bt % T]! * C + c]!;
  });
  let x = knobs.position === 'none' ? tok : add(tok, slice(p.wpe, [posStart, 0], [T, C])); // (B, T, C)
  for (const block of p.blocks) x = transformerBlock(x, block, cfg.nHead, cfg.activation, knobs.layerNorm ? { layerNorm: knobs.layerNorm } : {});
  if (knobs.finalLayerNorm !== false) x = layerNorm(x, p.lnF, knobs.finalLayerNormKnobs ?? knobs.layerNorm);
  const logits = knobs.head === 'tied' ? matmul(x, transposeLast2(p.wte)) : add(matmul(x, p.head.w), p.head.b); // (B, T, V)
  if (knobs.output === 'flat') return { shape: [B * T, cfg.vocabSize], data: logits.data }; // (B*T, V)
  return knobs.output === 'probabilities' ? softmax(logits, -1) : logits;
}

/** Every parameter array of a GPT, in a fixed order, with its dotted path. */
function paramEntries(p: GPTParams64): [string, NDArray][] {
  const out: [string, NDArray][] = [
    ['wte', p.wte],
    ['wpe', p.wpe],
  ];
  p.blocks.forEach((b, i) => {
    const pre = `blocks.${i}`;
    out.push(
      [`${pre}.ln1.gamma`, b.ln1.gamma],
      [`${pre}.ln1.beta`, b.ln1.beta],
      [`${pre}.attn.wqkv`, b.attn.wqkv],
      [`${pre}.attn.wo`, b.attn.wo],
      [`${pre}.attn.bo`, b.attn.bo],
      [`${pre}.ln2.gamma`, b.ln2.gamma],
      [`${pre}.ln2.beta`, b.ln2.beta],
      [`${pre}.mlp.w1`, b.mlp.w1],
      [`${pre}.mlp.b1`, b.mlp.b1],
      [`${pre}.mlp.w2`, b.mlp.w2],
      [`${pre}.mlp.b2`, b.mlp.b2],
    );
  });
  out.push(['lnF.gamma', p.lnF.gamma], ['lnF.beta', p.lnF.beta], ['head.w', p.head.w], ['head.b', p.head.b]);
  return out;
}

/** Σ logits·weights: the scalar whose gradients the gradient check compares. */
function weightedLogits(idx: number[][], p: GPTParams64, cfg: GPTConfig64, weights: NDArray): number {
  const logits = gptForward(idx, p, cfg)!;
  let s = 0;
  for (let i = 0; i < logits.data.length; i++) s += logits.data[i]! * weights.data[i]!;
  return s;
}

/**
 * d/dθ Σ logits·weights for every parameter θ (or those named in `only`), by central differences (step h) in
 * float64. Exact to ~1e-8 for these smooth functions, and shares no code with any autodiff.
 */
export function gptGradients(idx: number[][], p: GPTParams64, cfg: GPTConfig64, weights: NDArray, h = 1e-5, only?: ReadonlySet<string>): Map<string, NDArray> {
  const grads = new Map<string, NDArray>();
  for (const [name, arr] of paramEntries(p)) {
    if (only && !only.has(name)) continue;
    const g = zeros(arr.shape);
    for (let i = 0; i < arr.data.length; i++) {
      const orig = arr.data[i]!;
      arr.data[i] = orig + h;
      const up = weightedLogits(idx, p, cfg, weights);
      arr.data[i] = orig - h;
      const down = weightedLogits(idx, p, cfg, weights);
      arr.data[i] = orig;
      g.data[i] = (up - down) / (2 * h);
    }
    grads.set(name, g);
  }
  return grads;
}

/** One parameter's derivatives along given directions: d/dε Σ logits·weights at θ + ε·u, for each u. */
export interface DirectionalDerivatives {
  name: string;
  shape: number[];
  directions: NDArray[];
  derivatives: number[];
}

/**
 * The derivative of Σ logits·weights along each direction `directionsFor` gives for each parameter, by central
 * differences in float64: two forward passes per direction instead of two per element.
 */
export function gptDirectionalDerivatives(
  idx: number[][],
  p: GPTParams64,
  cfg: GPTConfig64,
  weights: NDArray,
  directionsFor: (name: string, shape: number[]) => NDArray[],
  h = 1e-5,
): DirectionalDerivatives[] {
  return paramEntries(p).map(([name, arr]) => {
    const directions = directionsFor(name, arr.shape);
    const orig = Float64Array.from(arr.data);
    const derivatives = directions.map((u) => {
      for (let i = 0; i < orig.length; i++) arr.data[i] = orig[i]! + h * u.data[i]!;
      const up = weightedLogits(idx, p, cfg, weights);
      for (let i = 0; i < orig.length; i++) arr.data[i] = orig[i]! - h * u.data[i]!;
      const down = weightedLogits(idx, p, cfg, weights);
      arr.data.set(orig);
      return (up - down) / (2 * h);
    });
    return { name, shape: arr.shape, directions, derivatives };
  });
}

export interface GreedyKnobs {
  /** Which position's logits choose the next token: the last (right) or the first. */
  position?: 'last' | 'first';
  /** Which blockSize tokens are fed once the sequence is longer: the last (right) or the first. */
  crop?: 'last' | 'first';
  /** How many tokens the context is cropped to: blockSize (right) or nEmbd. */
  cropSize?: 'block-size' | 'n-embd';
  /** What each step predicts from: the growing sequence (right) or the original prompt every time. */
  context?: 'sequence' | 'prompt';
}

/**
 * The tokens generate must produce at temperature 0 (argmax), cropping to the last blockSize tokens,
 * and the smallest gap between the top two logits on the way (how safely float32 will agree). Null where the
 * mistake cannot run (it feeds gpt more than blockSize tokens).
 */
export function greedyPath(idx: number[][], p: GPTParams64, cfg: GPTConfig64, maxNew: number, knobs: GreedyKnobs = {}): { tokens: number[][]; margin: number } | null {
  let margin = Infinity;
  const V = cfg.vocabSize;
  const size = knobs.cropSize === 'n-embd' ? cfg.nEmbd : cfg.blockSize;
  const tokens: number[][] = [];
  for (const row of idx) {
    const seq = [...row];
    for (let n = 0; n < maxNew; n++) {
      const from = knobs.context === 'prompt' ? row : seq;
      const ctx = knobs.crop === 'first' ? from.slice(0, size) : from.slice(Math.max(0, from.length - size));
      const logits = gptForward([ctx], p, cfg);
      if (!logits) return null;
      const at = knobs.position === 'first' ? 0 : ctx.length - 1;
      const last = Array.from(logits.data.subarray(at * V, (at + 1) * V));
      const best = last.indexOf(Math.max(...last));
      const second = Math.max(...last.filter((_, i) => i !== best));
      margin = Math.min(margin, last[best]! - second);
      seq.push(best);
    }
    tokens.push(seq);
  }
  return { tokens, margin };
}
