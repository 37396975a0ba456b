// npm run experiments: baseline, n_embd×2, n_layer×2, GELU and a bigram on the same seed and steps; one plot, one table.
import { resolve } from 'node:path';
import { loadTinyShakespeare } from '../../datasets/tiny-shakespeare.ts';
import { BACKEND_CHOICES, describeBackend, useBackend, type BackendChoice } from '../train/backend.ts';
import { parseOptions, type OptionSpec } from '../train/cli-options.ts';
import { runExperiments } from '../train/experiments.ts';
import { PRESET_NAMES, PRESETS, type PresetName } from '../train/presets.ts';
import { runCli } from '../train/run-cli.ts';

const OPTIONS: OptionSpec[] = [
  { name: 'preset', kind: 'choice', choices: PRESET_NAMES },
  { name: 'iters', kind: 'int', min: 1, value: 'N' },
  { name: 'data', kind: 'string', value: 'PATH' },
  { name: 'out', kind: 'string', value: 'DIR' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES },
  { name: 'seed', kind: 'int', min: 0, value: 'N' },
];

runCli(async () => {
  const o = parseOptions(process.argv.slice(2), OPTIONS, 'npm run experiments');
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
