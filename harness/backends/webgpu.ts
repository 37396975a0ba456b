// The WebGPU backend: Dawn's Node bindings (npm `webgpu`) under tfjs-backend-webgpu; finds and describes the adapter.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { sharedLibraries } from './shared-libs.ts';
import { registerChunkedAddN } from './webgpu-addn.ts';

/** What the adapter says about itself, plus our verdict on whether it is a CPU emulation. */
export interface AdapterReport {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly software: boolean; // llvmpipe/lavapipe, SwiftShader, WARP: correct but slower than the CPU backends
}

export interface WebGPUProbe {
  readonly adapter?: AdapterReport; // absent when no adapter at all
  readonly icds: readonly string[]; // Vulkan driver manifests the loader would read
  readonly reason: string;
}

// Names under which software rasterisers report themselves.
const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|microsoft basic render|\bwarp\b/i;

/** True for an adapter that emulates a GPU on the CPU. */
export function isSoftwareAdapter(info: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean }): boolean {
  if (info.isFallbackAdapter === true || info.architecture === 'software') return true;
  return SOFTWARE.test(`${info.vendor ?? ''} ${info.device ?? ''} ${info.description ?? ''}`);
}

/** One line: "nvidia hopper: NVIDIA H200 (hardware)". */
export function describeAdapter(a: AdapterReport): string {
  const head = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown vendor';
  return `${head}: ${a.description || a.device || 'no description'} (${a.software ? 'software, CPU-emulated' : 'hardware'})`;
}

/** Vulkan ICD manifests: VK_DRIVER_FILES / VK_ICD_FILENAMES when set, else the standard directories. */
export function vulkanDrivers(env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
  if (explicit) return explicit.split(':').filter(Boolean);
  const dirs = ['/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/usr/share/vulkan/icd.d'];
  return dirs.filter((d) => existsSync(d)).flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)));
}

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
      mod = (await import('webgpu')) as typeof mod;
    } catch (err) {
      dawn = undefined;
      throw new Error(`the 'webgpu' package (Dawn) failed to load: ${(err as Error).message.split('\n')[0]}`, { cause: err });
    }
    return { gpu: mod.create([]), globals: mod.globals as Record<string, unknown> };
  })();
  return dawn;
}

let registered = false; // our factory is in tfjs's registry
let chosen: { adapter: GPUAdapter; report: AdapterReport } | undefined;

/** Why there is no adapter at all: no Vulkan loader, no driver, or a driver Dawn rejects. */
function noAdapterReason(icds: readonly string[]): string {
  if (process.platform !== 'linux') return 'no WebGPU adapter found';
  if (!sharedLibraries().has('libvulkan.so.1')) {
    return 'no WebGPU adapter: the Vulkan loader libvulkan.so.1 is not installed (apt-get install libvulkan1)';
  }
  if (icds.length === 0) {
    return 'no WebGPU adapter: no Vulkan driver (ICD) installed; install your GPU vendor\'s Vulkan driver, or Mesa >= 25 lavapipe for a software one';
  }
  const absent = icds.filter((f) => !existsSync(f));
  if (absent.length === icds.length) return `no WebGPU adapter: the Vulkan driver manifests named by VK_DRIVER_FILES/VK_ICD_FILENAMES do not exist (${absent.join(', ')})`;
  return `no WebGPU adapter: Dawn accepted none of the Vulkan drivers (${icds.join(', ')}); Mesa older than 25 is rejected`;
}

/** Finds the high-performance adapter (once per process) and describes it. Never throws. */
export async function probeWebGPU(): Promise<WebGPUProbe> {
  const icds = vulkanDrivers();
  if (chosen) return { adapter: chosen.report, icds, reason: `WebGPU adapter ${describeAdapter(chosen.report)}` };
  let gpu: GPU;
  try {
    gpu = (await loadDawn()).gpu;
  } catch (err) {
    return { icds, reason: (err as Error).message };
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) return { icds, reason: noAdapterReason(icds) };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const report: AdapterReport = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: isSoftwareAdapter(info),
  };
  chosen = { adapter, report };
  return { adapter: report, icds, reason: `WebGPU adapter ${describeAdapter(report)}` };
}

/**
 * Makes 'webgpu' a tfjs backend on the probed adapter. Node 20 has no `navigator` and no WebGPU globals
 * (GPUBufferUsage, ...), and tfjs-backend-webgpu registers itself only if `navigator.gpu` exists at import,
 * so both are installed before the import. Its own factory would pick an adapter itself; ours uses the one we reported.
 */
export async function registerWebGPU(): Promise<AdapterReport> {
  const probe = await probeWebGPU();
  if (!chosen || !probe.adapter) throw new Error(probe.reason);
  const { gpu, globals } = await loadDawn();
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(globals)) if (!(k in g)) g[k] = v;
  const nav = g.navigator as { gpu?: GPU } | undefined;
  if (!nav) g.navigator = { gpu };
  else if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });

  if (registered) return probe.adapter;
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  registerChunkedAddN(); // else tf.addN over more tensors than a shader can bind (clipping sums every gradient) fails
  const { adapter } = chosen;
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
