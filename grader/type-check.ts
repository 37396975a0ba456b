// TypeScript type errors in a learner's file, as warnings (they never fail a kata), from a separate process.
import { execFile } from 'node:child_process';
import { ownScript } from './sandbox/own-script.ts';
import { PROJECT_ROOT } from './sandbox/paths.ts';

/**
 * Type-checks several files in one compiler run (one program is far cheaper than one per file). Each file maps to
 * "type error (not graded): file:line:col message" lines; [] where the check fails to run or exceeds `timeoutMs`.
 */
export async function typeCheckFiles(files: string[], timeoutMs = 20_000): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(files.map((f) => [f, []]));
  try {
    const script = await ownScript('grader/type-check-main.ts');
    // node:child_process rather than execa: importing execa costs the grading process 0.1 s before its first verdict
    const stdout = await new Promise<string>((resolve) => {
      execFile(process.execPath, [script, PROJECT_ROOT, ...files], { cwd: PROJECT_ROOT, timeout: timeoutMs, maxBuffer: 16 << 20 }, (_err, out) => resolve(String(out ?? '')));
    });
    const found = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, string[]>;
    for (const f of files) out.set(f, (found[f] ?? []).slice(0, 5).map((m) => `type error (not graded): ${m}`));
  } catch {
    // a type check that cannot run costs the learner nothing: it only ever adds warnings
  }
  return out;
}

export async function typeCheckWarnings(file: string, timeoutMs = 20_000): Promise<string[]> {
  return (await typeCheckFiles([file], timeoutMs)).get(file) ?? [];
}
