// Checks for kata 5, the GPT: forward equivalence and causality, gradients against finite differences, and
// generate: argmax path, cropping, leaks, and sampling statistics at temperatures other than 1.
import { type DirectionalDerivatives, type GPTKnobs, type GreedyKnobs, gptDirectionalDerivatives, gptForward, gptGradients, greedyPath } from './oracle.ts';
import fc from 'fast-check';
import { type NDArray, nd, softmax } from '../../ndarray.ts';
import { gptMistakes } from './mistakes.ts';
import { IDENTITY, type SampleOutcome, type Wire, type WireTensor, isWireTensor } from '../../sandbox/protocol.ts';
import type { Sandbox } from '../../sandbox/sandbox.ts';
import { dropoutWarning } from '../block/checks.ts';
import { checkShape, compareOutput, type Tolerance } from '../../compare.ts';
import { exportsCheck } from '../../common-checks.ts';
import { fmtInputs, fmtNum } from '../../format.ts';
import { type GPTCase, type GPTInputs, cfgWire, gptCaseArb, makeGPTInputs, params64, paramsWire } from './params.ts';
import { pair, randn, rng } from '../../random-cases.ts';
import { memoized } from '../../memo.ts';
import { P_FAIL, SAMPLING_TEMPERATURES, type SamplingCase, samplingCase } from './sampling-case.ts';
import { nameSamplingMistake, samplingPValue as pValue } from './sampling-naming.ts';
import { defaultTemperatureCase } from './default-temperature-case.ts';
import { functionAt, seededMultinomials } from '../../static-rules.ts';
import { sizedCheck } from '../../sized-check.ts';
import { type CaseIO, type Check, type CheckContext, type KataSuite, type Probe, callFn, equivalenceCheck, fail, invarianceCheck, nameMistake, pass } from '../../suite.ts';

/** Embeddings, blocks, LayerNorm and head in float32: ~1e-6 relative; every catalogued mistake moves logits by O(0.1). */
const TOL: Tolerance = { atol: 5e-5, rtol: 5e-4 };
/** float32 autodiff against float64 central differences. */
const GRAD_TOL: Tolerance = { atol: 2e-4, rtol: 2e-3 };

const args = (i: GPTInputs, idx: Wire = i.idxPair.wire): Wire[] => [idx, paramsWire(i), cfgWire(i.cfg), ...(i.dropout ? [IDENTITY] : [])];
const describe = (i: GPTInputs) =>
  `${fmtInputs({ idx: i.idxPair.nd })}\n  config ${JSON.stringify(i.cfg)}\n  (parameters: ${i.cfg.nLayer} block(s), seeded; wte, wpe ~ N(0,1))`;
/** The reference's logits per case, memoized: the kata app computes the equivalence check's ahead (see prepare). */
const referenceLogits = new Map<string, NDArray>();
const io = (c: GPTCase): CaseIO => {
  const i = makeGPTInputs(c);
  const expected = () => memoized(referenceLogits, JSON.stringify(c), () => gptForward(i.idx, params64(i), i.cfg)!);
  return { args: args(i), expected, describe: () => describe(i) };
};
/** The equivalence check's case count. */
const EQUIVALENCE_RUNS = 25;

/** The first case from `start` on whose inputs `ok` holds (a deterministic search over seeds). */
function findCase(base: Omit<GPTCase, 'seed'>, start: number, ok: (i: GPTInputs) => boolean): GPTInputs {
  for (let s = start; s < start + 500; s++) {
    const i = makeGPTInputs({ ...base, seed: s });
    if (ok(i)) return i;
  }
  throw new Error('no suitable GPT case found (a grader bug)');
}

const gptShape: Check = {
  name: 'gpt: shape and dtype',
  async run(ctx) {
    const i = makeGPTInputs({ V: 5, h: 2, d: 2, L: 1, blockSize: 4, B: 2, tFrac: 0.75, activation: 'relu', dropout: true, seed: ctx.seed });
    const r = await callFn(ctx, { op: 'call', fn: 'gpt', args: args(i) });
    if (!r.ok) return fail(`${r.verdict.message}\n${describe(i)}`, await nameMistake(ctx, r.verdict));
    const v = checkShape(r.value, [2, 3, 5], 'float32', ['B', 'T', 'V']);
    if (!v.ok) return fail(`idx [2,3], V = 5: ${v.message}`, (await ctx.diagnose())[0] ?? 'shape');
    return { ...pass('idx [2,3] -> logits [2,3,5]'), warnings: dropoutWarning(r.res.identityCalls) };
  },
};

