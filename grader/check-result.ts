// One check's outcome as the grader reports it: the shape every check returns and every renderer reads.

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
