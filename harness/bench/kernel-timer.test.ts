// The bench's kernel timer counts and times each kernel call on wasm and cpu, and leaves the kernels as it found them.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { quietCpuBanner } from '../../grader/tfjs/quiet-cpu-banner.ts';
import { registerWasmKernels } from '../kernels/index.ts';
import { kernelsAreSynchronous, timeKernels } from './kernel-timer.ts';

describe('timeKernels', () => {
  it.each(['wasm', 'cpu'])('counts each kernel call on %s, and puts the kernels back afterwards', async (backend) => {
    quietCpuBanner();
    await tf.setBackend(backend);
    if (backend === 'wasm') registerWasmKernels();
    const before = tf.getKernel('Add', backend).kernelFunc;
    const a = tf.ones([64, 64]);
    const times = await timeKernels(async () => {
      const s = tf.tidy(() => tf.add(a, a).add(a).mul(a).sum());
      await s.data();
      s.dispose();
    });
    a.dispose();
    expect(times.get('Add')?.calls).toBe(2);
    expect(times.get('Multiply')?.calls).toBe(1);
    expect(times.get('Sum')?.calls).toBe(1);
    expect(times.get('Add')!.ms).toBeGreaterThanOrEqual(0);
    expect(tf.getKernel('Add', backend).kernelFunc).toBe(before);
    expect(kernelsAreSynchronous(backend)).toBe(true);
  });

  it('leaves GPU backends, whose kernels return before their work is done, to tf.profile', () => {
    expect(kernelsAreSynchronous('webgpu')).toBe(false);
    expect(kernelsAreSynchronous('webgl')).toBe(false);
    expect(kernelsAreSynchronous('tensorflow')).toBe(false);
  });
});