/** Random directions per parameter: a wrong gradient escapes all of them only where it is within tolerance along each. */
const GRAD_DIRECTIONS = 3;

/**
 * Whether the child's gradient `got` agrees with the derivatives along each direction: |got·u − d| within
 * Σᵢ (atol·max|got| + rtol·|gotᵢ|)·|uᵢ|, the bound an element-wise comparison within GRAD_TOL implies.
 */
function agreesAlong(got: Float32Array, dd: DirectionalDerivatives): boolean {
  const scale = got.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
  return dd.directions.every((u, k) => {
    let dot = 0;
    let bound = 0;
    for (let i = 0; i < got.length; i++) {
      dot += got[i]! * u.data[i]!;
      bound += (GRAD_TOL.atol * scale + GRAD_TOL.rtol * Math.abs(got[i]!)) * Math.abs(u.data[i]!);
    }
    return Number.isFinite(dot) && Math.abs(dot - dd.derivatives[k]!) <= bound + 1e-9;
  });
}

/** The gradient check's model and weights R for a seed. */
const gradientCase = (seed: number) => ({
  i: makeGPTInputs({ V: 5, h: 2, d: 2, L: 1, blockSize: 4, B: 2, tFrac: 0.75, activation: 'gelu', seed: seed + 11 }),
  weights: randn(rng(seed + 12), [2, 3, 5]),
});
const derivatives = new Map<number, DirectionalDerivatives[]>();
/** The reference's derivatives along GRAD_DIRECTIONS random directions per parameter (memoized per seed). */
function referenceDerivatives(seed: number): DirectionalDerivatives[] {
  return memoized(derivatives, seed, () => {
    const { i, weights } = gradientCase(seed);
    const r = rng(seed + 13);
    return gptDirectionalDerivatives(i.idx, params64(i), i.cfg, weights.nd, (_, shape) => Array.from({ length: GRAD_DIRECTIONS }, () => randn(r, shape).nd));
  });
}

const gradients: Check = {
  name: 'gpt: gradients of every parameter match finite differences',
  needs: ['matches the float64 reference (fast-check)'], // a wrong forward pass has wrong gradients anyway
  async run(ctx) {
    const { i, weights } = gradientCase(ctx.seed);
    // the child differentiates while this process computes the finite differences
    const pending = ctx.sandbox.request({ op: 'grads', fn: 'gpt', args: args(i), paramArg: 1, weights: weights.wire }, ctx.callTimeoutMs);
    const want = referenceDerivatives(ctx.seed);
    // and, while it still works, searches the generate checks' cases (memoized; each is the same for the same seed)
    prepareGenerateCases(ctx.seed);
    const res = await pending;
    if (!res.ok) return fail(`computing gradients of Σ logits·R threw ${res.error.name}: ${res.error.message}${res.error.where ? ` (at ${res.error.where})` : ''}`, 'gpt/gradients');
    const got = res.grads ?? [];
    if (got.length !== want.length) return fail(`got ${got.length} gradients for ${want.length} parameter tensors`, 'gpt/gradients');
    for (const [k, dd] of want.entries()) {
      const g = got[k]!;
      const shape = checkShape(g, dd.shape, 'float32');
      if (!shape.ok) return fail(`d(Σ logits·R)/d ${dd.name}: ${shape.message}`, 'gpt/gradients');
      if (agreesAlong(g.data as Float32Array, dd)) continue;
      // every element by finite differences, for a message that says where
      const full = gptGradients(i.idx, params64(i), i.cfg, weights.nd, 1e-5, new Set([dd.name])).get(dd.name)!;
      const v = compareOutput(g, full, GRAD_TOL);
      if (!v.ok) return fail(`d(Σ logits·R)/d ${dd.name}: ${v.message}`, 'gpt/gradients');
    }
    return pass(`${want.length} parameter tensors, each along ${GRAD_DIRECTIONS} random directions`);
  },
};

/** A generate call; temperature undefined leaves the argument out, so the solution's default applies. */
type GenArgs = { i: GPTInputs; idx: number[][]; maxNew: number; temperature: number | undefined };
const genWire = (g: GenArgs): Wire[] => [
  pair([g.idx.length, g.idx[0]!.length], g.idx.flat(), 'int32').wire,
  paramsWire(g.i),
  cfgWire(g.i.cfg),
  g.maxNew,
  ...(g.temperature === undefined ? [] : [g.temperature]),
];
const genDescribe = (g: GenArgs) =>
  `  idx = ${JSON.stringify(g.idx)}, maxNewTokens = ${g.maxNew}, temperature = ${g.temperature ?? '(left out)'}, blockSize = ${g.i.cfg.blockSize}`;

