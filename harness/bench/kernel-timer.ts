// Wall-clock time of every kernel call on a synchronous backend (cpu, wasm), for the bench's --profile: each kernel
// function of the active backend is wrapped while a step runs. tf.profile also records every kernel's memory and
// output, which adds ~20-40 µs to each call and made the small kernels of a wasm step look two to four times slower
// than they are; on GPU backends, whose kernels return before their work is done, tf.profile's timers are used instead.
import * as tf from '@tensorflow/tfjs';

/** Per kernel name: calls and total milliseconds while `f` ran. */
export type KernelTimes = Map<string, { ms: number; calls: number }>;

/** Whether a kernel's work is done when its function returns on this backend, so a wall clock around it times it. */
export function kernelsAreSynchronous(backendName: string): boolean {
  return backendName === 'wasm' || backendName === 'cpu';
}

/** Runs f with every kernel of the active backend timed; the kernels are put back as they were afterwards. */
export async function timeKernels(f: () => Promise<void>): Promise<KernelTimes> {
  const backendName = tf.getBackend();
  const times: KernelTimes = new Map();
  const originals = tf.getKernelsForBackend(backendName);
  const swap = (configs: readonly tf.KernelConfig[]) => {
    for (const k of configs) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
  };
  swap(originals.map((k) => ({
    ...k,
    kernelFunc: (args: Parameters<tf.KernelFunc>[0]) => {
      const t0 = performance.now();
      const out = k.kernelFunc(args);
      const share = times.get(k.kernelName) ?? { ms: 0, calls: 0 };
      share.ms += performance.now() - t0;
      share.calls++;
      times.set(k.kernelName, share);
      return out;
    },
  })));
  try {
    await f();
  } finally {
    swap(originals);
  }
  return times;
}
