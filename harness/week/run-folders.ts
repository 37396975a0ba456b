// Reads what training left in runs/: each run's checkpoint metadata, its evals (old and new metrics.jsonl alike), its
// sample, and which run is the learner's latest train:mine, the latest bigram and the latest experiments --mine.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GPTConfig } from '../../katas/contracts.ts';

/** One measurement of both losses (rows with train loss only, logged between evals, are not evals). */
export interface Eval {
  step: number;
  trainLoss: number | null;
  valLoss: number;
}

export interface RunFolder {
  dir: string;
  /** From checkpoint/model.json, when the run wrote one. */
  kind: 'gpt' | 'bigram' | null;
  source: 'reference' | 'mine' | null;
  config: GPTConfig | null;
  batchSize: number | null;
  evals: Eval[];
  sample: string | null;
  /** When the run last wrote metrics.jsonl (or its sample): the newest run is the latest. */
  mtimeMs: number;
}

interface LooseModelJson {
  model?: { kind?: string; source?: string; config?: GPTConfig };
  train?: { batchSize?: number };
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** Every row of metrics.jsonl that carries a val loss; unreadable lines and train-only rows are skipped. */
export function readEvals(dir: string): Eval[] {
  const path = join(dir, 'metrics.jsonl');
  if (!existsSync(path)) return [];
  const evals: Eval[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (isNumber(row.step) && isNumber(row.val_loss)) evals.push({ step: row.step, trainLoss: isNumber(row.train_loss) ? row.train_loss : null, valLoss: row.val_loss });
  }
  return evals;
}

function readModelJson(dir: string): LooseModelJson | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'checkpoint', 'model.json'), 'utf8')) as LooseModelJson;
  } catch {
    return null;
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** A folder is a run when it has metrics.jsonl or a checkpoint. */
function readRun(dir: string): RunFolder | null {
  const hasMetrics = existsSync(join(dir, 'metrics.jsonl'));
  const model = readModelJson(dir);
  if (!hasMetrics && !model) return null;
  const kind = model?.model?.kind === 'gpt' || model?.model?.kind === 'bigram' ? model.model.kind : null;
  const source = model?.model?.source === 'mine' || model?.model?.source === 'reference' ? model.model.source : null;
  const samplePath = join(dir, 'sample.txt');
  return {
    dir,
    kind,
    source,
    config: model?.model?.config ?? null,
    batchSize: model?.train?.batchSize ?? null,
    evals: readEvals(dir),
    sample: existsSync(samplePath) ? readFileSync(samplePath, 'utf8').replace(/\n$/, '') : null,
    mtimeMs: Math.max(mtime(join(dir, 'metrics.jsonl')), mtime(samplePath)),
  };
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/** An experiments folder: results.json with its plot, and one run per configuration inside. */
interface ExperimentsFolder {
  dir: string;
  rows: ExperimentResult[];
  /** The plot of every configuration's curves (loss.png; val_loss.png in older runs) when it is there. */
  plot: string | null;
  report: string | null;
  /** experiments --mine: the GPT configurations trained the learner's own gpt. */
  mine: boolean;
  mtimeMs: number;
}

interface ExperimentResult {
  name: string;
  change: string;
  params: number | null;
  trainLoss: number | null;
  valLoss: number | null;
}

function readExperiments(dir: string): ExperimentsFolder | null {
  const path = join(dir, 'results.json');
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(raw)) return null;
  const rows = raw.flatMap((r: Record<string, unknown>): ExperimentResult[] =>
    typeof r.name === 'string'
      ? [
          {
            name: r.name,
            change: typeof r.change === 'string' ? r.change : '',
            params: isNumber(r.params) ? r.params : null,
            trainLoss: isNumber(r.final_train_loss) ? r.final_train_loss : null,
            valLoss: isNumber(r.final_val_loss) ? r.final_val_loss : null,
          },
        ]
      : [],
  );
  const runs = subfolders(dir).map(readRun).filter((r): r is RunFolder => r !== null);
  const mine = runs.some((r) => r.kind === 'gpt' && r.source === 'mine') || /(^|[/\\])experiments-mine-[^/\\]*$/.test(dir);
  const plot = ['loss.png', 'val_loss.png'].map((f) => join(dir, f)).find((f) => existsSync(f)) ?? null;
  const report = join(dir, 'report.html');
  return { dir, rows, plot, report: existsSync(report) ? report : null, mine, mtimeMs: mtime(path) };
}

export interface RunsFound {
  /** The newest run of the learner's own GPT outside an experiments folder (npm run train:mine). */
  trainMine: RunFolder | null;
  /** The newest bigram run anywhere (the experiments train one). */
  bigram: RunFolder | null;
  /** The newest experiments --mine folder. */
  experimentsMine: ExperimentsFolder | null;
}

const newest = <T extends { mtimeMs: number }>(xs: T[]): T | null => xs.reduce<T | null>((a, b) => (a && a.mtimeMs >= b.mtimeMs ? a : b), null);

export function findRuns(runsDir: string): RunsFound {
  const top = subfolders(runsDir);
  const experiments = top.map(readExperiments).filter((e): e is ExperimentsFolder => e !== null);
  const standalone = top.filter((d) => !existsSync(join(d, 'results.json'))).map(readRun).filter((r): r is RunFolder => r !== null);
  const inside = experiments.flatMap((e) => subfolders(e.dir).map(readRun).filter((r): r is RunFolder => r !== null));
  // A train:mine run says so in its checkpoint; an older run without one is known by train:mine's folder name.
  const mine = standalone.filter((r) => r.kind !== 'bigram' && (r.source === 'mine' || (r.source === null && /(^|[/\\])mine-[^/\\]*$/.test(r.dir))));
  return {
    trainMine: newest(mine),
    bigram: newest([...standalone, ...inside].filter((r) => r.kind === 'bigram')),
    experimentsMine: newest(experiments.filter((e) => e.mine)),
  };
}
