// Grades learner-style fixture files (grader/katas/<kata>/fixtures, grader/fixtures; each copied alone into a temp dir, as a learner's
// DIR would hold it) and reads what each one expects from its first line.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GradeOptions, gradeKata } from '../engine.ts';
import { kataById } from '../registry.ts';
import type { KataId, KataReport } from '../report.ts';
import { PROJECT_ROOT } from '../sandbox/paths.ts';

export const FIXTURES = join(PROJECT_ROOT, 'grader', 'fixtures');

export interface Graded {
  name: string; // e.g. "faulty/no-scale.ts"
  header: string; // the fixture's first line
  report: KataReport;
}

export function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
}

/** Grades `files` (absolute paths) as `kata`, two at a time. */
export async function gradeFixtures(kata: KataId, files: string[], opts: GradeOptions = {}): Promise<Map<string, Graded>> {
  const out = new Map<string, Graded>();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const tmp = mkdtempSync(join(tmpdir(), 'gpt-kata-fixture-'));
      const target = join(tmp, kataById(kata)!.file);
      copyFileSync(file, target);
      try {
        const report = await gradeKata(kata, target, opts);
        const name = file.split('/').slice(-2).join('/'); // e.g. faulty/no-scale.ts, reference/attention.ts
        out.set(name, { name, header: readFileSync(file, 'utf8').split('\n')[0]!, report });
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

/** "// mistake: attention/no-scale: ..." -> "attention/no-scale". */
export function declaredMistake(header: string): string | null {
  return /^\/\/ mistake: ([a-z-]+\/[a-z0-9-]+)/.exec(header)?.[1] ?? null;
}

/** "// hostile: timeout: ..." -> "timeout". */
export function declaredHostile(header: string): string | null {
  return /^\/\/ hostile: ([a-z-]+)/.exec(header)?.[1] ?? null;
}

/** A one-paragraph account of a report, for assertion messages. */
export function explain(g: Graded): string {
  const bad = g.report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.status} ${c.name}: ${c.message.split('\n').slice(0, 2).join(' | ')}`);
  return `${g.name} (${g.header})\n  passed=${g.report.passed} mistakes=[${g.report.mistakes.join(', ')}]\n  ${bad.join('\n  ')}`;
}
