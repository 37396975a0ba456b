// The plain-SIMD kernel build (used where relaxed SIMD is unavailable) agrees with the cpu backend too.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerBroadcastMatMulGradient } from '../../grader/tfjs/broadcast-matmul-grad.ts';
import { checkMatMulAgainstCpu } from './test-support/cpu-oracle.ts';
import { registerWasmKernels } from './index.ts';
import { simdModule } from './simd-module.ts';
import type { WasmBackend } from './wasm-backend.ts';

beforeAll(async () => {
  process.env.GPT_KATA_NO_FMA = '1'; // read when the kernels first compile, which happens below
  await tf.setBackend('wasm');
  registerWasmKernels({ blas: false }); // these tests are about our wasm SIMD matmul, not the BLAS addon
  registerBroadcastMatMulGradient();
});

describe('BatchMatMul on wasm without FMA', () => {
  it('runs the plain build and matches the cpu backend, gradients included', async () => {
    expect(simdModule(tf.backend() as unknown as WasmBackend).fma).toBe(false);
    await checkMatMulAgainstCpu(30, 5, 40);
  });
});