/** Calls generate and returns its rows, or a failed outcome (wrong shape/dtype, prefix changed, or a throw). */
async function generateRows(ctx: CheckContext, g: GenArgs): Promise<{ rows: number[][] } | { failed: ReturnType<typeof fail> }> {
  const r = await callFn(ctx, { op: 'call', fn: 'generate', args: genWire(g) });
  if (!r.ok) return { failed: fail(`${r.verdict.message}\n${genDescribe(g)}`, await nameMistake(ctx, r.verdict)) };
  const T = g.idx[0]!.length;
  const v = checkShape(r.value, [g.idx.length, T + g.maxNew], 'int32', ['B', 'T+maxNewTokens']);
  if (!v.ok) return { failed: fail(`${v.message}\n${genDescribe(g)}`, 'shape') };
  const data = Array.from((r.value as WireTensor).data);
  const rows = g.idx.map((_, b) => data.slice(b * (T + g.maxNew), (b + 1) * (T + g.maxNew)));
  if (rows.some((row, b) => row.slice(0, T).some((t, j) => t !== g.idx[b]![j]))) {
    return { failed: fail(`the first ${T} tokens of each row must be idx unchanged; got ${JSON.stringify(rows)}\n${genDescribe(g)}`, null) };
  }
  return { rows };
}

const SAFE_MARGIN = 0.05; // top-2 logit gap that float32 rounding cannot flip
/** nEmbd 4 < blockSize 5. */
const greedyBase = { V: 5, h: 2, d: 2, L: 1, blockSize: 5, B: 2, tFrac: 0.25, activation: 'relu' as const };

const generateShape: Check = {
  name: 'generate: shape, dtype, and the prompt kept',
  async run(ctx) {
    const i = makeGPTInputs({ ...greedyBase, seed: ctx.seed + 20 });
    const out = await generateRows(ctx, { i, idx: [[1, 2], [3, 0]], maxNew: 2, temperature: 1 });
    return 'failed' in out ? out.failed : pass('idx [2,2], 2 new tokens -> int32 [2,4]');
  },
};

const FORWARD = 'matches the float64 reference (fast-check)';
const same = (a: number[][] | undefined, b: number[][] | undefined) => a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** Mistaken greedy paths the checks tell apart, each with the knobs that reproduce it. */
const GREEDY_MISTAKES: [string, GreedyKnobs][] = [
  ['gpt/generate-wrong-position', { position: 'first' }],
  ['gpt/generate-prompt-only', { context: 'prompt' }],
  ['gpt/generate-crop-wrong-end', { crop: 'first' }],
  ['gpt/generate-crop-size', { cropSize: 'n-embd' }],
];

/** Two rows, different prompts of two tokens each, so every step's context is more than one token. */
const GREEDY_PROMPTS = [
  [1, 4],
  [3, 0],
];

/** The generate checks' case searches, run ahead while the grading process is busy elsewhere (see gradients). */
const preparations: ((seed: number) => void)[] = [];
/** Runs every generate check's case search for this seed (each memoized, so a second call costs nothing). */
function prepareGenerateCases(seed: number): void {
  for (const prepare of preparations) prepare(seed);
}

/**
 * Everything a grading with this seed computes that depends on nothing the learner wrote: the generate checks'
 * cases, the reference's derivatives, and its logits on the equivalence check's cases (the cases fast-check draws
 * from the seed; one it draws differently is computed when its turn comes, as without this).
 */
/** Past a mask precomputed at the lecture's block_size of 8, 32 or 64 (its logits are memoized like every case's). */
const LARGE_CASE: GPTCase = { V: 5, h: 2, d: 2, L: 1, blockSize: 65, B: 1, tFrac: 1, activation: 'gelu', seed: 7 };

function prepareGPT(seed: number): void {
  prepareGenerateCases(seed);
  io(LARGE_CASE).expected();
  referenceDerivatives(seed);
  for (const c of fc.sample(gptCaseArb, { seed, numRuns: EQUIVALENCE_RUNS })) io(c).expected();
}
const greedyCases = new Map<string, GPTInputs>();
/** findCase, memoized per check, config and seed (the search replays many argmax paths in float64). */
function greedyCase(check: string, base: Omit<GPTCase, 'seed'>, start: number, ok: (i: GPTInputs) => boolean): GPTInputs {
  return memoized(greedyCases, `${check} ${JSON.stringify(base)} ${start}`, () => findCase(base, start, ok));
}

