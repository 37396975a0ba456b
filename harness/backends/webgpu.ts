// The WebGPU backend: Dawn's Node bindings (npm `webgpu`) under tfjs-backend-webgpu, loaded once the probe found an adapter.
import * as tf from '@tensorflow/tfjs';
import { isSoftwareAdapter, probeWebGPU, type AdapterReport } from './webgpu-probe.ts';
import { registerChunkedAddN } from './webgpu-addn.ts';

interface Dawn {
  readonly gpu: GPU;
  readonly globals: Record<string, unknown>;
}
let dawn: Promise<Dawn> | undefined; // one Dawn instance per process

/** Loads Dawn's Node addon once; throws with the reason (e.g. the addon needs a newer glibc). */
function loadDawn(): Promise<Dawn> {
  dawn ??= (async () => {
    let mod: { create(flags: string[]): GPU; globals: object };
    try {
      mod = (await import('webgpu'));
    } catch (err) {
      dawn = undefined;
      throw new Error(`the 'webgpu' package (Dawn) failed to load: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    return { gpu: mod.create([]), globals: mod.globals as Record<string, unknown> };
  })();
  return dawn;
}

let registered = false; // our factory is in tfjs's registry
let chosen: GPUAdapter | undefined; // the adapter in this process, the one the probe described

/**
 * Makes 'webgpu' a tfjs backend on the probed adapter. Node 20 has no `navigator` and no WebGPU globals
 * (GPUBufferUsage, ...), and tfjs-backend-webgpu registers itself only if `navigator.gpu` exists at import,
 * so both are installed before the import. Its own factory would pick an adapter itself; ours uses the one we reported.
 */
export async function registerWebGPU(): Promise<AdapterReport> {
  const probe = await probeWebGPU();
  if (!probe.adapter) throw new Error(probe.reason);
  const { gpu, globals } = await loadDawn();
  // Dawn in this process, now that it will be used: it prints its adapter warnings again (harness/cli/quiet-dawn.ts).
  chosen ??= (await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null)) ?? undefined;
  if (!chosen) throw new Error(`the WebGPU probe found ${probe.adapter.description || probe.adapter.device}, but Dawn in this process found no adapter`);
  if (isSoftwareAdapter(chosen.info) !== probe.adapter.software) {
    throw new Error(`Dawn in this process found another adapter (${chosen.info.description}) than the probe (${probe.adapter.description})`);
  }
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(globals)) if (!(k in g)) g[k] = v;
  const nav = g.navigator as { gpu?: GPU } | undefined;
  if (!nav) g.navigator = { gpu };
  else if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });

  if (registered) return probe.adapter;
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  registerChunkedAddN(); // else tf.addN over more tensors than a shader can bind (clipping sums every gradient) fails
  const adapter = chosen;
  const factory = async () => {
    const limits = adapter.limits;
    // The limits tfjs-backend-webgpu asks for (the defaults are too small for a [B*T, vocab] logits buffer), and all
    // the storage buffers a shader may bind, so fewer AddN chunks.
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    return new WebGPUBackend(device, adapter.info);
  };
  tf.removeBackend('webgpu'); // the package's own factory, if its import registered one
  tf.registerBackend('webgpu', factory, 3);
  registered = true;
  return probe.adapter;
}
