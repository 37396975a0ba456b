// Random GPT configurations and parameters for the gpt kata's checks, as float32 pairs (wire and oracle sides).
import fc from 'fast-check';
import type { GPTConfig64, GPTParams64 } from './oracle.ts';
import type { Wire } from '../../sandbox/protocol.ts';
import { ndOf, randBlockParams, wireOf } from '../block/checks.ts';
import { type Pair, type Rng, pair, randInt, randn, rng } from '../../random-cases.ts';

export interface GPTCase {
  V: number;
  h: number;
  d: number;
  L: number;
  blockSize: number;
  B: number;
  /** Sequence length as a fraction of blockSize, so that T <= blockSize always holds. */
  tFrac: number;
  activation: 'relu' | 'gelu';
  /** Pass the grading dropout (identity) as the fourth argument, or leave it out: both are the contract. */
  dropout?: boolean;
  /** The head's weights ~ N(0, (headScale/√C)²): larger spreads the logits (default 1.5). */
  headScale?: number;
  /**
   * The spread of wte and wpe (default 1): 1e-3 makes LayerNorm's variance comparable to its ε. The blocks' output
   * projections are scaled by it too, so that the residual stream stays that small up to the final LayerNorm.
   */
  embScale?: number;
  seed: number;
}

export const gptCaseArb: fc.Arbitrary<GPTCase> = fc.record({
  V: fc.integer({ min: 2, max: 7 }),
  h: fc.integer({ min: 1, max: 3 }),
  d: fc.integer({ min: 1, max: 3 }),
  L: fc.integer({ min: 1, max: 2 }),
  // any blockSize is the contract: mostly small, and one case in five from 7 to 40 (past a mask precomputed at 8 or 32)
  blockSize: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 7, max: 40 }) }),
  B: fc.integer({ min: 1, max: 3 }),
  tFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  activation: fc.constantFrom('relu' as const, 'gelu' as const),
  dropout: fc.boolean(),
  embScale: fc.constantFrom(1, 1, 1e-3),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

function configOf(c: GPTCase): GPTConfig64 {
  return { vocabSize: c.V, blockSize: c.blockSize, nEmbd: c.h * c.d, nHead: c.h, nLayer: c.L, activation: c.activation };
}

const seqLen = (c: GPTCase): number => Math.max(1, Math.ceil(c.tFrac * c.blockSize));

/** GPT parameters with every tensor non-trivial: positions and biases matter, so their mistakes show. */
const scaled = (p: Pair, s: number): Pair => (s === 1 ? p : pair(p.nd.shape, p.nd.data.map((v) => v * s)));

/** A block whose attention and MLP outputs are `s` times smaller (their output projections and biases scaled). */
function outputsScaled(b: ReturnType<typeof randBlockParams>, s: number): ReturnType<typeof randBlockParams> {
  return {
    ...b,
    attn: { ...b.attn, wo: scaled(b.attn.wo, s), bo: scaled(b.attn.bo, s) },
    mlp: { ...b.mlp, w2: scaled(b.mlp.w2, s), b2: scaled(b.mlp.b2, s) },
  };
}

function randGPTParams(r: Rng, cfg: GPTConfig64, headScale = 1.5, embScale = 1) {
  const C = cfg.nEmbd;
  return {
    wte: randn(r, [cfg.vocabSize, C], embScale),
    wpe: randn(r, [cfg.blockSize, C], embScale),
    blocks: Array.from({ length: cfg.nLayer }, () => outputsScaled(randBlockParams(r, C), embScale)),
    lnF: { gamma: pair([C], randn(r, [C], 0.3).nd.data.map((v) => 1 + v)), beta: randn(r, [C], 0.3) },
    head: { w: randn(r, [C, cfg.vocabSize], headScale / Math.sqrt(C)), b: randn(r, [cfg.vocabSize], 0.3) },
  };
}

export interface GPTInputs {
  dropout: boolean;
  cfg: GPTConfig64;
  params: ReturnType<typeof randGPTParams>;
  idx: number[][];
  idxPair: Pair;
}

export function makeGPTInputs(c: GPTCase, T = seqLen(c)): GPTInputs {
  const r = rng(c.seed);
  const cfg = configOf(c);
  const params = randGPTParams(r, cfg, c.headScale, c.embScale);
  const idx = Array.from({ length: c.B }, () => Array.from({ length: T }, () => randInt(r, 0, c.V - 1)));
  return { dropout: c.dropout ?? false, cfg, params, idx, idxPair: pair([c.B, T], idx.flat(), 'int32') };
}

export const paramsWire = (i: GPTInputs): Wire => wireOf(i.params);
export const params64 = (i: GPTInputs): GPTParams64 => ndOf<GPTParams64>(i.params);
export const cfgWire = (cfg: GPTConfig64): Wire => ({ ...cfg });
