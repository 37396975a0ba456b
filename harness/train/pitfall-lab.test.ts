// The pitfall lab on the tiny preset: every pitfall trained for real, the detectors' verdicts, the leak line, the report in Chromium.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backends/select.ts';
import { findChromium, renderInChromium } from './headless-chromium.ts';
import { sampleHtml } from './sample-html.ts';
import { runPitfallLab } from './pitfall-lab.ts';
import type { PitfallLabResult } from './pitfall-results.ts';
import { PRESETS } from './presets.ts';
import { readSlice } from '../../datasets/tiny-shakespeare-slice.ts';

const text = { text: readSlice(300_000), path: 'tinyshakespeare[0:300k]' };
const chromium = findChromium();
if (!chromium && process.env.GPT_KATA_REQUIRE_CHROMIUM) {
  throw new Error('GPT_KATA_REQUIRE_CHROMIUM is set but chromium is not installed: apt-get install -y chromium');
}
if (!chromium) console.warn('skipping the pitfall lab\'s headless Chromium check: chromium is not installed (apt-get install -y chromium)');
let out = '';
let lab: PitfallLabResult;
const byId = (id: string) => lab.pitfalls.find((p) => p.pitfall!.mistake === id)!.run;

beforeAll(async () => {
  await selectBackend('wasm');
  out = mkdtempSync(join(tmpdir(), 'gpt-kata-pitfalls-'));
  lab = await runPitfallLab({
    preset: 'tiny',
    base: { ...PRESETS.tiny, iters: 150 },
    seed: 1337,
    out,
    text,
    backend: 'wasm',
    stream: { write: () => true },
    leakTokens: 40,
    lectureTokens: 1,
  });
}, 600_000); // six short trainings: about a minute on 2 idle cores, several when they are shared

describe('the pitfall lab', () => {
  it('the off-by-one mask trains far below the correct model, and the too-good detector says it sees the future', () => {
    const cheat = byId('causal-mask/diagonal');
    expect(cheat.finalTrainLoss).toBeLessThan(lab.correct.run.finalTrainLoss - 0.5);
    expect(cheat.finalValLoss).toBeLessThan(lab.correct.run.finalValLoss - 0.5); // it cheats on val too: the mask is in the model
    expect(cheat.alerts.map((a) => a.id)).toContain('sees-future');
    expect(cheat.probe!.passed).toBe(false);
    const lines = readFileSync(join(out, 'causal-mask--diagonal', 'metrics.jsonl'), 'utf8');
    expect(lines).toContain('your model sees the future');
  });

  it('the detectors stay silent on the correct model, and the probe passes it', () => {
    expect(lab.correct.run.alerts).toEqual([]);
    expect(lab.correct.run.probe!.passed).toBe(true);
    expect(readFileSync(join(out, 'correct', 'metrics.jsonl'), 'utf8')).not.toContain('alerts');
  });

  it('the softmax over queries leaks the future through its normaliser; the scale mistakes do not', () => {
    expect(byId('attention/softmax-axis').probe!.passed).toBe(false);
    expect(byId('attention/no-scale').probe!.passed).toBe(true);
    expect(byId('attention/wrong-scale').probe!.passed).toBe(true);
  });

  it('the leaky samplers rise linearly, token after token; the correct one stays flat', () => {
    const [ok, leaky, untidy] = lab.leak.small.curves;
    expect(ok!.tokens).toHaveLength(41);
    expect(Math.max(...ok!.tensors)).toBe(1);
    for (const c of [leaky!, untidy!]) {
      const steps = new Set(c.tensors.slice(1).map((t, i) => t - c.tensors[i]!));
      expect(steps.size, c.label).toBe(1);
      expect(c.r2).toBeGreaterThan(0.999);
    }
    const lecture = lab.leak.lecture.curves[2]!;
    expect(lecture.bytesPerToken).toBeGreaterThan(untidy!.bytesPerToken * 50); // 6 layers at n_embd 384 and a 256-token context
  });

  it.skipIf(!chromium)('report.html renders in headless Chromium with the numbers of this run', async () => {
    const { dom } = await renderInChromium(join(out, 'report.html'));
    const cheat = byId('causal-mask/diagonal');
    expect(dom).toContain(`${lab.correct.run.finalTrainLoss.toFixed(4)} / ${cheat.finalTrainLoss.toFixed(4)}`);
    expect(dom).toContain(`${(lab.correct.run.finalTrainLoss - cheat.finalTrainLoss).toFixed(4)} nats below the correct model`);
    expect(dom).toContain('your model sees the future');
    for (const id of ['causal-mask--diagonal', 'scale', 'leak']) expect(dom).toContain(`<section id="${id}">`);
    const V = lab.leak.small.config.vocabSize;
    expect(dom).toContain(`ln(${V}) = ${Math.log(V).toFixed(4)}`); // the flat line of the scale plot
    for (const p of lab.pitfalls.filter((t) => t.pitfall!.section === 'scale')) expect(dom).toContain(`data-mistake="${p.pitfall!.mistake}"`);
    expect(dom).toContain(`${lab.leak.small.curves[2]!.tensorsPerToken.toFixed(1)}</td>`);
    // the sample as shown: blank lines marked, so a sample of mostly newlines reads as one
    expect(dom).toContain(sampleHtml(cheat.sample).replace(/&quot;/g, '"').slice(0, 200));
    expect([...dom.matchAll(/<svg /g)].length).toBe(5); // off-by-one, scale, two leak curves, the lecture extrapolation
    expect(dom).not.toMatch(/NaN|undefined|Infinity/);
  });

  it.skipIf(!chromium)('the page fits: every sample in a bounded box, no table wider than the window', async () => {
    const page = join(out, 'measure.html');
    writeFileSync(
      page,
      readFileSync(join(out, 'report.html'), 'utf8').replace(
        '</body>',
        `<script>window.onload = () => { const d = document.documentElement; document.body.dataset.tallest = String(Math.max(...[...document.querySelectorAll('pre.sample')].map((p) => Math.round(p.getBoundingClientRect().height))));` +
          ` document.body.dataset.overflow = String(d.scrollWidth - d.clientWidth); };</script></body>`,
      ),
    );
    const { dom } = await renderInChromium(page);
    const tallest = Number(/data-tallest="(\d+)"/.exec(dom)?.[1]);
    expect(tallest).toBeGreaterThan(50);
    expect(tallest).toBeLessThan(450); // the off-by-one's sample (mostly newlines) scrolls inside its box
    expect(/data-overflow="(-?\d+)"/.exec(dom)?.[1]).toBe('0'); // nothing sticks out to the right
  });
});
