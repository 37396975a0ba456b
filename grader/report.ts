// The grader's verdict types: what `npm run grade --json` prints and what the kata UI and train:mine read.

import type { CheckResult } from './check-result.ts';
import type { KataId } from './registry.ts';

export type { CheckResult, CheckStatus } from './check-result.ts';
export type { KataId } from './registry.ts';

export interface KataReport {
  kata: KataId;
  /** Absolute path of the graded file. */
  file: string;
  passed: boolean;
  /** Every mistake id named by any failing check, de-duplicated, most specific first. */
  mistakes: string[];
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

/** What `npm run grade -- --json` prints: the verdict, without timings. */
export function toJson(report: GradeReport): unknown {
  return {
    passed: report.passed,
    katas: report.katas.map((k) => ({
      kata: k.kata,
      file: k.file,
      passed: k.passed,
      mistakes: k.mistakes,
      checks: k.checks.map((c) => ({ name: c.name, status: c.status, message: c.message, mistake: c.mistake })),
    })),
  };
}
