// `npm run bench:grade -- [--runs N] [--json]`: wall time of `npm run grade` as a learner runs it (one kata, and all
// five), on correct solutions, median of N runs. Targets on a 2-core machine: one kata ≤ 3 s, all five ≤ 10 s.
import { join } from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../sandbox/paths.ts';
import { readCommandLine } from './command-line.ts';

const { options: values } = readCommandLine({
  name: 'bench:grade',
  usage: ['npm run bench:grade -- [options]'],
  summary: 'Times npm run grade as a learner runs it (one kata, and all five) on correct solutions; targets 3 s and 10 s.',
  options: [
    { name: 'runs', kind: 'int', min: 1, value: 'N', help: 'runs of each case; the median is reported (default: 3)' },
    { name: 'json', kind: 'flag', help: 'print one JSON line of every case\'s runs and median instead of the table' },
  ],
});
const runs = (values.runs as number | undefined) ?? 3;
const DIR = join(PROJECT_ROOT, 'grader', 'fixtures', 'multi-file'); // five correct solutions importing each other
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function time(args: string[], json: boolean): Promise<number> {
  const t0 = performance.now();
  const r = await execa('node', ['--import', 'tsx', 'harness/cli/grade.ts', ...args, '--dir', DIR, ...(json ? ['--json'] : [])], { cwd: PROJECT_ROOT, reject: false });
  if (r.exitCode !== 0) throw new Error(`grade ${args.join(' ')} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
  return (performance.now() - t0) / 1000;
}

const rows: { what: string; target_s: number; median_s: number; runs_s: number[] }[] = [];
for (const [what, args, json, target] of [
  ['one kata (attention), --json', ['attention'], true, 3],
  ['all five katas, --json', [], true, 10],
  ['all five katas, human report (with type check)', [], false, 10],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await time([...args], json));
  rows.push({ what, target_s: target, median_s: median(times), runs_s: times });
  if (!values.json) console.log(`${what.padEnd(50)} median ${median(times).toFixed(2)} s (target ≤ ${target} s; runs ${times.map((t) => t.toFixed(2)).join(', ')})`);
}
if (values.json) console.log(JSON.stringify(rows));
