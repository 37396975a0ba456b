// selectBackend as the trainer and bench use it: accepted choices, auto's order and reasons, named failures that say why.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../grader/user-error.ts';
import { BACKEND_CHOICES, parseBackendChoice, selectBackend } from './select.ts';
import { resolveTensorflow } from './tensorflow.ts';
import { isSoftwareAdapter, probeWebGPU } from './webgpu-probe.ts';

describe('selectBackend', () => {
  it('accepts exactly auto, tensorflow, webgpu, wasm, cpu', () => {
    expect(BACKEND_CHOICES).toEqual(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(parseBackendChoice('webgpu')).toBe('webgpu');
    expect(() => parseBackendChoice('gpu')).toThrow("unknown backend 'gpu': use one of auto, tensorflow, webgpu, wasm, cpu");
  });

  it('sets the backend it names and says what it runs on', async () => {
    const cpu = await selectBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(cpu).toMatchObject({ name: 'cpu', device: 'CPU (JavaScript)' });
    const wasm = await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.reason).toContain('asked for wasm');
  });

  it.skipIf(resolveTensorflow() !== undefined)('asked for tensorflow without tfjs-node-gpu: throws a named error saying what is missing', async () => {
    const err = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toBe("backend 'tensorflow' is unavailable: @tensorflow/tfjs-node-gpu not installed (optional: needs CUDA 11.2 + cuDNN 8.1)");
  });

  it('auto never picks a software WebGPU adapter, and says why it skipped each backend before its pick', async () => {
    const probe = await probeWebGPU();
    const auto = await selectBackend('auto');
    expect(tf.getBackend()).toBe(auto.name);
    if (!resolveTensorflow()) expect(auto.reason).toContain('skipped tensorflow: @tensorflow/tfjs-node-gpu not installed');
    if (!probe.adapter || probe.adapter.software) {
      expect(auto.name).toBe('wasm');
      expect(auto.reason).toMatch(/webgpu: no (hardware )?WebGPU adapter/);
    } else {
      expect(auto.name).toBe('webgpu');
    }
  });

  it('recognises software adapters by what they report', () => {
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'google', architecture: '', description: 'SwiftShader Device (Subzero)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', isFallbackAdapter: false })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900 XTX' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'unknown', description: 'x', isFallbackAdapter: true })).toBe(true);
  });
});
