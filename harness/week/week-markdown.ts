// WEEK.md as text: the architecture, the sample, the GPT against the bigram, Session C's table and plot, the katas,
// the self-check and the learning log, each from what the learner ran, or the command that makes it when nothing has.
import { relative, sep } from 'node:path';
import type { GPTConfig } from '../../katas/contracts.ts';
import { BAR_MINUTES, KATAS } from '../../grader/registry.ts';
import { replayCommand } from '../self-check/draw-self-check.ts';
import { formatClock } from '../ui/format-time.ts';
import type { HistoryRecord } from '../ui/history.ts';
import { deriveProgress } from '../ui/history-stats.ts';
import { selfCheckStats } from '../ui/self-check-stats.ts';
import { architectureDiagram } from './architecture-diagram.ts';
import type { Eval, RunFolder, RunsFound } from './run-folders.ts';

export interface WeekInputs {
  generatedAt: Date;
  /** The folder WEEK.md is written to: every link is relative to it. */
  out: string;
  runsDir: string;
  historyFile: string;
  runs: RunsFound;
  /** The GPT the diagram draws: the train:mine run's configuration, else the preset train:mine would use. */
  model: { config: GPTConfig; batch: number; params: number; fromRun: boolean; preset: string };
  history: readonly HistoryRecord[];
  /** Images already copied beside WEEK.md (absolute paths), or null. */
  images: { trainLoss: string | null; experiments: string | null };
  /** LEARNING_LOG.md beside WEEK.md (absolute). */
  learningLog: string;
}

const LEARNING_LOG_PROMPT = 'Three things I learned that the paper didn\'t say';

const n = (x: number) => x.toLocaleString('en-US');
const plural = (count: number, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;
const loss = (x: number | null) => (x === null ? '—' : x.toFixed(4));

/** A relative path that GitHub resolves: forward slashes, spaces escaped. Links only ever point beside WEEK.md. */
function link(from: string, to: string): string {
  return relative(from, to).split(sep).join('/').replace(/ /g, '%20');
}

function fence(text: string, lang = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text}\n${f}`;
}

function notRun(what: string, command: string, how = ''): string {
  return `> Not run yet: ${what}. Run \`${command}\`${how}, then \`npm run week\` again.`;
}

function lastEval(run: RunFolder): Eval | null {
  return run.evals.at(-1) ?? null;
}

function architecture(w: WeekInputs): string[] {
  const m = w.model;
  const c = m.config;
  const source = m.fromRun
    ? `my GPT as my latest \`train:mine\` run built it (\`${link(w.out, w.runs.trainMine!.dir)}\`)`
    : w.runs.trainMine
      ? `the ${m.preset} preset: my latest \`train:mine\` run (\`${link(w.out, w.runs.trainMine.dir)}\`) left no checkpoint to read its configuration from`
      : `the ${m.preset} preset that \`npm run train:mine\` trains (I have not run it yet)`;
  return [
    '## Architecture',
    '',
    `${plural(c.nLayer, 'layer')}, ${plural(c.nHead, 'head')}, d_model ${c.nEmbd}, block size ${c.blockSize}, vocabulary ${c.vocabSize}, ${c.activation.toUpperCase()}: ` +
      `${n(m.params)} parameters, counted from the tensors the trainer creates. Shapes for a batch of ${m.batch}; this is ${source}.`,
    '',
    fence(architectureDiagram(c, m.batch), 'mermaid'),
    '',
  ];
}

function sample(w: WeekInputs): string[] {
  const run = w.runs.trainMine;
  const head = ['## Sample: 500 characters at temperature 1', ''];
  if (!run) return [...head, notRun('my GPT has not been trained', 'npm run train:mine'), ''];
  if (run.sample === null) return [...head, `> My latest \`train:mine\` run (${link(w.out, run.dir)}) has no sample.txt: it did not finish. Run \`npm run train:mine -- --resume\` to complete it.`, ''];
  const e = lastEval(run);
  const at = e ? ` after ${n(e.step)} steps (val loss ${e.valLoss.toFixed(4)})` : '';
  const lines = [...head, `From my latest \`train:mine\` run, \`${link(w.out, run.dir)}\`${at}:`, '', fence(run.sample), ''];
  if (w.images.trainLoss) lines.push(`![training and validation loss](${link(w.out, w.images.trainLoss)})`, '');
  return lines;
}

