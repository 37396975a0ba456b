// Imports a learner's solution into the current process (for train:mine, only after the file passed the grader).
import { pathToFileURL } from 'node:url';
import { bundleSolution } from './bundle.ts';

/** Bundles and imports the file; a file that does not bundle throws, naming where (its caller tells the user what to do). */
export async function importSolution(file: string): Promise<Record<string, unknown>> {
  const built = await bundleSolution(file, 'import');
  if (!built.ok) throw new Error(`${built.where ?? file}: ${built.message}`);
  return (await import(pathToFileURL(built.path).href)) as Record<string, unknown>;
}
