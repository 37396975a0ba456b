// npm run experiments: baseline, n_embd×2, n_layer×2, GELU and a bigram on the same seed and steps (--mine: your gpt); --pitfalls: the pitfall lab.
import { resolve } from 'node:path';
import { BACKEND_CHOICES } from '../backends/backend-choices.ts';
import { PRESET_NAMES, PRESETS, type TrainConfig } from '../train/presets.ts';
import { UserError } from '../../grader/user-error.ts';
import type { OptionSpec } from './command-line.ts';
import { runCli } from './run-cli.ts';

const OPTIONS = [
  { name: 'preset', kind: 'choice', choices: PRESET_NAMES, help: 'the baseline every variant changes one thing of (default: baby; tiny with --pitfalls)' },
  { name: 'iters', kind: 'int', min: 1, value: 'N', help: 'training steps of each GPT run (default: the preset\'s, at most 2000: a comparison on one seed,\nnot the page\'s 5000-step run; the bigram trains to convergence on its own schedule)' },
  { name: 'data', kind: 'string', value: 'PATH', help: 'training text (default: Tiny Shakespeare, as npm run train finds it)' },
  { name: 'out', kind: 'string', value: 'DIR', help: 'where the runs, the plot and the table go (default: runs/experiments-<preset>)' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES, help: 'tfjs backend (default: auto)' },
  { name: 'seed', kind: 'int', min: 0, value: 'N', help: 'one seed for every run (default: 1337)' },
  { name: 'mine', kind: 'flag', help: 'train every configuration through YOUR gpt.ts (graded first; a failing one is refused)' },
  { name: 'dir', kind: 'string', value: 'DIR', help: 'with --mine: the folder with your gpt.ts (default: solutions/)' },
  { name: 'pitfalls', kind: 'flag', help: 'the pitfall lab: the classic mistakes trained for real beside the correct model' },
  { name: 'fresh', kind: 'flag', help: 'replace the runs a previous experiments left in OUT (without it, such a folder is refused)' },
  { name: 'wandb', kind: 'flag', help: 'also log each configuration to Weights & Biases, one run each in one project, so the curves share a plot\n(needs WANDB_API_KEY; project gpt-kata-experiments, or WANDB_PROJECT)' },
] as const satisfies readonly OptionSpec[];

const COMMAND = {
  name: 'experiments',
  usage: ['npm run experiments -- [options]'],
  summary: 'Trains the baseline, n_embd×2, n_layer×2, GELU and a bigram on the same seed and steps (yours with --mine); one plot, one table, samples; --pitfalls runs the pitfall lab.',
  options: OPTIONS,
};

runCli(COMMAND, async ({ options: o }) => {
  const mine = o.mine === true;
  const pitfalls = o.pitfalls === true;
  if (mine && pitfalls) throw new UserError('--mine and --pitfalls are two different labs; run them one at a time', { kind: 'usage' });
  if (o.dir !== undefined && !mine) throw new UserError('--dir is for --mine (it names the folder with your gpt.ts)', { kind: 'usage' });
  // Loaded only now, so --help and a bad flag are answered without loading tfjs.
  if (o.wandb === true && pitfalls) throw new UserError('--wandb is for the experiments; the pitfall lab writes its own report', { kind: 'usage' });
  const [{ loadTinyShakespeare }, { backendDetails, describeBackend }, { selectBackend }, { runExperiments }, { loadLearnerGpt }, { runPitfallLab }, { openWandbRun }] = await Promise.all([
    import('../../datasets/tiny-shakespeare.ts'),
    import('../train/backend.ts'),
    import('../backends/select.ts'),
    import('../train/experiments.ts'),
    import('../train/learner-gpt.ts'),
    import('../train/pitfall-lab.ts'),
    import('../train/wandb-logger.ts'),
  ]);
  // The pitfall lab trains six models: the tiny preset shows every lesson in about a minute on a CPU.
  const preset = o.preset ?? (pitfalls ? 'tiny' : 'baby');
  const iters = o.iters ?? (pitfalls ? PRESETS[preset].iters : Math.min(PRESETS[preset].iters, 2000));
  const base = { ...PRESETS[preset], iters, lrDecayIters: iters };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const learner = mine ? await loadLearnerGpt(o.dir ?? 'solutions', say, { command: 'experiments -- --mine' }) : undefined;
  const selected = await selectBackend(o.backend ?? 'auto');
  const backend = describeBackend(selected);
  say(backend);
  const text = await loadTinyShakespeare({ ...(o.data !== undefined ? { dataPath: o.data } : {}), log: say });
  const seed = o.seed ?? 1337;
  if (pitfalls) {
    await runPitfallLab({ preset, base, seed, out: resolve(o.out ?? `runs/pitfalls-${preset}`), text, backend, fresh: o.fresh === true });
    return;
  }
  const project = process.env.WANDB_PROJECT || 'gpt-kata-experiments';
  await runExperiments({
    preset,
    base,
    seed,
    out: resolve(o.out ?? `runs/experiments-${mine ? 'mine-' : ''}${preset}`),
    text,
    backend,
    backendDetails: backendDetails(selected),
    fresh: o.fresh === true,
    ...(learner ? { learner } : {}),
    ...(o.wandb === true
      ? { observe: (name: string, config: TrainConfig) => openWandbRun({ project, name: `${mine ? 'mine-' : ''}${name}`, config: { ...config, preset, seed, configuration: name }, say }) }
      : {}),
  });
});