interface GreedyConfig {
  /** h and d: nEmbd = h·d, set against blockSize. */
  h: number;
  d: number;
  blockSize: number;
}

/**
 * generate at temperature 0 against the oracle's argmax path, on each config in turn (nEmbd below and above
 * blockSize). Each case is chosen so that float32 cannot flip a choice and so that the path differs from what each
 * listed mistake would produce; a path that matches one of them names it.
 */
function greedyCheck(name: string, configs: GreedyConfig[], maxNew: (blockSize: number) => number, mistake: string | null, distinctFrom: string[]): Check {
  const listed = GREEDY_MISTAKES.filter(([id]) => distinctFrom.includes(id));
  const prompt = GREEDY_PROMPTS;
  const caseFor = (seed: number, k: number) =>
    greedyCase(name, { ...greedyBase, ...configs[k]! }, seed + 30 + 1000 * k, (c) => {
      const n = maxNew(c.cfg.blockSize);
      const right = greedyPath(prompt, params64(c), c.cfg, n)!;
      if (right.margin <= SAFE_MARGIN) return false;
      const paths = [right.tokens, ...listed.map(([, kn]) => greedyPath(prompt, params64(c), c.cfg, n, kn)?.tokens)];
      // every mistake's path differs from the right one and from each other's, so each can be named
      return paths.every((a, x) => paths.every((b, y) => x === y || !same(a, b)));
    });
  preparations.push((seed) => configs.forEach((_, k) => caseFor(seed, k)));
  return {
    name,
    needs: [generateShape.name, FORWARD],
    async run(ctx) {
      const lines: string[] = [];
      for (const k of configs.keys()) {
        const i = caseFor(ctx.seed, k);
        const g: GenArgs = { i, idx: prompt, maxNew: maxNew(i.cfg.blockSize), temperature: 0 };
        const out = await generateRows(ctx, g);
        if ('failed' in out) return mistake && out.failed.mistake !== 'shape' ? { ...out.failed, mistake: crashedIn(ctx, out.failed.message) ?? mistake } : out.failed;
        const want = greedyPath(g.idx, params64(i), i.cfg, g.maxNew)!.tokens;
        if (same(out.rows, want)) {
          lines.push(`nEmbd ${i.cfg.nEmbd}, blockSize ${i.cfg.blockSize}: ${g.maxNew} tokens per row`);
          continue;
        }
        const matched = listed.find(([, kn]) => same(out.rows, greedyPath(g.idx, params64(i), i.cfg, g.maxNew, kn)?.tokens))?.[0];
        // A tiny positive temperature samples the argmax too: if that works, only temperature 0 itself is mishandled.
        const nearZero = matched ? null : await generateRows(ctx, { ...g, temperature: 1e-4 });
        const named = matched ?? (nearZero && 'rows' in nearZero && same(nearZero.rows, want) ? 'gpt/generate-zero-temperature' : mistake);
        return fail(`got ${JSON.stringify(out.rows)}, expected ${JSON.stringify(want)}\n${genDescribe(g)}, nEmbd = ${i.cfg.nEmbd}`, named);
      }
      return pass(`argmax each step; ${lines.join('; ')}`);
    },
  };
}

/**
 * Past blockSize, a generate that works within it can die in two places: in gpt, fed the uncropped sequence
 * (no crop: gpt's embedding of positions fails, a 2-D slice or gather of wpe), or in generate itself, indexing the
 * cropped [B, blockSize, V] logits at the uncropped length. That shows in the error's line when the stack reaches
 * the learner's file, or else in tfjs's message: a 3-D slice past axis 1, or a tensor with a negative axis (the
 * shape slice() gives when only its start is passed and the start lies beyond the end).
 */
const UNCROPPED_INDEX = /slice3D: begin\[1\] \+ size\[1\]|shape \(\d+,-\d+,\d+\)/;
function crashedIn(ctx: CheckContext, message: string): string | null {
  const at = /\(at [^()]*:(\d+):\d+\)/.exec(message);
  const inGenerate = at ? functionAt(ctx.source, Number(at[1])) === 'generate' : UNCROPPED_INDEX.test(message);
  return inGenerate ? 'gpt/generate-position-uncropped' : null;
}

