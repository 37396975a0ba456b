// npm run train (the reference GPT) and npm run train:mine (your graded DIR/gpt.ts) on Tiny Shakespeare.
import { resolve } from 'node:path';
import { BACKEND_CHOICES } from '../backends/backend-choices.ts';
import { PRESET_NAMES, PRESETS } from '../train/presets.ts';
import type { ModelSpec } from '../train/trainer.ts';
import { UserError } from '../../grader/user-error.ts';
import type { OptionSpec } from './command-line.ts';
import { runCli } from './run-cli.ts';

const OPTIONS = [
  { name: 'mine', kind: 'flag', help: 'train your DIR/gpt.ts (graded first; it must pass the gpt kata) instead of the reference GPT' },
  { name: 'dir', kind: 'string', value: 'DIR', help: 'with --mine: the folder with your gpt.ts (default: solutions/)' },
  { name: 'preset', kind: 'choice', choices: PRESET_NAMES, help: 'model size and schedule (default: lecture on a GPU, baby on a CPU: the page\'s 5000 steps;\nthe time it will take is printed before the first step)' },
  { name: 'iters', kind: 'int', min: 1, value: 'N', help: 'training steps (default: the preset\'s)' },
  { name: 'data', kind: 'string', value: 'PATH', help: 'training text (default: Tiny Shakespeare, downloaded once into datasets/)' },
  { name: 'out', kind: 'string', value: 'DIR', help: 'where metrics, checkpoint, sample and report go (default: runs/<reference|mine>-<preset>);\na folder that holds a run is never replaced silently: add --resume or --fresh' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES, help: 'tfjs backend (default: auto; npm run doctor says what loads here)' },
  { name: 'seed', kind: 'int', min: 0, value: 'N', help: 'seed for the weights and the batches (default: 1337)' },
  { name: 'resume', kind: 'flag', help: 'continue from OUT/checkpoint (same flags as the run that wrote it); with --mine, with the code saved in it' },
  { name: 'fresh', kind: 'flag', help: 'start afresh in OUT even though it holds a run (that run is replaced)' },
  { name: 'wandb', kind: 'flag', help: 'also log the config, the losses and the sample to Weights & Biases (needs WANDB_API_KEY;\nproject gpt-kata, or WANDB_PROJECT)' },
  { name: 'anyway', kind: 'flag', help: 'with --mine: train your gpt.ts even though it fails the grader; every output says so, and the detectors explain what the mistake does' },
] as const satisfies readonly OptionSpec[];

const COMMAND = {
  name: 'train',
  usage: ['npm run train -- [options]', 'npm run train:mine -- [options]'],
  summary: 'Trains the reference GPT (train) or your own graded gpt.ts (train:mine) on Tiny Shakespeare.',
  options: OPTIONS,
};

runCli(COMMAND, async ({ options: o }) => {
  const mine = o.mine === true;
  if (o.dir !== undefined && !mine) throw new UserError('--dir is for npm run train:mine (it names the folder with your gpt.ts)', { kind: 'usage' });
  if (o.anyway === true && !mine) throw new UserError('--anyway is for npm run train:mine (it trains your gpt.ts even though it fails the grader)', { kind: 'usage' });
  if (o.fresh === true && o.resume === true) throw new UserError('--fresh starts over and --resume continues: choose one', { kind: 'usage' });
  // Loaded only now, so --help and a bad flag are answered without loading tfjs.
  const [{ gpt, generate }, { loadTinyShakespeare }, { backendDetails, describeBackend, runsOnGpu }, { selectBackend }, { loadLearnerGpt }, { runTraining }, checkpoint, modelCode, { refuseToReplace }, { openWandbRun }] =
    await Promise.all([
      import('../../grader/katas/gpt/reference.ts'),
      import('../../datasets/tiny-shakespeare.ts'),
      import('../train/backend.ts'),
      import('../backends/select.ts'),
      import('../train/learner-gpt.ts'),
      import('../train/trainer.ts'),
      import('../train/checkpoint.ts'),
      import('../train/model-code.ts'),
      import('../train/run-folder.ts'),
      import('../train/wandb-logger.ts'),
    ]);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const backend = await selectBackend(o.backend ?? 'auto');
  const backendLine = describeBackend(backend);
  say(backendLine);
  // Default preset: the lecture's model on a GPU, nanoGPT's baby GPT on a CPU.
  const preset = o.preset ?? (runsOnGpu(backend) ? 'lecture' : 'baby');
  if (o.preset === undefined) say(`preset: ${preset} (the ${preset === 'lecture' ? 'GPU' : 'CPU'} default; --preset tiny|baby|lecture to choose)`);
  const config = { ...PRESETS[preset], ...(o.iters !== undefined ? { iters: o.iters } : {}) };
  const seed = o.seed ?? 1337;
  const name = `${mine ? 'mine' : 'reference'}-${preset}`;
  const out = resolve(o.out ?? `runs/${name}`);
  if (o.resume !== true) refuseToReplace(out, { fresh: o.fresh === true, resumable: true, command: mine ? 'train:mine' : 'train' }); // before grading: say it at once

  let model: ModelSpec;
  let failsGrader: string[] | undefined;
  const ck = checkpoint.checkpointDir(out);
  if (mine && o.resume === true && modelCode.hasModelCode(ck)) {
    // The run keeps training the code it started with, whatever solutions/ holds now.
    const code = modelCode.readModelCode(ck);
    const changed = modelCode.changedSinceLine(code, ck, 'resuming');
    say(changed ?? `resuming with the code saved in ${ck}/code (the same as ${code.entry})`);
    const loaded = await modelCode.importModelCode(code);
    failsGrader = checkpoint.readCheckpointMeta(out).model.failsGrader;
    model = { kind: 'gpt', source: 'mine', file: code.entry, ...loaded, code };
  } else if (mine) {
    const learner = await loadLearnerGpt(o.dir ?? 'solutions', say, { anyway: o.anyway === true });
    failsGrader = learner.failsGrader;
    model = { kind: 'gpt', source: 'mine', file: learner.file, gpt: learner.gpt, generate: learner.generate, code: learner.code };
  } else {
    model = { kind: 'gpt', source: 'reference', gpt, generate };
  }
  const text = await loadTinyShakespeare({ ...(o.data !== undefined ? { dataPath: o.data } : {}), log: say });
  say(`run: ${name} → ${out}`);
  process.once('SIGINT', () => {
    say(`\ninterrupted: ${out}/checkpoint holds the last eval's step; run the same command with --resume to continue from it`);
    process.exit(130);
  });
  const wandb =
    o.wandb === true
      ? await openWandbRun({ project: process.env.WANDB_PROJECT || 'gpt-kata', name, config: { ...config, preset, seed, model: mine ? 'mine' : 'reference' }, say })
      : null;
  await runTraining({
    title: `${mine ? 'your GPT' : 'reference GPT'}, ${preset} preset`,
    preset,
    out,
    config,
    seed,
    resume: o.resume === true,
    fresh: o.fresh === true,
    command: mine ? 'train:mine' : 'train',
    text,
    model,
    backend: backendLine,
    backendDetails: backendDetails(backend),
    ...(failsGrader ? { failsGrader } : {}),
    ...(wandb ? { observer: wandb } : {}),
  });
  await wandb?.finish();
});
