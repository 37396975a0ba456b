// The float64 oracle against values worked out by hand, so that the grader's yardstick is itself checked.
import { describe, expect, it } from 'vitest';
import { attention } from './katas/attention/oracle.ts';
import { causalMask, maskFuture } from './katas/causal-mask/oracle.ts';
import { multiHeadAttention } from './katas/multi-head/oracle.ts';
import { geluExact, layerNorm } from './katas/block/oracle.ts';
import { gptForward, gptGradients } from './katas/gpt/oracle.ts';
import { erf, nd } from './ndarray.ts';

const close = (got: ArrayLike<number>, want: number[], tol = 1e-9) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i]! - w)).toBeLessThan(tol));
};

describe('float64 oracle', () => {
  it('erf and exact GELU match tabulated values', () => {
    close([erf(0.5), erf(1), erf(-1), erf(3), erf(4)], [0.5204998778130465, 0.8427007929497149, -0.8427007929497149, 0.9999779095030014, 0.9999999845827421], 1e-13);
    close([geluExact(1), geluExact(-0.5)], [0.8413447460685429, -0.15426876936299344], 1e-13);
  });

  it('attention: two keys, scale 1/√2, by hand', () => {
    // scores = [1/√2, 0]; w0 = e^(1/√2) / (e^(1/√2) + 1)
    const w0 = Math.exp(Math.SQRT1_2) / (Math.exp(Math.SQRT1_2) + 1);
    const out = attention(nd([1, 2], [1, 0]), nd([2, 2], [1, 0, 0, 1]), nd([2, 2], [1, 2, 3, 4]));
    expect(out.shape).toEqual([1, 2]);
    close(out.data, [w0 * 1 + (1 - w0) * 3, w0 * 2 + (1 - w0) * 4]);
  });

  it('attention: a masked key gets no weight, and mistakes differ as expected', () => {
    const q = nd([1, 2], [1, 0]);
    const k = nd([2, 2], [1, 0, 0, 1]);
    const v = nd([2, 2], [1, 2, 3, 4]);
    const mask = nd([1, 2], [0, 1]);
    close(attention(q, k, v, mask).data, [3, 4]);
    close(attention(q, k, v, mask, { mask: 'inverted' }).data, [1, 2]);
    close(attention(q, k, v, mask, { mask: 'fill-zero' }).data, [2, 3]); // both scores 0 -> uniform
    const unscaled = Math.exp(1) / (Math.exp(1) + 1);
    close(attention(q, k, v, undefined, { scale: 'none' }).data, [unscaled + (1 - unscaled) * 3, unscaled * 2 + (1 - unscaled) * 4]);
  });

  it('causal mask is tril(ones) and maskFuture fills only j > i', () => {
    close(causalMask(3).data, [1, 0, 0, 1, 1, 0, 1, 1, 1]);
    close(causalMask(3, { keep: 'strict-lower' }).data, [0, 0, 0, 1, 0, 0, 1, 1, 0]);
    const m = maskFuture(nd([2, 2], [5, 6, 7, 8]))!;
    expect([...m.data]).toEqual([5, -Infinity, 7, 8]);
  });

  it('layerNorm uses biased variance with eps inside the root', () => {
    const s = 1 / Math.sqrt(2 / 3 + 1e-5);
    close(layerNorm(nd([1, 3], [1, 2, 3]), { gamma: nd([3], [1, 1, 1]), beta: nd([3], [0, 0, 0]) }).data, [-s, 0, s]);
    const u = 1 / Math.sqrt(1 + 1e-5);
    close(layerNorm(nd([1, 3], [1, 2, 3]), { gamma: nd([3], [1, 1, 1]), beta: nd([3], [0, 0, 0]) }, { variance: 'unbiased' }).data, [-u, 0, u]);
  });

  it('multi-head: two 1-wide heads with q = k = v = x, by hand', () => {
    const I = [1, 0, 0, 1];
    const wqkv = nd([2, 6], [1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1]); // [I | I | I]
    const p = { wqkv, wo: nd([2, 2], I), bo: nd([2], [0, 0]) };
    const a = Math.E / (Math.E + 1);
    const out = multiHeadAttention(nd([1, 2, 2], I), p, 2)!;
    close(out.data, [a, 0.5, 0.5, a]);
  });

  it('gpt with no layers: logits by hand, and finite-difference gradients of the head bias', () => {
    const cfg = { vocabSize: 2, blockSize: 2, nEmbd: 2, nHead: 1, nLayer: 0, activation: 'relu' as const };
    const p = {
      wte: nd([2, 2], [1, -1, 2, 0]),
      wpe: nd([2, 2], [0, 0, 0, 2]),
      blocks: [],
      lnF: { gamma: nd([2], [1, 1]), beta: nd([2], [0, 0]) },
      head: { w: nd([2, 2], [1, 0, 0, 1]), b: nd([2], [0.5, -0.5]) },
    };
    // token 0 at position 0: [1,-1] -> LN -> ±1/√(1+1e-5); token 1 at position 1: [2,2] -> LN -> [0,0]
    const z = 1 / Math.sqrt(1 + 1e-5);
    const logits = gptForward([[0, 1]], p, cfg)!;
    close(logits.data, [z + 0.5, -z - 0.5, 0.5, -0.5]);
    const R = nd([1, 2, 2], [1, 2, 3, 4]);
    const g = gptGradients([[0, 1]], p, cfg, R);
    close(g.get('head.b')!.data, [4, 6], 1e-6); // Σ over positions of R
    close(g.get('head.w')!.data, [z * 1 + 0 * 3, z * 2 + 0, -z * 1, -z * 2], 1e-6);
  });
});
