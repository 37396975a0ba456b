// Oracle for kata 2: multi-head self-attention in float64, with knobs for the classic head-layout mistakes.
import { type NDArray, add, matmul, permute, reshape, slice } from '../../ndarray.ts';
import { attention } from '../attention/oracle.ts';

export interface AttentionParams64 {
  wqkv: NDArray; // [C, 3C]
  wo: NDArray; // [C, C]
  bo: NDArray; // [C]
}

export interface MultiHeadKnobs {
  /**
   * How heads are cut from each C-wide block: contiguous columns moved to [B,h,T,d] (right);
   * [B,T,h,d] attended without the transpose; a straight reshape of [B,T,C] to [B,h,T,d]; interleaved columns;
   * or batch and time swapped, [T,h,B,d], so that attention runs across the batch items at each time step.
   */
  layout?: 'standard' | 'no-transpose' | 'reshape-direct' | 'interleaved' | 'qkv-inner' | 'batch-time-swapped';
  /**
   * Heads merged back by undoing the split (right for the standard layout), by a straight reshape, or by the
   * standard merge (transpose [B,h,T,d] to [B,T,h,d], then reshape) whatever the split was.
   */
  merge?: 'inverse' | 'reshape-only' | 'transpose';
  /** The mask applied (right) or ignored. */
  mask?: 'applied' | 'ignored';
  /** Scores scaled by 1/√d (right) or by 1/√C. */
  scale?: 'sqrt-d' | 'sqrt-C';
  /** Scores divided by this number instead (a fitted knob: any constant factor); overrides `scale`. */
  divisor?: number;
  /** Which third of x@wqkv is used as q, k, v: "qkv" is right. */
  order?: 'qkv' | 'qvk' | 'kqv' | 'kvq' | 'vqk' | 'vkq';
  /** Output projection: concat@wo+bo (right), none at all, or without bo. */
  output?: 'full' | 'none' | 'no-bias';
}

/** Splits [B,T,C] into heads [B,h,T,d] the way `layout` says (no-transpose keeps [B,T,h,d]). */
function toHeads(t: NDArray, B: number, T: number, h: number, d: number, layout: MultiHeadKnobs['layout']): NDArray {
  switch (layout ?? 'standard') {
    case 'standard':
      return permute(reshape(t, [B, T, h, d]), [0, 2, 1, 3]); // (B, h, T, d)
    case 'no-transpose':
      return reshape(t, [B, T, h, d]); // (B, T, h, d): attention then runs across heads
    case 'reshape-direct':
      return reshape(t, [B, h, T, d]); // (B, h, T, d) but mixing time and channels
    case 'interleaved':
      return permute(reshape(t, [B, T, d, h]), [0, 3, 1, 2]); // (B, h, T, d), head i = columns i, i+h, ...
    case 'qkv-inner':
      throw new Error('qkv-inner is cut from the whole qkv, not per third');
    case 'batch-time-swapped':
      return permute(reshape(t, [B, T, h, d]), [1, 2, 0, 3]); // (T, h, B, d): attention across the batch
  }
}

function fromHeads(y: NDArray, B: number, T: number, C: number, layout: MultiHeadKnobs['layout'], merge: MultiHeadKnobs['merge']): NDArray {
  if (merge === 'reshape-only') return reshape(y, [B, T, C]);
  if (merge === 'transpose') return reshape(permute(y, [0, 2, 1, 3]), [B, T, C]);
  switch (layout ?? 'standard') {
    case 'standard':
    case 'qkv-inner':
      return reshape(permute(y, [0, 2, 1, 3]), [B, T, C]);
    case 'no-transpose':
    case 'reshape-direct':
      return reshape(y, [B, T, C]);
    case 'interleaved':
      return reshape(permute(y, [0, 2, 3, 1]), [B, T, C]); // back to (B, T, d, h)
    case 'batch-time-swapped':
      return reshape(permute(y, [2, 0, 1, 3]), [B, T, C]); // (T, h, B, d) -> (B, T, h, d) -> (B, T, C)
  }
}

/** x [B,T,C] -> [B,T,C]. `mask` broadcasts to [B,h,T,T]. Returns null if a mistaken layout cannot take the mask. */
export function multiHeadAttention(
  x: NDArray,
  p: AttentionParams64,
  nHead: number,
  mask?: NDArray,
  knobs: MultiHeadKnobs = {},
): NDArray | null {
  const [B, T, C] = x.shape as [number, number, number];
  const d = C / nHead;
  const qkv = matmul(x, p.wqkv); // (B, T, 3C)
  const third = (i: number) => slice(qkv, [0, 0, i * C], [B, T, C]);
  const pick = { q: third(0), k: third(1), v: third(2) };
  const order = knobs.order ?? 'qkv';
  const [q, k, v] =
    knobs.layout === 'qkv-inner'
      ? [0, 1, 2].map((i) => reshape(slice(permute(reshape(qkv, [B, T, nHead, 3, d]), [3, 0, 2, 1, 4]), [i, 0, 0, 0, 0], [1, B, nHead, T, d]), [B, nHead, T, d]))
      : [...order].map((c) => toHeads(pick[c as 'q' | 'k' | 'v'], B, T, nHead, d, knobs.layout));
  const headDim = knobs.scale === 'sqrt-C' ? C : d;
  // attention() scales by 1/√(last dim of q) = 1/√d; rescale q for the √C mistake.
  const factor = knobs.divisor !== undefined ? Math.sqrt(d) / knobs.divisor : Math.sqrt(d / headDim);
  const qs = factor === 1 ? q! : { shape: q!.shape, data: q!.data.map((z) => z * factor) };
  let y: NDArray;
  try {
    y = attention(qs, k!, v!, knobs.mask === 'ignored' ? undefined : mask); // (B, h, T, d)
  } catch {
    return null; // e.g. a [T,T] mask cannot broadcast onto the no-transpose layout's [B,T,h,h] scores
  }
  const merged = fromHeads(y, B, T, C, knobs.layout, knobs.merge); // (B, T, C)
  const output = knobs.output ?? 'full';
  if (output === 'none') return merged;
  const projected = matmul(merged, p.wo);
  return output === 'no-bias' ? projected : add(projected, p.bo);
}
