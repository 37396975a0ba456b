// Checks for kata 2, multi-head attention: no loops (source and kernel count), shape, equivalence, causality, batches.
import fc from 'fast-check';
import { causalMask } from '../causal-mask/oracle.ts';
import { type AttentionParams64, type MultiHeadKnobs, multiHeadAttention } from './oracle.ts';
import { multiHeadMistakes } from './mistakes.ts';
import type { Wire } from '../../sandbox/protocol.ts';
import { checkShape, type Tolerance } from '../../compare.ts';
import { exportsCheck } from '../../common-checks.ts';
import { fmtInputs } from '../../format.ts';
import { type Pair, pair, randMask, randn, rng } from '../../random-cases.ts';
import { loopStatements } from '../../static-rules.ts';
import { type CaseIO, type Check, type KataSuite, type Probe, type SequenceCase, batchIndependenceCheck, callFn, equivalenceCheck, fail, futureTokenCheck, nameMistake, pass } from '../../suite.ts';

const FN = 'multiHeadAttention';
/** Two float32 matmuls around attention: ~1e-6 relative; every layout mistake moves values by O(1). */
const TOL: Tolerance = { atol: 2e-4, rtol: 1e-3 };
const MATMUL_KERNELS = new Set(['BatchMatMul', '_FusedMatMul', 'MatMul', 'Einsum']);

