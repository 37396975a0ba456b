// Checks for kata 5, the GPT: forward equivalence and causality, gradients against finite differences, and
// generate: argmax path, cropping, leaks, and sampling statistics at temperatures other than 1.
import { type GPTKnobs, type GreedyKnobs, gptForward, gptGradients, greedyPath, nextTokenDistribution } from './oracle.ts';
import { nd, softmax } from '../../ndarray.ts';
import { gptMistakes } from './mistakes.ts';
import { IDENTITY, type Wire, type WireTensor, isWireTensor } from '../../sandbox/protocol.ts';
import { dropoutWarning } from '../block/checks.ts';
import { checkShape, compareOutput, type Tolerance } from '../../compare.ts';
import { exportsCheck } from '../../common-checks.ts';
import { fmtInputs, fmtNum } from '../../format.ts';
import { type GPTCase, type GPTInputs, cfgWire, gptCaseArb, makeGPTInputs, params64, paramsWire } from './params.ts';
import { pair, randn, rng } from '../../random-cases.ts';
import { chiSquareCritical, gTest, gTestMargin, kl, logLikelihood } from '../../stats.ts';
import { functionAt, seededMultinomials } from '../../static-rules.ts';
import { type CaseIO, type Check, type CheckContext, type KataSuite, type Probe, callFn, equivalenceCheck, fail, invarianceCheck, nameMistake, pass } from '../../suite.ts';

/** Embeddings, blocks, LayerNorm and head in float32: ~1e-6 relative; every catalogued mistake moves logits by O(0.1). */
const TOL: Tolerance = { atol: 5e-5, rtol: 5e-4 };
/** float32 autodiff against float64 central differences. */
const GRAD_TOL: Tolerance = { atol: 2e-4, rtol: 2e-3 };

const args = (i: GPTInputs, idx: Wire = i.idxPair.wire): Wire[] => [idx, paramsWire(i), cfgWire(i.cfg), ...(i.dropout ? [IDENTITY] : [])];
const describe = (i: GPTInputs) =>
  `${fmtInputs({ idx: i.idxPair.nd })}\n  config ${JSON.stringify(i.cfg)}\n  (parameters: ${i.cfg.nLayer} block(s), seeded; wte, wpe ~ N(0,1))`;
const io = (c: GPTCase): CaseIO => {
  const i = makeGPTInputs(c);
  return { args: args(i), expected: () => gptForward(i.idx, params64(i), i.cfg)!, describe: () => describe(i) };
};

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

