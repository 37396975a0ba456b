// npm run experiments: baseline, n_embd×2, n_layer×2, GELU and a bigram on the same seed and steps (--mine: your gpt); --pitfalls: the pitfall lab.
import { resolve } from 'node:path';
import { loadTinyShakespeare } from '../../datasets/tiny-shakespeare.ts';
import { BACKEND_CHOICES, describeBackend, useBackend, type BackendChoice } from '../train/backend.ts';
import { parseOptions, type OptionSpec } from '../train/cli-options.ts';
import { runExperiments } from '../train/experiments.ts';
import { loadLearnerGpt } from '../train/learner-gpt.ts';
import { runPitfallLab } from '../train/pitfall-lab.ts';
import { PRESET_NAMES, PRESETS, type PresetName } from '../train/presets.ts';
import { runCli } from '../train/run-cli.ts';
import { TrainError } from '../train/train-error.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'preset', kind: 'choice', choices: PRESET_NAMES },
  { name: 'iters', kind: 'int', min: 1, value: 'N' },
  { name: 'data', kind: 'string', value: 'PATH' },
  { name: 'out', kind: 'string', value: 'DIR' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES },
  { name: 'seed', kind: 'int', min: 0, value: 'N' },
  { name: 'mine', kind: 'flag' },
  { name: 'dir', kind: 'string', value: 'DIR' },
  { name: 'pitfalls', kind: 'flag' },
];

runCli(async () => {
  const o = parseOptions(process.argv.slice(2), OPTIONS, 'npm run experiments');
  const mine = o.mine === true;
  const pitfalls = o.pitfalls === true;
  if (mine && pitfalls) throw new TrainError('--mine and --pitfalls are two different labs; run them one at a time', 2);
  if (o.dir !== undefined && !mine) throw new TrainError('--dir is for --mine (it names the folder with your gpt.ts)', 2);
  // The pitfall lab trains six models: the tiny preset shows every lesson in about a minute on a CPU.
  const preset = (o.preset as PresetName | undefined) ?? (pitfalls ? 'tiny' : 'baby');
  const base = { ...PRESETS[preset], ...(o.iters !== undefined ? { iters: o.iters as number } : {}) };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const learner = mine ? await loadLearnerGpt((o.dir as string | undefined) ?? 'solutions', say, { command: 'experiments -- --mine' }) : undefined;
  const backend = describeBackend(await useBackend((o.backend as BackendChoice | undefined) ?? 'auto'));
  say(backend);
  const text = await loadTinyShakespeare({ ...(o.data !== undefined ? { dataPath: o.data as string } : {}), log: say });
  const seed = (o.seed as number | undefined) ?? 1337;
  if (pitfalls) {
    await runPitfallLab({ preset, base, seed, out: resolve((o.out as string | undefined) ?? `runs/pitfalls-${preset}`), text, backend });
    return;
  }
  await runExperiments({
    preset,
    base,
    seed,
    out: resolve((o.out as string | undefined) ?? `runs/experiments-${mine ? 'mine-' : ''}${preset}`),
    text,
    backend,
    ...(learner ? { learner } : {}),
  });
});
