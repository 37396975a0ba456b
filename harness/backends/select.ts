// Picks, loads and sets the tfjs backend for training and benches, and says why: --backend auto|tensorflow|webgpu|wasm|cpu.
import * as tf from '@tensorflow/tfjs';
import { registerBroadcastMatMulGradient } from '../../grader/tfjs/broadcast-matmul-grad.ts';
import { registerWasmKernels, wasmMatmulPath } from '../kernels/index.ts';
import { UserError } from '../../grader/user-error.ts';
import { BACKEND_CHOICES, type BackendChoice } from './backend-choices.ts';
import { importTensorflow, probeTensorflow } from './tensorflow.ts';
import { registerWebGPU } from './webgpu.ts';
import { describeAdapter, probeWebGPU } from './webgpu-probe.ts';
import { quietCpuBanner } from '../../grader/tfjs/quiet-cpu-banner.ts';

export { BACKEND_CHOICES, type BackendChoice };

export interface SelectedBackend {
  readonly name: string; // tf.getBackend() after selection
  readonly reason: string; // why this one (and, for auto, why not the ones before it)
  readonly device?: string; // what it runs on, e.g. "CUDA GPU" or the WebGPU adapter
}

export interface SelectOptions {
  /** How long the child-process check of tfjs-node-gpu may take (its first GPU use compiles kernels). */
  readonly tensorflowTimeoutMs?: number;
}

/** Validates a CLI's --backend value; the message lists the accepted values. */
export function parseBackendChoice(value: string): BackendChoice {
  if ((BACKEND_CHOICES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new UserError(`unknown backend '${value}': use one of ${BACKEND_CHOICES.join(', ')}`, { kind: 'usage' });
}

/** What the user reads when the backend asked for cannot be used. */
function unavailable(backend: string, reason: string): UserError {
  return new UserError(`backend '${backend}' is unavailable: ${reason}`);
}

/** A backend that could not be used; auto moves on, a named choice throws. */
class Skip extends Error {}

/** Sets the backend; tfjs's own warnings when it fails (a stack trace) become the first line of our reason instead. */
async function setOrThrow(name: string): Promise<void> {
  const warned: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warned.push(args.map(String).join(' '));
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } finally {
    console.warn = warn;
  }
  if (!ok) {
    const cause = warned.map((w) => w.split('\n')[0] ?? '').find((w) => w !== '' && !w.startsWith('Initialization of backend'));
    throw new Skip(`tfjs could not initialise the '${name}' backend${cause ? ` (${cause})` : ''}`);
  }
  for (const w of warned) warn(w); // warnings of a backend that did start are its own business
  await tf.ready();
}

async function useTensorflow(named: boolean, opts: SelectOptions): Promise<SelectedBackend> {
  const probe = await probeTensorflow({ deep: true, timeoutMs: opts.tensorflowTimeoutMs });
  if (!probe.installed || !probe.path) throw new Skip(probe.reason);
  if (!probe.gpu && !named) throw new Skip(probe.reason);
  try {
    await importTensorflow(probe.path);
  } catch (err) {
    throw new Skip((err as Error).message);
  }
  await setOrThrow('tensorflow');
  const device = probe.gpu ? 'CUDA GPU (libtensorflow 2.9.1)' : 'CPU (libtensorflow; no CUDA GPU usable)';
  return { name: 'tensorflow', reason: probe.reason, device };
}

async function useWebGPU(named: boolean): Promise<SelectedBackend> {
  const probe = await probeWebGPU();
  if (!probe.adapter) throw new Skip(probe.reason);
  if (probe.adapter.software && !named) {
    throw new Skip(`no hardware WebGPU adapter (only ${probe.adapter.description || probe.adapter.device}, a software one; ask for --backend webgpu to use it anyway)`);
  }
  try {
    await registerWebGPU();
  } catch (err) {
    throw new Skip((err as Error).message);
  }
  await setOrThrow('webgpu');
  const reason = probe.adapter.software ? 'the adapter is software (CPU-emulated: correct, but slower than wasm)' : 'hardware WebGPU adapter';
  return { name: 'webgpu', reason, device: describeAdapter(probe.adapter) };
}

async function useWasm(): Promise<SelectedBackend> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    throw new Skip(`@tensorflow/tfjs-backend-wasm failed to load: ${(err as Error).message}`);
  }
  // Its threaded build needs blob: worker URLs, which Node lacks: force the single-threaded SIMD build.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await setOrThrow('wasm');
  registerWasmKernels(); // UnsortedSegmentSum (gather's gradient) and the fast transposed matmul
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // the matmul path (system BLAS, or our wasm SIMD kernels and why) is part of what it runs on
  return { name: 'wasm', reason: 'WebAssembly with our kernels', device: `CPU (WebAssembly${simd ? ' SIMD' : ''}; matmul: ${wasmMatmulPath()})` };
}

async function useCpu(): Promise<SelectedBackend> {
  await setOrThrow('cpu');
  return { name: 'cpu', reason: 'pure-JavaScript backend', device: 'CPU (JavaScript)' };
}

function attempt(choice: Exclude<BackendChoice, 'auto'>, named: boolean, opts: SelectOptions): Promise<SelectedBackend> {
  switch (choice) {
    case 'tensorflow':
      return useTensorflow(named, opts);
    case 'webgpu':
      return useWebGPU(named);
    case 'wasm':
      return useWasm();
    case 'cpu':
      return useCpu();
  }
}

/**
 * Loads and sets the backend, then registers the gradient fix every training process needs.
 * auto: tensorflow on a CUDA GPU > webgpu on a hardware adapter > wasm > cpu. A software WebGPU adapter is used only
 * when asked for by name. A backend asked for by name that cannot load throws a UserError saying why.
 */
export async function selectBackend(choice: BackendChoice, opts: SelectOptions = {}): Promise<SelectedBackend> {
  quietCpuBanner();
  let selected: SelectedBackend;
  if (choice === 'auto') {
    const skipped: string[] = [];
    let found: SelectedBackend | undefined;
    for (const candidate of ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const) {
      try {
        found = await attempt(candidate, false, opts);
        break;
      } catch (err) {
        if (!(err instanceof Skip)) throw err;
        skipped.push(`${candidate}: ${err.message}`);
      }
    }
    if (!found) throw unavailable('auto', skipped.join('; '));
    selected = { ...found, reason: `auto chose ${found.name} (${found.reason})${skipped.length ? `; skipped ${skipped.join('; ')}` : ''}` };
  } else {
    try {
      selected = await attempt(choice, true, opts);
    } catch (err) {
      if (err instanceof Skip) throw unavailable(choice, err.message);
      throw err;
    }
    selected = { ...selected, reason: `asked for ${choice}; ${selected.reason}` };
  }
  registerBroadcastMatMulGradient();
  return selected;
}
