// TypeScript type errors in a learner's file, as warnings (they never fail a kata), from a separate process.
import { execaNode } from 'execa';
import { ownScript } from '../../harness/sandbox/own-script.ts';
import { PROJECT_ROOT } from '../../harness/sandbox/paths.ts';

/** Resolves to "type error at file:line:col: message" lines; [] if the check fails to run or exceeds `timeoutMs`. */
export async function typeCheckWarnings(file: string, timeoutMs = 20_000): Promise<string[]> {
  try {
    const script = await ownScript('grader/checks/type-check-main.ts');
    const r = await execaNode(script, [PROJECT_ROOT, file], { cwd: PROJECT_ROOT, timeout: timeoutMs, reject: false });
    const last = r.stdout.trim().split('\n').pop() ?? '{}';
    const found = (JSON.parse(last) as Record<string, string[]>)[file] ?? [];
    return found.slice(0, 5).map((m) => `type error (not graded): ${m}`);
  } catch {
    return [];
  }
}
