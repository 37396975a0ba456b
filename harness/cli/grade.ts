// `npm run grade -- [kata ...] [--dir DIR] [--json]`: grades solutions; exit 0 all pass, 1 any fail, 2 usage/harness error.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { KATAS } from '../../grader/registry.ts';
import { PROJECT_ROOT } from '../../grader/sandbox/paths.ts';
import { closeSpares, prewarm } from '../../grader/sandbox/warm-pool.ts';
import { wrapText } from '../../grader/wrap-text.ts';
import { exitWithUsageError, readCommandLine, type CommandSpec } from './command-line.ts';

const COMMAND = {
  name: 'grade',
  usage: ['npm run grade -- [kata ...] [options]'],
  summary: 'Grades your solutions in the sandbox: exit 0 when all pass, 1 when any fails, 2 for a usage or harness error.',
  positionals: { name: 'kata', choices: KATAS.map((k) => k.id), help: `any of ${KATAS.map((k) => k.id).join(', ')} (default: every kata whose file is in DIR)` },
  options: [
    { name: 'dir', kind: 'string', value: 'DIR', help: 'where your solutions are (default: solutions/); the file for a kata is DIR/<kata>.ts' },
    { name: 'json', kind: 'flag', help: 'print only the JSON report to stdout' },
    { name: 'seed', kind: 'int', min: 0, value: 'N', help: 'seed for the random cases (the same seed gives the same verdict)' },
  ],
} as const satisfies CommandSpec;

async function main(): Promise<void> {
  const { options, positionals } = readCommandLine(COMMAND);
  const dir = resolve(process.cwd(), options.dir ?? resolve(PROJECT_ROOT, 'solutions'));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) exitWithUsageError(COMMAND, `--dir: no directory at ${dir}; pass --dir DIR`);
  const katas = positionals.length ? [...positionals] : undefined;
  if (!katas && !KATAS.some((k) => existsSync(resolve(dir, k.file)))) {
    exitWithUsageError(COMMAND, `no solution files in ${dir} (looked for ${KATAS.map((k) => k.file).join(', ')}); write one or name a kata`);
  }
  // The first sandbox child starts loading tfjs now, on the other core, while this process loads the grader.
  prewarm();
  // Loaded only now (esbuild, the TypeScript checker), so --help and a bad flag are answered at once.
  const [{ gradeDir }, { toJson }, { renderReport }] = await Promise.all([
    import('../../grader/engine.ts'),
    import('../../grader/report.ts'),
    import('../../grader/render-report.ts'),
  ]);
  const json = options.json === true;
  // Type errors are warnings for people; the JSON report has no place for them, so --json skips the type check.
  const report = await gradeDir(dir, katas, { seed: options.seed, typeCheck: !json });
  if (json) process.stdout.write(`${JSON.stringify(toJson(report))}\n`);
  else process.stdout.write(renderReport(report, process.stdout.columns ?? 80));
  const missing = json ? [] : (await (await import('../../grader/sandbox/isolation.ts')).isolation()).missing;
  if (missing.length) {
    const note = `note: the sandbox here lacks: ${missing.join('; ')} (npm run doctor says more)`;
    process.stdout.write(`${wrapText(note, process.stdout.columns ?? 80, '  ').join('\n')}\n`);
  }
  process.exitCode = report.passed ? 0 : 1;
  // The spare child gradeDir kept ahead is not needed any more: stopped now, wherever it runs (in a namespace or not).
  await closeSpares();
}

main().catch((e: unknown) => {
  console.error(`grade: the grader itself failed (a bug in gpt-kata, not in your code): ${(e as Error).message}`);
  process.exit(2);
});
