// `npm run bench` run as a user would: its last --json line carries the promised fields, and bad flags are refused.
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const DATA = '../shared/datasets/tinyshakespeare.txt';

async function bench(args: string[]) {
  return execa('node_modules/.bin/tsx', ['harness/cli/bench.ts', ...args], { reject: false, timeout: 120_000 });
}

describe('npm run bench', () => {
  it('times the tiny preset on wasm and ends with one JSON line: backend, preset, ms_per_step, tokens_per_s, steps', async () => {
    const r = await bench(['--preset', 'tiny', '--steps', '3', '--warmup', '1', '--backend', 'wasm', '--data', DATA, '--json', '--profile']);
    expect(r.exitCode, r.stderr).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
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
    expect(unknown.stderr).toMatch(/^bench: unknown option --fast\nusage: npm run bench -- \[options\]/);
    const baseline = await bench(['--baseline', '--backend', 'cpu', '--data', DATA]);
    expect(baseline.exitCode).toBe(2);
    expect(baseline.stderr).toMatch(/^bench: --baseline compares wasm kernels; add --backend wasm\nusage: npm run bench/);
  });
});
