// `npm run kata`: the 60-minute self-test as a terminal app; grades each save through the sandboxed grader engine.
import { isAbsolute, join, resolve } from 'node:path';
import { KATAS } from '../../grader/registry.ts';
import type { KataId } from '../../grader/report.ts';
import { PROJECT_ROOT } from '../../grader/sandbox/paths.ts';
import { readCommandLine } from './command-line.ts';

/** 60: the curriculum's self-test is one hour. */
const DEFAULT_MINUTES = 60;

const { options, positionals } = readCommandLine({
  name: 'kata',
  usage: ['npm run kata -- [kata ...] [options]'],
  summary: 'The timed self-test as a terminal app: edit your files, and every save is graded. Its first row is the Session A self-check.',
  positionals: { name: 'kata', choices: KATAS.map((k) => k.id), help: `any of ${KATAS.map((k) => k.id).join(', ')} (default: all five, in order)` },
  options: [
    { name: 'dir', kind: 'string', value: 'DIR', help: 'your workspace folder (default: solutions/); may be anywhere on disk' },
    { name: 'minutes', kind: 'number', min: 1, max: 24 * 60, value: 'N', help: `length of the session clock (default: ${DEFAULT_MINUTES})` },
    { name: 'seed', kind: 'int', min: 0, max: 999_999, value: 'N', help: 'replay the Session A self-check drawn from this seed (its screen shows it; default: new questions each time)' },
  ],
});
// npm runs scripts from the project root; INIT_CWD is the folder the learner typed the command in.
const cwd = process.env.INIT_CWD ?? process.cwd();
const dirOption = options.dir;
const dir = dirOption === undefined ? join(PROJECT_ROOT, 'solutions') : isAbsolute(dirOption) ? dirOption : resolve(cwd, dirOption);
const katas = KATAS.map((k) => k.id).filter((id: KataId) => positionals.length === 0 || positionals.includes(id));

// Ink stops drawing frames when it believes it runs in CI (a CI or CONTINUOUS_INTEGRATION variable, which some shells,
// dev containers and CI runners set). This app only ever runs in a real terminal, so there that guess is wrong and would
// leave the learner a blank screen. The variables are cleared before Ink is loaded, hence the dynamic import.
if (process.stdout.isTTY && process.stdin.isTTY) {
  process.env.CI = 'false';
  process.env.CONTINUOUS_INTEGRATION = 'false';
}
const { runKataApp } = await import('../ui/kata-main.tsx');
runKataApp({ katas, dir, minutes: options.minutes ?? DEFAULT_MINUTES, cwd, ...(options.seed === undefined ? {} : { selfCheckSeed: options.seed }) });
