// The engine against hostile and broken files (each a graded result with a message, never a crash or a hang of
// ours), a multi-file DIR, and the grade CLI's exit codes and JSON.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeDir, gradeKata } from './engine.ts';
import { PROJECT_ROOT } from './sandbox/paths.ts';
import { FIXTURES, type Graded, declaredHostile, explain, fixtureFiles, gradeFixtures } from './test-support/fixture-corpus.ts';

const HOSTILE = join(FIXTURES, 'hostile');
const wantsMemory = (f: string) => declaredHostile(readFileSync(join(HOSTILE, f), 'utf8').split('\n')[0]!) === 'memory';

describe('hostile and broken files (graded as the attention kata)', () => {
  const dir = HOSTILE;
  const files = fixtureFiles(dir).filter((f) => !wantsMemory(f));
  let graded: Map<string, Graded>;
  beforeAll(async () => {
    // short limits keep the hangs quick; the verdicts are the same as with the defaults
    graded = await gradeFixtures('attention', files.map((f) => join(dir, f)), { callTimeoutMs: 3000, loadTimeoutMs: 4000, memoryMb: 1024 });
  }, 600_000);

  for (const f of files) {
    it(`${f}`, () => {
      const g = graded.get(`hostile/${f}`)!;
      const want = declaredHostile(g.header);
      expect(want, `${f} must declare what it expects on line 1`).not.toBeNull();
      if (want === 'pass') {
        expect(g.report.passed, explain(g)).toBe(true);
        return;
      }
      expect(g.report.passed, explain(g)).toBe(false);
      if (want !== 'fail') expect(g.report.mistakes, explain(g)).toContain(want);
      // every failing check explains itself
      for (const c of g.report.checks.filter((c) => c.status === 'fail' || c.status === 'error')) expect(c.message.length).toBeGreaterThan(10);
    });
  }
});

// A test of the memory limit asserts the memory limit's own verdict: the time budgets are set far out of its way, so
// however slowly this machine commits memory, only the kernel's refusal (or the resident-size check) can end these.
describe('files that allocate past the memory cap (graded as the attention kata)', () => {
  const files = fixtureFiles(HOSTILE).filter(wantsMemory);
  let graded: Map<string, Graded>;
  beforeAll(async () => {
    // 1024 MB rather than the default 2048 only halves how long a slow machine takes to commit the pages
    graded = await gradeFixtures('attention', files.map((f) => join(HOSTILE, f)), { memoryMb: 1024, callTimeoutMs: 3_600_000, loadTimeoutMs: 3_600_000, timeoutMs: 3_600_000 });
  }, 3_600_000);

  it('are at least the four hostile kinds (at least four fixtures)', () => expect(files.length).toBeGreaterThanOrEqual(4));
  for (const f of files) {
    it(`${f}: stopped with a memory verdict that names the cap`, () => {
      const g = graded.get(`hostile/${f}`)!;
      expect(g.report.passed, explain(g)).toBe(false);
      expect(g.report.mistakes, explain(g)).toEqual(['memory']);
      const stopped = g.report.checks.find((c) => c.mistake === 'memory')!;
      expect(stopped.message).toContain('your code tried to use more than 1024 MB and was stopped');
      expect(g.report.checks.map((c) => c.mistake)).not.toContain('timeout');
    });
  }
});

describe('notes that never fail a kata', () => {
  it('a block that never applies the dropout callback passes, with a warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-dropout-'));
    const source = readFileSync(join(PROJECT_ROOT, 'grader', 'katas', 'block', 'fixtures', 'correct', 'moments-broadcast.ts'), 'utf8');
    const ignoring = source.replace('opts.dropout ?? ((t: tf.Tensor) => t)', '((t: tf.Tensor) => t)');
    expect(ignoring).not.toBe(source);
    writeFileSync(join(dir, 'block.ts'), ignoring);
    const report = await gradeKata('block', join(dir, 'block.ts'));
    expect(report.passed).toBe(true);
    expect(report.warnings.join('\n')).toContain('dropout callback is never applied');
    const original = await gradeKata('block', join(PROJECT_ROOT, 'grader', 'katas', 'block', 'fixtures', 'correct', 'moments-broadcast.ts'));
    expect(original.warnings).toEqual([]);
  }, 120_000);
});

describe('a DIR of five solutions importing each other', () => {
  it('passes every kata', async () => {
    const report = await gradeDir(join(FIXTURES, 'multi-file'));
    expect(report.katas.map((k) => k.kata)).toEqual(['attention', 'multi-head', 'causal-mask', 'block', 'gpt']);
    for (const k of report.katas) expect(k.passed, `${k.kata}: ${JSON.stringify(k.checks.filter((c) => c.status !== 'pass'))}`).toBe(true);
  }, 300_000);
});

describe('npm run grade', () => {
  const grade = (args: string[]) => execa('npx', ['tsx', 'harness/cli/grade.ts', ...args], { cwd: PROJECT_ROOT, reject: false });

  it('prints only the JSON report and exits 1 when a kata fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-cli-'));
    writeFileSync(join(dir, 'causal-mask.ts'), "import * as tf from '@tensorflow/tfjs';\nexport const causalMask = (T: number) => tf.linalg.bandPart(tf.ones([T, T]), 0, -1);\nexport const maskFuture = (s: tf.Tensor) => s;\n");
    const r = await grade(['causal-mask', '--dir', dir, '--json']);
    expect(r.exitCode, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as { passed: boolean; katas: { kata: string; file: string; passed: boolean; mistakes: string[]; checks: { name: string; status: string; message: string; mistake: string | null }[] }[] };
    expect(json.passed).toBe(false);
    expect(json.katas[0]!.kata).toBe('causal-mask');
    expect(json.katas[0]!.file).toBe(join(dir, 'causal-mask.ts'));
    expect(json.katas[0]!.mistakes[0]).toBe('causal-mask/upper-triangle');
    expect(Object.keys(json.katas[0]!.checks[0]!).sort()).toEqual(['message', 'mistake', 'name', 'status']);
  }, 120_000);

  it('exits 0 when every graded kata passes, and reads well in 80 columns', async () => {
    const r = await grade(['attention', '--dir', join(PROJECT_ROOT, 'grader', 'fixtures', 'multi-file')]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('✓ PASS  1. Scaled dot-product attention');
    for (const line of r.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  }, 120_000);

  it('exits 2 with a usage message for an unknown kata or a missing DIR', async () => {
    const unknown = await grade(['attenton']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown kata "attenton"');
    const missing = await grade(['--dir', '/no/such/dir']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('no directory at /no/such/dir');
  }, 60_000);
});
