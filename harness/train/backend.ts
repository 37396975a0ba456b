// What the training commands say about the backend harness/backends/select.ts chose: one line, and whether it is a GPU.
import type { SelectedBackend } from '../backends/select.ts';

/** One line for the console and the report: which backend, on what, and why. */
export function describeBackend(b: SelectedBackend): string {
  return `backend: ${b.name}${b.device ? ` on ${b.device}` : ''} (${b.reason})`;
}

/** True for a real GPU: tfjs-node-gpu on CUDA, or WebGPU on a hardware adapter (not lavapipe/llvmpipe/SwiftShader). */
export function runsOnGpu(b: SelectedBackend): boolean {
  if (b.name === 'tensorflow') return /^CUDA GPU/.test(b.device ?? '');
  if (b.name === 'webgpu') return !/llvmpipe|lavapipe|swiftshader|software/i.test(b.device ?? '');
  return false;
}
