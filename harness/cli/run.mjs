// Starts one of the project's commands with plain node (`node harness/cli/run.mjs grade …`): the command's TypeScript
// is compiled once into .cache/ and reused while its sources are unchanged, so no TypeScript loader runs at start-up.
import { pathToFileURL } from 'node:url';
import { compiledScript } from '../../grader/sandbox/compile-cache.mjs';

const COMMANDS = {
  grade: 'harness/cli/grade.ts',
  kata: 'harness/cli/kata.tsx',
  train: 'harness/cli/train.ts',
  sample: 'harness/cli/sample.ts',
  experiments: 'harness/cli/experiments.ts',
  bench: 'harness/cli/bench.ts',
  'bench-grade': 'harness/cli/bench-grade.ts',
  doctor: 'harness/cli/doctor.ts',
  week: 'harness/cli/week.ts',
};

const [name, ...rest] = process.argv.slice(2);
const entry = COMMANDS[name ?? ''];
if (!entry) {
  console.error(`run: unknown command ${JSON.stringify(name ?? '')}; one of: ${Object.keys(COMMANDS).join(', ')}`);
  process.exit(2);
}
let script;
try {
  script = await compiledScript(entry);
} catch (err) {
  const first = err?.errors?.[0];
  const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
  console.error(`run: could not compile ${entry}: ${where}${first?.text ?? err?.message ?? err}\n(npx tsx ${entry} shows the same error with more detail)`);
  process.exit(2);
}
// argv[1] is the compiled file, so a command that re-runs itself (quiet-dawn.ts) starts it again with plain node
process.argv = [process.argv[0], script, ...rest];
await import(pathToFileURL(script).href);
