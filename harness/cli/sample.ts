// npm run sample -- --run OUT: continue a prompt with a trained checkpoint (for a train:mine run, the model code saved with it).
import { resolve } from 'node:path';
import { BACKEND_CHOICES } from '../backends/backend-choices.ts';
import { UserError } from '../../grader/user-error.ts';
import type { OptionSpec } from './command-line.ts';
import { runCli } from './run-cli.ts';

const OPTIONS = [
  { name: 'run', kind: 'string', value: 'OUT', help: 'the --out folder of a training run, e.g. runs/reference-baby (required)' },
  { name: 'chars', kind: 'int', min: 1, value: 'N', help: 'new characters to generate (default: 500)' },
  { name: 'temperature', kind: 'number', min: 0, value: 'T', help: 'softmax temperature; 0 is greedy, the same text every time (default: 1)' },
  { name: 'prompt', kind: 'string', value: 'TEXT', help: 'text to continue; every character must be in the run\'s vocabulary (default: a newline)' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES, help: 'tfjs backend (default: auto)' },
] as const satisfies readonly OptionSpec[];

const COMMAND = {
  name: 'sample',
  usage: ['npm run sample -- --run OUT [options]'],
  summary: 'Continues a prompt with a trained checkpoint: the text on stdout, the backend on stderr. A train:mine run samples with the model code saved with it, whatever solutions/ holds now.',
  options: OPTIONS,
};

runCli(COMMAND, async ({ options: o }) => {
  if (o.run === undefined) throw new UserError('npm run sample needs --run OUT, the --out folder of a training run (e.g. runs/reference-baby)', { kind: 'usage' });
  // Loaded only now, so --help and a bad flag are answered without loading tfjs.
  const [{ generate: referenceGenerate }, { describeBackend }, { selectBackend }, { checkpointDir, hasCheckpoint, readCheckpointMeta }, modelCode, { failsGraderMark }, { sampleRun }] = await Promise.all([
    import('../../grader/katas/gpt/reference.ts'),
    import('../train/backend.ts'),
    import('../backends/select.ts'),
    import('../train/checkpoint.ts'),
    import('../train/model-code.ts'),
    import('../train/grader-mark.ts'),
    import('../train/sampler.ts'),
  ]);
  const out = resolve(o.run);
  if (!hasCheckpoint(out)) throw new UserError(`no checkpoint in ${out}/checkpoint: train first (npm run train -- --out ${o.run})`);
  const note = (line: string) => process.stderr.write(`${line}\n`); // stdout carries only the text
  note(describeBackend(await selectBackend(o.backend ?? 'auto')));
  const meta = readCheckpointMeta(out);
  let generate = referenceGenerate;
  if (meta.model.source === 'mine') {
    const ck = checkpointDir(out);
    if (!modelCode.hasModelCode(ck)) {
      throw new UserError(`${ck} holds no model code (it was written before runs kept their code); train it again with npm run train:mine -- --out ${o.run} --fresh`);
    }
    const code = modelCode.readModelCode(ck);
    const changed = modelCode.changedSinceLine(code, ck, 'sampling');
    if (changed) note(changed);
    if (meta.model.failsGrader) note(`⚠ ${failsGraderMark(meta.model.failsGrader)}; it was trained with --anyway`);
    generate = (await modelCode.importModelCode(code)).generate;
  }
  const text = await sampleRun(out, {
    chars: o.chars ?? 500,
    temperature: o.temperature ?? 1,
    prompt: o.prompt ?? '\n',
  }, generate);
  process.stdout.write(`${text}\n`);
});
