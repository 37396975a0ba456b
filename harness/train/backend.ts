// Picks the tfjs backend for a training process (harness/backends/select.ts) and makes sure the gradient fix is installed.
import * as tf from '@tensorflow/tfjs';
import { BACKEND_CHOICES, selectBackend, type BackendChoice, type SelectedBackend } from '../backends/select.ts';
import { registerBroadcastMatMulGradient } from '../../grader/tfjs/broadcast-matmul-grad.ts';

export { BACKEND_CHOICES, type BackendChoice };
export type ChosenBackend = SelectedBackend;

/** Selects, activates and prepares a backend; every training process calls this once before building a model. */
export async function useBackend(choice: BackendChoice): Promise<ChosenBackend> {
  const chosen = await selectBackend(choice);
  await tf.ready();
  registerBroadcastMatMulGradient(); // tfjs #8548; selectBackend does it too, and it is idempotent
  return chosen;
}

/** One line for the console and the report: which backend, on what, and why. */
export function describeBackend(b: ChosenBackend): string {
  return `backend: ${b.name}${b.device ? ` on ${b.device}` : ''} (${b.reason})`;
}

/** True for a real GPU: tfjs-node-gpu on CUDA, or WebGPU on a hardware adapter (not lavapipe/llvmpipe/SwiftShader). */
export function runsOnGpu(b: ChosenBackend): boolean {
  if (b.name === 'tensorflow') return /^CUDA GPU/.test(b.device ?? '');
  if (b.name === 'webgpu') return !/llvmpipe|lavapipe|swiftshader|software/i.test(b.device ?? '');
  return false;
}
