// The pieces every kata's check suite is built from: the check context, calling the learner's function in the
// sandbox, fast-check properties with replayable shrunk counterexamples, and diagnosis against the catalogue.
import fc from 'fast-check';
import type { CheckStatus } from './check-result.ts';
import { type NDArray, nd } from './ndarray.ts';
import type { KnobFit, Mistake } from './mistake.ts';
import { type RequestBody, type Response, type Wire, type WireTensor, isWireTensor, wireTensor } from './sandbox/protocol.ts';
import { type Sandbox, SandboxGone } from './sandbox/sandbox.ts';
import { type AxisNames, type Tolerance, type Verdict, compareOutput, misfit } from './compare.ts';
import { fitKnob } from './knob-fit.ts';
import { type Pair, pair, rng } from './random-cases.ts';

export interface CheckOutcome {
  status: CheckStatus;
  message: string;
  mistake: string | null;
  /** Notes that never fail the kata (e.g. a dropout callback that is never applied). */
  warnings?: string[];
}

export interface CheckContext {
  sandbox: Sandbox;
  file: string;
  source: string;
  /** typeof of every export, as the module loaded. */
  exports: Record<string, string>;
  /** Seed for every random choice, so a verdict can be replayed. */
  seed: number;
  /** Wall-clock limit for one call into learner code. */
  callTimeoutMs: number;
  /** Mistake ids whose oracle variant reproduces the learner's outputs on the suite's probes (memoized). */
  diagnose(): Promise<string[]>;
  /** The catalogued mistake whose known error message this is, if any. */
  mistakeForError(message: string): string | null;
  /**
   * A second child with the same file loaded, for a suite that declares `begin`: long requests run there beside the
   * checks, on the other core. Null when it could not load; the checks then use `sandbox`.
   */
  beside?: Promise<Sandbox | null>;
}

