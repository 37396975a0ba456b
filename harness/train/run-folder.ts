// A run folder is never replaced silently: training into one that holds a run needs --resume (continue it) or --fresh (start over).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../../grader/user-error.ts';
import { checkpointDir, hasCheckpoint } from './checkpoint.ts';

const show = (dir: string) => {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') ? rel : dir;
};

/** What the folder holds, in words ("a run at step 300 of 300, saved 2026-12-03 12:03"), or null when it holds none. */
function describeExistingRun(out: string): string | null {
  if (hasCheckpoint(out)) {
    const path = join(checkpointDir(out), 'model.json');
    const meta = JSON.parse(readFileSync(path, 'utf8')) as { step?: number; train?: { iters?: number } };
    const when = statSync(path).mtime.toISOString().slice(0, 16).replace('T', ' ');
    return `a run at step ${meta.step ?? '?'} of ${meta.train?.iters ?? '?'}, saved ${when} UTC`;
  }
  const metrics = join(out, 'metrics.jsonl');
  if (existsSync(metrics) && readFileSync(metrics, 'utf8').trim()) return 'a run that stopped before its first checkpoint';
  return null;
}

/**
 * Refuses to train into a folder that holds a run unless the user said what to do with it. `fresh` is --fresh;
 * `resumable` is false for commands that have no --resume (experiments).
 */
export function refuseToReplace(out: string, o: { fresh: boolean; resumable: boolean; command: string }): void {
  if (o.fresh) return;
  const existing = describeExistingRun(out);
  if (!existing) return;
  const ways = o.resumable
    ? `continue it with --resume, start afresh over it with --fresh, or give this run another folder with --out DIR`
    : `start afresh over it with --fresh, or give this run another folder with --out DIR`;
  throw new UserError(`${show(out)} already holds ${existing}, and ${o.command} does not replace a run silently: ${ways}.`);
}
