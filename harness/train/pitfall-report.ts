// The pitfall lab's report.html, results.json and charts: every figure in them is read from the lab's own runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PALETTE, renderSvg, type ChartSpec, type Series } from './chart/line-chart.ts';
import { flatCheckStep, FLAT_BAND, tooGoodFloor } from './detectors.ts';
import { escapeHtml, htmlPage, keyValueTable } from './html-page.ts';
import { evalsOf, trainLinesOf, type EvalLine, type MetricsLine } from './metrics.ts';
import { sampleBox, whitespaceNote } from './sample-html.ts';
import type { LeakCurve, PitfallLabOptions, PitfallLabResult, TrainedPitfall } from './pitfall-results.ts';
import { LEAK_PITFALL } from './pitfalls/index.ts';
import { formatDuration } from './progress-bar.ts';

export interface PitfallReportInput extends PitfallLabOptions {
  result: PitfallLabResult;
}

const f4 = (x: number) => x.toFixed(4);
const f2 = (x: number) => x.toFixed(2);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const mib = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(2)} MiB`);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** A few plain numbers about a sample: what a reader can check by eye. */
function sampleStats(s: string): { chars: number; distinct: number; whitespace: number; longestRun: number } {
  const chars = [...s];
  let longestRun = 0;
  let run = 0;
  chars.forEach((c, i) => {
    run = i && chars[i - 1] === c ? run + 1 : 1;
    longestRun = Math.max(longestRun, run);
  });
  return { chars: chars.length, distinct: new Set(chars).size, whitespace: chars.filter((c) => /\s/.test(c)).length / Math.max(1, chars.length), longestRun };
}

const statsLine = (s: string) => {
  const st = sampleStats(s);
  return `${st.distinct} distinct characters, ${(st.whitespace * 100).toFixed(0)}% whitespace, longest run of one character ${st.longestRun}`;
};

/** The eval at or just after `step` (the lab evaluates at least ten times a run). */
const evalAt = (m: MetricsLine[], step: number): EvalLine => {
  const evals = evalsOf(m);
  return evals.find((x) => x.step >= step) ?? evals.at(-1)!;
};

/** The train loss of every log interval, or the val loss of every evaluation. */
function lossSeries(label: string, m: MetricsLine[], key: 'train_loss' | 'val_loss', color: string, dashed = false): Series {
  const points = key === 'train_loss' ? trainLinesOf(m).map((x) => ({ x: x.step, y: x.train_loss })) : evalsOf(m).map((x) => ({ x: x.step, y: x.val_loss }));
  return { label, color, points, dashed };
}

function flatLine(label: string, y: number, x1: number, color = '#000000'): Series {
  return { label, color, points: [{ x: 0, y }, { x: x1, y }], dashed: true };
}

function sampleBlock(title: string, s: string, id: string): string {
  return `<div><h3>${escapeHtml(title)}</h3>${sampleBox(s, `id="${id}"`)}<p class="note">${escapeHtml(`${whitespaceNote(s)}; ${statsLine(s)}`)}</p></div>`;
}

function alertsOf(t: TrainedPitfall): string {
  if (!t.run.alerts.length) return 'none';
  return t.run.alerts.map((a) => `${a.id} at step ${a.step}`).join('; ');
}

function probeOf(t: TrainedPitfall): string {
  const p = t.run.probe;
  if (!p) return '–';
  return p.passed ? `passed (max |Δ logit| ${p.maxDelta.toExponential(1)})` : `FAILED: position ${p.firstMoved} moved by ${p.maxDelta.toPrecision(3)}`;
}

function renderPitfallReport(input: PitfallReportInput): { html: string; charts: Record<string, ChartSpec>; json: unknown } {
  const { result: r } = input;
  const c = r.config;
  const vocab = r.leak.small.config.vocabSize;
  const lnV = Math.log(vocab);
  const correct = r.correct.run;
  const cm = correct.metrics;
  const cheats = r.pitfalls.filter((p) => p.pitfall!.section === 'cheats');
  const scale = r.pitfalls.filter((p) => p.pitfall!.section === 'scale');
  const charts: Record<string, ChartSpec> = {};
  const sections: string[] = [];

  // 1. The off-by-one mask: too good to be true.
  for (const t of cheats) {
    const m = t.run.metrics;
    const p = t.pitfall!;
    const delta = correct.finalTrainLoss - t.run.finalTrainLoss;
    const floor = tooGoodFloor(c.iters);
    const seen = t.run.alerts.find((a) => a.id === 'sees-future');
    const name = `${p.mistake.replace(/\//g, '--')}`;
    charts[name] = {
      title: `${p.title} vs the correct model (${input.preset} preset)`,
      xLabel: 'step',
      yLabel: 'loss (nats)',
      series: [
        lossSeries('correct: train', cm, 'train_loss', PALETTE[0]!),
        lossSeries('correct: val', cm, 'val_loss', PALETTE[0]!, true),
        lossSeries(`${p.title}: train`, m, 'train_loss', PALETTE[1]!),
        lossSeries(`${p.title}: val`, m, 'val_loss', PALETTE[1]!, true),
        { label: 'honest floor (detector)', color: '#777777', dashed: true, points: evalsOf(m).map((x) => ({ x: x.step, y: tooGoodFloor(x.step) })) },
      ],
    };
    const rows: [string, string][] = [
      ['final train loss: correct / off-by-one', `${f4(correct.finalTrainLoss)} / ${f4(t.run.finalTrainLoss)}`],
      ['final val loss: correct / off-by-one', `${f4(correct.finalValLoss)} / ${f4(t.run.finalValLoss)}`],
      ['how far too good', `${f4(delta)} nats below the correct model (${((delta / correct.finalTrainLoss) * 100).toFixed(0)}% lower); ` +
        `perplexity ${f2(Math.exp(t.run.finalTrainLoss))} instead of ${f2(Math.exp(correct.finalTrainLoss))} characters`],
      ['below the honest floor', `${f4(floor - t.run.finalTrainLoss)} nats below ${f2(floor)}, the detector's floor at step ${c.iters}`],
      ['too-good detector', seen ? `fired at step ${seen.step}: “${seen.message}”` : 'did not fire'],
      ['causality probe on the finished model', probeOf(t)],
    ];
    sections.push(`<section id="${name}">
<h2>${escapeHtml(p.title)} <code>${escapeHtml(p.mistake)}</code></h2>
<p>${escapeHtml(p.lesson)} Trained from <code>${escapeHtml(p.fixture)}</code>, the grader's fixture of this mistake.</p>
<div class="figure">${renderSvg(charts[name])}</div>
${keyValueTable(rows)}
<div class="samples">
${sampleBlock(`correct model: sample (${[...correct.sample].length} characters, temperature 1)`, correct.sample, 'sample-correct')}
${sampleBlock(`${p.title}: sample`, t.run.sample, `sample-${name}`)}
</div>
<p class="note">At sampling time the last position has no next token to copy, so the model that learned to copy has little else to say.</p>
</section>`);
  }

  // 2. Scale and softmax axis: flat or not, against ln(V).
  {
    const flatStep = flatCheckStep(c);
    charts['scale'] = {
      title: `wrong scale or softmax axis: train and val loss (${input.preset} preset)`,
      xLabel: 'step',
      yLabel: 'loss (nats)',
      series: [
        lossSeries('correct: train', cm, 'train_loss', PALETTE[0]!),
        lossSeries('correct: val', cm, 'val_loss', PALETTE[0]!, true),
        ...scale.flatMap((t, i) => [
          lossSeries(`${t.pitfall!.title}: train`, t.run.metrics, 'train_loss', PALETTE[(i + 1) % PALETTE.length]!),
          lossSeries(`${t.pitfall!.title}: val`, t.run.metrics, 'val_loss', PALETTE[(i + 1) % PALETTE.length]!, true),
        ]),
        flatLine(`ln(${vocab}) = ${f4(lnV)}`, lnV, c.iters),
      ],
    };
    const verdict = (t: TrainedPitfall): string => {
      const at = flatStep === null ? null : evalAt(t.run.metrics, flatStep);
      const flat = t.run.alerts.some((a) => a.id === 'flat-loss');
      const where = at ? `${f4(lnV - at.train_loss)} nats below ln(${vocab}) at step ${at.step}` : 'not judged';
      const d = t.run.finalValLoss - correct.finalValLoss;
      const leak = t.run.probe && !t.run.probe.passed ? '; the causality probe FAILED: it sees the future' : '';
      const gap = t === r.correct ? '' : `; ends ${f4(Math.abs(d))} nats ${d < 0 ? 'below' : 'above'} the correct model`;
      return `${flat ? 'FLAT' : 'not flat'} (${where})${gap}${leak}`;
    };
    const table = `<table id="scale-results" class="wide"><tr><th>variant</th><th>mistake id</th><th class="num">final train</th><th class="num">final val</th><th class="num">val − correct</th><th>detectors</th><th>causality probe</th><th>what it did</th></tr>
<tr><td>correct</td><td>–</td><td class="num">${f4(correct.finalTrainLoss)}</td><td class="num">${f4(correct.finalValLoss)}</td><td class="num">0</td><td>${escapeHtml(alertsOf(r.correct))}</td><td>${escapeHtml(probeOf(r.correct))}</td><td>${escapeHtml(verdict(r.correct))}</td></tr>
${scale
  .map(
    (t) =>
      `<tr data-mistake="${escapeHtml(t.pitfall!.mistake)}"><td>${escapeHtml(t.pitfall!.title)}</td><td><code>${escapeHtml(t.pitfall!.mistake)}</code></td>` +
      `<td class="num">${f4(t.run.finalTrainLoss)}</td><td class="num">${f4(t.run.finalValLoss)}</td><td class="num">${(t.run.finalValLoss - correct.finalValLoss).toFixed(4)}</td>` +
      `<td>${escapeHtml(alertsOf(t))}</td><td>${escapeHtml(probeOf(t))}</td><td>${escapeHtml(verdict(t))}</td></tr>`,
  )
  .join('\n')}
</table>`;
    const flatCount = scale.filter((t) => t.run.alerts.some((a) => a.id === 'flat-loss')).length;
    sections.push(`<section id="scale">
<h2>Wrong scale or softmax axis</h2>
<p>The seed says: if the loss flatlines at ln(vocab_size), the scaling or the softmax is off. “Flat” here is the detector's rule: still within ${FLAT_BAND} nats of ln(${vocab}) after 20% of the steps${flatStep === null ? '' : ` (step ${flatStep} in this run)`}.
At this size ${flatCount ? `${flatCount} of ${scale.length} variants flatlined` : `none of the ${scale.length} variants flatlined`}: the residual stream carries token embedding → final LayerNorm → head, a bigram model on its own, so the loss falls even when attention is broken, and the damage shows as a gap to the correct model instead.</p>
<ul>${scale.map((t) => `<li><b>${escapeHtml(t.pitfall!.title)}</b> <code>${escapeHtml(t.pitfall!.mistake)}</code>: ${escapeHtml(t.pitfall!.lesson)} (<code>${escapeHtml(t.pitfall!.fixture)}</code>)</li>`).join('')}</ul>
<div class="figure">${renderSvg(charts['scale'])}</div>
${table}
</section>`);
  }

  // 3. The sampling leak, measured small and at the lecture size, then extrapolated.
  {
    const small = r.leak.small.curves;
    const lecture = r.leak.lecture.curves;
    const sc = r.leak.small.config;
    const lc = r.leak.lecture.config;
    const curveSeries = (curves: LeakCurve[], key: 'tensors' | 'bytes', scaleBy = 1) =>
      curves.map((k, i) => ({ label: k.label, color: PALETTE[i % PALETTE.length]!, points: k.tokens.map((x, j) => ({ x, y: k[key][j]! / scaleBy })) }));
    charts['leak-tensors'] = { title: `tensors held while sampling (${input.preset} model, measured)`, xLabel: 'tokens generated', yLabel: 'tensors held', series: curveSeries(small, 'tensors') };
    charts['leak-bytes'] = { title: `bytes held while sampling (${input.preset} model, measured)`, xLabel: 'tokens generated', yLabel: 'MiB held', series: curveSeries(small, 'bytes', 2 ** 20) };
    const budget = r.leak.budgets[0]!;
    const worst = lecture.reduce((a, b) => (b.bytesPerToken > a.bytesPerToken ? b : a));
    // A sampler that leaks no tensor only grows its own int32 sequence (4 bytes a token): it never fills anything.
    const tokensTo = (k: LeakCurve, bytes: number) => (k.tensorsPerToken >= 0.5 ? (bytes - k.bytes[0]!) / k.bytesPerToken : Infinity);
    const xEnd = Math.max(1, Math.ceil(tokensTo(worst, budget.bytes)));
    charts['leak-lecture'] = {
      title: `bytes held at the lecture size, extrapolated to ${budget.label}`,
      xLabel: 'tokens generated',
      yLabel: 'GiB held',
      series: [
        ...lecture.map((k, i) => ({
          label: `${k.label} (${kib(k.bytesPerToken)}/token)`,
          color: PALETTE[i % PALETTE.length]!,
          dashed: true,
          points: [0, xEnd].map((x) => ({ x, y: (k.bytes[0]! + k.bytesPerToken * x) / 2 ** 30 })),
        })),
        flatLine(budget.label, budget.bytes / 2 ** 30, xEnd),
      ],
    };
    const row = (k: LeakCurve, i: number) => {
      const l = lecture[i]!;
      const reach = r.leak.budgets.map((b) => {
        const n = tokensTo(l, b.bytes);
        return `<td class="num">${Number.isFinite(n) ? int(n) : 'never: only its own sequence grows'}</td>`;
      });
      return (
        `<tr><td>${escapeHtml(k.label)}</td><td class="num">${k.tensorsPerToken.toFixed(1)}</td><td class="num">${kib(k.bytesPerToken)}</td><td class="num">${k.r2.toFixed(5)}</td>` +
        `<td class="num">${l.tensorsPerToken.toFixed(1)}</td><td class="num">${mib(l.bytesPerToken)}</td><td class="num">${mib(l.bytesPerToken * PRESET_SAMPLE)}</td>${reach.join('')}</tr>`
      );
    };
    const n = small[0]!.tokens.length - 1;
    const nl = lecture[0]!.tokens.length - 1;
    sections.push(`<section id="leak">
<h2>${escapeHtml(LEAK_PITFALL.title)} <code>${escapeHtml(LEAK_PITFALL.mistake)}</code></h2>
<p>${escapeHtml(LEAK_PITFALL.lesson)}</p>
<p class="note">How it is measured: each generate is called ${n} times for one token (the previous sequence disposed each time), prompted with a full context of ${sc.blockSize} characters so every token costs the same,
and tf.memory() is read after each call. A leaky generate leaves per call what one iteration of its own loop leaves, so the curve is what generate(${n}) would leave behind.</p>
<div class="figure">${renderSvg(charts['leak-tensors'])}</div>
<div class="figure">${renderSvg(charts['leak-bytes'])}</div>
<p class="note">How it is extrapolated: the same measurement at the lecture's shapes (${lc.nLayer} layers, n_embd ${lc.nEmbd}, ${lc.nHead} heads, a full ${lc.blockSize}-token context; weights initialised, not trained, since memory depends on shapes only) for ${nl} token${nl === 1 ? '' : 's'} gives the bytes each token leaks.
generate crops its context to blockSize, so once the context is full every token leaks the same: memory held = (held at the start) + tokens × (bytes per token), a straight line, drawn until it reaches ${escapeHtml(budget.label)}.</p>
<div class="figure">${renderSvg(charts['leak-lecture'])}</div>
<table id="leak-results" class="wide"><tr><th>sampler</th><th class="num">tensors/token (${escapeHtml(input.preset)})</th><th class="num">bytes/token (${escapeHtml(input.preset)})</th><th class="num">R² of the bytes line</th><th class="num">tensors/token (lecture)</th><th class="num">bytes/token (lecture)</th><th class="num">held after a ${PRESET_SAMPLE}-character sample (lecture)</th>${r.leak.budgets.map((b) => `<th class="num">tokens to fill ${escapeHtml(b.label)}</th>`).join('')}</tr>
${small.map(row).join('\n')}
</table>
</section>`);
  }

  const body = `<h1>Pitfall lab: ${escapeHtml(input.preset)} preset, ${c.iters} steps</h1>
${keyValueTable([
  ['backend', input.backend.replace(/^backend: /, '')],
  ['seed', input.seed],
  ['data', input.text.path],
  ['model', `${c.nLayer} layers, ${c.nHead} heads, n_embd ${c.nEmbd}, block ${c.blockSize}, batch ${c.batchSize}, lr ${c.lr}`],
  ['runs', `${r.pitfalls.length + 1}, on the same seed, batches and steps; total ${formatDuration([r.correct, ...r.pitfalls].reduce((a, t) => a + t.run.wallS, 0))}`],
])}
<p class="note">Every number on this page was measured by this run. Each faulty model is the grader's own fixture of its mistake, loaded as train:mine loads a gpt.ts; harness/train/pitfalls/index.ts names them.</p>
${sections.join('\n')}`;

  const json = {
    preset: input.preset,
    seed: input.seed,
    config: c,
    runs: [r.correct, ...r.pitfalls].map((t) => ({
      mistake: t.pitfall?.mistake ?? null,
      fixture: t.pitfall?.fixture ?? null,
      title: t.pitfall?.title ?? 'correct',
      final_train_loss: t.run.finalTrainLoss,
      final_val_loss: t.run.finalValLoss,
      alerts: t.run.alerts,
      probe: t.run.probe ?? null,
      sample: t.run.sample,
    })),
    leak: {
      small: r.leak.small.curves.map(({ label, tensorsPerToken, bytesPerToken, r2, tokens, tensors, bytes }) => ({ label, tensorsPerToken, bytesPerToken, r2, tokens, tensors, bytes })),
      lecture: r.leak.lecture.curves.map(({ label, tensorsPerToken, bytesPerToken, tokens, tensors, bytes }) => ({ label, tensorsPerToken, bytesPerToken, tokens, tensors, bytes })),
      budgets: r.leak.budgets,
    },
  };
  return { html: htmlPage(`pitfall lab: ${input.preset} preset`, body), charts, json };
}

/** The week's deliverable is a 500-character sample: what the leak would hold after one at the lecture size. */
const PRESET_SAMPLE = 500;

export function writePitfallReport(out: string, input: PitfallReportInput): void {
  const { html, charts, json } = renderPitfallReport(input);
  for (const [name, spec] of Object.entries(charts)) writeFileSync(join(out, `${name}.svg`), renderSvg(spec));
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(out, 'report.html'), html);
}
