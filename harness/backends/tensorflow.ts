// The optional tfjs-node-gpu backend ('tensorflow'): is it installed, can TensorFlow see a CUDA GPU, and loading it.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { scanCudaLibs, describeMissing, type CudaLibScan } from './cuda-libs.ts';

// A variable, not a literal: the package is optional, so neither tsc nor esbuild may try to resolve it.
const PACKAGE = '@tensorflow/tfjs-node-gpu';

export interface TensorflowProbe {
  readonly installed: boolean;
  readonly path?: string; // where the package resolved
  readonly libs: CudaLibScan;
  readonly gpu: boolean; // TensorFlow registered a GPU device in a child process
  readonly reason: string; // why it is or is not usable on the GPU, for messages and doctor
}

/** Resolves tfjs-node-gpu without loading it (loading a broken native addon can abort the process). */
export function resolveTensorflow(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(PACKAGE);
  } catch {
    return undefined;
  }
}

/** What TensorFlow's own log (stderr) says about the GPU; it logs at TF_CPP_MIN_LOG_LEVEL=0. */
export function readTensorflowLog(log: string): { gpu: boolean; notLoaded: string[] } {
  const gpu = /Created device \S*device:GPU:\d/.test(log) || /device:GPU:\d with \d+ MB memory/.test(log);
  const notLoaded = [...log.matchAll(/Could not load dynamic library '([^']+)'/g)].map((m) => m[1]!);
  return { gpu, notLoaded: [...new Set(notLoaded)] };
}

/**
 * Loads tfjs-node-gpu in a child process and runs one matmul, reading TensorFlow's log for a GPU device.
 * A child because libtensorflow without CUDA falls back to the CPU silently, and a broken addon can crash.
 */
function probeInChild(path: string, timeoutMs: number): Promise<{ ok: boolean; log: string }> {
  const script = `const tf = require(${JSON.stringify(path)}); tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dataSync();`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', script],
      { timeout: timeoutMs, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '0' }, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => resolve({ ok: !err, log: `${stdout}\n${stderr}${err ? `\n${err.message}` : ''}` }),
    );
  });
}

/** Turns a failed load into what is missing, e.g. libtensorflow (install step skipped) or a CUDA library. */
export function explainLoadFailure(log: string): string {
  const lib = /(lib[\w.+-]+\.so[\w.]*): cannot open shared object file/.exec(log)?.[1];
  if (lib?.startsWith('libtensorflow')) {
    return `its native ${lib} is missing: the package's install step downloads it from storage.googleapis.com (offline? see docs/gpu.md)`;
  }
  if (lib) return `${lib} cannot be loaded (not on the library path: ldconfig -p / LD_LIBRARY_PATH)`;
  if (/tfjs_binding\.node/.test(log)) return 'its native addon tfjs_binding.node is missing or was built for another Node (reinstall it)';
  if (/ETIMEDOUT|timed out|SIGTERM/.test(log)) return 'loading it timed out (first use on a new GPU compiles kernels for minutes; try again)';
  const last = log.trim().split('\n').filter(Boolean).pop() ?? 'no output';
  return `loading it failed: ${last.slice(0, 200)}`;
}

/** Is tfjs-node-gpu installed, and would it run on a CUDA GPU here? `deep` runs the child-process check. */
export async function probeTensorflow(opts: { deep?: boolean; timeoutMs?: number } = {}): Promise<TensorflowProbe> {
  const libs = scanCudaLibs();
  const path = resolveTensorflow();
  if (!path) {
    return { installed: false, libs, gpu: false, reason: `${PACKAGE} not installed (optional: needs CUDA 11.2 + cuDNN 8.1)` };
  }
  if (libs.missing.length > 0) {
    // libtensorflow would load and quietly run on the CPU: say so rather than pretend it is a GPU backend.
    return { installed: true, path, libs, gpu: false, reason: `${PACKAGE} installed, but TensorFlow cannot use a GPU: ${describeMissing(libs)}` };
  }
  if (!opts.deep) return { installed: true, path, libs, gpu: false, reason: `${PACKAGE} installed and CUDA 11.2 / cuDNN 8.1 libraries found (GPU not yet checked)` };
  const { ok, log } = await probeInChild(path, opts.timeoutMs ?? 180_000);
  if (!ok) return { installed: true, path, libs, gpu: false, reason: `${PACKAGE} installed, but ${explainLoadFailure(log)}` };
  const seen = readTensorflowLog(log);
  if (!seen.gpu) {
    const why = seen.notLoaded.length ? `it could not load ${seen.notLoaded.join(', ')}` : 'TensorFlow registered no GPU device (driver too old, or no NVIDIA GPU?)';
    return { installed: true, path, libs, gpu: false, reason: `${PACKAGE} loads but runs on the CPU: ${why}` };
  }
  return { installed: true, path, libs, gpu: true, reason: `${PACKAGE} sees a CUDA GPU` };
}

/** Imports tfjs-node-gpu into this process, which registers the 'tensorflow' backend; throws with what is missing. */
export async function importTensorflow(path: string): Promise<void> {
  try {
    await import(pathToFileURL(path).href);
  } catch (err) {
    throw new Error(`${PACKAGE} failed to load: ${explainLoadFailure(String((err as Error)?.message ?? err))}`, { cause: err });
  }
}
