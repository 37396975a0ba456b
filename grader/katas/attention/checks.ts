// Checks for kata 1, scaled dot-product attention: rule, shape, float64 equivalence, and behavioural properties.
import fc from 'fast-check';
import { attention, type AttentionKnobs } from './oracle.ts';
import { size } from '../../ndarray.ts';
import { attentionMistakes } from './mistakes.ts';
import type { Wire } from '../../sandbox/protocol.ts';
import { checkShape, type Tolerance, compareOutput } from '../../compare.ts';
import { exportsCheck } from '../../common-checks.ts';
import { fmtInputs } from '../../format.ts';
import { type Pair, pair, randMask, randn, rng } from '../../random-cases.ts';
import { codeLines } from '../../static-rules.ts';
import { type CaseIO, type Check, type KataSuite, type Probe, callFn, equivalenceCheck, fail, invarianceCheck, nameMistake, pass, property } from '../../suite.ts';

const FN = 'scaledDotProductAttention';
const MAX_LINES = 30;
/** float32 matmul + softmax against float64: scores up to ~100 lose ~1e-5 relative; any formula mistake is far larger. */
const TOL: Tolerance = { atol: 2e-4, rtol: 1e-3 };
const AXES = ['B', 'h', 'x', 'Tq', 'dv'];

