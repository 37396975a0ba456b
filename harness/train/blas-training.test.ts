// Training with BatchMatMul on the system BLAS: the train CLI gives the wasm kernels' losses, and says which matmul ran.
import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blasAvailable } from '../kernels/test-support/blas-test-gate.ts';
import { evalsOf, readMetrics } from './metrics.ts';
import { SLICE_PATH } from '../../datasets/tiny-shakespeare-slice.ts';

const found = blasAvailable('training on BLAS');

describe.skipIf(!found)('training on the system BLAS', () => {
  const train = (out: string, env: Record<string, string>) =>
    execa('npx', ['tsx', 'harness/cli/train.ts', '--preset', 'tiny', '--iters', '3', '--backend', 'wasm', '--data', SLICE_PATH, '--out', out], {
      reject: false,
      all: true,
      env: { FORCE_COLOR: '0', ...env },
    });

  it('three trainer steps give the wasm kernels\' losses to 1e-5, and the first line says which matmul ran', async () => {
    const blasOut = mkdtempSync(join(tmpdir(), 'gpt-kata-blas-'));
    const wasmOut = mkdtempSync(join(tmpdir(), 'gpt-kata-wasm-'));
    const [blas, wasm] = [await train(blasOut, {}), await train(wasmOut, { GPT_KATA_BLAS: '0' })];
    expect(blas.exitCode, blas.all).toBe(0);
    expect(wasm.exitCode, wasm.all).toBe(0);
    expect(blas.all.split('\n')[0]).toMatch(/^backend: wasm on CPU \(WebAssembly SIMD; matmul: (OpenBLAS|Accelerate) /);
    expect(wasm.all.split('\n')[0]).toMatch(/^backend: wasm on CPU \(WebAssembly SIMD; matmul: wasm SIMD\): /); // one short line; npm run doctor has the rest
    const [mb, mw] = [evalsOf(readMetrics(blasOut)), evalsOf(readMetrics(wasmOut))];
    expect(mb.map((m) => m.step)).toEqual([0, 3]);
    expect(mw.map((m) => m.step)).toEqual([0, 3]);
    // metrics.jsonl keeps 6 significant digits, 1e-5 at these losses: two losses within 1e-5 of each other print at
    // most one unit apart (ulps of the subtraction aside)
    const within = (x: number, y: number) => expect(Math.abs(x - y), `${x} vs ${y}`).toBeLessThanOrEqual(1.000001e-5);
    for (let i = 0; i < 2; i++) {
      within(mb[i]!.train_loss, mw[i]!.train_loss);
      within(mb[i]!.val_loss, mw[i]!.val_loss);
    }
  });
});
