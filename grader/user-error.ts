// The one error for "the user must do something": a bad flag, a missing file, a backend that will not load, a gpt.ts
// the grader refuses. Its message says what happened and what to do; the commands print it as is, never a stack trace.

/** usage: the command line itself is wrong (exit status 2, printed with the command's usage); problem: anything else (1). */
export type UserErrorKind = 'usage' | 'problem';

export class UserError extends Error {
  override readonly name = 'UserError';
  readonly kind: UserErrorKind;
  constructor(message: string, options: { kind?: UserErrorKind; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind ?? 'problem';
  }

  /** The process exit status a command ends with: 2 for a usage error, 1 otherwise. */
  get exitCode(): 1 | 2 {
    return this.kind === 'usage' ? 2 : 1;
  }
}

/** Also true across module copies (tests load some modules twice), where instanceof is not. */
export function isUserError(e: unknown): e is UserError {
  return e instanceof Error && e.name === 'UserError' && 'kind' in e;
}
