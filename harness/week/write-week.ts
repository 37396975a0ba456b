// Gathers the week from runs/ and the kata history, copies its images beside WEEK.md, and writes WEEK.md and (once) LEARNING_LOG.md.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gptConfigOf, PRESETS } from '../train/presets.ts';
import { gptParamCensus } from '../self-check/gpt-param-census.ts';
import { readHistory } from '../ui/history.ts';
import { findRuns } from './run-folders.ts';
import { learningLogTemplate, weekMarkdown, type WeekInputs } from './week-markdown.ts';

export interface WeekOptions {
  out: string;
  runsDir: string;
  historyFile: string;
  now?: Date;
}

export interface WeekWritten {
  file: string;
  /** Files written or copied beside it. */
  beside: string[];
  /** The parts that have not been run yet, each with its command. */
  missing: string[];
  /** LEARNING_LOG.md was already there and was left as it is. */
  keptLearningLog: boolean;
}

/** Tiny Shakespeare's vocabulary, for the diagram when no run says otherwise. */
const TINY_SHAKESPEARE_VOCAB = 65;
/** What train:mine trains on a CPU by default. */
const DEFAULT_PRESET = 'baby';

const TRAIN_LOSS_IMAGE = 'week-train-loss.png';
const EXPERIMENTS_IMAGE = 'week-experiments-loss.png';

function copyBeside(from: string | null, out: string, name: string): string | null {
  const to = join(out, name);
  if (from === null || !existsSync(from)) {
    rmSync(to, { force: true }); // an image from an earlier week must not pass for this one
    return null;
  }
  copyFileSync(from, to);
  return to;
}

export function writeWeek(o: WeekOptions): WeekWritten {
  mkdirSync(o.out, { recursive: true });
  const runs = findRuns(o.runsDir);
  const history = readHistory(o.historyFile).records;
  const run = runs.trainMine;
  const preset = PRESETS[DEFAULT_PRESET];
  const config = run?.config ?? gptConfigOf(preset, TINY_SHAKESPEARE_VOCAB);
  const params = gptParamCensus(config).reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  const images = {
    trainLoss: copyBeside(run ? join(run.dir, 'loss.png') : null, o.out, TRAIN_LOSS_IMAGE),
    experiments: copyBeside(runs.experimentsMine?.plot ?? null, o.out, EXPERIMENTS_IMAGE),
  };
  const learningLog = join(o.out, 'LEARNING_LOG.md');
  const keptLearningLog = existsSync(learningLog);
  if (!keptLearningLog) writeFileSync(learningLog, learningLogTemplate());
  const inputs: WeekInputs = {
    generatedAt: o.now ?? new Date(),
    out: o.out,
    runsDir: o.runsDir,
    historyFile: o.historyFile,
    runs,
    model: { config, batch: run?.config ? (run.batchSize ?? preset.batchSize) : preset.batchSize, params, fromRun: run?.config != null, preset: DEFAULT_PRESET },
    history,
    images,
    learningLog,
  };
  const file = join(o.out, 'WEEK.md');
  writeFileSync(file, weekMarkdown(inputs));
  const missing: string[] = [];
  if (!run) missing.push('your trained GPT and its sample: npm run train:mine');
  if (!runs.bigram) missing.push('a bigram to compare with: npm run experiments -- --mine');
  if (!runs.experimentsMine) missing.push('the three modifications: npm run experiments -- --mine');
  if (!history.some((r) => r.type === 'session-start')) missing.push('kata splits: npm run kata');
  if (!history.some((r) => r.type === 'self-check-end')) missing.push('the Session A self-check: npm run kata, then a on its home screen');
  const beside = [learningLog, ...[images.trainLoss, images.experiments].filter((x): x is string => x !== null)];
  return { file, beside, missing, keptLearningLog };
}
