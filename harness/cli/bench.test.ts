// `npm run bench` as a user types it: its last --json line carries the promised fields, and bad flags are refused.
import { describe, expect, it } from 'vitest';
import { SLICE_PATH as DATA } from '../../datasets/tiny-shakespeare-slice.ts';
import { webgpuAvailable } from '../backends/test-support/webgpu-test-gate.ts';
import { findTorchPython } from '../bench/torch-anchor.ts';
import { npmRun } from './test-support/npm-run.ts';

const bench = (args: string[]) => npmRun('bench', args, { timeoutMs: 280_000 });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
const webgpu = await webgpuAvailable('npm run bench on WebGPU');
const torch = findTorchPython();
if ('error' in torch) console.warn(`[npm run bench -- --vs-torch] SKIPPED: ${torch.error}`);

describe('npm run bench', () => {
  it('times the tiny preset on wasm and ends with one JSON line: backend, preset, ms_per_step, tokens_per_s, steps', async () => {
    const r = await bench(['--preset', 'tiny', '--steps', '3', '--warmup', '1', '--backend', 'wasm', '--data', DATA, '--json', '--profile']);
    expect(r.exitCode, r.stderr).toBe(0);
    const last = lastJson(r.stdout);
    expect(last).toMatchObject({ backend: 'wasm', preset: 'tiny', steps: 3 });
    expect(last.matmul).toMatch(/^(OpenBLAS \d|Accelerate|wasm SIMD \(native addon .+\))/); // the matmul path, as doctor says it
    expect(last.ms_per_step).toBeGreaterThan(0);
    // tiny: 16 × 32 tokens a step, so tokens/s and ms/step must agree
    expect(Math.abs((last.tokens_per_s as number) - (512 * 1000) / (last.ms_per_step as number))).toBeLessThan(0.02 * (last.tokens_per_s as number) + 1);
    expect(r.stderr).toMatch(/per-kernel time of one step/); // --profile's table (on stderr with --json)
    expect(r.stderr).toMatch(/BatchMatMul\s+[\d.]+ ms/);
  });

  it('refuses an unknown flag and --baseline without --backend wasm, saying what to do', async () => {
    const unknown = await bench(['--fast']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^bench: unknown option --fast\nusage: npm run bench -- \[options\]/m);
    const baseline = await bench(['--baseline', '--backend', 'cpu', '--data', DATA]);
    expect(baseline.exitCode).toBe(2);
    expect(baseline.stderr).toMatch(/^bench: --baseline compares wasm kernels; add --backend wasm\nusage: npm run bench/m);
  });

  it.skipIf(!webgpu)('--backend webgpu --preset tiny --steps 3 --json prints a webgpu figure', async () => {
    const r = await bench(['--backend', 'webgpu', '--preset', 'tiny', '--steps', '3', '--json', '--data', DATA]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(lastJson(r.stdout)).toMatchObject({ backend: 'webgpu', preset: 'tiny', steps: 3, ms_per_step: expect.any(Number) as number });
    expect(r.stderr).toMatch(/^backend: webgpu on /m);
    expect(r.stderr).not.toMatch(/^\s+at |not a constructor/m);
  });

  it.skipIf('error' in torch)('--vs-torch runs the PyTorch model in the repository by default and gives the ratio, one thread against one', async () => {
    const r = await npmRun('bench', ['--vs-torch', '--rounds', '1', '--preset', 'tiny', '--steps', '2', '--backend', 'wasm', '--data', DATA, '--json'],
      { timeoutMs: 280_000, env: { GPT_KATA_THREADS: '1' } });
    expect(r.exitCode, r.stderr).toBe(0);
    const last = lastJson(r.stdout);
    expect(last.torch_ms_per_step).toBeGreaterThan(0);
    expect(last.ratio_vs_torch).toBeCloseTo((last.ms_per_step as number) / (last.torch_ms_per_step as number), 1);
    // one round: the median of the round ratios is that round's ratio, printed beside it
    expect(last.median_round_ratio_vs_torch).toBeCloseTo(last.ratio_vs_torch as number, 1);
    expect(r.stderr).toMatch(/^median of the 1 round ratios: [\d.]+× PyTorch \(rounds [\d.]+\)$/m);
    // torch.set_num_threads(1) does not reach Debian's OpenBLAS pool: the anchor's own report shows the cap took
    // (null: a torch whose BLAS is not a loaded OpenBLAS, such as pip's MKL builds, which torch's setting does reach)
    expect([1, null]).toContain(last.torch_blas_threads);
    expect(r.stderr).toMatch(/^PyTorch: 1 thread of its own, matmuls on (OpenBLAS on 1 thread|a BLAS other than OpenBLAS) \(capped as GPT_KATA_THREADS=1 caps ours\)$/m);
  }, 300_000); // five Python starts (import torch) beside the bench
});