/** Whether the bigram's val loss had stopped falling by its last evals, as its metrics show. */
function convergence(run: RunFolder): string {
  const [a, b] = run.evals.slice(-2);
  if (!a || !b) return 'it has only one eval, so whether it converged cannot be read from it';
  const steps = Math.max(1, b.step - a.step);
  const between = `${a.valLoss.toFixed(4)} → ${b.valLoss.toFixed(4)} over its last ${plural(steps, 'step')}`;
  // Still falling by more than 0.005 nats per 100 steps: more steps would lower the bigram's figure.
  if (((a.valLoss - b.valLoss) / steps) * 100 > 0.005) return `its val loss was still falling at its last eval (${between}), so it had not converged and its figure is an upper bound`;
  return `its val loss had levelled off (${between})`;
}

function bigram(w: WeekInputs): string[] {
  const head = ['## My GPT against the bigram', ''];
  const gpt = w.runs.trainMine;
  const big = w.runs.bigram;
  const gptEval = gpt ? lastEval(gpt) : null;
  const bigEval = big ? lastEval(big) : null;
  const lines = [...head];
  if (gpt && gptEval && big && bigEval) {
    lines.push(
      '| model | run | steps | train loss | val loss |',
      '|---|---|---:|---:|---:|',
      `| my GPT | \`${link(w.out, gpt.dir)}\` | ${n(gptEval.step)} | ${loss(gptEval.trainLoss)} | ${gptEval.valLoss.toFixed(4)} |`,
      `| bigram | \`${link(w.out, big.dir)}\` | ${n(bigEval.step)} | ${loss(bigEval.trainLoss)} | ${bigEval.valLoss.toFixed(4)} |`,
      '',
      `My GPT's validation loss is ${Math.abs(bigEval.valLoss - gptEval.valLoss).toFixed(4)} nats ${gptEval.valLoss <= bigEval.valLoss ? 'below' : 'above'} the bigram's; ${convergence(big)}.`,
      '',
    );
    return lines;
  }
  if (!gpt || !gptEval) lines.push(notRun('no validation loss of my GPT', 'npm run train:mine'), '');
  if (!big || !bigEval) lines.push(notRun('no bigram run to compare with (the experiments train one)', 'npm run experiments -- --mine'), '');
  if (gpt && gptEval) lines.push(`My GPT: val loss ${gptEval.valLoss.toFixed(4)} after ${n(gptEval.step)} steps (\`${link(w.out, gpt.dir)}\`).`, '');
  if (big && bigEval) lines.push(`The bigram: val loss ${bigEval.valLoss.toFixed(4)} after ${n(bigEval.step)} steps (\`${link(w.out, big.dir)}\`); ${convergence(big)}.`, '');
  return lines;
}

function experiments(w: WeekInputs): string[] {
  const head = ['## Session C: three modifications', ''];
  const e = w.runs.experimentsMine;
  if (!e) return [...head, notRun('n_embd ×2, n_layer ×2 and GELU against my baseline', 'npm run experiments -- --mine'), ''];
  const base = e.rows.find((r) => r.name === 'baseline')?.valLoss ?? null;
  const lines = [
    ...head,
    `From my latest \`experiments --mine\` run, \`${link(w.out, e.dir)}\`: same seed, batches and steps for every configuration.`,
    '',
    '| configuration | change | params | train loss | val loss | vs baseline |',
    '|---|---|---:|---:|---:|---:|',
    ...e.rows.map((r) => {
      const delta = base === null || r.valLoss === null || r.name === 'baseline' ? '—' : `${r.valLoss - base >= 0 ? '+' : ''}${(r.valLoss - base).toFixed(4)}`;
      return `| ${r.name} | ${r.change.replace(/\|/g, '\\|')} | ${r.params === null ? '—' : n(r.params)} | ${loss(r.trainLoss)} | ${loss(r.valLoss)} | ${delta} |`;
    }),
    '',
  ];
  if (w.images.experiments) lines.push(`![train and validation loss of every configuration](${link(w.out, w.images.experiments)})`, '');
  // runs/ stays out of git, so the report is named, not linked: a link must resolve where WEEK.md is read.
  if (e.report) lines.push(`Curves, samples and detector notes for each configuration: \`${link(w.out, e.report)}\` (open it in a browser).`, '');
  return lines;
}

