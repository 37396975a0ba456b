// globalNorm on wasm (read from the heap) equals the tfjs-ops norm on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../kernels/test-support/cpu-oracle.ts';
import { globalNorm } from './clip-grad.ts';
import { registerWasmKernels } from '../kernels/index.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels();
});

describe('globalNorm', () => {
  it('matches the cpu backend for many tensors of odd sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 8 }), fc.integer(), async (sizes, seed) => {
        const norms: number[] = [];
        for (const backend of ['cpu', 'wasm']) {
          await tf.setBackend(backend);
          const ts = sizes.map((n, i) => tf.tensor1d(seeded(seed + i, n)));
          norms.push(await globalNorm(ts));
          tf.dispose(ts);
        }
        expect(norms[1]).toBeCloseTo(norms[0]!, 4);
        expect(norms[0]).toBeGreaterThan(0);
      }),
      { numRuns: 30, seed: 31 },
    );
  });
});
