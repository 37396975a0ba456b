// The week's experiments: baseline, n_embd×2, n_layer×2, GELU and a bigram, same seed and steps; one val plot, one table, the samples.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gpt, generate } from '../../grader/katas/gpt/reference.ts';
import { PALETTE, renderSvg, type ChartSpec } from './chart/line-chart.ts';
import { svgToPng } from './chart/svg-to-png.ts';
import type { Alert } from './detectors.ts';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { splitTokens } from '../../datasets/splits.ts';
import { UserError } from '../../grader/user-error.ts';
import { escapeHtml, htmlPage, keyValueTable } from './html-page.ts';
import type { LearnerGpt } from './learner-gpt.ts';
import { evalsOf, trainLinesOf, type MetricsLine } from './metrics.ts';
import { sampleBox } from './sample-html.ts';
import type { TrainConfig } from './presets.ts';
import { formatDuration, type OutputStream } from './progress-bar.ts';
import { estimateModelRun, runTraining, type ModelSpec, type RunObserver } from './trainer.ts';

export interface Experiment {
  name: string;
  /** What changed against the baseline, for the table. */
  change: string;
  config: (base: TrainConfig) => TrainConfig;
  kind: 'gpt' | 'bigram';
}

/**
 * The bigram's own schedule: a 65×65 table converges at a large step (val ≈ 2.49 on Tiny Shakespeare, the
 * count-based optimum), not at the GPT's rate and steps; each step costs a few milliseconds.
 */
function bigramSchedule(b: TrainConfig): TrainConfig {
  return { ...b, iters: 2000, lrDecayIters: 2000, lr: 1e-1, minLr: 1e-2, warmupIters: 10, weightDecay: 0, evalInterval: 100 };
}

const EXPERIMENTS: readonly Experiment[] = [
  { name: 'baseline', change: 'the preset as is', config: (b) => b, kind: 'gpt' },
  { name: 'n_embd-x2', change: 'n_embd ×2 (wider: head size ×2)', config: (b) => ({ ...b, nEmbd: b.nEmbd * 2 }), kind: 'gpt' },
  { name: 'n_layer-x2', change: 'n_layer ×2 (deeper)', config: (b) => ({ ...b, nLayer: b.nLayer * 2 }), kind: 'gpt' },
  { name: 'gelu', change: 'GELU instead of ReLU in the MLP', config: (b) => ({ ...b, activation: 'gelu' }), kind: 'gpt' },
  { name: 'bigram', change: 'bigram table (no attention), trained to convergence on its own schedule: 2000 steps at lr 0.1', config: bigramSchedule, kind: 'bigram' },
];

/** Session C compares samples too: this many characters per configuration, at temperature 1. */
export const EXPERIMENT_SAMPLE_CHARS = 300;

/** The curves are the point of the comparison: at least 10 evals per run, even on a short --iters; and a 300-character sample. */
export function withCurvePoints(base: TrainConfig): TrainConfig {
  return { ...base, evalInterval: Math.max(1, Math.min(base.evalInterval, Math.floor(base.iters / 10))), sampleChars: EXPERIMENT_SAMPLE_CHARS };
}

export interface ExperimentRow {
  name: string;
  change: string;
  params: number;
  final_train_loss: number;
  final_val_loss: number;
  wall_s: number;
  ms_per_step: number;
  /** EXPERIMENT_SAMPLE_CHARS characters at temperature 1 from the trained model. */
  sample: string;
  /** What the detectors said during this configuration's run (empty when silent). */
  alerts: Alert[];
}

/** What every set of runs (the experiments, the pitfall lab) is given: the preset, the data, where and how to train. */
export interface RunSetOptions {
  preset: string;
  base: TrainConfig;
  seed: number;
  out: string;
  text: { text: string; path: string };
  backend: string;
  stream?: OutputStream;
}

export interface ExperimentsOptions extends RunSetOptions {
  /** experiments --mine: the learner's graded gpt and generate train every GPT configuration; absent = the reference. */
  learner?: LearnerGpt;
  /** --fresh: replace the runs a previous experiments left in OUT. */
  fresh?: boolean;
  /** The backend's full reason, for the reports' details sections. */
  backendDetails?: string;
  /** One observer per configuration (W&B: one run each), or none. */
  observe?: (name: string, config: TrainConfig) => Promise<(RunObserver & { finish(): Promise<void> }) | null>;
}

/**
 * Every GPT configuration's train loss (solid, every log interval) and val loss (dashed, every evaluation) in its colour;
 * the bigram, trained on its own longer schedule, as a grey line at its converged val loss.
 */