/** One generated attention case: leading dims, sizes, magnitudes and the mask's broadcast form. */
interface Case {
  lead: number[];
  tq: number;
  tk: number;
  dk: number;
  dv: number;
  qScale: number;
  vScale: number;
  mask: 'none' | 'full' | 'square' | 'leading-ones';
  seed: number;
  /** Every mask row keeps at least one key and masks at least one (probes use this so inverted masks stay finite). */
  mixedMask?: boolean;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  lead: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 3 }),
  tq: fc.integer({ min: 1, max: 5 }),
  tk: fc.integer({ min: 1, max: 5 }),
  dk: fc.integer({ min: 1, max: 6 }),
  dv: fc.integer({ min: 1, max: 6 }),
  qScale: fc.constantFrom(1, 1e-3, 0.3, 3),
  vScale: fc.constantFrom(1, 1e-3, 10),
  mask: fc.constantFrom('none' as const, 'full' as const, 'square' as const, 'leading-ones' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

interface Inputs {
  q: Pair;
  k: Pair;
  v: Pair;
  mask?: Pair;
}

function makeInputs(c: Case): Inputs {
  const r = rng(c.seed);
  const q = randn(r, [...c.lead, c.tq, c.dk], c.qScale);
  const k = randn(r, [...c.lead, c.tk, c.dk], c.qScale);
  const v = randn(r, [...c.lead, c.tk, c.dv], c.vScale);
  const maskShape: number[] | null =
    c.mask === 'full' ? [...c.lead, c.tq, c.tk] : c.mask === 'square' ? [c.tq, c.tk] : c.mask === 'leading-ones' ? [...c.lead.map(() => 1), c.tq, c.tk] : null;
  return { q, k, v, mask: maskShape ? randMask(r, maskShape, c.mixedMask) : undefined };
}

const args = (i: Inputs): Wire[] => [i.q.wire, i.k.wire, i.v.wire, ...(i.mask ? [i.mask.wire] : [])];
const expected = (i: Inputs, knobs: AttentionKnobs = {}) => attention(i.q.nd, i.k.nd, i.v.nd, i.mask?.nd, knobs);
const describe = (i: Inputs) => fmtInputs({ q: i.q.nd, k: i.k.nd, v: i.v.nd, mask: i.mask?.nd });

const rule: Check = {
  name: `rule: fewer than ${MAX_LINES} lines of code`,
  async run(ctx) {
    const n = codeLines(ctx.source);
    return n < MAX_LINES ? pass(`${n} lines of code`) : fail(`${n} lines of code (blank lines, comments and imports excluded); the kata allows at most ${MAX_LINES - 1}`, 'attention/too-long');
  },
};

const shape: Check = {
  name: 'shape and dtype',
  async run(ctx) {
    const i = makeInputs({ lead: [2], tq: 3, tk: 5, dk: 4, dv: 6, qScale: 1, vScale: 1, mask: 'none', seed: ctx.seed });
    const r = await callFn(ctx, { op: 'call', fn: FN, args: args(i) });
    if (!r.ok) return fail(`${r.verdict.message}\n${describe(i)}`, await nameMistake(ctx, r.verdict));
    const v = checkShape(r.value, [2, 3, 6], 'float32', ['B', 'Tq', 'dv']);
    return v.ok ? pass('q [2,3,4], k [2,5,4], v [2,5,6] -> [2,3,6]') : fail(`q [2,3,4], k [2,5,4], v [2,5,6]: ${v.message}`, 'shape');
  },
};

const io = (c: Case): CaseIO => {
  const i = makeInputs(c);
  return { args: args(i), expected: () => expected(i), describe: () => describe(i) };
};

/** A behavioural property: the output on `transform`ed inputs must equal the output on the originals. */
function invariance(name: string, transform: (i: Inputs, c: Case) => Inputs | null, explain: string, skipFirstItem = false): Check {
  return invarianceCheck({
    name,
    fn: FN,
    needs: [shape.name],
    arb: caseArb,
    numRuns: 15,
    tol: TOL,
    explain,
    pair: (c) => {
      const a = makeInputs(c);
      const b = transform(a, c);
      if (!b) return null;
      // for batch independence only items 1.. must be unchanged
      const compare = skipFirstItem ? (s: number[]) => [...Array(size(s)).keys()].filter((n) => n >= size(s) / c.lead[0]!) : undefined;
      return { a: args(a), b: args(b), compare, describe: () => describe(a) };
    },
  });
}

/** Permutes the key axis of k, v (and the mask's last axis) with one random permutation. */
function permuteKeys(i: Inputs, c: Case): Inputs | null {
  if (c.tk < 2) return null;
  const perm = [...Array(c.tk).keys()].reverse();
  const rows = (p: Pair, axisLen: number, rowLen: number) => {
    const out: number[] = [];
    const blocks = p.nd.data.length / (axisLen * rowLen);
    for (let b = 0; b < blocks; b++) for (const j of perm) for (let e = 0; e < rowLen; e++) out.push(p.nd.data[(b * axisLen + j) * rowLen + e]!);
    return pair(p.nd.shape, out);
  };
  const maskCols = (p: Pair) => {
    const out: number[] = [];
    for (let r = 0; r < p.nd.data.length / c.tk; r++) for (const j of perm) out.push(p.nd.data[r * c.tk + j]!);
    return pair(p.nd.shape, out);
  };
  return { q: i.q, k: rows(i.k, c.tk, c.dk), v: rows(i.v, c.tk, c.dv), mask: i.mask ? maskCols(i.mask) : undefined };
}

/** Replaces every masked key's k and v rows (where the mask is 0 for all queries) with fresh random values. */
function changeMaskedKeys(i: Inputs, c: Case): Inputs | null {
  if (c.mask !== 'square') return null;
  const hidden = [...Array(c.tk).keys()].filter((j) => [...Array(c.tq).keys()].every((q) => i.mask!.nd.data[q * c.tk + j] === 0));
  if (hidden.length === 0) return null;
  const r = rng(c.seed + 1);
  const redo = (p: Pair, width: number) => {
    const out = Array.from(p.nd.data);
    for (let idx = 0; idx < out.length; idx++) if (hidden.includes(Math.floor(idx / width) % c.tk)) out[idx] = (r() - 0.5) * 20;
    return pair(p.nd.shape, out);
  };
  return { q: i.q, k: redo(i.k, c.dk), v: redo(i.v, c.dv), mask: i.mask };
}

/** Changes batch item 0 only; the caller compares every other item. */
function changeFirstItem(i: Inputs, c: Case): Inputs | null {
  if (c.lead.length === 0 || c.lead[0]! < 2) return null;
  const r = rng(c.seed + 2);
  const redo = (p: Pair) => {
    const per = p.nd.data.length / c.lead[0]!;
    return pair(p.nd.shape, Array.from(p.nd.data, (x, idx) => (idx < per ? (r() - 0.5) * 4 : x)));
  };
  return { q: redo(i.q), k: redo(i.k), v: redo(i.v), mask: i.mask };
}

const convexHull: Check = {
  name: "outputs lie in the convex hull of v's rows",
  needs: [shape.name],
  run: (ctx) =>
    property(ctx, {
      arb: caseArb,
      numRuns: 15,
      predicate: async (c) => {
        const i = makeInputs(c);
        const r = await callFn(ctx, { op: 'call', fn: FN, args: args(i) });
        if (!r.ok) return r.verdict;
        const s = checkShape(r.value, [...c.lead, c.tq, c.dv], 'float32');
        if (!s.ok) return s;
        const out = (r.value as { data: Float32Array }).data;
        // Each output coordinate must lie between the min and max of that coordinate over the keys.
        const blocks = out.length / (c.tq * c.dv);
        for (let b = 0; b < blocks; b++)
          for (let e = 0; e < c.dv; e++) {
            let lo = Infinity;
            let hi = -Infinity;
            for (let j = 0; j < c.tk; j++) {
              const x = i.v.nd.data[(b * c.tk + j) * c.dv + e]!;
              lo = Math.min(lo, x);
              hi = Math.max(hi, x);
            }
            const slack = 1e-4 * Math.max(Math.abs(lo), Math.abs(hi), 1e-30);
            for (let t = 0; t < c.tq; t++) {
              const y = out[(b * c.tq + t) * c.dv + e]!;
              if (!(y >= lo - slack && y <= hi + slack)) {
                return { ok: false, mistake: null, message: `output ${y} lies outside [${lo}, ${hi}], the range of v's column ${e}: the weights are not a softmax over keys` };
              }
            }
          }
        return { ok: true };
      },
      describe: (c) => describe(makeInputs(c)),
    }),
};

const largeScores: Check = {
  name: 'large scores give no NaN',
  needs: [shape.name],
  async run(ctx) {
    const i = makeInputs({ lead: [2], tq: 3, tk: 4, dk: 8, dv: 3, qScale: 40, vScale: 1, mask: 'square', seed: ctx.seed });
    const r = await callFn(ctx, { op: 'call', fn: FN, args: args(i) });
    if (!r.ok) return fail(r.verdict.message, await nameMistake(ctx, r.verdict));
    const v = compareOutput(r.value, expected(i), { atol: 1e-2, rtol: 1e-2 });
    if (v.ok) return pass('scores up to ~1e4');
    const advice = v.mistake === 'not-finite' ? ' Subtract the row max before exp, or use tf.softmax.' : '';
    return fail(`with scores up to ~1e4 (q, k ~ N(0, 40²)): ${v.message}.${advice}\n${describe(i)}`, await nameMistake(ctx, v));
  },
};

export const attentionSuite: KataSuite = {
  mistakes: attentionMistakes,
  checks: [
    exportsCheck([FN]),
    rule,
    shape,
    equivalenceCheck({ fn: FN, needs: [shape.name], arb: caseArb, numRuns: 60, io, tol: TOL, axes: AXES }),
    convexHull,
    invariance('permuting keys and values together changes nothing', permuteKeys, 'reordering the keys (with their values and mask columns) changed the output'),
    invariance('changing a masked key or value changes nothing', changeMaskedKeys, 'changing keys that every query masks out changed the output'),
    invariance('batch items are independent', changeFirstItem, 'changing batch item 0 changed the other batch items', true),
    largeScores,
  ],
  probes(seed): Probe[] {
    const cases: Case[] = [
      { lead: [2], tq: 3, tk: 4, dk: 5, dv: 2, qScale: 1, vScale: 1, mask: 'full', seed, mixedMask: true },
      { lead: [], tq: 4, tk: 3, dk: 3, dv: 4, qScale: 1, vScale: 1, mask: 'square', seed: seed + 1, mixedMask: true },
      { lead: [2, 2], tq: 2, tk: 3, dk: 4, dv: 3, qScale: 1, vScale: 1, mask: 'none', seed: seed + 2 },
    ];
    const probe = (i: Inputs): Probe => ({ fn: FN, args: args(i), oracle: (knobs) => expected(i, knobs as AttentionKnobs), tol: TOL });
    // A causal mask: its last row keeps every key, which tells a +∞ fill (NaN only in rows with a masked key) from
    // (1 − mask)·(−∞) (NaN in every row).
    const causal = makeInputs({ lead: [2], tq: 4, tk: 4, dk: 3, dv: 2, qScale: 1, vScale: 1, mask: 'none', seed: seed + 3 });
    const tril = pair([4, 4], Array.from({ length: 16 }, (_, n) => (n % 4 <= Math.floor(n / 4) ? 1 : 0))); // [Tq, Tk], 1 where j <= i
    return [...cases.map((c) => probe(makeInputs(c))), probe({ ...causal, mask: tril })];
  },
};