const greedyWithin = greedyCheck(
  'generate: temperature 0 follows the argmax path',
  [{ h: 3, d: 2, blockSize: 5 }], // nEmbd 6 > blockSize 5; 2-token prompts, 3 new tokens: the context never needs a crop
  (bs) => bs - 2,
  null,
  ['gpt/generate-wrong-position', 'gpt/generate-prompt-only'],
);
const greedyBeyond = {
  ...greedyCheck(
    'generate: crops the context to the last blockSize tokens',
    [
      { h: 1, d: 3, blockSize: 4 }, // nEmbd 3 < blockSize 4
      { h: 2, d: 2, blockSize: 3 }, // nEmbd 4 > blockSize 3
    ],
    (bs) => bs + 3,
    'gpt/generate-no-crop',
    GREEDY_MISTAKES.map(([id]) => id),
  ),
  needs: [greedyWithin.name],
};

const leaks: Check = {
  name: 'generate: leaks no tensors',
  needs: [generateShape.name, FORWARD],
  async run(ctx) {
    const i = makeGPTInputs({ ...greedyBase, seed: ctx.seed + 40 });
    // every path through generate: sampling at T = 1 (6 tokens, past blockSize), then the argmax at T = 0 and the
    // default temperature (2 tokens each: a leak shows on the first)
    for (const temperature of [1, 0, undefined]) {
      const g: GenArgs = { i, idx: [[1, 2], [0, 4]], maxNew: temperature === 1 ? 6 : 2, temperature };
      const r = await callFn(ctx, { op: 'call', fn: 'generate', args: genWire(g), leaks: true });
      if (!r.ok) return fail(r.verdict.message, await nameMistake(ctx, r.verdict));
      const leaked = r.res.leaked ?? 0;
      if (leaked > 0) {
        const called = temperature === undefined ? 'without a temperature' : `at temperature ${temperature}`;
        return fail(`${leaked} tensor(s) left behind after ${g.maxNew} new tokens ${called} (about ${fmtNum(leaked / g.maxNew)} per token), once the result was disposed`, 'gpt/generate-leak');
      }
    }
    return pass('6 tokens at temperature 1, 2 at 0 and 2 without one: 0 tensors left behind');
  },
};

/** Every sampling run of one grading, in one request: the sampling check's temperatures, then the default's. */
interface SampledRuns {
  sampling: SamplingCase;
  byTemperature: SampleOutcome[];
  defaults: SampleOutcome;
  dflt: ReturnType<typeof defaultTemperatureCase>;
  /** FRESH_CALLS calls of FRESH_TOKENS new tokens each, for the fresh-draws check. */
  fresh: SampleOutcome;
}

/** The fresh-draws check's run: calls, new tokens per call, and a flattening temperature (every token likely). */
const FRESH_CALLS = 24;
const FRESH_TOKENS = 2;
const FRESH_T = 4;
const freshArgs = (c: SamplingCase): GenArgs => ({ i: c.i, idx: [c.prompts[0]!], maxNew: FRESH_TOKENS, temperature: FRESH_T });
const sampled = new WeakMap<CheckContext, Promise<SampledRuns | { failed: SampleOutcome & { ok: false } }>>();
const samplingArgs = (c: SamplingCase, temperature: number | undefined): GenArgs => ({ i: c.i, idx: c.prompts, maxNew: 1, temperature });

/** The sampling check's case, whose naming also reads the default-temperature run. */
const samplingCaseFor = (seed: number) => samplingCase(seed + 50, defaultTemperatureCase(seed + 60));

preparations.push((seed) => {
  samplingCaseFor(seed);
});

function sampleAll(ctx: CheckContext): Promise<SampledRuns | { failed: SampleOutcome & { ok: false } }> {
  return memoized(sampled, ctx, async () => {
    const c = samplingCaseFor(ctx.seed);
    const dflt = defaultTemperatureCase(ctx.seed + 60);
    const byTemperature = SAMPLING_TEMPERATURES.map((t, k) => ({ args: genWire(samplingArgs(c, t)), times: c.calls[k]! }));
    const others = [
      { args: genWire({ i: dflt.i, idx: [dflt.prompt], maxNew: 1, temperature: undefined }), times: dflt.n },
      { args: genWire(freshArgs(c)), times: FRESH_CALLS },
    ];
    // The temperature runs go to the second child where there is one, beside the other checks; the default and
    // fresh-draws runs to the first, ahead of its checks, so that the two children finish at about the same time.
    const beside = await ctx.beside;
    const sample = (box: Sandbox, runs: typeof others) => box.request({ op: 'sample', fn: 'generate', runs }, ctx.callTimeoutMs * 3);
    const requests = beside ? [sample(beside, byTemperature), sample(ctx.sandbox, others)] : [sample(ctx.sandbox, [...byTemperature, ...others])];
    const outcomes: SampleOutcome[] = [];
    for (const res of await Promise.all(requests)) {
      if (!res.ok) return { failed: { ok: false as const, error: res.error } };
      outcomes.push(...(res.runs ?? []));
    }
    const k = SAMPLING_TEMPERATURES.length;
    return { sampling: c, byTemperature: outcomes.slice(0, k), defaults: outcomes[k]!, dflt, fresh: outcomes[k + 1]! };
  });
}

