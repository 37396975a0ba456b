// A training problem the user can fix (bad flag, missing checkpoint, refused gpt.ts): printed as its message, never a stack.

export class TrainError extends Error {
  override readonly name = 'TrainError';
  constructor(
    message: string,
    /** Process exit status for the CLI: 2 for usage errors, 1 otherwise. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function isTrainError(e: unknown): e is TrainError {
  return e instanceof Error && e.name === 'TrainError';
}
