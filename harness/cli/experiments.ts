// npm run experiments: baseline, n_embd×2, n_layer×2, GELU and a bigram on the same seed and steps; one plot, one table.
import { resolve } from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '../backends/backend-choices.ts';
import { PRESET_NAMES, PRESETS, type PresetName } from '../train/presets.ts';
import type { OptionSpec } from './command-line.ts';
import { runCli } from './run-cli.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'preset', kind: 'choice', choices: PRESET_NAMES, help: 'the baseline every variant changes one thing of (default: baby)' },
  { name: 'iters', kind: 'int', min: 1, value: 'N', help: 'training steps of each run (default: the preset\'s)' },
  { name: 'data', kind: 'string', value: 'PATH', help: 'training text (default: Tiny Shakespeare, as npm run train finds it)' },
  { name: 'out', kind: 'string', value: 'DIR', help: 'where the runs, the plot and the table go (default: runs/experiments-<preset>)' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES, help: 'tfjs backend (default: auto)' },
  { name: 'seed', kind: 'int', min: 0, value: 'N', help: 'one seed for every run (default: 1337)' },
];

const COMMAND = {
  name: 'experiments',
  usage: ['npm run experiments -- [options]'],
  summary: 'Trains the baseline, n_embd×2, n_layer×2, GELU and a bigram on the same seed and steps; one plot, one table.',
  options: OPTIONS,
};

runCli(COMMAND, async ({ options: o }) => {
  // Loaded only now, so --help and a bad flag are answered without loading tfjs.
  const [{ loadTinyShakespeare }, { describeBackend, useBackend }, { runExperiments }] = await Promise.all([
    import('../../datasets/tiny-shakespeare.ts'),
    import('../train/backend.ts'),
    import('../train/experiments.ts'),
  ]);
  const preset = (o.preset as PresetName | undefined) ?? 'baby';
  const base = { ...PRESETS[preset], ...(o.iters !== undefined ? { iters: o.iters as number } : {}) };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const backend = describeBackend(await useBackend((o.backend as BackendChoice | undefined) ?? 'auto'));
  say(backend);
  const text = await loadTinyShakespeare({ ...(o.data !== undefined ? { dataPath: o.data as string } : {}), log: say });
  await runExperiments({
    preset,
    base,
    seed: (o.seed as number | undefined) ?? 1337,
    out: resolve((o.out as string | undefined) ?? `runs/experiments-${preset}`),
    text,
    backend,
  });
});
