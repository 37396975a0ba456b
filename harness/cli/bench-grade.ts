// `npm run bench:grade -- [--runs N] [--json] [--profile]`: how long a learner waits for a verdict, on correct
// solutions, median of N runs: `npm run grade` as a whole process (one kata, all five, the human report), and in the
// kata app the time from saving a file to the verdict on screen (a real terminal: tmux), for every kata. --profile adds where the
// time of one grading goes (child start, bundle, load, each check, diagnosis). Goals on a 2-core machine: the kata
// app ≤ 1.0 s, one kata ≤ 1.5 s, all five ≤ 5 s, with the human report and type check ≤ 6 s.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { KATAS, type KataInfo } from '../../grader/registry.ts';
import { PROJECT_ROOT } from '../../grader/sandbox/paths.ts';
import { median } from '../bench/median.ts';
import { readCommandLine } from './command-line.ts';

const { options: values, positionals } = readCommandLine({
  name: 'bench:grade',
  usage: ['npm run bench:grade -- [kata ...] [options]'],
  summary: 'How long a learner waits for a verdict: the kata app from save to verdict for every kata (tmux), npm run grade as a whole process; goals 1.0, 1.5, 5 and 6 s.',
  positionals: { name: 'kata', choices: KATAS.map((k) => k.id), help: 'measure only these katas in the kata app and --profile, and skip the npm run grade rows (default: every kata, and those rows)' },
  options: [
    { name: 'runs', kind: 'int', min: 1, value: 'N', help: 'runs of each measurement; the median is reported (default: 3)' },
    { name: 'json', kind: 'flag', help: 'print one JSON object (rows, profiles, load averages) instead of the table' },
    { name: 'profile', kind: 'flag', help: 'also break one grading of each kata down into its phases (child start, bundle, load, each check, diagnosis)' },
  ],
});
const runs = values.runs ?? 3;

const DIR = join(PROJECT_ROOT, 'grader', 'fixtures', 'multi-file'); // five correct solutions importing each other
const say = (line: string) => {
  if (!values.json) console.log(line);
};

/** `npm run grade -- ARGS`, exactly as a learner types it, timed from spawn to exit. */
async function gradeProcess(args: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await execa('npm', ['run', '--silent', 'grade', '--', ...args, '--dir', DIR], { cwd: PROJECT_ROOT, reject: false });
  if (r.exitCode !== 0) throw new Error(`npm run grade -- ${args.join(' ')} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
  return (performance.now() - t0) / 1000;
}

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/**
 * The kata app in an 80x24 tmux terminal: open one kata, give it the seconds a learner spends typing (the app starts
 * its spare grading child meanwhile), save a correct solution, and time until the verdict is drawn. The folder
 * already holds the other katas' solutions, which this one may import (gpt.ts imports block.ts).
 */
let sessions = 0;
async function saveToVerdict(kata: KataInfo): Promise<number> {
  const socket = `bench-grade-${process.pid}-${sessions++}`; // a fresh tmux server each time: the last one may still be exiting
  const dir = mkdtempSync(join(tmpdir(), 'bench-grade-'));
  for (const other of KATAS) if (other.id !== kata.id) writeFileSync(join(dir, other.file), readFileSync(join(DIR, other.file), 'utf8'));
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const waitFor = async (what: string, test: (s: string) => boolean, timeoutMs = 120_000): Promise<number> => {
    const t0 = performance.now();
    for (;;) {
      const screen = tmux('capture-pane', '-p', '-t', 'app');
      if (test(screen)) return performance.now();
      if (performance.now() - t0 > timeoutMs) throw new Error(`the kata app never showed ${what}; it shows:\n${screen}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    tmux('new-session', '-d', '-s', 'app', '-x', '80', '-y', '24', `cd ${PROJECT_ROOT} && CI=true node harness/cli/run.mjs kata ${kata.id} --dir ${dir}; sleep 30`);
    await waitFor('its home screen', (s) => s.includes('clock 60:00'));
    // Enter opens the kata; on a busy machine the first key can arrive before the app listens, so it is sent again
    for (let tries = 0; ; tries++) {
      tmux('send-keys', '-t', 'app', 'Enter');
      const opened = await waitFor(`the ${kata.id} kata`, (s) => s.includes(`${kata.file} in your editor`), 3000).then(
        () => true,
        (e: unknown) => {
          if (tries < 10) return false;
          throw e;
        },
      );
      if (opened) break;
    }
    await new Promise((r) => setTimeout(r, 5000));
    const solution = readFileSync(join(DIR, kata.file), 'utf8');
    const saved = performance.now();
    writeFileSync(join(dir, kata.file), solution);
    const shown = await waitFor('the verdict', (s) => s.includes('✓ PASSED'));
    return (shown - saved) / 1000;
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    } catch {
      // the app may still be writing its archive as it exits; a leftover temp folder is harmless
    }
  }
}

export interface Row {
  what: string;
  goal_s: number;
  median_s: number | null;
  runs_s: number[];
  note?: string;
}
const rows: Row[] = [];
const load0 = loadavg()[0]!;
say(`bench:grade on ${process.platform} ${process.arch}, load average ${load0.toFixed(2)} at the start; median of ${runs}`);

const chosen = positionals.length ? KATAS.filter((k) => positionals.includes(k.id)) : KATAS;
const measures: [string, number, () => Promise<number>][] = [
  ...chosen.map((k): [string, number, () => Promise<number>] => [`kata app: save ${k.file} -> verdict on screen`, 1.0, () => saveToVerdict(k)]),
  ...(positionals.length
    ? []
    : ([
        ['npm run grade -- attention --json', 1.5, () => gradeProcess(['attention', '--json'])],
        ['npm run grade -- --json (all five)', 5, () => gradeProcess(['--json'])],
        ['npm run grade (all five, human report, type check)', 6, () => gradeProcess([])],
      ] satisfies [string, number, () => Promise<number>][])),
];
await gradeProcess(['attention', '--json']); // compiles the command once, as the first run after an install does
for (const [what, goal, measure] of measures) {
  if (what.startsWith('kata app') && !hasTmux) {
    rows.push({ what, goal_s: goal, median_s: null, runs_s: [], note: 'skipped: tmux is not installed (apt-get install -y tmux)' });
    say(`${what.padEnd(52)} skipped: tmux is not installed (apt-get install -y tmux)`);
    continue;
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await measure());
  rows.push({ what, goal_s: goal, median_s: median(times), runs_s: times });
  say(`${what.padEnd(52)} median ${median(times).toFixed(2)} s (goal ≤ ${goal} s; runs ${times.map((t) => t.toFixed(2)).join(', ')})`);
}
say(`load average ${loadavg()[0]!.toFixed(2)} at the end`);

const profiles: { kata: string; ms: number; phases: { name: string; ms: number }[] }[] = [];
if (values.profile) {
  const { gradeKata } = await import('../../grader/engine.ts');
  for (const k of chosen) {
    const report = await gradeKata(k.id, join(DIR, k.file));
    profiles.push({ kata: k.id, ms: report.durationMs, phases: report.phases ?? [] });
    say(`\n${k.id}: ${report.durationMs} ms in gradeKata (in this process: no process start, no compile)`);
    for (const p of report.phases ?? []) say(`  ${p.ms.toFixed(0).padStart(6)} ms  ${p.name}`);
  }
}
if (values.json) console.log(JSON.stringify({ load_start: load0, load_end: loadavg()[0], rows, profiles }));
