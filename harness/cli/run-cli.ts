// Runs a command: reads its command line, then its main, and turns every failure into a message and an exit status.
import { isUserError } from '../../grader/user-error.ts';
import { exitWithUsageError, readCommandLine, type CommandLine, type CommandSpec } from './command-line.ts';
import { quietDawnForBackend } from './quiet-dawn.ts';

/** The --backend value of a command that has one. */
function backendOf(line: CommandLine): string | undefined {
  const value = line.options.backend;
  return typeof value === 'string' ? value : undefined;
}

/**
 * --help and a bad flag are answered before `main` runs, so a command keeps its heavy imports (tfjs, the grader)
 * inside `main` and answers them at once. A usage UserError thrown by `main` (flags that do not go together, a prompt
 * the run cannot encode) is printed the same way as a bad flag; any other UserError as its message alone, exit 1.
 * No stack traces.
 * A command with --backend that will run on WebGPU first re-runs itself with Dawn's output filtered (quiet-dawn.ts).
 */
export function runCli<const S extends CommandSpec>(command: S, main: (line: CommandLine<S>) => Promise<void>): void {
  const line = readCommandLine(command);
  const quiet = command.options.some((o) => o.name === 'backend') ? quietDawnForBackend(backendOf(line)) : Promise.resolve();
  quiet.then(() => main(line)).then(
    () => process.exit(0),
    (e: unknown) => {
      if (isUserError(e)) {
        if (e.kind === 'usage') exitWithUsageError(command, e.message);
        process.stderr.write(`${e.message}\n`);
        process.exit(e.exitCode);
      }
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`error: ${message}\n`);
      if (process.env.GPT_KATA_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      else process.stderr.write('(set GPT_KATA_DEBUG=1 for the stack trace)\n');
      process.exit(1);
    },
  );
}
