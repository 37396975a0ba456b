// What `npm run doctor` finds: Node, each backend (loads or why not), CUDA/cuDNN libraries, the WebGPU adapter, auto's pick.
import * as tf from '@tensorflow/tfjs';
import { CUDA_LIBS, scanCudaLibs, type CudaLibScan } from './cuda-libs.ts';
import { selectBackend, type BackendChoice, type SelectedBackend } from './select.ts';
import { sharedLibraries } from './shared-libs.ts';
import { probeTensorflow, type TensorflowProbe } from './tensorflow.ts';
import { probeWebGPU, type WebGPUProbe } from './webgpu-probe.ts';

interface BackendCheck {
  readonly name: Exclude<BackendChoice, 'auto'>;
  readonly loads: boolean;
  readonly detail: string; // the device when it loads, the reason when it does not
}

export interface Diagnosis {
  readonly node: string;
  readonly nodeOk: boolean; // Node 20 is the supported line
  readonly backends: readonly BackendCheck[];
  readonly cuda: CudaLibScan;
  readonly tensorflow: TensorflowProbe;
  readonly webgpu: WebGPUProbe;
  readonly vulkanLoader?: string; // path of libvulkan.so.1
  readonly auto: SelectedBackend | { readonly error: string };
}

/** Sets the backend and runs a 2x2 matmul on it: "loads" means it computed the right answer. */
async function check(name: BackendCheck['name']): Promise<BackendCheck> {
  try {
    const selected = await selectBackend(name);
    const got = await tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2)).data(); // [[1,2],[3,4]] @ I
    if ([1, 2, 3, 4].some((v, i) => Math.abs(got[i]! - v) > 1e-6)) return { name, loads: false, detail: `loads, but a 2x2 matmul gave [${[...got]}]` };
    return { name, loads: true, detail: `${selected.device ?? name}; ${selected.reason.replace(/^asked for \w+; /, '')}` };
  } catch (err) {
    return { name, loads: false, detail: (err as Error).message.replace(/^backend '\w+' is unavailable: /, '') };
  }
}

/** Runs every check; never throws. tensorflow is checked only when installed (its probe loads CUDA in a child). */
export async function diagnose(): Promise<Diagnosis> {
  const node = process.versions.node;
  const backends: BackendCheck[] = [];
  for (const name of ['cpu', 'wasm', 'webgpu', 'tensorflow'] as const) backends.push(await check(name));
  const tensorflow = await probeTensorflow({ deep: backends.find((b) => b.name === 'tensorflow')!.loads });
  let auto: Diagnosis['auto'];
  try {
    auto = await selectBackend('auto');
  } catch (err) {
    auto = { error: (err as Error).message };
  }
  return {
    node,
    nodeOk: node.split('.')[0] === '20',
    backends,
    cuda: scanCudaLibs(),
    tensorflow,
    webgpu: await probeWebGPU(),
    vulkanLoader: sharedLibraries().get('libvulkan.so.1'),
    auto,
  };
}

/** The report as printed, one finding a line. */
export function formatDiagnosis(d: Diagnosis): string[] {
  const lines: string[] = [];
  lines.push(`Node ${d.node} (${process.platform} ${process.arch})${d.nodeOk ? '' : ': gpt-kata supports Node 20 only; install Node 20'}`);
  lines.push('Backends:');
  for (const b of d.backends) lines.push(`  ${b.name.padEnd(10)} ${b.loads ? 'loads    ' : 'no       '} ${b.detail}`);

  lines.push('tensorflow (tfjs-node-gpu 4.22 = libtensorflow 2.9.1: CUDA 11.2 + cuDNN 8.1):');
  lines.push(`  package: ${d.tensorflow.installed ? `installed (${d.tensorflow.path})` : 'not installed'}`);
  for (const lib of CUDA_LIBS) {
    const path = d.cuda.found.get(lib.soname);
    lines.push(`  ${lib.soname.padEnd(18)} ${path ? `found ${path}` : `missing (from ${lib.from})`}`);
  }
  if (d.cuda.otherVersions.length) {
    lines.push(`  also found ${d.cuda.otherVersions.join(', ')}: another CUDA/cuDNN major version, which libtensorflow 2.9.1 cannot load`);
  }
  lines.push(`  NVIDIA device: ${d.cuda.nvidiaDevice ? '/dev/nvidia0 present' : 'none (/dev/nvidia0 absent)'}`);
  lines.push(`  verdict: ${d.tensorflow.reason}`);

  lines.push('webgpu (Dawn, npm package webgpu):');
  lines.push(`  Vulkan loader: ${d.vulkanLoader ?? 'libvulkan.so.1 not found'}`);
  lines.push(`  Vulkan drivers: ${d.webgpu.icds.length ? d.webgpu.icds.join(', ') : 'none'}`);
  const a = d.webgpu.adapter;
  if (a) {
    lines.push(`  adapter: vendor '${a.vendor}', architecture '${a.architecture}', device '${a.device}'`);
    lines.push(`  description: ${a.description}`);
    lines.push(`  kind: ${a.software ? 'SOFTWARE (CPU-emulated: used only with --backend webgpu; slower than wasm)' : 'hardware GPU'}`);
    // What Dawn printed while it looked (captured in the probe's child process), in our words.
    if (d.webgpu.dawnSaid.length) lines.push(`  Dawn noted: ${d.webgpu.dawnSaid.join('; ')}`);
  } else {
    lines.push(`  adapter: none (${d.webgpu.reason})`);
  }

  if ('error' in d.auto) lines.push(`auto would choose: nothing (${d.auto.error})`);
  else lines.push(`auto would choose: ${d.auto.name} on ${d.auto.device ?? '?'}`, `  why: ${d.auto.reason}`);
  return lines;
}