interface Case {
  B: number;
  T: number;
  h: number;
  d: number;
  scale: number;
  mask: 'none' | 'causal' | 'per-batch' | 'per-head';
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  B: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 1, max: 5 }),
  h: fc.integer({ min: 1, max: 4 }),
  d: fc.integer({ min: 1, max: 4 }),
  scale: fc.constantFrom(1, 1e-3, 3),
  mask: fc.constantFrom('none' as const, 'causal' as const, 'per-batch' as const, 'per-head' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

interface Inputs {
  x: Pair;
  p: { wqkv: Pair; wo: Pair; bo: Pair };
  mask?: Pair;
  h: number;
}

function makeInputs(c: Case): Inputs {
  const r = rng(c.seed);
  const C = c.h * c.d;
  const x = randn(r, [c.B, c.T, C], c.scale);
  const p = { wqkv: randn(r, [C, 3 * C], 1 / Math.sqrt(C)), wo: randn(r, [C, C], 1 / Math.sqrt(C)), bo: randn(r, [C], 0.5) };
  let mask: Pair | undefined;
  if (c.mask === 'causal') mask = pair([c.T, c.T], causalMask(c.T).data);
  if (c.mask === 'per-batch') mask = randMask(r, [c.B, 1, c.T, c.T], true);
  if (c.mask === 'per-head') mask = randMask(r, [1, c.h, c.T, c.T], true);
  return { x, p, mask, h: c.h };
}

const params64 = (i: Inputs): AttentionParams64 => ({ wqkv: i.p.wqkv.nd, wo: i.p.wo.nd, bo: i.p.bo.nd });
const args = (i: Inputs): Wire[] => [i.x.wire, { wqkv: i.p.wqkv.wire, wo: i.p.wo.wire, bo: i.p.bo.wire }, i.h, ...(i.mask ? [i.mask.wire] : [])];
const describe = (i: Inputs) => fmtInputs({ x: i.x.nd, wqkv: i.p.wqkv.nd, wo: i.p.wo.nd, bo: i.p.bo.nd, nHead: i.h, mask: i.mask?.nd });
const io = (c: Case): CaseIO => {
  const i = makeInputs(c);
  return { args: args(i), expected: () => multiHeadAttention(i.x.nd, params64(i), i.h, i.mask?.nd)!, describe: () => describe(i) };
};

const noLoops: Check = {
  name: 'rule: no loop statements',
  async run(ctx) {
    const loops = loopStatements(ctx.source);
    if (loops.length === 0) return pass();
    return fail(loops.map((l) => `line ${l.line}: ${l.text}`).join('\n'), 'multi-head/loop');
  },
};

const shape: Check = {
  name: 'shape and dtype',
  async run(ctx) {
    const i = makeInputs({ B: 2, T: 3, h: 2, d: 4, scale: 1, mask: 'none', seed: ctx.seed });
    const r = await callFn(ctx, { op: 'call', fn: FN, args: args(i) });
    if (!r.ok) return fail(`${r.verdict.message}\n${describe(i)}`, await nameMistake(ctx, r.verdict));
    const v = checkShape(r.value, [2, 3, 8], 'float32', ['B', 'T', 'C']);
    return v.ok ? pass('x [2,3,8], 2 heads -> [2,3,8]') : fail(`x [2,3,8], 2 heads: ${v.message}`, 'shape');
  },
};

const matmulCount: Check = {
  name: 'rule: matmul kernels do not grow with nHead',
  needs: [shape.name],
  async run(ctx) {
    const counts: number[] = [];
    for (const h of [1, 2, 4]) {
      const i = makeInputs({ B: 2, T: 3, h, d: 8 / h, scale: 1, mask: 'causal', seed: ctx.seed });
      const r = await callFn(ctx, { op: 'call', fn: FN, args: args(i), kernels: true });
      if (!r.ok) return fail(r.verdict.message, await nameMistake(ctx, r.verdict));
      counts.push(Object.entries(r.res.kernels ?? {}).reduce((n, [k, times]) => n + (MATMUL_KERNELS.has(k) ? times : 0), 0));
    }
    const summary = `C = 8: ${counts[0]} matmul kernels with 1 head, ${counts[1]} with 2, ${counts[2]} with 4`;
    if (counts[2]! > counts[0]! || counts[1]! > counts[0]!) return fail(`${summary}; the heads are being computed separately`, 'multi-head/loop');
    return pass(summary);
  },
};

const future = (c: Case): Case => ({ ...c, mask: 'causal', T: Math.max(c.T, 2) });
const sequenceCase = (c: Case): SequenceCase => {
  const i = makeInputs(c);
  return { x: i.x, args: (x) => args({ ...i, x }), describe: () => describe(i), seed: c.seed };
};

export const multiHeadSuite: KataSuite = {
  mistakes: multiHeadMistakes,
  checks: [
    exportsCheck([FN]),
    noLoops,
    shape,
    matmulCount,
    equivalenceCheck({ fn: FN, needs: [shape.name], arb: caseArb, numRuns: 50, io, tol: TOL, axes: ['B', 'T', 'C'] }),
    futureTokenCheck({
      name: 'with a causal mask, changing a future token changes no earlier output',
      fn: FN,
      needs: [shape.name],
      arb: caseArb.map(future),
      numRuns: 12,
      tol: TOL,
      explain: 'changing x at the last position changed outputs at earlier positions',
      build: sequenceCase,
    }),
    batchIndependenceCheck({
      name: 'batch items are independent',
      fn: FN,
      needs: [shape.name],
      arb: caseArb.map((c) => ({ ...c, B: Math.max(c.B, 2), mask: c.mask === 'per-batch' ? ('none' as const) : c.mask })),
      numRuns: 12,
      tol: TOL,
      explain: 'changing batch item 0 changed the other batch items',
      build: sequenceCase,
    }),
  ],
  probes(seed): Probe[] {
    const cases: Case[] = [
      { B: 2, T: 3, h: 2, d: 2, scale: 1, mask: 'none', seed },
      { B: 1, T: 4, h: 2, d: 3, scale: 1, mask: 'causal', seed: seed + 1 },
      { B: 2, T: 3, h: 3, d: 2, scale: 1, mask: 'per-batch', seed: seed + 2 },
    ];
    return cases.map((c) => {
      const i = makeInputs(c);
      return { fn: FN, args: args(i), oracle: (k) => multiHeadAttention(i.x.nd, params64(i), i.h, i.mask?.nd, k as MultiHeadKnobs), tol: TOL };
    });
  },
};