/** Each call's new token in each row, as counts per (row, token); a failed outcome when a result is malformed. */
function countTokens(values: Wire[], rows: number, promptLen: number, V: number): number[][] | string {
  const counts = Array.from({ length: rows }, () => new Array<number>(V).fill(0));
  for (const v of values) {
    if (!isWireTensor(v) || v.dtype !== 'int32' || v.shape.length !== 2 || v.shape[0] !== rows || v.shape[1] !== promptLen + 1) {
      return `generate returned ${isWireTensor(v) ? `${v.dtype} [${v.shape}]` : typeof v}, expected int32 [${rows}, ${promptLen + 1}]`;
    }
    for (let b = 0; b < rows; b++) {
      const tok = v.data[b * (promptLen + 1) + promptLen]!;
      if (!(tok >= 0 && tok < V)) return `sampled token ${tok} is outside the vocabulary 0..${V - 1}`;
      counts[b]![tok]!++;
    }
  }
  return counts;
}

const sampling: Check = {
  name: `generate: each row's samples follow its own softmax(logits / T) at T = ${SAMPLING_TEMPERATURES.join(' and ')}`,
  needs: [generateShape.name, FORWARD],
  async run(ctx) {
    const all = await sampleAll(ctx);
    if ('failed' in all) return fail(`generate threw ${all.failed.error.name}: ${all.failed.error.message}`, await nameMistake(ctx, { ok: false, mistake: 'crash', message: all.failed.error.message }));
    const c = all.sampling;
    const V = c.i.cfg.vocabSize;
    const rows = c.prompts.length;
    const counts: number[][][] = []; // [temperature][row][token]
    for (const [k, out] of all.byTemperature.entries()) {
      const g = samplingArgs(c, SAMPLING_TEMPERATURES[k]);
      if (!out.ok) return fail(`generate threw ${out.error.name}: ${out.error.message}\n${genDescribe(g)}`, await nameMistake(ctx, { ok: false, mistake: 'crash', message: out.error.message }));
      const got = countTokens(out.values, rows, c.prompts[0]!.length, V);
      if (typeof got === 'string') return fail(`${got}\n${genDescribe(g)}`, got.startsWith('sampled') ? null : 'shape');
      counts.push(got);
    }
    const level = P_FAIL / (rows * SAMPLING_TEMPERATURES.length); // Bonferroni: valid however the rows' draws depend on each other
    // Naming also reads the default run (T = 1) where it is well formed: there "softmax twice" is wrong and "T ignored" right.
    const dfltCounts = all.defaults.ok ? countTokens(all.defaults.values, 1, all.dflt.prompt.length, all.dflt.i.cfg.vocabSize) : 'failed';
    const runs = typeof dfltCounts === 'string' ? counts : [...counts, dfltCounts];
    const right = c.hypotheses[0]!.dist;
    const pRight = counts.map((byRow, t) => byRow.map((cnt, b) => pValue(cnt, right[t]![b]!)));
    const lines = SAMPLING_TEMPERATURES.map((t, k) =>
      c.prompts.map((prompt, b) => {
        const expected = right[k]![b]!.map((q) => fmtNum(q * c.calls[k]!)).join(', ');
        return `T = ${t}, row ${b} (prompt ${JSON.stringify(prompt)}): counts [${counts[k]![b]!.join(', ')}] over ${c.calls[k]} calls, expected ≈ [${expected}] (p = ${fmtNum(pRight[k]![b]!)})`;
      }).join('\n'),
    );
    if (pRight.flat().every((p) => p >= level)) return pass(`${c.calls.join(' and ')} calls, ${rows} rows each tested on its own`);
    const { id: best, note: powerNote } = nameSamplingMistake(c, runs, level);
    // Every call drawing the same token at each temperature is a fixed seed when a seed is passed to
    // tf.multinomial, or when no catalogued distribution explains it (the argmax at both would be greedy sampling).
    const constant = counts.every((byRow) => byRow.every((cnt) => cnt.filter((n) => n > 0).length === 1));
    const seeded = seededMultinomials(ctx.source).length > 0;
    const fixedSeed = constant && (seeded || best === null);
    const seedHint = fixedSeed ? ' Every call returned the same token: is a fixed seed passed to the sampler?' : '';
    const named = fixedSeed ? 'gpt/generate-fixed-seed' : best;
    const worst = pRight.flat().indexOf(Math.min(...pRight.flat()));
    const g = samplingArgs(c, SAMPLING_TEMPERATURES[Math.floor(worst / rows)]);
    return fail(`${lines.join('\n')}\nthe samples do not follow the model's distribution (each row is tested at p < ${fmtNum(level)}).${seedHint}${powerNote}\n${genDescribe(g)}`, named);
  },
};