function katas(w: WeekInputs): string[] {
  const progress = deriveProgress(w.history);
  const head = ['## Katas: the self-test, timed', ''];
  if (progress.sessions.length === 0) return [...head, notRun('no kata session in my history', 'npm run kata'), ''];
  const last = progress.sessions.at(-1)!;
  const lines = [
    ...head,
    `${plural(progress.sessions.length, 'session')}; splits from the latest (started ${new Date(last.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    '',
    '| kata | budget | latest split | latest time on it | my best time on it |',
    '|---|---:|---:|---:|---:|',
    ...KATAS.map((k) => {
      const pass = last.passes[k.id];
      const best = progress.bests.kataMs[k.id];
      const latest = pass ? formatClock(pass.splitMs) : last.katas.includes(k.id) ? 'not passed' : '—';
      return `| ${k.number}. ${k.title} | ${k.budgetMinutes}:00 | ${latest} | ${pass ? formatClock(pass.kataMs) : '—'} | ${best === undefined ? '—' : formatClock(best)} |`;
    }),
    '',
  ];
  const bar = progress.bests.barMs;
  lines.push(
    bar === null
      ? `The bar (the first four katas within ${BAR_MINUTES} minutes): not met yet.`
      : `The bar (the first four katas within ${BAR_MINUTES} minutes): my best is ${formatClock(bar)}${bar <= BAR_MINUTES * 60_000 ? ', met' : ', not met yet'}.`,
    '',
  );
  return lines;
}

function selfCheck(w: WeekInputs): string[] {
  const stats = selfCheckStats(w.history);
  const head = ['## Session A self-check', ''];
  const { last, best } = stats;
  if (!last || !best) return [...head, notRun('the self-check (shapes, parameter counts, why √dₖ, masking, heads, W_O)', 'npm run kata', ' and press a on its home screen'), ''];
  return [
    ...head,
    `Latest: ${last.score} of ${last.total} in ${formatClock(last.ms)} (seed ${last.seed}; \`${replayCommand(last.seed)}\` asks the same questions). ` +
      `Best: ${best.score} of ${best.total} in ${formatClock(best.ms)}. Taken ${plural(stats.attempts.length, 'time')}, new questions each time.`,
    '',
  ];
}

export function weekMarkdown(w: WeekInputs): string {
  return [
    '# My week: self-attention, multi-head attention, a GPT from scratch',
    '',
    `_Written by \`npm run week\` on ${w.generatedAt.toISOString().slice(0, 10)} from \`${link(w.out, w.runsDir) || '.'}\` and \`${link(w.out, w.historyFile)}\`; run it again after new runs._`,
    '',
    ...architecture(w),
    ...sample(w),
    ...bigram(w),
    ...experiments(w),
    ...katas(w),
    ...selfCheck(w),
    '## Learning log',
    '',
    `[${LEARNING_LOG_PROMPT}](${link(w.out, w.learningLog)}): my notes for the week.`,
    '',
  ].join('\n');
}

export function learningLogTemplate(): string {
  return [
    '# Learning log',
    '',
    `## ${LEARNING_LOG_PROMPT}`,
    '',
    '1. ',
    '2. ',
    '3. ',
    '',
  ].join('\n');
}
