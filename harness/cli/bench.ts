// npm run bench: times the trainer's training step (median after a warm-up), optionally beside PyTorch and per kernel.
import { resolve } from 'node:path';
import type { GPT } from '../../katas/contracts.ts';
import { BACKEND_CHOICES } from '../backends/backend-choices.ts';
import type { StepTiming } from '../bench/step-timer.ts';
import { median } from '../bench/median.ts';
import { DEFAULT_ANCHOR } from '../bench/torch-anchor.ts';
import { PRESET_NAMES, PRESETS } from '../train/presets.ts';
import { UserError } from '../../grader/user-error.ts';
import type { OptionSpec } from './command-line.ts';
import { runCli } from './run-cli.ts';

const OPTIONS = [
  { name: 'preset', kind: 'choice', choices: PRESET_NAMES, help: 'the trainer\'s presets (default: baby)' },
  { name: 'steps', kind: 'int', min: 1, value: 'N', help: 'timed training steps per round (default 20); the median is reported' },
  { name: 'warmup', kind: 'int', min: 0, value: 'N', help: 'untimed steps first (default 3)' },
  { name: 'backend', kind: 'choice', choices: BACKEND_CHOICES, help: 'as for npm run train (default auto)' },
  { name: 'data', kind: 'string', value: 'PATH', help: 'training text (default: Tiny Shakespeare, as npm run train finds it)' },
  { name: 'json', kind: 'flag', help: 'last stdout line: {"backend","preset","ms_per_step","tokens_per_s","steps", ...}' },
  { name: 'profile', kind: 'flag', help: 'per-kernel and per-matmul-shape breakdown of a step (each kernel call timed over 5 extra steps),\n' +
      'with the thread setting in force and, where BLAS may use more, with one BLAS thread' },
  { name: 'mine', kind: 'flag', help: 'time your DIR/gpt.ts (graded first, like train:mine) instead of the reference GPT' },
  { name: 'dir', kind: 'string', value: 'DIR', help: 'with --mine: the folder with your gpt.ts (default: solutions/)' },
  { name: 'baseline', kind: 'flag', help: 'wasm with only the must-have kernels (gather gradient, our SIMD matmul without BLAS): the "before"' },
  {
    name: 'vs-torch',
    kind: 'flag',
    help: 'alternate rounds with the PyTorch anchor (1 thread of its own, its BLAS capped as GPT_KATA_THREADS caps ours,\n' +
      '--iters 40) and report the median of the round ratios\n' +
      '(each round side by side) and the ratio of medians,\n' +
      'of wall time and of CPU time per step (the anchor\'s CPU time less that of 5-iteration runs:\n' +
      'an estimate, good to ~10 ms)',
  },
  { name: 'rounds', kind: 'int', min: 1, value: 'N', help: 'rounds for --vs-torch (default 3)' },
  { name: 'anchor', kind: 'string', value: 'PATH', help: 'the PyTorch anchor script (default harness/bench/torch-gpt.py)' },
] as const satisfies readonly OptionSpec[];

const COMMAND = {
  name: 'bench',
  usage: ['npm run bench -- [options]'],
  summary: 'Times the trainer\'s training step (median after a warm-up), optionally beside PyTorch and per kernel.',
  options: OPTIONS,
};

const fmt = (ms: number) => ms.toFixed(1);

