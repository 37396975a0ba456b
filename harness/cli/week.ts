// npm run week: writes WEEK.md (with its images and a LEARNING_LOG.md template beside it) from the learner's runs and kata history.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../grader/sandbox/paths.ts';
import type { OptionSpec } from './command-line.ts';
import { runCli } from './run-cli.ts';

const OPTIONS = [
  { name: 'out', kind: 'string', value: 'DIR', help: 'where WEEK.md, its images and LEARNING_LOG.md go (default: the project root)' },
  { name: 'runs', kind: 'string', value: 'DIR', help: 'where your training runs are (default: runs/)' },
  { name: 'dir', kind: 'string', value: 'DIR', help: 'your kata workspace, with kata-history.jsonl (default: solutions/)' },
] as const satisfies readonly OptionSpec[];

const COMMAND = {
  name: 'week',
  usage: ['npm run week -- [options]'],
  summary: 'Writes WEEK.md: your GPT\'s diagram, its sample, the bigram comparison, Session C\'s results, your kata splits and self-check score.',
  options: OPTIONS,
};

runCli(COMMAND, async ({ options: o }) => {
  // npm runs scripts from the project root; INIT_CWD is the folder the learner typed the command in.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const at = (p: string | undefined, fallback: string) => (p === undefined ? fallback : isAbsolute(p) ? p : resolve(cwd, p));
  const out = at(o.out, PROJECT_ROOT);
  const runsDir = at(o.runs, join(PROJECT_ROOT, 'runs'));
  const dir = at(o.dir, join(PROJECT_ROOT, 'solutions'));
  // Loaded only now, so --help and a bad flag are answered without loading tfjs (the parameter count builds the model).
  const [{ writeWeek }, { historyPath }] = await Promise.all([import('../week/write-week.ts'), import('../ui/history.ts')]);
  const written = writeWeek({ out, runsDir, historyFile: historyPath(dir) });
  const show = (p: string) => {
    const rel = relative(cwd, p);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : p;
  };
  console.log(`wrote ${show(written.file)}, with ${written.beside.map(show).join(', ')} beside it`);
  if (written.keptLearningLog) console.log(`${show(written.beside[0]!)} was already there: left as you wrote it`);
  if (written.missing.length) {
    console.log('not run yet (WEEK.md says so and gives the command):');
    for (const m of written.missing) console.log(`  - ${m}`);
  }
});