/**
 * The contract's default: generate called without a temperature samples at T = 1. One G-test over n separate
 * calls, failing below p = P_FAIL, so a right default fails less than once in 1e6 gradings; the model is chosen
 * so that a default of 0, 0.1, 10 or −1 passes less than about once in 1e9 (see defaultTemperatureCase).
 */
const defaultTemperature: Check = {
  name: 'generate: with the temperature left out, samples at T = 1',
  needs: [sampling.name],
  async run(ctx) {
    const all = await sampleAll(ctx);
    if ('failed' in all) return fail(`generate threw ${all.failed.error.name}: ${all.failed.error.message}`, 'gpt/generate-default-temperature');
    const { i, prompt, right, n } = all.dflt;
    const g: GenArgs = { i, idx: [prompt], maxNew: 1, temperature: undefined };
    const out = all.defaults;
    if (!out.ok) return fail(`generate threw ${out.error.name}: ${out.error.message}\n${genDescribe(g)}`, 'gpt/generate-default-temperature');
    const got = countTokens(out.values, 1, prompt.length, i.cfg.vocabSize);
    if (typeof got === 'string') return fail(`without a temperature, ${got}`, 'gpt/generate-default-temperature');
    const counts = got[0]!;
    const p = pValue(counts, right);
    const line = `counts [${counts.join(', ')}] over ${n} separate calls, expected ≈ [${right.map((q) => fmtNum(q * n)).join(', ')}] (G-test p = ${fmtNum(p)})`;
    if (p >= P_FAIL) return pass(line);
    return fail(`${line}\nwithout a temperature, generate must sample from softmax(logits), T = 1\n${genDescribe(g)}`, 'gpt/generate-default-temperature');
  },
};

/** Below this chance of every prefix group agreeing, a correct sampler is ruled out (it fails less than once in 1e9). */
const FRESH_LEVEL = 1e-9;

/**
 * Each new token must be drawn afresh. A sampler seeded per step (tf.multinomial(logits, 1, step), "for
 * reproducibility") draws the same uniform at every later step of every call, so the token there is a function of the
 * tokens before it: calls that agree up to a step agree at it too. Calls are grouped by what they generated before
 * each later step; every group agreeing is what a correct sampler does with probability Π Σ_v p_v^n (n calls in a
 * group, p the model's distribution after that prefix), and fails the check only when that is below FRESH_LEVEL.
 */
const freshDraws: Check = {
  name: 'generate: every new token is drawn afresh (no sampler seeded per step)',
  needs: [sampling.name],
  async run(ctx) {
    const all = await sampleAll(ctx);
    if ('failed' in all) return fail(`generate threw ${all.failed.error.name}: ${all.failed.error.message}`, null);
    const g = freshArgs(all.sampling);
    const out = all.fresh;
    if (!out.ok) return fail(`generate threw ${out.error.name}: ${out.error.message}\n${genDescribe(g)}`, await nameMistake(ctx, { ok: false, mistake: 'crash', message: out.error.message }));
    const prompt = g.idx[0]!;
    const { cfg } = g.i;
    const rows: number[][] = [];
    for (const v of out.values) {
      if (!isWireTensor(v) || v.shape.length !== 2 || v.shape[1] !== prompt.length + FRESH_TOKENS) return fail(`generate returned ${isWireTensor(v) ? `[${v.shape}]` : typeof v}, expected [1, ${prompt.length + FRESH_TOKENS}]\n${genDescribe(g)}`, 'shape');
      rows.push(Array.from(v.data.subarray(prompt.length, prompt.length + FRESH_TOKENS), Number));
    }
    let chance = 1;
    for (let step = 1; step < FRESH_TOKENS; step++) {
      const groups = new Map<string, number[]>();
      for (const r of rows) {
        const key = r.slice(0, step).join(',');
        groups.set(key, [...(groups.get(key) ?? []), r[step]!]);
      }
      for (const [key, next] of groups) {
        if (new Set(next).size > 1) return pass(`${FRESH_CALLS} calls of ${FRESH_TOKENS} tokens at T = ${FRESH_T}: later tokens vary after the same prefix`);
        const seq = [...prompt, ...key.split(',').map(Number)].slice(-cfg.blockSize);
        const logits = gptForward([seq], params64(g.i), cfg)!.data.subarray((seq.length - 1) * cfg.vocabSize, seq.length * cfg.vocabSize);
        const p = softmax(nd([cfg.vocabSize], Array.from(logits, (l) => l / FRESH_T))).data;
        chance *= p.reduce((a, x) => a + x ** next.length, 0);
      }
    }
    if (chance >= FRESH_LEVEL) return pass(`every later token agreed with the calls that shared its prefix, as a correct sampler does ${fmtNum(chance)} of the time`);
    return fail(
      `over ${FRESH_CALLS} calls of ${FRESH_TOKENS} new tokens at T = ${FRESH_T}, every call that agreed with another up to a step agreed at that step too (a correct sampler does that with probability ${fmtNum(chance)}): each step's draw is not fresh. Is the sampler seeded with the step, or with anything that repeats from call to call?\n${genDescribe(g)}`,
      'gpt/generate-fixed-seed',
    );
  },
};

