// The week's experiments: baseline, n_embd×2, n_layer×2, GELU and a bigram, same seed and steps; one val plot, one table, the samples.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gpt, generate } from '../../grader/katas/gpt/reference.ts';
import { PALETTE, renderSvg, type ChartSpec } from './chart/line-chart.ts';
import { svgToPng } from './chart/svg-to-png.ts';
import type { Alert } from './detectors.ts';
import { escapeHtml, htmlPage, keyValueTable } from './html-page.ts';
import type { LearnerGpt } from './learner-gpt.ts';
import type { MetricsLine } from './metrics.ts';
import type { TrainConfig } from './presets.ts';
import { formatDuration, type OutputStream } from './progress-bar.ts';
import { runTraining, type ModelSpec } from './trainer.ts';

export interface Experiment {
  name: string;
  /** What changed against the baseline, for the table. */
  change: string;
  config: (base: TrainConfig) => TrainConfig;
  kind: 'gpt' | 'bigram';
}

const EXPERIMENTS: readonly Experiment[] = [
  { name: 'baseline', change: 'the preset as is', config: (b) => b, kind: 'gpt' },
  { name: 'n_embd-x2', change: 'n_embd ×2 (wider: head size ×2)', config: (b) => ({ ...b, nEmbd: b.nEmbd * 2 }), kind: 'gpt' },
  { name: 'n_layer-x2', change: 'n_layer ×2 (deeper)', config: (b) => ({ ...b, nLayer: b.nLayer * 2 }), kind: 'gpt' },
  { name: 'gelu', change: 'GELU instead of ReLU in the MLP', config: (b) => ({ ...b, activation: 'gelu' }), kind: 'gpt' },
  // The lecture's bigram.py trains at 1e-2: a lookup table needs large steps to move in the same number of iterations.
  { name: 'bigram', change: 'bigram table (no attention), lr 1e-2', config: (b) => ({ ...b, lr: 1e-2, minLr: 1e-3 }), kind: 'bigram' },
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

export interface ExperimentsOptions {
  preset: string;
  base: TrainConfig;
  seed: number;
  out: string;
  text: { text: string; path: string };
  backend: string;
  stream?: OutputStream;
  /** experiments --mine: the learner's graded gpt and generate train every GPT configuration; absent = the reference. */
  learner?: LearnerGpt;
}

function valChart(title: string, runs: { name: string; metrics: MetricsLine[] }[]): ChartSpec {
  return {
    title,
    xLabel: 'step',
    yLabel: 'val loss (nats)',
    series: runs.map((r, i) => ({
      label: r.name,
      color: PALETTE[i % PALETTE.length]!,
      points: r.metrics.map((m) => ({ x: m.step, y: m.val_loss })),
      dashed: r.name === 'bigram',
    })),
  };
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

/** Runs every experiment in turn into OUT/<name>/, then writes val_loss.svg/.png, results.md/.json and report.html. */
export async function runExperiments(o: ExperimentsOptions, only: readonly Experiment[] = EXPERIMENTS): Promise<ExperimentRow[]> {
  const stream = o.stream ?? process.stdout;
  mkdirSync(o.out, { recursive: true });
  const rows: ExperimentRow[] = [];
  const curves: { name: string; metrics: MetricsLine[] }[] = [];
  for (const [i, e] of only.entries()) {
    stream.write(`\n=== experiment ${i + 1}/${only.length}: ${e.name} (${e.change}) ===\n`);
    const l = o.learner;
    const model: ModelSpec =
      e.kind === 'bigram' ? { kind: 'bigram' } : l ? { kind: 'gpt', source: 'mine', file: l.file, gpt: l.gpt, generate: l.generate } : { kind: 'gpt', source: 'reference', gpt, generate };
    const r = await runTraining({
      title: `experiment ${e.name}${o.learner && e.kind === 'gpt' ? ' (your gpt)' : ''}, ${o.preset} preset`,
      preset: o.preset,
      out: join(o.out, e.name),
      config: e.config(withCurvePoints(o.base)),
      seed: o.seed,
      resume: false,
      text: o.text,
      model,
      backend: o.backend,
      stream,
    });
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
    curves.push({ name: e.name, metrics: r.metrics });
  }

  const whose = o.learner ? `your gpt (${o.learner.file})` : 'reference gpt';
  const title = `validation loss: ${o.learner ? 'your gpt' : 'reference gpt'}, ${o.preset} preset, ${o.base.iters} steps`;
  const chart = valChart(title, curves);
  const svg = renderSvg(chart);
  writeFileSync(join(o.out, 'val_loss.svg'), svg);
  writeFileSync(join(o.out, 'val_loss.png'), svgToPng(svg));
  writeFileSync(join(o.out, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
  const md = resultsMarkdown(rows, o.preset, o.base.iters, o.seed, whose);
  writeFileSync(join(o.out, 'results.md'), md);
  const table = `<table id="results"><tr><th>configuration</th><th>change</th><th class="num">params</th><th class="num">train loss</th><th class="num">val loss</th><th class="num">wall time</th><th class="num">ms/step</th></tr>
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
    .map((r) => `<div><h3>${escapeHtml(r.name)}</h3><pre class="sample" data-config="${escapeHtml(r.name)}">\n${escapeHtml(r.sample)}</pre></div>`)
    .join('\n');
  const body = `<h1>Experiments: ${escapeHtml(whose)}, ${escapeHtml(o.preset)} preset, ${o.base.iters} steps</h1>
${keyValueTable([
  ['model', o.learner ? `your gpt (${o.learner.file}), graded before training; the bigram is the harness's` : 'reference gpt (grader/katas/gpt/reference.ts)'],
  ['backend', o.backend.replace(/^backend: /, '')],
  ['seed', o.seed],
  ['data', o.text.path],
  ['baseline', `${o.base.nLayer} layers, ${o.base.nHead} heads, n_embd ${o.base.nEmbd}, block ${o.base.blockSize}, batch ${o.base.batchSize}, lr ${o.base.lr}`],
])}
<h2>Validation loss</h2>
<div class="figure">${renderSvg(chart)}</div>
<h2>Results</h2>
${table}
<p class="note">Every configuration trains with the same seed, batches and steps; each row links to its own report (curves and sample).</p>
<h2>Detectors</h2>
${alerts.length ? `<ul class="alerts" id="alerts">${alerts.join('')}</ul>` : '<p id="alerts">No detector fired in any configuration.</p>'}
<h2>Samples (${EXPERIMENT_SAMPLE_CHARS} characters each, temperature 1)</h2>
<div class="samples" id="samples">
${samples}
</div>`;
  writeFileSync(join(o.out, 'report.html'), htmlPage(`experiments: ${o.preset} preset`, body));
  stream.write(`\n${md}\nwrote ${o.out}/{val_loss.svg,val_loss.png,results.md,results.json,report.html}\n`);
  return rows;
}