function lossCurvesChart(title: string, runs: { name: string; kind: 'gpt' | 'bigram'; metrics: MetricsLine[] }[], iters: number): ChartSpec {
  const series: ChartSpec['series'] = [];
  runs.forEach((r, i) => {
    const evals = evalsOf(r.metrics);
    if (r.kind === 'bigram') {
      const v = evals.at(-1)?.val_loss ?? NaN;
      series.push({ label: `bigram, converged: val ${v.toFixed(3)}`, color: '#777777', dashed: true, points: [{ x: 0, y: v }, { x: iters, y: v }] });
      return;
    }
    const color = PALETTE[i % PALETTE.length]!;
    series.push({ label: `${r.name}: train`, color, points: trainLinesOf(r.metrics).map((m) => ({ x: m.step, y: m.train_loss })) });
    series.push({ label: `${r.name}: val`, color, dashed: true, points: evals.map((m) => ({ x: m.step, y: m.val_loss })) });
  });
  return { title, xLabel: 'step', yLabel: 'loss (nats)', series };
}

/** A sample as one markdown table cell: line breaks as <br>, and nothing that could end the cell or open a tag. */
const mdCell = (s: string) => escapeHtml(s).replace(/\|/g, '&#124;').replace(/\n/g, '<br>');

function resultsMarkdown(rows: ExperimentRow[], preset: string, iters: number, seed: number, whose = 'reference gpt'): string {
  const alerts = rows.flatMap((r) => r.alerts.map((a) => `- ${r.name}, step ${a.step}: ${a.message}`));
  const lines = [
    `# Experiments: ${whose}, ${preset} preset, ${iters} steps, seed ${seed}`,
    '',
    '| configuration | change | params | train loss | val loss | wall time | ms/step |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.change} | ${r.params.toLocaleString('en-US')} | ${r.final_train_loss.toFixed(4)} | ${r.final_val_loss.toFixed(4)} | ` +
        `${formatDuration(r.wall_s)} | ${r.ms_per_step.toFixed(0)} |`,
    ),
    '',
    ...(alerts.length ? ['## Detectors', '', ...alerts, ''] : []),
    `## Samples (${EXPERIMENT_SAMPLE_CHARS} characters each, temperature 1)`,
    '',
    `| ${rows.map((r) => r.name).join(' | ')} |`,
    `|${rows.map(() => '---|').join('')}`,
    `| ${rows.map((r) => mdCell(r.sample)).join(' | ')} |`,
    '',
  ];
  return lines.join('\n');
}