export interface Check {
  name: string;
  /** Names of earlier checks that must pass for this one to mean anything; otherwise it is skipped. */
  needs?: string[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

/** A fixed input that separates the catalogue's variants: the oracle evaluates it under any mistake's knobs. */
export interface Probe {
  fn: string;
  args: Wire[];
  /** The oracle's output under `knobs` ({} = right), or null where that mistake cannot run on this input. */
  oracle(knobs: unknown): NDArray | null;
  tol: Tolerance;
}

export interface KataSuite {
  checks: Check[];
  probes(seed: number): Probe[];
  mistakes: Mistake[];
  /**
   * Work a grading with this seed will need that depends on nothing the learner wrote (the searches for its cases),
   * done ahead of time; memoized, so the grading then finds it done. The kata app runs it when a kata opens.
   */
  prepare?(seed: number): void;
  /**
   * Starts, as soon as the file has loaded, requests whose results a later check reads (on `ctx.beside`, so they run
   * beside the other checks); the engine then loads the file in a second child. Their results count only where
   * the checks that read them run: a check whose `needs` fail is skipped as always.
   */
  begin?(ctx: CheckContext): void;
}

export const pass = (message = ''): CheckOutcome => ({ status: 'pass', message, mistake: null });
export const fail = (message: string, mistake: string | null = null): CheckOutcome => ({ status: 'fail', message, mistake });

export type CallResult = { ok: true; value: Wire; res: Extract<Response, { ok: true }> } | { ok: false; verdict: Verdict & { ok: false } };

/** Calls an export in the sandbox. A thrown error is a failed verdict ('crash'); a dead sandbox propagates as SandboxGone. */
export async function callFn(ctx: CheckContext, req: RequestBody): Promise<CallResult> {
  const res = await ctx.sandbox.request(req, ctx.callTimeoutMs);
  if (res.ok) return { ok: true, value: res.value, res };
  const e = res.error;
  return { ok: false, verdict: { ok: false, mistake: 'crash', message: `${req.fn} threw ${e.name}: ${e.message}${e.where ? ` (at ${e.where})` : ''}` } };
}

/** Calls fn(args) and compares with the oracle's output, which this process computes while the child works. */
export async function callAndCompare(ctx: CheckContext, fn: string, args: Wire[], expected: () => NDArray, tol: Tolerance, axes?: AxisNames): Promise<Verdict> {
  const pending = callFn(ctx, { op: 'call', fn, args });
  let want: NDArray;
  try {
    want = expected();
  } catch (e) {
    await pending.catch(() => undefined); // the oracle's own failure is the one to report
    throw e;
  }
  const r = await pending;
  return r.ok ? compareOutput(r.value, want, tol, axes) : r.verdict;
}

export interface PropertySpec<C> {
  arb: fc.Arbitrary<C>;
  numRuns: number;
  predicate(c: C): Promise<Verdict>;
  /** The inputs of a case, for the report. */
  describe(c: C): string;
}

/** Runs a fast-check property through the sandbox; a failure reports the shrunk counterexample and how to replay it. */
export async function property<C>(ctx: CheckContext, spec: PropertySpec<C>): Promise<CheckOutcome> {
  const stop: { gone: SandboxGone | null } = { gone: null }; // set inside the property, read after it
  const prop = fc.asyncProperty(spec.arb, async (c) => {
    if (stop.gone) return false;
    try {
      return (await spec.predicate(c)).ok;
    } catch (e) {
      if (SandboxGone.is(e)) {
        stop.gone = e;
        return false;
      }
      throw e;
    }
  });
  const details = await fc.check(prop, { seed: ctx.seed, numRuns: spec.numRuns, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false });
  if (stop.gone) throw stop.gone;
  if (!details.failed) return pass(`${details.numRuns} random cases`);
  const c = details.counterexample?.[0];
  if (c === undefined) return { status: 'error', message: `the property could not run: ${String(details.errorInstance)}`, mistake: null };
  const verdict = await spec.predicate(c).catch((e: unknown) => {
    if (SandboxGone.is(e)) throw e;
    return { ok: false as const, mistake: null, message: String(e) };
  });
  const why = verdict.ok ? 'failed on an earlier run of this case' : verdict.message;
  const mistake = verdict.ok ? null : await nameMistake(ctx, verdict);
  const fitted = mistake ? fittedNote(ctx, mistake) : null;
  const message = [
    ...(fitted ? [fitted] : []),
    why,
    `counterexample (shrunk ${details.numShrinks} times):`,
    spec.describe(c),
    `replay: fast-check seed ${details.seed}, path "${details.counterexamplePath}"`,
  ].join('\n');
  return fail(message, mistake);
}

/** The most specific mistake for a failed verdict: a catalogued variant the probes recognise, else the verdict's own. */
export async function nameMistake(ctx: CheckContext, verdict: Verdict & { ok: false }): Promise<string | null> {
  const byError = verdict.mistake === 'crash' ? ctx.mistakeForError(verdict.message) : null;
  return byError ?? (await ctx.diagnose())[0] ?? verdict.mistake;
}

/** The sentence a fitted knob gave each mistake it named, per grading (see diagnoseWithProbes). */
const fittedNotes = new WeakMap<CheckContext, Map<string, string>>();

/** What fitting the mistake's knob found, e.g. "your scores are divided by 2.5 …", when its fit named it. */
function fittedNote(ctx: CheckContext, mistake: string): string | null {
  return fittedNotes.get(ctx)?.get(mistake) ?? null;
}

/**
 * Names the catalogued mistakes whose oracle variant reproduces the learner on every probe of some function (where
 * both can run), for a function the learner gets wrong: a kata with two exports can be wrong in just one of them.
 * A mistake with a continuous knob is named when a fitted value of the knob reproduces those probes; the fitted
 * values are kept for fittedNote.
 */
export async function diagnoseWithProbes(ctx: CheckContext, probes: Probe[], mistakes: Mistake[]): Promise<string[]> {
  const outputs: (Wire | null)[] = [];
  for (const p of probes) {
    const r = await callFn(ctx, { op: 'call', fn: p.fn, args: p.args });
    outputs.push(r.ok ? r.value : null);
  }
  const matchesOn = (fn: string, knobs: unknown): boolean => {
    let compared = 0;
    for (let i = 0; i < probes.length; i++) {
      if (probes[i]!.fn !== fn) continue;
      const want = probes[i]!.oracle(knobs);
      const got = outputs[i];
      if (want === null || got === null) {
        if ((want === null) !== (got === null)) return false;
        continue;
      }
      if (!compareOutput(got, want, probes[i]!.tol).ok) return false;
      compared++;
    }
    return compared > 0;
  };
  const wrongFns = [...new Set(probes.map((p) => p.fn))].filter((fn) => !matchesOn(fn, {}));
  const notes = new Map<string, string>();
  fittedNotes.set(ctx, notes);
  /** Fits one knob on fn's probes; the sentence when a fitted value reproduces every one of them. */
  const fitOn = (fit: KnobFit<unknown>, fn: string): string | null => {
    const mine = probes.map((p, i) => ({ p, got: outputs[i] ?? null })).filter(({ p }) => p.fn === fn);
    // a probe the learner's code could not run is one no value of the knob explains
    if (mine.some(({ got }) => got === null)) return null;
    const on = mine as { p: Probe; got: Wire }[];
    // and the knob must explain a probe the learner gets wrong, not only the ones it gets right
    if (
      on.every(({ p, got }) => {
        const right = p.oracle({});
        return right !== null && compareOutput(got, right, p.tol).ok;
      })
    )
      return null;
    const cost = (x: number, which: typeof on) =>
      Math.max(
        ...which.map(({ p, got }) => {
          const want = p.oracle(fit.knobs(x));
          return want === null ? Infinity : misfit(got, want, p.tol);
        }),
      );
    const groups = fit.perProbe ? on.map((o) => [o]) : [on];
    const fits = groups.map((g) => ({ g, ...fitKnob((x) => cost(x, g), fit.lo, fit.hi, fit.log) }));
    if (!fits.every((f) => f.cost <= 1 && f.g.every(({ p, got }) => compareOutput(got, p.oracle(fit.knobs(f.x))!, p.tol).ok))) return null;
    return fit.describe(fits.flatMap((f) => f.g.map(({ p }) => ({ x: f.x, args: p.args }))));
  };
  /**
   * Whether fn's probes are each either right or the variant's, the variant's on at least one the learner gets wrong:
   * a mistake made on one path only (no activation on the ReLU path, the GELU path right).
   */
  const partlyOn = (fn: string, knobs: unknown): boolean => {
    let shown = 0;
    for (let i = 0; i < probes.length; i++) {
      if (probes[i]!.fn !== fn) continue;
      const got = outputs[i];
      const right = probes[i]!.oracle({});
      const want = probes[i]!.oracle(knobs);
      if (got === null || right === null || want === null) return false;
      if (compareOutput(got, right, probes[i]!.tol).ok) continue;
      if (!compareOutput(got, want, probes[i]!.tol).ok) return false;
      shown++;
    }
    return shown > 0;
  };
  const usable = mistakes.filter((m) => m.sourceSign?.(ctx.source) ?? true);
  const named = usable
    .filter((m) => {
      const listed = m.variants?.some((v) => wrongFns.some((fn) => matchesOn(fn, v))) ?? false;
      const note = [m.fit ?? []].flat().flatMap((fit) => wrongFns.map((fn) => fitOn(fit, fn))).find((n) => n !== null);
      if (note) notes.set(m.id, note);
      return listed || note !== undefined;
    })
    .map((m) => m.id);
  if (named.length) return named;
  return usable.filter((m) => m.variants?.some((v) => wrongFns.some((fn) => partlyOn(fn, v))) ?? false).map((m) => m.id);
}

/** One generated case: the call's args, the oracle's answer, and how to print the inputs. */
export interface CaseIO {
  args: Wire[];
  expected: () => NDArray;
  describe(): string;
}

/** The float64-equivalence property every kata has: random cases, compared value by value. */
export function equivalenceCheck<C>(o: {
  fn: string;
  needs: string[];
  arb: fc.Arbitrary<C>;
  numRuns: number;
  io: (c: C) => CaseIO;
  tol: Tolerance;
  axes?: AxisNames;
}): Check {
  return {
    name: 'matches the float64 reference (fast-check)',
    needs: o.needs,
    run: (ctx) =>
      property(ctx, {
        arb: o.arb,
        numRuns: o.numRuns,
        predicate: (c) => {
          const io = o.io(c);
          return callAndCompare(ctx, o.fn, io.args, io.expected, o.tol, o.axes);
        },
        describe: (c) => o.io(c).describe(),
      }),
  };
}

/** Two related inputs whose outputs must agree on `compare` (flat indices; default all). */
export interface InvariancePair {
  a: Wire[];
  b: Wire[];
  compare?: (shape: number[]) => number[];
  describe(): string;
}

/** A behavioural property: the learner's function compared with itself on two related inputs. */
export function invarianceCheck<C>(o: {
  name: string;
  fn: string;
  needs: string[];
  arb: fc.Arbitrary<C>;
  numRuns: number;
  pair: (c: C) => InvariancePair | null;
  explain: string;
  tol: Tolerance;
}): Check {
  return {
    name: o.name,
    needs: o.needs,
    run: (ctx) =>
      property(ctx, {
        arb: o.arb,
        numRuns: o.numRuns,
        predicate: async (c) => {
          const p = o.pair(c);
          if (!p) return { ok: true };
          const ra = await callFn(ctx, { op: 'call', fn: o.fn, args: p.a });
          if (!ra.ok) return ra.verdict;
          const rb = await callFn(ctx, { op: 'call', fn: o.fn, args: p.b });
          if (!rb.ok) return rb.verdict;
          const a = ra.value as WireTensor;
          const b = rb.value as WireTensor;
          if (!isWireTensor(a)) return { ok: false, mistake: 'shape', message: 'did not return a tensor' };
          const idx = p.compare ? p.compare(a.shape) : [...a.data.keys()];
          const pick = (t: WireTensor) => idx.map((i) => t.data[i]!);
          if (!isWireTensor(b) || b.data.length !== a.data.length) return { ok: false, mistake: 'shape', message: 'the two outputs differ in shape' };
          const v = compareOutput(wireTensor([idx.length], pick(b)), nd([idx.length], pick(a)), o.tol);
          return v.ok ? v : { ok: false, mistake: null, message: `${o.explain}; ${v.message}` };
        },
        describe: (c) => o.pair(c)?.describe() ?? '',
      }),
  };
}

/** A [B, T, C] -> [B, T, C] case for the sequence properties: the input x, how to call with another x, and its inputs. */
export interface SequenceCase {
  x: Pair;
  args(x: Pair): Wire[];
  describe(): string;
  seed: number;
}

/** x with the entries where `where(flatIndex)` replaced by fresh values. */
function changed(x: Pair, where: (n: number) => boolean, seed: number): Pair {
  const r = rng(seed);
  return pair(x.nd.shape, Array.from(x.nd.data, (v, n) => (where(n) ? (r() - 0.5) * 6 : v)));
}

const indices = (shape: number[]) => [...Array(shape.reduce((a, b) => a * b, 1)).keys()];

type SequenceCheckOptions<C> = { name: string; fn: string; needs: string[]; arb: fc.Arbitrary<C>; numRuns: number; tol: Tolerance; explain: string; build: (c: C) => SequenceCase };

/** Causality: changing x at the last position leaves the outputs at every earlier position as they were. */
export function futureTokenCheck<C>(o: SequenceCheckOptions<C>): Check {
  return invarianceCheck({
    ...o,
    pair: (c) => {
      const s = o.build(c);
      const [, T, C] = s.x.nd.shape as [number, number, number];
      const last = (n: number) => Math.floor(n / C) % T === T - 1; // (b, t, c) at t = T - 1
      return { a: s.args(s.x), b: s.args(changed(s.x, last, s.seed + 7)), compare: (shape) => indices(shape).filter((n) => !last(n)), describe: () => s.describe() };
    },
  });
}

/** Batch independence: changing batch item 0 leaves every other item's output as it was. */
export function batchIndependenceCheck<C>(o: SequenceCheckOptions<C>): Check {
  return invarianceCheck({
    ...o,
    pair: (c) => {
      const s = o.build(c);
      const per = s.x.nd.data.length / s.x.nd.shape[0]!;
      const first = (n: number) => n < per;
      return { a: s.args(s.x), b: s.args(changed(s.x, first, s.seed + 9)), compare: (shape) => indices(shape).filter((n) => !first(n)), describe: () => s.describe() };
    },
  });
}
