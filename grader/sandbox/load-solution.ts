// Imports a learner's solution into the current process (for train:mine, only after the file passed the grader).
import { pathToFileURL } from 'node:url';
import { UserError } from '../user-error.ts';
import { bundleSolution } from './bundle.ts';

export async function importSolution(file: string): Promise<Record<string, unknown>> {
  const built = await bundleSolution(file, 'import');
  if (!built.ok) throw new UserError(`${built.where ?? file}: ${built.message}`);
  return (await import(pathToFileURL(built.path).href)) as Record<string, unknown>;
}
