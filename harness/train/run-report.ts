// The outputs of a finished run that people look at: loss.svg, loss.png and the self-contained report.html.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PALETTE, renderSvg, type ChartSpec } from './chart/line-chart.ts';
import { svgToPng } from './chart/svg-to-png.ts';
import { escapeHtml, htmlPage, keyValueTable } from './html-page.ts';
import type { Alert } from './detectors.ts';
import { evalsOf, trainLinesOf, type MetricsLine } from './metrics.ts';
import { sampleBox, whitespaceNote } from './sample-html.ts';
import { formatDuration } from './progress-bar.ts';
import type { TrainConfig } from './presets.ts';

export interface RunSummary {
  /** e.g. "reference GPT, baby preset" */
  title: string;
  /** Whose model: "reference gpt (grader/katas/gpt/reference.ts)" or the learner's file. */
  model: string;
  /** describeBackend()'s short line. */
  backend: string;
  /** Why that backend (and not the others), for the details section. */
  backendDetails?: string;
  preset: string;
  config: TrainConfig;
  seed: number;
  params: number;
  vocabSize: number;
  data: { path: string; tokens: number; train: number; val: number };
  metrics: MetricsLine[];
  sample: string;
  wallS: number;
  /** What the detectors said (flat loss, too-good loss and its causality probe). */
  alerts?: Alert[];
  /** What each detector checked, for the record, fired or not. */
  detectorChecks?: string[];
  /** train:mine --anyway: "this gpt.ts FAILS the grader (mistakes: …)". */
  failsGrader?: string;
}

/** The detectors' section of a report: their alerts first, then what each one checked. */
function detectorsHtml(alerts: readonly Alert[], checks: readonly string[]): string {
  const said = alerts.length
    ? `<ul class="alerts" id="alerts">${alerts.map((a) => `<li class="alert" data-alert="${escapeHtml(a.id)}">step ${a.step}: ${escapeHtml(a.message)}</li>`).join('')}</ul>`
    : '<p id="alerts">No detector fired.</p>';
  const checked = checks.length ? `<ul class="note">${checks.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>` : '';
  return `${said}\n${checked}`;
}

/** The banner of a run whose gpt.ts fails the grader. */
const failsGraderBanner = (mark: string) => `<p class="fails-grader" id="fails-grader">⚠ ${escapeHtml(mark)}</p>`;

/** Train loss every log interval (the batches it trained on) and val loss at every evaluation. */
function lossChart(title: string, metrics: readonly MetricsLine[]): ChartSpec {
  const train = trainLinesOf(metrics);
  const evals = evalsOf(metrics);
  // Before the first log interval only the step-0 evaluation knows the train loss.
  const trainPoints = [...evals.filter((m) => m.step === 0), ...train].map((m) => ({ x: m.step, y: m.train_loss }));
  return {
    title,
    xLabel: 'step',
    yLabel: 'loss (nats)',
    series: [
      { label: 'train (batches, every log interval)', color: PALETTE[0]!, points: trainPoints.length > 1 ? trainPoints : evals.map((m) => ({ x: m.step, y: m.train_loss })) },
      { label: 'val (every evaluation)', color: PALETTE[1]!, points: evals.map((m) => ({ x: m.step, y: m.val_loss })), dashed: true },
    ],
  };
}

export function renderRunReport(s: RunSummary): string {
  const evals = evalsOf(s.metrics);
  const first = evals[0];
  const last = evals.at(-1);
  const c = s.config;
  const summary: [string, string | number][] = [
    ['model', s.model],
    ['backend', s.backend.replace(/^backend: /, '')],
    ['steps', last?.step ?? 0],
    ['final train loss', last ? last.train_loss.toFixed(4) : '–'],
    ['final val loss', last ? `${last.val_loss.toFixed(4)}${last.val_se !== undefined ? ` ± ${last.val_se.toFixed(4)} (standard error)` : ''}` : '–'],
    ['val loss at step 0', first ? first.val_loss.toFixed(4) : '–'],
    ['wall time', formatDuration(s.wallS)],
    ['parameters', s.params.toLocaleString('en-US')],
  ];
  const config: [string, string | number][] = [
    ['preset', s.preset],
    ['n_layer / n_head / n_embd', `${c.nLayer} / ${c.nHead} / ${c.nEmbd}`],
    ['block size / batch size', `${c.blockSize} / ${c.batchSize}`],
    ['activation / dropout', `${c.activation} / ${c.dropout}`],
    ['iterations', c.iters],
    ['learning rate', `${c.lr} → ${c.minLr} (cosine, ${c.warmupIters} warm-up steps)`],
    ['AdamW', `β1 ${c.beta1}, β2 ${c.beta2}, weight decay ${c.weightDecay} (matrices only)`],
    ['gradient clip', `global norm ${c.gradClip}`],
    ['eval', `every ${c.evalInterval} steps over ${c.evalIters} batches; final over ${c.finalEvalIters}`],
    ['seed', s.seed],
    ['vocabulary', `${s.vocabSize} characters`],
    ['data', `${s.data.path} (${s.data.tokens.toLocaleString('en-US')} tokens: ${s.data.train.toLocaleString('en-US')} train / ${s.data.val.toLocaleString('en-US')} val)`],
  ];
  const rows = evals
    .map(
      (m) =>
        `<tr><td class="num">${m.step}</td><td class="num">${m.train_loss.toFixed(4)}</td><td class="num">${m.val_loss.toFixed(4)}</td>` +
        `<td class="num">${m.lr.toExponential(2)}</td><td class="num">${m.tokens_per_s.toLocaleString('en-US')}</td><td class="num">${m.elapsed_s.toFixed(1)}</td></tr>`,
    )
    .join('\n');
  const body = `<h1>${escapeHtml(s.title)}</h1>
${s.failsGrader ? failsGraderBanner(s.failsGrader) : ''}
${keyValueTable(summary)}
<h2>Loss</h2>
<div class="figure">${renderSvg(lossChart(s.title, s.metrics))}</div>
<h2>Detectors</h2>
${detectorsHtml(s.alerts ?? [], s.detectorChecks ?? [])}
<h2>Sample (${[...s.sample].length} characters, temperature 1)</h2>
${sampleBox(s.sample, 'id="sample"')}
<p class="note">${escapeHtml(whitespaceNote(s.sample))}</p>
<h2>Configuration</h2>
${keyValueTable(config)}
<h2>Evaluations</h2>
<table id="metrics" class="wide"><tr><th class="num">step</th><th class="num">train loss</th><th class="num">val loss</th><th class="num">lr</th><th class="num">tokens/s</th><th class="num">elapsed s</th></tr>
${rows}
</table>
<p class="note">Written by gpt-kata's trainer. Losses are mean cross-entropy in nats over fixed, seeded eval batches; metrics.jsonl also keeps the train loss of every log interval (the curve's solid line).</p>
${s.backendDetails ? `<details id="details"><summary>Details: the backend</summary><pre>${escapeHtml(s.backendDetails)}</pre></details>` : ''}`;
  return htmlPage(`${s.title}: training report`, body);
}

/** Writes loss.svg, loss.png and report.html into `out`. */
export function writeRunReport(out: string, s: RunSummary): void {
  const chart = lossChart(s.title, s.metrics);
  const svg = renderSvg(chart);
  writeFileSync(join(out, 'loss.svg'), svg);
  writeFileSync(join(out, 'loss.png'), svgToPng(svg));
  writeFileSync(join(out, 'report.html'), renderRunReport(s));
}
