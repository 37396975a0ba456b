// What the training commands say about the backend harness/backends/select.ts chose: one line, and whether it is a GPU.
import type { SelectedBackend } from '../backends/select.ts';

/** The head of a long phrase: up to its first bracket or semicolon. */
const head = (s: string) => s.split(/ \(|; /)[0]!.trim();

/** A phrase without its brackets inside brackets: "CPU (SIMD; matmul: OpenBLAS 0.3 (pthreads))" → "CPU (SIMD; matmul: OpenBLAS 0.3)". */
function outerOnly(s: string): string {
  let depth = 0;
  let out = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (depth < 2) out += c;
    if (c === ')') depth--;
  }
  return out.replace(/ +\)/g, ')').replace(/ +$/, '');
}

/** One short line for the console and the report: which backend on what (the matmul too, on a CPU), and the gist of why. */
export function describeBackend(b: SelectedBackend): string {
  return `backend: ${b.name}${b.device ? ` on ${outerOnly(b.device)}` : ''}: ${head(b.reason)} (npm run doctor for the details)`;
}

/** The whole story, for a report's details section: the device in full and why this backend and not the others. */
export function backendDetails(b: SelectedBackend): string {
  return `${b.name}${b.device ? ` on ${b.device}` : ''}\nwhy: ${b.reason}`;
}

/** True for a real GPU: tfjs-node-gpu on CUDA, or WebGPU on a hardware adapter (not lavapipe/llvmpipe/SwiftShader). */
export function runsOnGpu(b: SelectedBackend): boolean {
  if (b.name === 'tensorflow') return /^CUDA GPU/.test(b.device ?? '');
  if (b.name === 'webgpu') return !/llvmpipe|lavapipe|swiftshader|software/i.test(b.device ?? '');
  return false;
}