export const gptSuite: KataSuite = {
  mistakes: gptMistakes,
  prepare: prepareGPT,
  begin(ctx) {
    // the sampling runs start at once, beside the other checks; a rejection is read by the check that awaits them
    sampleAll(ctx).catch(() => {});
  },
  checks: [
    exportsCheck(['gpt', 'generate']),
    gptShape,
    sizedCheck(
      equivalenceCheck({ fn: 'gpt', needs: [gptShape.name], arb: gptCaseArb, numRuns: EQUIVALENCE_RUNS, io, tol: TOL, axes: ['B', 'T', 'V'] }),
      {
        fn: 'gpt',
        small: (seed) => fc.sample(gptCaseArb.map((c) => ({ ...c, blockSize: Math.min(c.blockSize, 4) })), { seed, numRuns: 12 }).map(io),
        large: io(LARGE_CASE),
        tol: TOL,
      },
      'gpt/fixed-size-mask',
    ),
    invarianceCheck({
      name: 'gpt: changing a future token changes no earlier logits',
      fn: 'gpt',
      needs: [gptShape.name],
      arb: gptCaseArb.map((c) => ({ ...c, blockSize: Math.max(2, c.blockSize), tFrac: 1 })),
      numRuns: 8,
      tol: TOL,
      explain: 'changing the last token changed the logits at earlier positions: the model sees the future',
      pair: (c) => {
        const i = makeGPTInputs(c);
        const T = i.idx[0]!.length;
        const idx2 = i.idx.map((row) => row.map((t, j) => (j === T - 1 ? (t + 1) % c.V : t)));
        const b = pair([c.B, T], idx2.flat(), 'int32');
        return { a: args(i), b: args(i, b.wire), compare: (s) => [...Array(s.reduce((x, y) => x * y, 1)).keys()].filter((n) => Math.floor(n / c.V) % T < T - 1), describe: () => describe(i) };
      },
    }),
    gradients,
    generateShape,
    greedyWithin,
    greedyBeyond,
    leaks,
    sampling,
    defaultTemperature,
    freshDraws,
  ],
  probes(seed): Probe[] {
    const cases: GPTCase[] = [
      { V: 5, h: 2, d: 2, L: 1, blockSize: 4, B: 2, tFrac: 0.75, activation: 'relu', seed },
      { V: 3, h: 1, d: 3, L: 2, blockSize: 5, B: 1, tFrac: 1, activation: 'gelu', seed: seed + 1 },
      { V: 4, h: 2, d: 1, L: 1, blockSize: 3, B: 2, tFrac: 0.34, activation: 'relu', seed: seed + 2 },
      // tiny embeddings: the first LayerNorm's variance is comparable to its ε
      { V: 4, h: 2, d: 2, L: 1, blockSize: 3, B: 2, tFrac: 1, activation: 'gelu', embScale: 1e-3, seed: seed + 3 },
    ];
    return cases.map((c) => {
      const i = makeGPTInputs(c);
      return { fn: 'gpt', args: args(i), oracle: (k) => gptForward(i.idx, params64(i), i.cfg, k as GPTKnobs), tol: TOL };
    });
  },
};
