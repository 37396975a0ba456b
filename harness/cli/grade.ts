// `npm run grade -- [kata ...] [--dir DIR] [--json]`: grades solutions; exit 0 all pass, 1 any fail, 2 usage/harness error.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KATAS, kataById } from '../../grader/katas.ts';
import type { KataId } from '../../grader/report.ts';
import { toJson } from '../../grader/report.ts';
import { renderReport } from '../../grader/render-report.ts';
import { PROJECT_ROOT } from '../sandbox/paths.ts';
import { prewarm } from '../sandbox/warm-pool.ts';

const USAGE = `usage: npm run grade -- [kata ...] [--dir DIR] [--json] [--seed N]
  katas: ${KATAS.map((k) => k.id).join(', ')} (default: every kata whose file is in DIR)
  --dir DIR   where your solutions are (default: solutions/); the file for a kata is DIR/<kata>.ts
  --json      print only the JSON report to stdout
  --seed N    seed for the random cases (the same seed gives the same verdict)`;

function usage(message: string): never {
  console.error(`grade: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { dir: { type: 'string' }, json: { type: 'boolean' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    usage((e as Error).message);
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return;
  }
  const unknown = parsed.positionals.filter((k) => !kataById(k));
  if (unknown.length) usage(`unknown kata ${unknown.map((k) => `"${k}"`).join(', ')}`);
  const dir = resolve(process.cwd(), parsed.values.dir ?? resolve(PROJECT_ROOT, 'solutions'));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) usage(`no directory at ${dir}; pass --dir DIR`);
  const seed = parsed.values.seed === undefined ? undefined : Number(parsed.values.seed);
  if (seed !== undefined && !Number.isInteger(seed)) usage(`--seed takes an integer, got "${parsed.values.seed}"`);
  const katas = parsed.positionals.length ? (parsed.positionals as KataId[]) : undefined;
  if (!katas && !KATAS.some((k) => existsSync(resolve(dir, k.file)))) {
    usage(`no solution files in ${dir} (looked for ${KATAS.map((k) => k.file).join(', ')}); write one or name a kata`);
  }
  // The first sandbox child starts loading tfjs now, on the other core, while this process loads the grader.
  prewarm();
  const { gradeDir } = await import('../../grader/engine.ts');
  // Type errors are warnings for people; the JSON report has no place for them, so --json skips the type check.
  const report = await gradeDir(dir, katas, { seed, typeCheck: !parsed.values.json });
  if (parsed.values.json) process.stdout.write(`${JSON.stringify(toJson(report))}\n`);
  else process.stdout.write(renderReport(report, process.stdout.columns ?? 80));
  process.exitCode = report.passed ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(`grade: the grader itself failed (a bug in gpt-kata, not in your code): ${(e as Error).message}`);
  process.exit(2);
});
