// npm run train (the reference GPT) and npm run train:mine (your graded DIR/gpt.ts) on Tiny Shakespeare.
import { resolve } from 'node:path';
import { gpt, generate } from '../../grader/reference/gpt.ts';
import { loadTinyShakespeare } from '../../datasets/tiny-shakespeare.ts';
import { BACKEND_CHOICES, describeBackend, runsOnGpu, useBackend, type BackendChoice } from '../train/backend.ts';
import { parseOptions, type OptionSpec } from '../train/cli-options.ts';
import { loadLearnerGpt } from '../train/learner-gpt.ts';
import { PRESET_NAMES, PRESETS, type PresetName } from '../train/presets.ts';
import { runCli } from '../train/run-cli.ts';
import { TrainError } from '../train/train-error.ts';
import { runTraining, type ModelSpec } from '../train/trainer.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'mine', kind: 'flag' },
  { name: 'dir', kind: 'string', value: 'DIR' },
  { name: 'preset', kind: 'choice', choices: PRESET_NAMES },
  { name: 'iters', kind: 'int', min: 1, value: 'N' },
  { name: 'data', kind: 'string', value: 'PATH' },
  { name: 'out', kind: 'string', value: 'DIR' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES },
  { name: 'seed', kind: 'int', min: 0, value: 'N' },
  { name: 'resume', kind: 'flag' },
  { name: 'anyway', kind: 'flag' },
];

runCli(async () => {
  const o = parseOptions(process.argv.slice(2), OPTIONS, 'npm run train / train:mine');
  const mine = o.mine === true;
  if (o.dir !== undefined && !mine) throw new TrainError('--dir is for npm run train:mine (it names the folder with your gpt.ts)', 2);
  if (o.anyway === true && !mine) throw new TrainError('--anyway is for npm run train:mine (it trains your gpt.ts even though it fails the grader)', 2);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let model: ModelSpec;
  let failsGrader: string[] | undefined;
  if (mine) {
    const learner = await loadLearnerGpt((o.dir as string | undefined) ?? 'solutions', say, { anyway: o.anyway === true });
    failsGrader = learner.failsGrader;
    model = { kind: 'gpt', source: 'mine', file: learner.file, gpt: learner.gpt, generate: learner.generate };
  } else {
    model = { kind: 'gpt', source: 'reference', gpt, generate };
  }

  const backend = await useBackend(((o.backend as BackendChoice | undefined) ?? 'auto'));
  const backendLine = describeBackend(backend);
  say(backendLine);
  // Default preset: the lecture's model on a GPU, nanoGPT's baby GPT on a CPU.
  const preset = (o.preset as PresetName | undefined) ?? (runsOnGpu(backend) ? 'lecture' : 'baby');
  if (o.preset === undefined) say(`preset: ${preset} (the ${preset === 'lecture' ? 'GPU' : 'CPU'} default; --preset tiny|baby|lecture to choose)`);
  const config = { ...PRESETS[preset], ...(o.iters !== undefined ? { iters: o.iters as number } : {}) };
  const seed = (o.seed as number | undefined) ?? 1337;
  const name = `${mine ? 'mine' : 'reference'}-${preset}`;
  const out = resolve((o.out as string | undefined) ?? `runs/${name}`);
  const text = await loadTinyShakespeare({ ...(o.data !== undefined ? { dataPath: o.data as string } : {}), log: say });
  say(`run: ${name} → ${out}`);
  process.once('SIGINT', () => {
    say(`\ninterrupted: ${out}/checkpoint holds the last eval's step; run the same command with --resume to continue from it`);
    process.exit(130);
  });
  await runTraining({
    title: `${mine ? 'your GPT' : 'reference GPT'}, ${preset} preset`,
    preset,
    out,
    config,
    seed,
    resume: o.resume === true,
    text,
    model,
    backend: backendLine,
    ...(failsGrader ? { failsGrader } : {}),
  });
});
