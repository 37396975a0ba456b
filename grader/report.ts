// The grader's verdict types: what `npm run grade --json` prints and what the kata UI and train:mine read.

import type { CheckResult } from './check-result.ts';
import type { KataId } from './registry.ts';

export type { CheckResult } from './check-result.ts';
export type { KataId } from './registry.ts';

/** A named mistake as the learner reads it, attached by the grader from the mistake catalogue. */
export interface Diagnosis {
  /** The id as in `mistakes`, e.g. "attention/no-scale" or "shape". */
  id: string;
  /** One line: what the code does wrong and why it matters. */
  explanation: string;
  /** Which hint in the kata's README explains it; 0 when no hint does (generic mistakes). */
  hintTier: 0 | 1 | 2 | 3;
}

export interface KataReport {
  kata: KataId;
  /** Absolute path of the graded file. */
  file: string;
  passed: boolean;
  /** Every mistake id named by any failing check, de-duplicated, most specific first. */
  mistakes: string[];
  /** The catalogue's explanation of each id in `mistakes` it knows, in the same order. */
  diagnoses: Diagnosis[];
  /** Each check's `message` is its own text; `checkMessage` puts the diagnosis of its mistake in front. */
  checks: CheckResult[];
  /** TypeScript type errors and other notes that never fail a kata. */
  warnings: string[];
  /** Wall time spent grading this kata. */
  durationMs: number;
  /** Where that time went, in order (ms): child start, bundle, load, each check, diagnosis. For `bench:grade --profile`. */
  phases?: { name: string; ms: number }[];
}

export interface GradeReport {
  passed: boolean;
  katas: KataReport[];
}

/** The sentence naming a mistake: "id: explanation (see hint N)". */
function diagnosisLine(d: Diagnosis): string {
  return `${d.id}: ${d.explanation}${d.hintTier > 0 ? ` (see hint ${d.hintTier})` : ''}`;
}

/** A check's full message as every renderer shows it: the diagnosis of its mistake (when catalogued), then its own text. */
export function checkMessage(report: Pick<KataReport, 'diagnoses'>, check: CheckResult): string {
  if (check.status === 'pass' || check.status === 'skipped' || !check.mistake) return check.message;
  const d = report.diagnoses.find((x) => x.id === check.mistake);
  return d ? `${diagnosisLine(d)}\n${check.message}`.trim() : check.message;
}

/** What `npm run grade -- --json` prints: the verdict, without timings. */
export function toJson(report: GradeReport): unknown {
  return {
    passed: report.passed,
    katas: report.katas.map((k) => ({
      kata: k.kata,
      file: k.file,
      passed: k.passed,
      mistakes: k.mistakes,
      checks: k.checks.map((c) => ({ name: c.name, status: c.status, message: checkMessage(k, c), mistake: c.mistake })),
    })),
  };
}
