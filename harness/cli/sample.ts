// npm run sample -- --run OUT: continue a prompt with a trained checkpoint (the learner's generate for train:mine runs).
import { dirname, resolve } from 'node:path';
import { generate as referenceGenerate } from '../../grader/reference/gpt.ts';
import { BACKEND_CHOICES, describeBackend, useBackend, type BackendChoice } from '../train/backend.ts';
import { hasCheckpoint, readCheckpointMeta } from '../train/checkpoint.ts';
import { parseOptions, type OptionSpec } from '../train/cli-options.ts';
import { loadLearnerGpt } from '../train/learner-gpt.ts';
import { runCli } from '../train/run-cli.ts';
import { sampleRun } from '../train/sampler.ts';
import { TrainError } from '../train/train-error.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'run', kind: 'string', value: 'OUT' },
  { name: 'chars', kind: 'int', min: 1, value: 'N' },
  { name: 'temperature', kind: 'number', min: 0, value: 'T' },
  { name: 'prompt', kind: 'string', value: 'TEXT' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES },
];

runCli(async () => {
  const o = parseOptions(process.argv.slice(2), OPTIONS, 'npm run sample');
  if (o.run === undefined) throw new TrainError('npm run sample needs --run OUT, the --out folder of a training run (e.g. runs/reference-baby)', 2);
  const out = resolve(o.run as string);
  if (!hasCheckpoint(out)) throw new TrainError(`no checkpoint in ${out}/checkpoint: train first (npm run train -- --out ${o.run})`);
  const note = (line: string) => process.stderr.write(`${line}\n`); // stdout carries only the text
  note(describeBackend(await useBackend((o.backend as BackendChoice | undefined) ?? 'auto')));
  const meta = readCheckpointMeta(out);
  let generate = referenceGenerate;
  if (meta.model.source === 'mine' && meta.model.file) {
    // The checkpoint came from train:mine: sample with the learner's own generate, graded again in case it changed.
    // A train:mine --anyway run failed the grader when it was trained: sample it anyway, marked as such.
    generate = (await loadLearnerGpt(dirname(meta.model.file), note, meta.model.failsGrader ? { anyway: true, command: 'sample' } : {})).generate;
  }
  const text = await sampleRun(out, {
    chars: (o.chars as number | undefined) ?? 500,
    temperature: (o.temperature as number | undefined) ?? 1,
    prompt: (o.prompt as string | undefined) ?? '\n',
  }, generate);
  process.stdout.write(`${text}\n`);
});
