// tfjs-node-gpu cannot install here, so its messages are tested on the log lines and errors its users report.
import { describe, expect, it } from 'vitest';
import { explainLoadFailure, probeTensorflow, readTensorflowLog, resolveTensorflow } from './tensorflow.ts';

// Abridged from tfjs issue #8269 (CUDA 12.4 installed, tfjs-node-gpu 4.19): TensorFlow falls back to the CPU.
const CUDA12_LOG = `
2024-05-06 00:05:33.711121: I tensorflow/stream_executor/cuda/cuda_gpu_executor.cc:975] successful NUMA node read from SysFS had negative value (-1)
2024-05-06 00:05:33.767399: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory
2024-05-06 00:05:33.767416: W tensorflow/core/common_runtime/gpu/gpu_device.cc:1850] Cannot dlopen some GPU libraries. Skipping registering GPU devices...
2024-05-06 00:05:33.767399: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory`;

const GPU_LOG = `2024-01-01 00:00:00.000000: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1532] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 78911 MB memory:  -> device: 0, name: NVIDIA H100, pci bus id: 0000:00:05.0, compute capability: 9.0`;

describe('tfjs-node-gpu diagnostics', () => {
  it('reads a CPU fallback from TensorFlow\'s log and names the libraries it could not load', () => {
    expect(readTensorflowLog(CUDA12_LOG)).toEqual({ gpu: false, notLoaded: ['libcudnn.so.8', 'libcudart.so.11.0'] });
  });

  it('recognises a registered GPU device', () => {
    expect(readTensorflowLog(GPU_LOG).gpu).toBe(true);
  });

  it('explains load failures by what is missing', () => {
    expect(explainLoadFailure('Error: libtensorflow.so.2: cannot open shared object file: No such file or directory')).toMatch(/native libtensorflow\.so\.2 is missing.*offline/);
    expect(explainLoadFailure('Error: libcudart.so.11.0: cannot open shared object file: No such file or directory')).toMatch(/libcudart\.so\.11\.0 cannot be loaded/);
    expect(explainLoadFailure("Cannot find module '.../lib/napi-v8/tfjs_binding.node'")).toMatch(/tfjs_binding\.node is missing/);
  });

  it.skipIf(resolveTensorflow() !== undefined)('when the package is absent, says so and that it needs CUDA 11.2 + cuDNN 8.1', async () => {
    const probe = await probeTensorflow({ deep: true });
    expect(probe).toMatchObject({ installed: false, gpu: false });
    expect(probe.reason).toBe('@tensorflow/tfjs-node-gpu not installed (optional: needs CUDA 11.2 + cuDNN 8.1)');
  });
});
