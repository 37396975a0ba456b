// report.html, loss.svg and loss.png as a person sees them: the PNG decoded, the page rendered by real headless Chromium.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { findChromium, renderInChromium } from './headless-chromium.ts';
import type { MetricsLine } from './metrics.ts';
import { PRESETS } from './presets.ts';
import { renderRunReport, writeRunReport, type RunSummary } from './run-report.ts';

const metrics: MetricsLine[] = [0, 100, 200, 300].map((step, i) => ({
  step,
  train_loss: 4.17 - i * 0.55,
  val_loss: 4.18 - i * 0.5,
  lr: 1e-3,
  tokens_per_s: i ? 30000 : 0,
  elapsed_s: i * 2,
}));

const summary: RunSummary = {
  title: 'reference GPT, tiny preset',
  model: 'reference gpt (grader/katas/gpt/reference.ts)',
  backend: 'backend: wasm on CPU (auto chose wasm)',
  preset: 'tiny',
  config: PRESETS.tiny,
  seed: 1337,
  params: 30529,
  vocabSize: 65,
  data: { path: '/data/tinyshakespeare.txt', tokens: 1115394, train: 1003854, val: 111540 },
  metrics,
  sample: 'ROMEO:\nWhat <light> & "shade" through yonder window breaks?',
  wallS: 6,
};

function writeRun(): string {
  const out = mkdtempSync(join(tmpdir(), 'gpt-kata-report-'));
  writeRunReport(out, summary);
  return out;
}

describe('run report files', () => {
  it('shows what the detectors said and checked, and marks a gpt.ts that fails the grader', () => {
    const quiet = renderRunReport({ ...summary, detectorChecks: ['flat loss: judged at step 60: not flat'] });
    expect(quiet).toContain('<p id="alerts">No detector fired.</p>');
    expect(quiet).toContain('<li>flat loss: judged at step 60: not flat</li>');
    expect(quiet).not.toContain('id="fails-grader"');
    const loud = renderRunReport({
      ...summary,
      alerts: [{ id: 'sees-future', step: 120, message: 'your model sees the future: <position 14>' }],
      failsGrader: 'this gpt.ts FAILS the grader (mistakes: causal-mask/diagonal)',
    });
    expect(loud).toContain('<li class="alert" data-alert="sees-future">step 120: your model sees the future: &lt;position 14&gt;</li>');
    expect(loud).toContain('⚠ this gpt.ts FAILS the grader (mistakes: causal-mask/diagonal)</p>');
  });

  it('loss.png has both curves in their colours and the title in dark ink', () => {
    const png = decode(readFileSync(join(writeRun(), 'loss.png')));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([800, 480, 4, 8]);
    /** Pixels within `tol` of `rgb` on every channel, in rows [y0, y1). */
    const count = (rgb: number[], tol: number, y0 = 0, y1 = png.height) => {
      let n = 0;
      for (let i = y0 * png.width * 4; i < y1 * png.width * 4; i += 4) if (rgb.every((c, k) => Math.abs(png.data[i + k]! - c) <= tol)) n++;
      return n;
    };
    expect(count([0x00, 0x72, 0xb2], 24)).toBeGreaterThan(300); // train, blue
    expect(count([0xd5, 0x5e, 0x00], 24)).toBeGreaterThan(150); // val, vermilion (dashed)
    expect(count([0, 0, 0], 60, 0, 40)).toBeGreaterThan(100); // the title's letters, above the plot
    expect(count([0xff, 0xff, 0xff], 0)).toBeGreaterThan(800 * 480 * 0.8); // on white, not transparent
  });

  it('loss.svg draws one path per curve through every eval point', () => {
    const svg = readFileSync(join(writeRun(), 'loss.svg'), 'utf8');
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!);
    expect(paths).toHaveLength(2);
    for (const d of paths) expect(d.split(/[ML]/).filter((s) => s.trim())).toHaveLength(4);
  });
});

const chromium = findChromium();
if (!chromium && process.env.GPT_KATA_REQUIRE_CHROMIUM) {
  throw new Error('GPT_KATA_REQUIRE_CHROMIUM is set but chromium is not installed: apt-get install -y chromium');
}
if (!chromium) console.warn('skipping the headless Chromium report tests: chromium is not installed (apt-get install -y chromium)');
describe.skipIf(!chromium)('report.html in headless Chromium', () => {
  it('shows the config, the curves, the sample and the backend', async () => {
    const out = writeRun();
    const { dom } = await renderInChromium(join(out, 'report.html'));
    expect(dom).toContain('<svg'); // the chart is inline, not a link
    expect(dom).toMatch(/<path d="M[^"]+" fill="none" stroke="#0072b2"/);
    expect(dom).toContain('What &lt;light&gt; &amp; "shade" through yonder window breaks?'); // the sample, escaped once
    expect(dom).toContain('<th>backend</th><td>wasm on CPU (auto chose wasm)</td>');
    expect(dom).toContain('2 / 2 / 32'); // n_layer / n_head / n_embd of the tiny preset
    expect(dom).toContain('2.6800'); // final val loss
    expect(dom).not.toMatch(/(src|href)="https?:/); // self-contained
  });

  it('renders the page and decodes loss.png to full size', async () => {
    const out = writeRun();
    writeFileSync(
      join(out, 'png-check.html'),
      `<body><img id="chart" src="loss.png"><script>window.onload = () => { const i = document.getElementById('chart');` +
        ` document.body.dataset.size = i.complete && i.naturalWidth ? i.naturalWidth + 'x' + i.naturalHeight : 'broken'; };</script></body>`,
    );
    const { dom } = await renderInChromium(join(out, 'png-check.html'));
    expect(dom).toContain('data-size="800x480"');
    const shot = join(out, 'shot.png');
    await renderInChromium(join(out, 'report.html'), { screenshot: shot });
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1000); // IHDR width: the window we asked for
  });
});
