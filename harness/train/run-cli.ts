// Runs a CLI's main and turns every failure into a message and an exit status: no stack traces for users.
import { isBackendUnavailableError } from '../backends/backend-error.ts';
import { isDatasetError } from '../../datasets/tiny-shakespeare.ts';
import { isTrainError } from './train-error.ts';

export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      if (isTrainError(e)) {
        process.stderr.write(`${e.message}\n`);
        process.exit(e.exitCode);
      }
      if (isDatasetError(e) || isBackendUnavailableError(e)) {
        process.stderr.write(`${e.message}\n`);
        process.exit(1);
      }
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`error: ${message}\n`);
      if (process.env.GPT_KATA_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      else process.stderr.write('(set GPT_KATA_DEBUG=1 for the stack trace)\n');
      process.exit(1);
    },
  );
}
