// Runs a package.json script as a user types it, `npm run <script> -- …args`, through the launcher; for command tests.
import { execa, type Result } from 'execa';
import { PROJECT_ROOT } from '../../../grader/sandbox/compile-cache.mjs';

export interface NpmRunOptions {
  /** `npm run -s`: without npm's `> gpt-kata@… script` banner, for output read as data (JSON, a sample). */
  silent?: boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** `npm run [-s] script -- ...args` in the project folder; resolves whatever the exit code. */
export function npmRun(script: string, args: string[] = [], o: NpmRunOptions = {}): Promise<Result<{ all: true; reject: false }>> {
  const npmArgs = ['run', ...(o.silent ? ['-s'] : []), script, ...(args.length > 0 ? ['--', ...args] : [])];
  return execa('npm', npmArgs, {
    cwd: PROJECT_ROOT,
    reject: false,
    all: true,
    timeout: o.timeoutMs ?? 300_000,
    env: { FORCE_COLOR: '0', ...o.env },
  });
}
