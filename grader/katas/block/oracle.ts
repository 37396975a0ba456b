// Oracle for kata 4: LayerNorm, GELU and the pre-norm causal transformer block in float64, with mistake knobs.
import { type NDArray, add, alongAxis, erf, map, matmul, reshape } from '../../ndarray.ts';
import { causalMask } from '../causal-mask/oracle.ts';
import { type AttentionParams64, multiHeadAttention } from '../multi-head/oracle.ts';

export interface LayerNormParams64 {
  gamma: NDArray;
  beta: NDArray;
}
interface MLPParams64 {
  w1: NDArray;
  b1: NDArray;
  w2: NDArray;
  b2: NDArray;
}
export interface BlockParams64 {
  ln1: LayerNormParams64;
  attn: AttentionParams64;
  ln2: LayerNormParams64;
  mlp: MLPParams64;
}
export type Activation = 'relu' | 'gelu';

export interface LayerNormKnobs {
  /** ε; PyTorch's default 1e-5 is right. */
  eps?: number;
  /** ε inside the square root (right) or added to the standard deviation. */
  epsPlacement?: 'inside' | 'outside';
  /** Biased variance, /n (right), or unbiased, /(n-1). */
  variance?: 'biased' | 'unbiased';
  /** gamma and beta applied (right) or forgotten. */
  affine?: boolean;
  /** Statistics over the last axis, channels (right), over axis 1, time, or over time and channels together. */
  axis?: 'channels' | 'time' | 'time-channels';
}

export interface BlockKnobs {
  norm?: 'pre' | 'post';
  residualAttn?: boolean;
  residualMlp?: boolean;
  causal?: boolean;
  /** ln1's parameters used where ln2's belong and vice versa. */
  lnSwapped?: boolean;
  /** One LayerNorm's parameters used before both sublayers. */
  lnReused?: 'ln1' | 'ln2';
  /** The residual added inside a sublayer, f(ln(x) + x), instead of around it, x + f(ln(x)). */
  residualInside?: 'attn' | 'mlp' | 'both';
  /** The MLP's activation between the projections (right), after the second one, or missing. */
  mlpActivation?: 'between' | 'after-second' | 'none';
  /** The activation actually applied: the one asked for (right), always one kind, or a GELU approximation. */
  activation?: 'as-asked' | 'always-relu' | 'always-gelu' | 'default-gelu' | 'gelu-tanh' | 'gelu-sigmoid';
  /** The residual stream carries x (right) or the normalised x: x = ln(x); x = x + f(x). */
  residualFrom?: 'raw' | 'normed';
  layerNorm?: LayerNormKnobs;
}

export function layerNorm(x: NDArray, p: LayerNormParams64, knobs: LayerNormKnobs = {}): NDArray {
  const eps = knobs.eps ?? 1e-5;
  if (knobs.axis === 'time-channels') {
    const [B, T, C] = x.shape as [number, number, number];
    const flat = layerNorm(reshape(x, [B, T * C]), p, { ...knobs, axis: 'channels', affine: false }); // (B, T*C)
    return knobs.affine === false ? reshape(flat, [B, T, C]) : add(mulLast(reshape(flat, [B, T, C]), p.gamma), p.beta);
  }
  const normed = alongAxis(x, knobs.axis === 'time' ? 1 : -1, (row) => {
    const n = row.length;
    const mean = row.reduce((a, b) => a + b, 0) / n;
    const ss = row.reduce((a, b) => a + (b - mean) ** 2, 0);
    const variance = knobs.variance === 'unbiased' ? ss / (n - 1) : ss / n;
    const denom = knobs.epsPlacement === 'outside' ? Math.sqrt(variance) + eps : Math.sqrt(variance + eps);
    return row.map((v) => (v - mean) / denom);
  });
  return knobs.affine === false ? normed : add(mulLast(normed, p.gamma), p.beta);
}

function mulLast(x: NDArray, g: NDArray): NDArray {
  const C = g.data.length;
  return map(x, (v, i) => v * g.data[i % C]!);
}

export const geluExact = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluTanh = (x: number): number =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const geluSigmoid = (x: number): number => x / (1 + Math.exp(-1.702 * x));

/** `asked` undefined means the caller left opts.activation out: ReLU, unless the mistake defaults to GELU. */
function activate(x: NDArray, askedOrDefault: Activation | undefined, knob: BlockKnobs['activation']): NDArray {
  const asked = askedOrDefault ?? (knob === 'default-gelu' ? 'gelu' : 'relu');
  const approx = asked === 'gelu' && (knob === 'gelu-tanh' || knob === 'gelu-sigmoid') ? knob : null;
  const kind = knob === 'always-relu' ? 'relu' : knob === 'always-gelu' ? 'gelu' : asked;
  if (kind === 'relu') return map(x, (v) => Math.max(0, v));
  return map(x, approx === 'gelu-tanh' ? geluTanh : approx === 'gelu-sigmoid' ? geluSigmoid : geluExact);
}

function mlp(x: NDArray, p: MLPParams64, activation: Activation | undefined, knob?: BlockKnobs['activation'], where: BlockKnobs['mlpActivation'] = 'between'): NDArray {
  const hidden = add(matmul(x, p.w1), p.b1); // (B, T, 4C)
  if (where === 'none') return add(matmul(hidden, p.w2), p.b2);
  if (where === 'after-second') return activate(add(matmul(hidden, p.w2), p.b2), activation, knob);
  return add(matmul(activate(hidden, activation, knob), p.w2), p.b2);
}

/** x [B,T,C] -> [B,T,C]: x + attn(ln1(x)), then x + mlp(ln2(x)), causal. */
export function transformerBlock(
  x: NDArray,
  p: BlockParams64,
  nHead: number,
  activation: Activation | undefined = undefined,
  knobs: BlockKnobs = {},
): NDArray {
  const T = x.shape[1]!;
  const mask = knobs.causal === false ? undefined : causalMask(T);
  const [ln1, ln2] = knobs.lnSwapped ? [p.ln2, p.ln1] : knobs.lnReused ? [p[knobs.lnReused], p[knobs.lnReused]] : [p.ln1, p.ln2];
  const ln = (t: NDArray, q: LayerNormParams64) => layerNorm(t, q, knobs.layerNorm);
  const attn = (t: NDArray) => multiHeadAttention(t, p.attn, nHead, mask)!;
  const ff = (t: NDArray) => mlp(t, p.mlp, activation, knobs.activation, knobs.mlpActivation);
  if (knobs.residualInside) {
    const inside = (which: 'attn' | 'mlp') => knobs.residualInside === which || knobs.residualInside === 'both';
    const h = inside('attn') ? attn(add(ln(x, ln1), x)) : add(x, attn(ln(x, ln1)));
    return inside('mlp') ? ff(add(ln(h, ln2), h)) : add(h, ff(ln(h, ln2)));
  }
  const resA = knobs.residualAttn ?? true;
  const resM = knobs.residualMlp ?? true;
  if (knobs.norm === 'post') {
    const h = ln(resA ? add(x, attn(x)) : attn(x), ln1);
    return ln(resM ? add(h, ff(h)) : ff(h), ln2);
  }
  if (knobs.residualFrom === 'normed') {
    const n1 = ln(x, ln1);
    const h = add(n1, attn(n1));
    const n2 = ln(h, ln2);
    return add(n2, ff(n2));
  }
  const a = attn(ln(x, ln1));
  const h = resA ? add(x, a) : a;
  const f = ff(ln(h, ln2));
  return resM ? add(h, f) : f;
}
