// The error a backend asked for by name throws when it cannot load: names the backend and says what is missing.

/** Thrown by selectBackend when the requested backend cannot be used; `message` is fit to print as is. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`backend '${backend}' is unavailable: ${reason}`, options);
  }
}

export function isBackendUnavailableError(err: unknown): err is BackendUnavailableError {
  return err instanceof Error && err.name === 'BackendUnavailableError' && 'backend' in err;
}
