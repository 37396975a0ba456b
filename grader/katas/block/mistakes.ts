// Known mistakes in kata 4, the pre-norm transformer block.
import type { BlockKnobs } from './oracle.ts';
import type { Mistake } from '../../mistake.ts';
import { epsFit } from './eps-fit.ts';

export const blockMistakes: Mistake<BlockKnobs>[] = [
  { id: 'block/post-norm', explanation: 'LayerNorm is applied after the residual add (post-norm); this block is pre-norm: x + attn(ln1(x)).', hintTier: 1, variants: [{ norm: 'post' }] },
  { id: 'block/missing-residual', explanation: 'A residual connection is missing: both sub-layers add their output to x.', hintTier: 1, variants: [{ residualAttn: false }, { residualMlp: false }, { residualAttn: false, residualMlp: false }] },
  {
    id: 'block/fixed-size-mask',
    explanation: 'The causal mask works only up to a fixed size (a tril precomputed at, say, 8×8 and sliced to T, like a registered buffer of block_size); the block takes any T: build the mask for the T of x.',
    hintTier: 3,
  },
  { id: 'block/not-causal', explanation: 'The block’s attention is not causally masked, so a position sees the future.', hintTier: 3, variants: [{ causal: false }] },
  {
    id: 'block/layernorm-eps',
    explanation: 'LayerNorm’s ε is wrong or misplaced: 1e-5, inside the square root, as in √(var + ε).',
    hintTier: 2,
    variants: [{ layerNorm: { epsPlacement: 'outside' } }, { layerNorm: { eps: 0 } }, { layerNorm: { eps: 1e-12 } }, { layerNorm: { eps: 1e-8 } }, { layerNorm: { eps: 1e-6 } }, { layerNorm: { eps: 1e-3 } }],
    fit: epsFit((eps) => ({ layerNorm: { eps } })),
  },
  { id: 'block/layernorm-variance', explanation: 'LayerNorm uses the unbiased variance (÷ n−1); PyTorch’s LayerNorm divides by n.', hintTier: 2, variants: [{ layerNorm: { variance: 'unbiased' } }] },
  { id: 'block/layernorm-swapped', explanation: 'ln1 and ln2 are swapped: ln1 goes before attention, ln2 before the MLP.', hintTier: 1, variants: [{ lnSwapped: true }] },
  { id: 'block/activation', explanation: 'The MLP’s activation ignores opts.activation: ReLU by default, GELU when asked.', hintTier: 3, variants: [{ activation: 'always-relu' }, { activation: 'always-gelu' }, { activation: 'default-gelu' }] },
  { id: 'block/gelu-tanh', explanation: 'GELU uses an approximation (tanh or sigmoid); the kata asks for the exact form 0.5·x·(1 + erf(x/√2)).', hintTier: 3, variants: [{ activation: 'gelu-tanh' }, { activation: 'gelu-sigmoid' }] },
  { id: 'block/layernorm-affine', explanation: 'LayerNorm normalises but never applies gamma and beta.', hintTier: 2, variants: [{ layerNorm: { affine: false } }] },
  { id: 'block/layernorm-axis', explanation: 'LayerNorm’s mean and variance are taken over time; take them over the last axis, the channels.', hintTier: 2, variants: [{ layerNorm: { axis: 'time' } }] },
  { id: 'block/residual-from-norm', explanation: 'The residual stream carries the normalised x (x = ln(x); x = x + f(x)); add f(ln(x)) to the raw x.', hintTier: 1, variants: [{ residualFrom: 'normed' }] },
  {
    id: 'block/residual-inside',
    explanation: 'The residual is added inside the sublayer, attn(ln1(x) + x), instead of around it: x + attn(ln1(x)) (and h + mlp(ln2(h))).',
    hintTier: 1,
    variants: [{ residualInside: 'both' }, { residualInside: 'attn' }, { residualInside: 'mlp' }],
  },
  { id: 'block/layernorm-reused', explanation: 'One LayerNorm is used before both sublayers; ln1 belongs to attention and ln2 to the MLP, each with its own gamma and beta.', hintTier: 1, variants: [{ lnReused: 'ln1' }, { lnReused: 'ln2' }] },
  { id: 'block/layernorm-time-channels', explanation: 'LayerNorm’s mean and variance are taken over time and channels together; each position is normalised on its own, over the last axis only.', hintTier: 2, variants: [{ layerNorm: { axis: 'time-channels' } }] },
  { id: 'block/activation-after-projection', explanation: 'The MLP’s activation is applied after the second projection; it goes between them: act(x @ w1 + b1) @ w2 + b2.', hintTier: 3, variants: [{ mlpActivation: 'after-second' }] },
  { id: 'block/no-activation', explanation: 'The MLP has no activation, so its two projections collapse into one linear map: act(x @ w1 + b1) @ w2 + b2.', hintTier: 3, variants: [{ mlpActivation: 'none' }] },
];
