// Turns gpu-check's raw outputs (bench.jsonl, torch.txt, metrics.jsonl in OUT) into summary.md: figures, ratios, goals.
// Usage: node scripts/gpu/summarize.mjs OUT TRAIN_PRESET TRAIN_ITERS
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [out, trainPreset = 'lecture', trainIters = '5000'] = process.argv.slice(2);
const read = (f) => (existsSync(join(out, f)) ? readFileSync(join(out, f), 'utf8') : '');
const lines = (f) => read(f).split('\n').filter((l) => l.trim());

const bench = new Map();
for (const l of lines('bench.jsonl')) {
  try {
    const j = JSON.parse(l);
    bench.set(j.preset, j);
  } catch {
    // a truncated line: the run was cut short
  }
}
const torch = new Map();
for (const l of lines('torch.txt')) {
  const kv = Object.fromEntries([...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  if (kv.preset) torch.set(kv.preset, kv);
}
const adapter = /^ {2}description: (.*)$/m.exec(read('doctor.txt'))?.[1] ?? 'unknown (see doctor.txt)';
const kind = /^ {2}kind: (.*)$/m.exec(read('doctor.txt'))?.[1] ?? '';

const rows = [];
for (const preset of new Set([...bench.keys(), ...torch.keys()])) {
  const b = bench.get(preset);
  const t = torch.get(preset);
  const wg = b && typeof b.ms_per_step === 'number' ? b.ms_per_step : undefined;
  const pt = t && t.ms_per_step ? Number(t.ms_per_step) : undefined;
  const ratio = wg !== undefined && pt ? wg / pt : undefined;
  rows.push(
    `| ${preset} | ${wg !== undefined ? wg.toFixed(1) : b?.error ?? 'not run'} | ${pt !== undefined ? `${pt.toFixed(1)} (${t.device})` : 'not run'} | ${ratio !== undefined ? `${ratio.toFixed(2)}×` : '–'} |`,
  );
}

const metrics = lines('metrics.jsonl').map((l) => JSON.parse(l));
const last = metrics.at(-1);
const lecture = bench.get('lecture');
const lectureRatio = lecture?.ms_per_step && torch.get('lecture')?.ms_per_step ? lecture.ms_per_step / Number(torch.get('lecture').ms_per_step) : undefined;

const text = [
  `# GPU check`,
  ``,
  `WebGPU adapter: ${adapter} ${kind ? `(${kind})` : ''}`,
  ``,
  `| preset | webgpu ms/step (tfjs) | PyTorch ms/step | webgpu / PyTorch |`,
  `| --- | --- | --- | --- |`,
  ...rows,
  ``,
  `Training (${trainPreset}, webgpu, ${trainIters} iterations asked): ${
    last
      ? `reached step ${last.step} in ${last.elapsed_s?.toFixed?.(0) ?? '?'} s; train ${last.train_loss.toFixed(4)}, val ${last.val_loss.toFixed(4)}, ${Math.round(last.tokens_per_s)} tokens/s`
      : 'no eval finished'
  }`,
  ``,
  `Goals (lecture preset on the H200):`,
  `- step time within 3× of PyTorch on the same GPU: ${lectureRatio === undefined ? 'not measured' : `${lectureRatio.toFixed(2)}× → ${lectureRatio <= 3 ? 'MET' : 'NOT met'}`}`,
  `- 5000 steps to val ≤ 1.50: ${
    trainPreset !== 'lecture' || !last ? 'not measured' : last.step >= 5000 ? `val ${last.val_loss.toFixed(4)} → ${last.val_loss <= 1.5 ? 'MET' : 'NOT met'}` : `not reached in the time (step ${last.step}, val ${last.val_loss.toFixed(4)})`
  }`,
];
console.log(text.join('\n'));
