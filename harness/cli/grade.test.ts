// `npm run grade` as a user types it: a verdict per kata and its exit code, and `npm run -s grade -- --json` is pure JSON.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmRun } from './test-support/npm-run.ts';

function solutions(attention: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-grade-'));
  copyFileSync(attention, join(dir, 'attention.ts'));
  return dir;
}
const CORRECT = 'grader/katas/attention/reference.ts';
const FAULTY = 'grader/katas/attention/fixtures/faulty/no-scale.ts';

describe('npm run grade', () => {
  it('passes a correct attention.ts (exit 0) and names the mistake in a faulty one (exit 1)', async () => {
    const [good, bad] = await Promise.all([
      npmRun('grade', ['attention', '--dir', solutions(CORRECT)]),
      npmRun('grade', ['attention', '--dir', solutions(FAULTY)]),
    ]);
    expect(good.exitCode, good.all).toBe(0);
    expect(good.stdout).toMatch(/^✓ PASS {2}1\. Scaled dot-product attention/m);
    expect(good.stdout).toMatch(/^1\/1 kata\(s\) passed$/m);
    expect(bad.exitCode, bad.all).toBe(1);
    expect(bad.stdout).toMatch(/^✗ FAIL {2}1\. Scaled dot-product attention/m);
    expect(bad.stdout).toContain('attention/no-scale');
    expect(bad.all).not.toMatch(/\n\s+at /);
  });

  it('npm run -s grade -- --json prints one JSON report and nothing else on stdout', async () => {
    const r = await npmRun('grade', ['attention', '--dir', solutions(CORRECT), '--json'], { silent: true });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { passed: boolean; katas: { kata: string; passed: boolean }[] };
    expect(report.passed).toBe(true);
    expect(report.katas.map((k) => [k.kata, k.passed])).toEqual([['attention', true]]);
  });
});
