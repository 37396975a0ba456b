// The grading engine: bundles a learner's file, loads it in a sandboxed child, runs the kata's checks, names mistakes.
// The verdict is assembled here, in the parent, from raw values; nothing the learner's code writes can set it.
import { copyFileSync, existsSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleSolution } from './sandbox/bundle.ts';
import { DEFAULT_LIMITS, SandboxGone } from './sandbox/sandbox.ts';
import { prewarm, takeSandbox } from './sandbox/warm-pool.ts';
import { KATAS, kataById } from './registry.ts';
import { type MistakeInfo, mistakeCatalogue } from './mistake-catalogue.ts';
import type { CheckResult, Diagnosis, GradeReport, KataId, KataReport } from './report.ts';
import { type CheckContext, type CheckOutcome, diagnoseWithProbes } from './suite.ts';
import { typeCheckFiles, typeCheckWarnings } from './type-check.ts';

export interface GradeOptions {
  /** Wall-clock budget for the whole kata, load included. */
  timeoutMs?: number;
  /** Budget for one call into learner code. */
  callTimeoutMs?: number;
  /** Memory cap for the child, in MB. */
  memoryMb?: number;
  /** Seed for every random case; the same seed gives the same verdict. */
  seed?: number;
  /** Also type-check the file (warnings only; it runs beside the checks and may add a second or two). */
  typeCheck?: boolean;
  /** Budget for loading the module. */
  loadTimeoutMs?: number;
}

const DEFAULT_SEED = 20260529;

const GONE_MISTAKE: Record<SandboxGone['reason'], string | null> = {
  timeout: 'timeout',
  memory: 'memory',
  exit: 'crash',
  signal: 'crash',
  output: 'crash',
  tamper: 'crash',
  harness: null, // ours, not the learner's: reported as an error with no mistake
};

function goneOutcome(g: SandboxGone): CheckOutcome {
  return { status: 'error', message: g.message, mistake: GONE_MISTAKE[g.reason] };
}

function kataReport(catalogue: Map<string, MistakeInfo>, kata: KataId, file: string, checks: CheckResult[], warnings: string[], t0: number): KataReport {
  const named = checks.map((c) => c.mistake).filter((m): m is string => m !== null);
  const specific = named.filter((m) => m.includes('/'));
  const mistakes = [...new Set([...specific, ...named])];
  const diagnoses = mistakes.flatMap((id): Diagnosis[] => {
    const m = catalogue.get(id);
    return m ? [{ id: m.id, explanation: m.explanation, hintTier: m.hintTier }] : [];
  });
  const passed = checks.length > 0 && checks.every((c) => c.status === 'pass');
  return { kata, file, passed, mistakes, diagnoses, checks, warnings, durationMs: Date.now() - t0 };
}

/** The source files of a folder, read before any of them runs: real path → contents. */
function snapshotFolder(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!/\.(ts|tsx|mts|js|mjs)$/.test(e.name)) continue;
    try {
      const real = realpathSync(join(dir, e.name));
      files.set(real, readFileSync(real, 'utf8'));
    } catch {
      // a dangling link or an unreadable file: the grading of that kata reports it
    }
  }
  return files;
}