runCli(COMMAND, async ({ options: o }) => {
  // Loaded only now, so --help and a bad flag are answered without loading tfjs.
  const [{ gpt }, { loadTinyShakespeare }, { registerWasmKernels, wasmMatmulPath }, { timeSteps }, { findTorchPython, runTorchAnchor }, { describeBackend }, { selectBackend }, { loadLearnerGpt }, { blasThreadChoice, capBlasThreads }, { blasThreads }] =
    await Promise.all([
      import('../../grader/katas/gpt/reference.ts'),
      import('../../datasets/tiny-shakespeare.ts'),
      import('../kernels/index.ts'),
      import('../bench/step-timer.ts'),
      import('../bench/torch-anchor.ts'),
      import('../train/backend.ts'),
      import('../backends/select.ts'),
      import('../train/learner-gpt.ts'),
      import('../kernels/blas-matmul.ts'),
      import('../kernels/blas-addon.ts'),
    ]);
  const preset = o.preset ?? 'baby';
  const config = PRESETS[preset];
  const steps = o.steps ?? 20; // enough for a stable median at ~0.1-0.3 s a step
  const warmup = o.warmup ?? 3;
  const rounds = o['vs-torch'] ? (o.rounds ?? 3) : 1;
  const json = o.json === true;
  const say = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);
  if (o.rounds !== undefined && !o['vs-torch']) throw new UserError('--rounds is for --vs-torch', { kind: 'usage' });

  let model: GPT = gpt;
  if (o.mine) model = (await loadLearnerGpt(o.dir ?? 'solutions', say)).gpt;
  else if (o.dir !== undefined) throw new UserError('--dir is for --mine (it names the folder with your gpt.ts)', { kind: 'usage' });

  const choice = o.backend ?? 'auto';
  if (o.baseline) {
    if (choice !== 'wasm') throw new UserError('--baseline compares wasm kernels; add --backend wasm', { kind: 'usage' });
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmKernels({ simd: false }); // first registration wins, so the backend's own call below keeps these
  }
  const backend = await selectBackend(choice);
  say(describeBackend(backend) + (o.baseline ? ' [baseline kernels]' : ''));
  const text = await loadTinyShakespeare({ ...(o.data !== undefined ? { dataPath: o.data } : {}), log: say });

  const shape = { nEmbd: config.nEmbd, nHead: config.nHead, nLayer: config.nLayer, blockSize: config.blockSize, batchSize: config.batchSize };
  const ANCHOR_ITERS = 40; // the anchor's timed run: --iters 40
  const SHORT_ITERS = 5; // a short run measures the anchor's fixed CPU cost (import torch, data, eval)
  // GPT_KATA_THREADS caps ours; the anchor's BLAS gets the same cap, else "one thread" would time PyTorch on every core
  const torchBlasThreads = process.env.GPT_KATA_THREADS ? blasThreads() : undefined;
  let torch: { python: string; anchor: string; fixedCpuS: number; blasThreads?: number } | undefined;
  if (o['vs-torch']) {
    const found = findTorchPython();
    if ('error' in found) throw new UserError(`--vs-torch: ${found.error}`);
    const anchor = resolve(o.anchor ?? DEFAULT_ANCHOR);
    // the median of 3 short runs: a single one's start-up cost varies by a few hundred ms (page cache, imports)
    const cap = torchBlasThreads !== undefined ? { blasThreads: torchBlasThreads } : {};
    const shorts = [0, 1, 2].map(() => runTorchAnchor({ python: found.python, anchor, data: text.path, iters: SHORT_ITERS, threads: 1, model: shape, ...cap }).cpuS);
    torch = { python: found.python, anchor, fixedCpuS: median(shorts), ...cap };
  }

  // --profile: under the thread setting in force, then (where BLAS may use more than one) on one thread too
  const threadsSetting = process.env.GPT_KATA_THREADS ? `GPT_KATA_THREADS=${process.env.GPT_KATA_THREADS}` : 'default threads';
  const blasOn = backend.name === 'wasm' && !wasmMatmulPath().startsWith('wasm');
  const profileSettings = [
    { label: threadsSetting, apply: () => capBlasThreads() },
    ...(blasOn && blasThreads() > 1 ? [{ label: 'one BLAS thread (as GPT_KATA_THREADS=1)', apply: () => capBlasThreads(1) }] : []),
  ];

  const ours: StepTiming[] = [];
  const theirs: { ms: number; cpuMs: number; blasThreads: number | null }[] = [];
  for (let r = 0; r < rounds; r++) {
    if (torch) {
      const run = runTorchAnchor({ ...torch, data: text.path, iters: ANCHOR_ITERS, threads: 1, model: shape });
      theirs.push({ ms: run.msPerStep, cpuMs: ((run.cpuS - torch.fixedCpuS) * 1000) / (ANCHOR_ITERS - SHORT_ITERS), blasThreads: run.blasThreads });
    }
    let t: StepTiming;
    try {
      t = await timeSteps({ gpt: model, config, text: text.text, steps, warmup, ...(o.profile === true && r === rounds - 1 ? { profile: profileSettings } : {}) });
    } catch (e) {
      // tfjs-backend-wasm's heap is 32-bit: 4 GiB at most, and it aborts (without a message) when that runs out
      if (backend.name === 'wasm' && /memory access out of bounds|Aborted\(/.test(String((e as Error).message))) {
        throw new UserError(`the ${preset} preset does not fit in the wasm backend's memory (4 GiB at most); ` +
          'bench a smaller preset (tiny, baby) on wasm, or use --backend tensorflow/webgpu for lecture');
      }
      throw e;
    }
    ours.push(t);
    const vs = torch
      ? `   PyTorch ${fmt(theirs[r]!.ms)} ms (${(t.msPerStep / theirs[r]!.ms).toFixed(2)}×); CPU ${fmt(t.cpuMsPerStep)} vs ${fmt(theirs[r]!.cpuMs)} ms`
      : `; CPU ${fmt(t.cpuMsPerStep)} ms/step`;
    say(`${rounds > 1 ? `round ${r + 1}/${rounds}: ` : ''}${preset}: ${fmt(t.msPerStep)} ms/step (median of ${steps}), ${Math.round(t.tokensPerS)} tokens/s${vs}`);
  }

  const msPerStep = median(ours.map((t) => t.msPerStep));
  const tokensPerS = (config.batchSize * config.blockSize * 1000) / msPerStep;
  for (const profile of ours[ours.length - 1]!.profiles ?? []) {
    const total = profile.kernels.reduce((s, k) => s + k.ms, 0);
    say(`\nper-kernel time of one step (${profile.timer}, median of ${profile.steps} profiled steps, ${profile.label}; ${fmt(total)} ms in kernels):`);
    for (const k of profile.kernels.slice(0, 25)) {
      say(`  ${k.name.padEnd(24)} ${fmt(k.ms).padStart(8)} ms ${((100 * k.ms) / total).toFixed(1).padStart(5)}% ${String(k.calls).padStart(5)} calls`);
    }
    if (profile.matmuls.length) {
      const mm = profile.matmuls.reduce((s, m) => s + m.ms, 0);
      const gflop = profile.matmuls.reduce((s, m) => s + m.gflop * m.calls, 0);
      say(`\nmatmuls by shape, batch× M×N×K (${profile.label}; per step: ${fmt(mm)} ms, ${gflop.toFixed(2)} GFLOP, ${(gflop / (mm / 1000)).toFixed(0)} GFLOP/s):`);
      for (const m of profile.matmuls) {
        const rate = (m.gflop * m.calls) / (m.ms / 1000);
        say(`  ${m.shape.padEnd(36)} ${fmt(m.ms).padStart(7)} ms ${String(m.calls).padStart(4)} calls ${rate.toFixed(0).padStart(5)} GFLOP/s`);
      }
    }
  }
  const cpuMs = median(ours.map((t) => t.cpuMsPerStep));
  if (blasOn && blasThreads() === 1) {
    say(`matmul: ${wasmMatmulPath()}`);
  } else if (blasOn) {
    const c = blasThreadChoice;
    const by = c.stepsBy;
    say(`matmul: ${wasmMatmulPath()}; of ${c.steps} steps, big work shared with the helper thread in ${by.pair}, ` +
      `big products on the BLAS's threads in ${by.all}, one thread in ${by.one} (steps are timed each way and the fastest kept)`);
  } else if (backend.name === 'wasm') {
    say(`matmul: ${wasmMatmulPath()}, 1 thread`);
  }
  const result: Record<string, unknown> = {
    backend: backend.name, preset, ms_per_step: Number(fmt(msPerStep)), tokens_per_s: Math.round(tokensPerS), steps,
    cpu_ms_per_step: Number(fmt(cpuMs)),
    ...(backend.name === 'wasm' ? { matmul: wasmMatmulPath() } : {}),
  };
  if (torch) {
    const torchMs = median(theirs.map((t) => t.ms));
    const torchCpuMs = median(theirs.map((t) => t.cpuMs));
    // each round's ratio is measured side by side, so their median is steadier than the ratio of the two medians
    const roundRatios = ours.map((t, r) => t.msPerStep / theirs[r]!.ms);
    const medianRatio = median(roundRatios);
    const torchBlas = theirs[0]!.blasThreads;
    Object.assign(result, {
      torch_blas_threads: torchBlas,
      torch_ms_per_step: Number(fmt(torchMs)),
      ratio_vs_torch: Number((msPerStep / torchMs).toFixed(2)),
      median_round_ratio_vs_torch: Number(medianRatio.toFixed(2)),
      torch_cpu_ms_per_step: Number(fmt(torchCpuMs)),
      cpu_ratio_vs_torch: Number((cpuMs / torchCpuMs).toFixed(2)),
      rounds,
    });
    say(
      `median over ${rounds} rounds: tfjs ${fmt(msPerStep)} ms/step, PyTorch ${fmt(torchMs)} ms/step: ${(msPerStep / torchMs).toFixed(2)}× PyTorch ` +
        `(CPU time per step: ${fmt(cpuMs)} vs ${fmt(torchCpuMs)} ms, ${(cpuMs / torchCpuMs).toFixed(2)}×)`,
    );
    const blasWords = torchBlas === null ? 'a BLAS other than OpenBLAS' : `OpenBLAS on ${torchBlas} thread${torchBlas === 1 ? '' : 's'}`;
    say(`PyTorch: 1 thread of its own, matmuls on ${blasWords}${torchBlasThreads !== undefined ? ` (capped as ${threadsSetting} caps ours)` : ''}`);
    say(`median of the ${rounds} round ratios: ${medianRatio.toFixed(2)}× PyTorch (rounds ${roundRatios.map((x) => x.toFixed(2)).join(', ')})`);
  }
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
});