/** Runs every experiment in turn into OUT/<name>/, then writes loss.svg/.png (every curve), results.md/.json and report.html. */
export async function runExperiments(o: ExperimentsOptions, only: readonly Experiment[] = EXPERIMENTS): Promise<ExperimentRow[]> {
  const stream = o.stream ?? process.stdout;
  const held = only.filter((e) => existsSync(join(o.out, e.name, 'metrics.jsonl'))).map((e) => e.name);
  if (held.length && !o.fresh) {
    throw new UserError(`${o.out} already holds experiments (${held.join(', ')}), and experiments does not replace them silently: start afresh over them with --fresh, or give these runs another folder with --out DIR.`);
  }
  mkdirSync(o.out, { recursive: true });
  const rows: ExperimentRow[] = [];
  const curves: { name: string; kind: 'gpt' | 'bigram'; metrics: MetricsLine[] }[] = [];
  const l = o.learner;
  const modelOf = (e: Experiment): ModelSpec =>
    e.kind === 'bigram'
      ? { kind: 'bigram' }
      : l
        ? { kind: 'gpt', source: 'mine', file: l.file, gpt: l.gpt, generate: l.generate, code: l.code }
        : { kind: 'gpt', source: 'reference', gpt, generate };

  // The whole job's time, before any of it: every configuration timed on this machine.
  const tok = CharTokenizer.fromText(o.text.text);
  const train = splitTokens(tok.encode(o.text.text)).train;
  let total = 0;
  const parts: string[] = [];
  for (const e of only) {
    const est = await estimateModelRun(modelOf(e), e.config(withCurvePoints(o.base)), tok.vocabSize, train, o.seed);
    total += est.seconds;
    parts.push(`${e.name} ${formatDuration(est.seconds)}`);
  }
  stream.write(`estimate: ${formatDuration(total)} for all ${only.length} configurations (${parts.join(', ')}), timed on this machine just now\n`);

  for (const [i, e] of only.entries()) {
    stream.write(`\n=== experiment ${i + 1}/${only.length}: ${e.name} (${e.change}) ===\n`);
    const config = e.config(withCurvePoints(o.base));
    const observer = await o.observe?.(e.name, config);
    const r = await runTraining({
      title: `experiment ${e.name}${o.learner && e.kind === 'gpt' ? ' (your gpt)' : ''}, ${o.preset} preset`,
      preset: o.preset,
      out: join(o.out, e.name),
      config,
      seed: o.seed,
      resume: false,
      fresh: true, // the folder was checked above, as a whole
      command: 'experiments',
      text: o.text,
      model: modelOf(e),
      backend: o.backend,
      ...(o.backendDetails ? { backendDetails: o.backendDetails } : {}),
      stream,
      estimate: false,
      ...(observer ? { observer } : {}),
    });
    await observer?.finish();
    rows.push({
      name: e.name,
      change: e.change,
      params: r.params,
      final_train_loss: r.finalTrainLoss,
      final_val_loss: r.finalValLoss,
      wall_s: Number(r.wallS.toFixed(1)),
      ms_per_step: Number(r.msPerStep.toFixed(1)),
      sample: r.sample,
      alerts: r.alerts,
    });
    curves.push({ name: e.name, kind: e.kind, metrics: r.metrics });
  }

  const whose = o.learner ? `your gpt (${o.learner.file})` : 'reference gpt';
  const title = `train and val loss: ${o.learner ? 'your gpt' : 'reference gpt'}, ${o.preset} preset, ${o.base.iters} steps`;
  const chart = lossCurvesChart(title, curves, o.base.iters);
  const svg = renderSvg(chart);
  writeFileSync(join(o.out, 'loss.svg'), svg);
  writeFileSync(join(o.out, 'loss.png'), svgToPng(svg));
  writeFileSync(join(o.out, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const md = resultsMarkdown(rows, o.preset, o.base.iters, o.seed, whose);
  writeFileSync(join(o.out, 'results.md'), md);
  const table = `<table id="results" class="wide"><tr><th>configuration</th><th>change</th><th class="num">params</th><th class="num">train loss</th><th class="num">val loss</th><th class="num">wall time</th><th class="num">ms/step</th></tr>
${rows
  .map(
    (r) =>
      `<tr><td><a href="${escapeHtml(r.name)}/report.html">${escapeHtml(r.name)}</a></td><td>${escapeHtml(r.change)}</td>` +
      `<td class="num">${r.params.toLocaleString('en-US')}</td><td class="num">${r.final_train_loss.toFixed(4)}</td>` +
      `<td class="num">${r.final_val_loss.toFixed(4)}</td><td class="num">${formatDuration(r.wall_s)}</td><td class="num">${r.ms_per_step.toFixed(0)}</td></tr>`,
  )
  .join('\n')}
</table>`;
  const alerts = rows.flatMap((r) => r.alerts.map((a) => `<li class="alert" data-alert="${escapeHtml(a.id)}">${escapeHtml(r.name)}, step ${a.step}: ${escapeHtml(a.message)}</li>`));
  // The newline after <pre> is the one the HTML parser drops, so a sample that starts with a newline keeps it.
  const samples = rows
    .map((r) => `<div><h3>${escapeHtml(r.name)}</h3>${sampleBox(r.sample, `data-config="${escapeHtml(r.name)}"`)}</div>`)
    .join('\n');
  const body = `<h1>Experiments: ${escapeHtml(whose)}, ${escapeHtml(o.preset)} preset, ${o.base.iters} steps</h1>
${keyValueTable([
  ['model', o.learner ? `your gpt (${o.learner.file}), graded before training; the bigram is the harness's` : 'reference gpt (grader/katas/gpt/reference.ts)'],
  ['backend', o.backend.replace(/^backend: /, '')],
  ['seed', o.seed],
  ['data', o.text.path],
  ['baseline', `${o.base.nLayer} layers, ${o.base.nHead} heads, n_embd ${o.base.nEmbd}, block ${o.base.blockSize}, batch ${o.base.batchSize}, lr ${o.base.lr}`],
])}
<h2>Loss curves</h2>
<div class="figure">${renderSvg(chart)}</div>
<h2>Results</h2>
${table}
<p class="note">Every GPT configuration trains with the same seed, batches and steps; the bigram trains to convergence on its own schedule (${bigramSchedule(o.base).iters} steps at lr ${bigramSchedule(o.base).lr}), so it is the honest floor of a model without context. Each row links to its own report (curves and sample).</p>
<h2>Detectors</h2>
${alerts.length ? `<ul class="alerts" id="alerts">${alerts.join('')}</ul>` : '<p id="alerts">No detector fired in any configuration.</p>'}
<h2>Samples (${EXPERIMENT_SAMPLE_CHARS} characters each, temperature 1)</h2>
<div class="samples" id="samples">
${samples}
</div>
${o.backendDetails ? `<details id="details"><summary>Details: the backend</summary><pre>${escapeHtml(o.backendDetails)}</pre></details>` : ''}`;
  writeFileSync(join(o.out, 'report.html'), htmlPage(`experiments: ${o.preset} preset`, body));
  stream.write(`\n${md}\nwrote ${o.out}/{loss.svg,loss.png,results.md,results.json,report.html}\n`);
  return rows;
}