export async function gradeKata(kata: KataId, file: string, opts: GradeOptions = {}, snapshot?: ReadonlyMap<string, string>): Promise<KataReport> {
  const t0 = Date.now();
  const abs = resolve(file);
  const info = kataById(kata);
  if (!info) throw new Error(`no check suite for kata ${kata}`);
  const [suite, catalogue] = await Promise.all([info.suite(), mistakeCatalogue([kata])]);
  const report = (checks: CheckResult[], warnings: string[]) => kataReport(catalogue, kata, abs, checks, warnings, t0);
  const one = (name: string, o: CheckOutcome) => report([{ name, ...o }], []);
  if (!existsSync(abs)) return one('file exists', { status: 'fail', message: `no file at ${abs}; write your solution there`, mistake: 'load-error' });

  const source = snapshot?.get(realpathSync(abs)) ?? readFileSync(abs, 'utf8');
  const types = opts.typeCheck ? typeCheckWarnings(abs) : Promise.resolve([]);
  const limits = { memoryMb: opts.memoryMb ?? DEFAULT_LIMITS.memoryMb, loadTimeoutMs: opts.loadTimeoutMs ?? DEFAULT_LIMITS.loadTimeoutMs };
  // The child starts (node, then tfjs) while esbuild bundles: a spare from the warm pool, or one spawned now.
  const phases: { name: string; ms: number }[] = [];
  const p0 = performance.now();
  const lap = (() => {
    let last = p0;
    return (name: string) => {
      const now = performance.now();
      phases.push({ name, ms: now - last });
      last = now;
    };
  })();
  const child = takeSandbox(limits);
  // a suite that starts requests beside its checks gets a second child, loaded with the same file
  const second = suite.begin ? takeSandbox(limits) : null;
  void child.then((s) => s.warm.then(() => phases.push({ name: 'child ready (node + tfjs, beside the bundling)', ms: performance.now() - p0 }), () => {}));
  const built = await bundleSolution(abs, kata, snapshot);
  lap('bundle (esbuild)');
  if (!built.ok) {
    (await child).dispose();
    (await second)?.dispose();
    return report([{ name: 'loads', status: 'fail', message: `${built.where ?? abs}: ${built.message}`, mistake: 'load-error' }], await types);
  }
  // each child takes its bundle into its own folder, so the second one gets a copy
  const besideBundle = second ? built.path.replace(/\.mjs$/, '-beside.mjs') : null;
  if (besideBundle) copyFileSync(built.path, besideBundle);
  const besideLoad = besideBundle ? second?.then((s) => s.load(besideBundle, abs)) : undefined;
  const started = await (await child).load(built.path, abs);
  lap('wait for the child, then load the file');
  const beside = besideLoad?.then(
    (r) => (r.ok ? r.sandbox : null),
    () => null,
  );
  rmSync(built.path, { force: true });
  if (besideBundle) void beside?.finally(() => rmSync(besideBundle, { force: true }));
  if (!started.ok) {
    void beside?.then((s) => s?.dispose());
    const o: CheckOutcome =
      started.kind === 'load-error'
        ? { status: 'fail', message: `your file threw while loading: ${started.error.name}: ${started.error.message}${started.error.where ? ` (at ${started.error.where})` : ''}`, mistake: 'load-error' }
        : goneOutcome(started.gone);
    return report([{ name: 'loads', ...o }], await types);
  }

  const { sandbox } = started;
  const deadline = setTimeout(() => {
    const gone = new SandboxGone('timeout', `grading this kata took longer than ${(opts.timeoutMs ?? 30_000) / 1000} s in total`);
    sandbox.kill(gone);
    void beside?.then((s) => s?.kill(gone));
  }, opts.timeoutMs ?? 30_000);
  let diagnosis: Promise<string[]> | undefined;
  const ctx: CheckContext = {
    sandbox,
    file: abs,
    source,
    exports: started.exports,
    seed: opts.seed ?? DEFAULT_SEED,
    callTimeoutMs: opts.callTimeoutMs ?? 10_000,
    diagnose: () =>
      (diagnosis ??= (async () => {
        const d0 = performance.now();
        const named = await diagnoseWithProbes(ctx, suite.probes(ctx.seed), suite.mistakes);
        phases.push({ name: 'diagnosis (inside the check that asked)', ms: performance.now() - d0 });
        return named;
      })()),
    mistakeForError: (message) => suite.mistakes.find((m) => m.errorPattern?.test(message))?.id ?? null,
    ...(beside ? { beside } : {}),
  };
  suite.begin?.(ctx);
  const results: CheckResult[] = [{ name: 'loads', status: 'pass', message: '', mistake: null }];
  let stopped: SandboxGone | null = null;
  const extraWarnings: string[] = [];
  try {
    for (const [index, check] of suite.checks.entries()) {
      let outcome: CheckOutcome;
      // Every check after the first (the exports check) needs it; some need more.
      const needs = [...(index > 0 ? [suite.checks[0]!.name] : []), ...(check.needs ?? [])];
      const unmet = needs.filter((n) => results.find((r) => r.name === n)?.status !== 'pass');
      if (stopped) outcome = { status: 'skipped', message: 'not run: the grading process had to be stopped', mistake: null };
      else if (unmet.length) outcome = { status: 'skipped', message: `not run until "${unmet[0]}" passes`, mistake: null };
      else {
        try {
          outcome = await check.run(ctx);
        } catch (e) {
          if (!SandboxGone.is(e)) throw e;
          stopped = e;
          outcome = goneOutcome(e);
        }
      }
      const { warnings: notes, ...result } = outcome;
      results.push({ name: check.name, ...result });
      lap(`check: ${check.name}`);
      extraWarnings.push(...(notes ?? []));
    }
  } finally {
    clearTimeout(deadline);
    sandbox.dispose();
    void beside?.then((s) => s?.dispose());
  }
  const warnings = [...(await types), ...extraWarnings];
  lap('type check (beside the checks)');
  const printed = sandbox.printed();
  if (printed) warnings.push(`your code printed (ignored by the grader):\n${printed.split('\n').slice(0, 6).join('\n')}`);
  return { ...report(results, warnings), phases };
}

/**
 * Does ahead of time the part of grading `kata` that depends on nothing the learner wrote (its case searches), so
 * that the next gradeKata with the default seed finds it done. The kata app calls it when a kata opens.
 */
export async function prepareKata(kata: KataId, seed: number = DEFAULT_SEED): Promise<void> {
  const suite = await kataById(kata)?.suite();
  suite?.prepare?.(seed);
}

/**
 * Grades the given katas (default: every kata whose file exists in dir), two at a time. Every file of the folder is
 * read first, so that code running for one kata cannot rewrite another before it is graded.
 */
export async function gradeDir(dir: string, katas?: KataId[], opts: GradeOptions = {}): Promise<GradeReport> {
  const root = resolve(dir);
  const snapshot = snapshotFolder(root);
  const chosen = katas ?? KATAS.filter((k) => existsSync(join(root, k.file))).map((k) => k.id);
  const files = chosen.map((id) => join(root, kataById(id)!.file));
  const types = opts.typeCheck ? typeCheckFiles(files.filter((f) => existsSync(f))) : Promise.resolve(new Map<string, string[]>());
  const out = new Array<KataReport>(chosen.length);
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const i = next++;
      const id = chosen[i]!;
      const graded = gradeKata(id, files[i]!, { ...opts, typeCheck: false }, snapshot);
      // the child for a kata still waiting starts loading tfjs while this one is checked
      if (next < chosen.length) prewarm({ memoryMb: opts.memoryMb ?? DEFAULT_LIMITS.memoryMb, loadTimeoutMs: opts.loadTimeoutMs ?? DEFAULT_LIMITS.loadTimeoutMs });
      out[i] = await graded;
    }
  };
  await Promise.all([worker(), worker()]);
  const warnings = await types;
  for (const k of out) k.warnings.unshift(...(warnings.get(k.file) ?? []));
  return { passed: out.length > 0 && out.every((k) => k.passed), katas: out };
}
