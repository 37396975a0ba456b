// `npm run doctor` as a user types it: it names every backend, the CUDA/cuDNN libraries, the WebGPU adapter and auto's pick.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CUDA_LIBS } from '../backends/cuda-libs.ts';
import { resolveTensorflow } from '../backends/tensorflow.ts';
import { webgpuAvailable } from '../backends/test-support/webgpu-test-gate.ts';
import { npmRun } from './test-support/npm-run.ts';

async function doctor(env: Record<string, string> = {}): Promise<string> {
  const r = await npmRun('doctor', [], { silent: true, env, timeoutMs: 60_000 });
  expect(r.exitCode, r.stderr).toBe(0);
  // Dawn's own warnings (e.g. "artificially reduced" limits with lavapipe) and backtraces never reach the user.
  expect(r.stderr).not.toMatch(/^Warning: |^\s+at |\.cpp:\d+/m);
  return r.stdout;
}

const line = (out: string, re: RegExp) => out.split('\n').find((l) => re.test(l));
const webgpu = await webgpuAvailable('npm run doctor on WebGPU');

describe('npm run doctor', () => {
  it('prints Node, every backend, the CUDA/cuDNN libraries tfjs-node-gpu needs, the WebGPU adapter and auto\'s choice', async () => {
    const out = await doctor();
    expect(out).toContain(`Node ${process.versions.node}`);
    for (const name of ['cpu', 'wasm', 'webgpu', 'tensorflow']) expect(line(out, new RegExp(`^  ${name}\\s+(loads|no) `)), name).toBeDefined();
    expect(line(out, /^ {2}cpu\s/)).toMatch(/loads/);
    expect(line(out, /^ {2}wasm\s/)).toMatch(/loads/);
    expect(line(out, /^ {2}wasm\s/)).toMatch(/matmul: (OpenBLAS \d|Accelerate|wasm SIMD \(native addon .+\))/); // which matmul, or why not BLAS
    for (const lib of CUDA_LIBS) expect(line(out, new RegExp(`^  ${lib.soname.replace(/\./g, '\\.')}\\s+(found|missing)`)), lib.soname).toBeDefined();
    if (!resolveTensorflow()) expect(line(out, /^ {2}tensorflow\s/)).toMatch(/no\s+@tensorflow\/tfjs-node-gpu not installed/);
    expect(line(out, /^ {2}adapter: /)).toBeDefined(); // vendor/architecture/device, or none and why
    const auto = /^auto would choose: (\w+)/m.exec(out)?.[1];
    expect(['tensorflow', 'webgpu', 'wasm', 'cpu']).toContain(auto);
    // A software adapter is never auto's pick.
    if (/kind: SOFTWARE/.test(out)) expect(auto).not.toBe('webgpu');
  });

  it('without a Vulkan driver, says there is no WebGPU adapter and why, and auto falls back to wasm', async () => {
    const none = '/nonexistent/icd.json';
    const out = await doctor({ VK_DRIVER_FILES: none, VK_ICD_FILENAMES: none });
    expect(line(out, /^ {2}webgpu\s/)).toMatch(/^ {2}webgpu\s+no\s+no WebGPU adapter/);
    expect(line(out, /^ {2}adapter: /)).toMatch(/none \(no WebGPU adapter/);
    expect(out).toMatch(/^auto would choose: wasm/m);
  });

  it('finds CUDA libraries on LD_LIBRARY_PATH and still names the missing ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cuda-'));
    for (const name of ['libcudart.so.11.0', 'libcudnn.so.8']) writeFileSync(join(dir, name), '');
    const out = await doctor({ LD_LIBRARY_PATH: dir });
    expect(line(out, /^ {2}libcudart\.so\.11\.0/)).toContain(`found ${join(dir, 'libcudart.so.11.0')}`);
    expect(line(out, /^ {2}libcudnn\.so\.8/)).toContain(`found ${join(dir, 'libcudnn.so.8')}`);
    expect(line(out, /^ {2}libcublas\.so\.11/)).toMatch(/missing \(from CUDA 11/);
  });

  it.skipIf(!webgpu)('on a Vulkan driver, says WebGPU loads and names the adapter', async () => {
    const out = await doctor();
    const adapter = /^ {2}adapter: vendor '(.*)', architecture '(.*)', device '(.*)'$/m.exec(out);
    expect(adapter, out).not.toBeNull();
    expect(line(out, /^ {2}webgpu\s/)).toMatch(/^ {2}webgpu\s+loads\s+\S/);
    expect(out).not.toMatch(/not a constructor|Initialization of backend/);
  });
});