const gradients: Check = {
  name: 'gpt: gradients of every parameter match finite differences',
  needs: ['matches the float64 reference (fast-check)'], // a wrong forward pass has wrong gradients anyway
  async run(ctx) {
    const i = makeGPTInputs({ V: 5, h: 2, d: 2, L: 1, blockSize: 4, B: 2, tFrac: 0.75, activation: 'gelu', seed: ctx.seed + 11 });
    const weights = randn(rng(ctx.seed + 12), [2, 3, 5]);
    const res = await ctx.sandbox.request({ op: 'grads', fn: 'gpt', args: args(i), paramArg: 1, weights: weights.wire }, ctx.callTimeoutMs);
    if (!res.ok) return fail(`computing gradients of Σ logits·R threw ${res.error.name}: ${res.error.message}${res.error.where ? ` (at ${res.error.where})` : ''}`, 'gpt/gradients');
    const want = [...gptGradients(i.idx, params64(i), i.cfg, weights.nd)];
    const got = res.grads ?? [];
    if (got.length !== want.length) return fail(`got ${got.length} gradients for ${want.length} parameter tensors`, 'gpt/gradients');
    for (let k = 0; k < want.length; k++) {
      const [name, g] = want[k]!;
      const v = compareOutput(got[k], g, GRAD_TOL);
      if (!v.ok) return fail(`d(Σ logits·R)/d ${name}: ${v.message}`, 'gpt/gradients');
    }
    return pass(`${want.length} parameter tensors`);
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
const greedyBase = { V: 5, h: 2, d: 2, L: 1, blockSize: 4, B: 2, tFrac: 0.25, activation: 'relu' as const };

const generateShape: Check = {
  name: 'generate: shape, dtype, and the prompt kept',
  async run(ctx) {
    const i = makeGPTInputs({ ...greedyBase, seed: ctx.seed + 20 });
    const out = await generateRows(ctx, { i, idx: [[1, 2], [3, 0]], maxNew: 2, temperature: 1 });
    return 'failed' in out ? out.failed : pass('idx [2,2], 2 new tokens -> int32 [2,4]');
  },
};

const FORWARD = 'matches the float64 reference (fast-check)';
const same = (a: number[][], b: number[][]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * generate at temperature 0 against the oracle's argmax path. The case is chosen so that float32 cannot flip a
 * choice and so that the path differs from what each mistake would produce (wrong position, crop to the first tokens).
 */
function greedyCheck(name: string, maxNew: (blockSize: number) => number, mistake: string | null, distinctFrom: GreedyKnobs[]): Check {
  return {
    name,
    needs: [generateShape.name, FORWARD],
    async run(ctx) {
      const prompt = [[1], [3]];
      const i = findCase(greedyBase, ctx.seed + 30, (c) => {
        const n = maxNew(c.cfg.blockSize);
        const right = greedyPath(prompt, params64(c), c.cfg, n);
        const paths = [right.tokens, ...distinctFrom.map((k) => greedyPath(prompt, params64(c), c.cfg, n, k).tokens)];
        // every mistake's path differs from the right one and from each other's, so each can be named
        return right.margin > SAFE_MARGIN && paths.every((a, x) => paths.every((b, y) => x === y || !same(a, b)));
      });
      const g: GenArgs = { i, idx: prompt, maxNew: maxNew(i.cfg.blockSize), temperature: 0 };
      const out = await generateRows(ctx, g);
      if ('failed' in out) return mistake && out.failed.mistake !== 'shape' ? { ...out.failed, mistake: crashedIn(ctx, out.failed.message) ?? mistake } : out.failed;
      const want = greedyPath(g.idx, params64(i), i.cfg, g.maxNew).tokens;
      if (same(out.rows, want)) return pass(`${g.maxNew} tokens per row, argmax each step`);
      const firstPosition = greedyPath(g.idx, params64(i), i.cfg, g.maxNew, { position: 'first' }).tokens;
      const firstTokens = greedyPath(g.idx, params64(i), i.cfg, g.maxNew, { crop: 'first' }).tokens;
      // A tiny positive temperature samples the argmax too: if that works, only temperature 0 itself is mishandled.
      const nearZero = await generateRows(ctx, { ...g, temperature: 1e-4 });
      const named = same(out.rows, firstPosition)
        ? 'gpt/generate-wrong-position'
        : same(out.rows, firstTokens)
          ? 'gpt/generate-crop-wrong-end'
          : 'rows' in nearZero && same(nearZero.rows, want)
          ? 'gpt/generate-zero-temperature'
          : mistake;
      return fail(`got ${JSON.stringify(out.rows)}, expected ${JSON.stringify(want)}\n${genDescribe(g)}`, named);
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

const greedyWithin = greedyCheck('generate: temperature 0 follows the argmax path', (bs) => bs - 1, null, [{ position: 'first' }]);
const greedyBeyond = {
  ...greedyCheck('generate: crops the context to the last blockSize tokens', (bs) => bs + 3, 'gpt/generate-no-crop', [{ position: 'first' }, { crop: 'first' }]),
  needs: [greedyWithin.name],
};

const leaks: Check = {
  name: 'generate: leaks no tensors',
  needs: [generateShape.name, FORWARD],
  async run(ctx) {
    const i = makeGPTInputs({ ...greedyBase, seed: ctx.seed + 40 });
    const g: GenArgs = { i, idx: [[1, 2], [0, 4]], maxNew: 6, temperature: 1 };
    const r = await callFn(ctx, { op: 'call', fn: 'generate', args: genWire(g), leaks: true });
    if (!r.ok) return fail(r.verdict.message, await nameMistake(ctx, r.verdict));
    const leaked = r.res.leaked ?? 0;
    if (leaked <= 0) return pass('6 tokens, 0 tensors left behind');
    return fail(`${leaked} tensor(s) left behind after 6 new tokens (about ${fmtNum(leaked / 6)} per token), once the result was disposed`, 'gpt/generate-leak');
  },
};

const SAMPLES = 400;
const P_FAIL = 1e-6; // per temperature: the chance a correct generate fails is below this

/** Candidate distributions a mistaken generate would sample from, by mistake id. */
function candidates(i: GPTInputs, prompt: number[], temperature: number): [string | null, number[]][] {
  const p = params64(i);
  const V = i.cfg.vocabSize;
  const logits = gptForward([prompt], p, i.cfg)!;
  const at = (pos: number) => Array.from(logits.data.subarray(pos * V, (pos + 1) * V));
  const soft = (l: number[]) => [...softmax(nd([V], l)).data];
  const last = at(prompt.length - 1);
  const argmax = last.indexOf(Math.max(...last));
  return [
    [null, nextTokenDistribution([prompt], p, i.cfg, temperature)[0]!],
    ['gpt/generate-greedy', last.map((_, k) => (k === argmax ? 1 : 0))],
    ['gpt/generate-temperature', soft(last.map((l) => l * temperature))],
    ['gpt/generate-temperature', soft(last)],
    ['gpt/generate-softmax-twice', soft(soft(last.map((l) => l / temperature)))],
    ['gpt/generate-temperature-twice', soft(last.map((l) => l / temperature / temperature))],
    ['gpt/generate-wrong-position', soft(at(0).map((l) => l / temperature))],
  ];
}

const sampling: Check = {
  name: 'generate: samples follow softmax(logits / T) at T = 0.5 and 2',
  needs: [generateShape.name, FORWARD],
  async run(ctx) {
    const prompt = [2, 0, 1];
    const base = { V: 4, h: 2, d: 2, L: 1, blockSize: 4, B: 1, tFrac: 1, activation: 'relu' as const };
    // A model whose correct distribution keeps every token plausible at both temperatures, and is far from
    // each mistaken distribution at one temperature at least (so every mistake fails one of the two tests).
    const i = findCase(base, ctx.seed + 50, (c) => {
      const byT = [0.5, 2].map((t) => candidates(c, prompt, t));
      if (!byT.every((cands) => Math.min(...cands[0]![1]) > 0.002)) return false;
      // KL(mistake || right) > 0.15 gives the G-test a noncentrality of 2·N·0.15 = 120: it misses a mistake < 0.1% of the time.
      return byT[0]!.slice(1).every((_, w) => byT.some((cands) => kl(cands[w + 1]![1], cands[0]![1]) > 0.15));
    });
    const temps = [0.5, 2];
    const counts: number[][] = [];
    for (const temperature of temps) {
      const g: GenArgs = { i, idx: [prompt], maxNew: 1, temperature };
      const res = await ctx.sandbox.request({ op: 'repeat', fn: 'generate', args: genWire(g), times: SAMPLES }, ctx.callTimeoutMs * 2);
      if (!res.ok) return fail(`generate threw ${res.error.name}: ${res.error.message}\n${genDescribe(g)}`, await nameMistake(ctx, { ok: false, mistake: 'crash', message: res.error.message }));
      const c = new Array<number>(i.cfg.vocabSize).fill(0);
      for (const v of res.values ?? []) {
        if (!isWireTensor(v) || v.data.length !== prompt.length + 1) return fail(`generate returned ${isWireTensor(v) ? `[${v.shape}]` : typeof v}, expected int32 [1, ${prompt.length + 1}]`, 'shape');
        const tok = v.data[prompt.length]!;
        if (!(tok >= 0 && tok < i.cfg.vocabSize)) return fail(`sampled token ${tok} is outside the vocabulary 0..${i.cfg.vocabSize - 1}`, null);
        c[tok]!++;
      }
      counts.push(c);
    }
    const cands = temps.map((t) => candidates(i, prompt, t));
    const fits = temps.map((_, k) => gTest(counts[k]!, cands[k]![0]![1]));
    const lines = temps.map((t, k) => {
      const expected = cands[k]![0]![1].map((q) => fmtNum(q * SAMPLES)).join(', ');
      return `T = ${t}: counts [${counts[k]!.join(', ')}] over ${SAMPLES} separate calls, expected ≈ [${expected}] (G-test p = ${fmtNum(fits[k]!.p)})`;
    });
    if (fits.every((f) => f.p >= P_FAIL)) return pass(lines.join('; '));
    // Name the mistaken distribution that explains both temperatures best.
    const ids = cands[0]!.map(([id]) => id);
    let best: string | null = null;
    let bestLl = -Infinity;
    ids.forEach((id, w) => {
      if (!id || !temps.every((_, k) => gTest(counts[k]!, cands[k]![w]![1]).p >= P_FAIL)) return;
      const ll = temps.reduce((sum, _, k) => sum + logLikelihood(counts[k]!, cands[k]![w]![1]), 0);
      if (ll > bestLl) [best, bestLl] = [id, ll];
    });
    // Every call drawing the same token at each temperature is a fixed seed when a seed is passed to
    // tf.multinomial, or when no catalogued distribution explains it (the argmax at both would be greedy sampling).
    const constant = counts.every((c) => c.filter((n) => n > 0).length === 1);
    const seeded = seededMultinomials(ctx.source).length > 0;
    const fixedSeed = constant && (seeded || best === null);
    const seedHint = fixedSeed ? ' Every call returned the same token: is a fixed seed passed to the sampler?' : '';
    const named = fixedSeed ? 'gpt/generate-fixed-seed' : best;
    return fail(`${lines.join('\n')}\nthe samples do not follow the model's distribution.${seedHint}\n${genDescribe({ i, idx: [prompt], maxNew: 1, temperature: temps[fits.findIndex((f) => f.p < P_FAIL)]! })}`, named);
  },
};

/** Plausible wrong defaults for generate's temperature, each of which the default-temperature check must catch. */
export const WRONG_DEFAULTS = [0, 0.1, 10, -1] as const;
/** Every wrong default's G statistic must lie this many sds above the critical value (a normal tail of ~1e-9). */
const MIN_MARGIN = 6;
/** Each token's expected count is at least 400·0.02 = 8, so the χ² approximation holds under a right default. */
const MIN_PROB = 0.02;

/** The distribution a generate whose default is `t` samples from at the last position (0 = argmax). */
function atTemperature(last: number[], t: number): number[] {
  if (t === 0) return last.map((l) => (l === Math.max(...last) ? 1 : 0));
  return [...softmax(nd([last.length], last.map((l) => l / t))).data];
}

/**
 * The model and prompt for the default-temperature check: softmax(logits) keeps every token at MIN_PROB or more,
 * and every wrong default's G statistic lies MIN_MARGIN sds above the test's critical value.
 */
export function defaultTemperatureCase(seed: number): { i: GPTInputs; prompt: number[]; right: number[]; margins: number[]; critical: number } {
  const prompt = [1, 3, 0];
  const base = { V: 4, h: 2, d: 2, L: 1, blockSize: 4, B: 1, tFrac: 1, activation: 'gelu' as const };
  const critical = chiSquareCritical(P_FAIL, base.V - 1);
  let found: ReturnType<typeof defaultTemperatureCase> | null = null;
  findCase(base, seed, (c) => {
    const logits = gptForward([prompt], params64(c), c.cfg)!;
    const last = Array.from(logits.data.subarray((prompt.length - 1) * base.V, prompt.length * base.V));
    const right = atTemperature(last, 1);
    if (Math.min(...right) < MIN_PROB) return false;
    const margins = WRONG_DEFAULTS.map((t) => gTestMargin(atTemperature(last, t), right, SAMPLES, critical));
    if (margins.some((m) => m < MIN_MARGIN)) return false;
    found = { i: c, prompt, right, margins, critical };
    return true;
  });
  return found!;
}

/**
 * The contract's default: generate called without a temperature samples at T = 1. One G-test over SAMPLES separate
 * calls, failing below p = P_FAIL, so a right default fails less than once in 1e6 gradings; the model is chosen
 * so that a default of 0, 0.1, 10 or −1 passes less than about once in 1e9 (see defaultTemperatureCase).
 */
const defaultTemperature: Check = {
  name: 'generate: with the temperature left out, samples at T = 1',
  needs: [sampling.name],
  async run(ctx) {
    const { i, prompt, right } = defaultTemperatureCase(ctx.seed + 60);
    const g: GenArgs = { i, idx: [prompt], maxNew: 1, temperature: undefined };
    const res = await ctx.sandbox.request({ op: 'repeat', fn: 'generate', args: genWire(g), times: SAMPLES }, ctx.callTimeoutMs * 2);
    if (!res.ok) return fail(`generate threw ${res.error.name}: ${res.error.message}\n${genDescribe(g)}`, 'gpt/generate-default-temperature');
    const counts = new Array<number>(i.cfg.vocabSize).fill(0);
    for (const v of res.values ?? []) {
      const tok = isWireTensor(v) && v.data.length === prompt.length + 1 ? v.data[prompt.length]! : -1;
      if (!(tok >= 0 && tok < i.cfg.vocabSize)) return fail(`generate without a temperature returned ${isWireTensor(v) ? `[${v.shape}] ending in ${tok}` : typeof v}, expected int32 [1, ${prompt.length + 1}]`, 'gpt/generate-default-temperature');
      counts[tok]!++;
    }
    const fit = gTest(counts, right);
    const line = `counts [${counts.join(', ')}] over ${SAMPLES} separate calls, expected ≈ [${right.map((q) => fmtNum(q * SAMPLES)).join(', ')}] (G-test p = ${fmtNum(fit.p)})`;
    if (fit.p >= P_FAIL) return pass(line);
    return fail(`${line}\nwithout a temperature, generate must sample from softmax(logits), T = 1\n${genDescribe(g)}`, 'gpt/generate-default-temperature');
  },
};

export const gptSuite: KataSuite = {
  mistakes: gptMistakes,
  checks: [
    exportsCheck(['gpt', 'generate']),
    gptShape,
    equivalenceCheck({ fn: 'gpt', needs: [gptShape.name], arb: gptCaseArb, numRuns: 25, io, tol: TOL, axes: ['B', 'T', 'V'] }),
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
  ],
  probes(seed): Probe[] {
    const cases: GPTCase[] = [
      { V: 5, h: 2, d: 2, L: 1, blockSize: 4, B: 2, tFrac: 0.75, activation: 'relu', seed },
      { V: 3, h: 1, d: 3, L: 2, blockSize: 5, B: 1, tFrac: 1, activation: 'gelu', seed: seed + 1 },
      { V: 4, h: 2, d: 1, L: 1, blockSize: 3, B: 2, tFrac: 0.34, activation: 'relu', seed: seed + 2 },
    ];
    return cases.map((c) => {
      const i = makeGPTInputs(c);
      return { fn: 'gpt', args: args(i), oracle: (k) => gptForward(i.idx, params64(i), i.cfg, k as GPTKnobs), tol: TOL };
    });
  },
};
