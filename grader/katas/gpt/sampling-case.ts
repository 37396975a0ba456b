// The model, prompts and sample size for generate's sampling check, and the distributions a right or mistaken
// generate samples from. The case is searched for so that every catalogued sampling mistake is caught with the
// same power as a 400-sample test with KL ≥ 0.15 gives, using as few generate calls as that allows.
import { nd, softmax } from '../../ndarray.ts';
import { chiSquareCritical, kl } from '../../stats.ts';
import { gptForward } from './oracle.ts';
import { type GPTCase, type GPTInputs, makeGPTInputs, params64 } from './params.ts';

/** A correct generate fails the check less often than this (each test runs at P_FAIL / its number of tests). */
export const P_FAIL = 1e-6;
/** One sharpening and one flattening temperature, far enough from 1 that temperature mistakes show in few calls. */
export const SAMPLING_TEMPERATURES = [0.25, 4] as const;
/** Two rows with different prompts, each tested against its own distribution. */
export const SAMPLING_PROMPTS = [
  [2, 0, 1],
  [1, 3, 3],
];
/** nEmbd 4 > blockSize 3: the prompts fill the context. */
const BASE: Omit<GPTCase, 'seed'> = { V: 4, h: 2, d: 2, L: 1, blockSize: 3, B: 1, tFrac: 1, activation: 'relu' };
const TESTS = SAMPLING_TEMPERATURES.length * SAMPLING_PROMPTS.length;

/**
 * The power kept from the 400-sample design: there, a mistake was caught when 2·N·KL ≥ 2·400·0.15 = 120 at one
 * temperature, i.e. its expected G lay 120 − χ²(1e-6, 3) ≈ 89 above the critical value. Here each mistake must lie
 * that far above the (higher, Bonferroni) critical value of one of the four row-and-temperature tests.
 */
const EXCESS = 120 - chiSquareCritical(P_FAIL, BASE.V - 1);
const CRITICAL = chiSquareCritical(P_FAIL / TESTS, BASE.V - 1);
/**
 * For the wrong powers of T that no catalogue entry lists (T^0.5, T^1.5): a noncentrality of 90 puts the critical
 * value 3.1 sds of the noncentral χ²(3) below its mean, a miss less than once in 1,000 (normal approximation).
 */
const WRONG_POWER_EXCESS = 90 + (BASE.V - 1) - CRITICAL;
/** Fewer calls than this are never used. */
const MIN_SAMPLES = 80;
/** Every right probability is at least this, as in the 400-sample design (the test is exact, so small counts are fine). */
const MIN_PROB = 0.002;
const SEEDS_SEARCHED = 200;
/** The search stops at the first case needing no more calls than this. */
const GOOD_ENOUGH = 340;

/** A hypothesis about what generate samples from: a distribution per (temperature, row), by mistake id. */
interface Hypothesis {
  id: string | null;
  dist: number[][][]; // [temperature][row] -> probabilities
  /** How far above the critical value its expected G must lie in one test: EXCESS, or WRONG_POWER_EXCESS. */
  excess?: number;
}

export interface SamplingCase {
  i: GPTInputs;
  /** Calls per temperature. */
  n: number;
  /** The right distributions first (id null), then each catalogued mistake's. */
  hypotheses: Hypothesis[];
  /** Each row's last-position logits, for fitting the temperature's power. */
  lastLogits: number[][];
}

const soft = (l: number[]) => [...softmax(nd([l.length], l)).data];

/** Every row's logits at every prompt position: [row][position] -> logits. */
function logitsOf(i: GPTInputs): number[][][] {
  const V = i.cfg.vocabSize;
  return SAMPLING_PROMPTS.map((prompt) => {
    const logits = gptForward([prompt], params64(i), i.cfg)!;
    return prompt.map((_, t) => Array.from(logits.data.subarray(t * V, (t + 1) * V)));
  });
}

function hypothesesOf(at: number[][][]): Hypothesis[] {
  const last = at.map((row) => row[row.length - 1]!);
  const per = (f: (l: number[], t: number, row: number) => number[]): number[][][] => SAMPLING_TEMPERATURES.map((t) => last.map((l, row) => f(l, t, row)));
  const right = (l: number[], t: number) => soft(l.map((x) => x / t));
  return [
    { id: null, dist: per(right) },
    { id: 'gpt/generate-greedy', dist: per((l) => l.map((x) => (x === Math.max(...l) ? 1 : 0))) },
    { id: 'gpt/generate-temperature', dist: per((l, t) => soft(l.map((x) => x * t))) },
    { id: 'gpt/generate-temperature', dist: per((l) => soft(l)) },
    { id: 'gpt/generate-softmax-twice', dist: per((l, t) => soft(right(l, t))) },
    { id: 'gpt/generate-temperature-twice', dist: per((l, t) => soft(l.map((x) => x / t / t))) },
    { id: 'gpt/generate-wrong-position', dist: per((_, t, row) => right(at[row]![0]!, t)) },
    // the temperature applied with the wrong power, T^0.5 or T^1.5 (the power is fitted when naming)
    { id: 'gpt/generate-temperature', dist: per((l, t) => soft(l.map((x) => x / Math.sqrt(t)))), excess: WRONG_POWER_EXCESS },
    { id: 'gpt/generate-temperature', dist: per((l, t) => soft(l.map((x) => x / t ** 1.5))), excess: WRONG_POWER_EXCESS },
    // row 0's draw handed to every row: each row samples from row 0's distribution
    { id: 'gpt/generate-shared-sample', dist: per((_, t) => right(last[0]!, t)) },
  ];
}

/** The fewest calls per temperature at which `h` lies EXCESS above the critical value in one of the tests. */
function callsToCatch(h: Hypothesis, right: Hypothesis): number {
  let best = Infinity;
  h.dist.forEach((rows, t) =>
    rows.forEach((q, row) => {
      const d = kl(q, right.dist[t]![row]!);
      if (d > 1e-12) best = Math.min(best, Math.ceil(((h.excess ?? EXCESS) + CRITICAL) / (2 * d)));
    }),
  );
  return best;
}

const cache = new Map<number, SamplingCase>();

/** The first case from `seed` on that needs at most GOOD_ENOUGH calls, else the one needing fewest (memoized per seed). */
export function samplingCase(seed: number): SamplingCase {
  const hit = cache.get(seed);
  if (hit) return hit;
  let found: SamplingCase | null = null;
  for (let s = seed; s < seed + SEEDS_SEARCHED; s++) {
    const i = makeGPTInputs({ ...BASE, seed: s });
    const at = logitsOf(i);
    const hypotheses = hypothesesOf(at);
    const right = hypotheses[0]!;
    if (Math.min(...right.dist.flat(2)) < MIN_PROB) continue;
    const n = Math.max(MIN_SAMPLES, ...hypotheses.slice(1).map((h) => callsToCatch(h, right)));
    if (!found || n < found.n) found = { i, n, hypotheses, lastLogits: at.map((row) => row[row.length - 1]!) };
    if (found.n <= GOOD_ENOUGH) break;
  }
  if (!found) throw new Error('no suitable sampling case found (a grader bug)');
  cache.set(seed, found);
  return found;
}

/** The distributions of a generate that divides the logits by T^power (power 1 is right). */
export function powerHypothesis(c: SamplingCase, power: number): number[][][] {
  return SAMPLING_TEMPERATURES.map((t) => c.lastLogits.map((l) => soft(l.map((x) => x / t ** power))));
}
