// The grader's verdict types: what `npm run grade --json` prints and what the kata UI and train:mine read.

export type KataId = 'attention' | 'multi-head' | 'causal-mask' | 'block' | 'gpt';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

export interface CheckResult {
  /** Short check name, e.g. "reference equivalence (fast-check)". */
  name: string;
  status: CheckStatus;
  /** One or more lines for a human: the diagnosis sentence, error figures, shrunk counterexample. */
  message: string;
  /** Catalogue id such as "attention/no-scale", or a generic id ("shape", "timeout", ...), or null. */
  mistake: string | null;
}

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

/** The exact JSON shape the issue specifies for `npm run grade -- --json`. */
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
