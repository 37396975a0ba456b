// What Dawn prints, as captured from its stderr on real machines, told in our words; the harmless lines are recognised.
import { describe, expect, it } from 'vitest';
import { isHarmlessDawnLine, probeWebGPU, readDawnLog } from './webgpu-probe.ts';

// Verbatim from dawn.node 0.6.2 (npm webgpu) on Debian 12: no loader; loader under /dev/null; VK_DRIVER_FILES naming
// nothing; Mesa 25 lavapipe.
const NO_LOADER = `Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory
    at operator() (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)
`;
const HIDDEN_LOADER = `Warning: Couldn't load Vulkan: /lib/x86_64-linux-gnu/libvulkan.so.1: file too short
    at operator() (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)
`;
const NO_DRIVER = `Warning: loader_get_json: Failed to open JSON file /nonexistent/icd.json
Warning: vkCreateInstance: Found no drivers!
Warning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER
    at CheckVkSuccessImpl (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/VulkanError.cpp:106)
`;
const LAVAPIPE = `Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.
Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.
`;

describe('readDawnLog', () => {
  it('says what is missing and what to install, without Dawn\'s backtrace', () => {
    expect(readDawnLog(NO_LOADER)).toEqual([
      "the Vulkan loader libvulkan.so.1 is not installed (apt-get install libvulkan1, plus your GPU's Vulkan driver, or Mesa >= 25 mesa-vulkan-drivers for a software adapter)",
    ]);
    expect(readDawnLog(HIDDEN_LOADER)[0]).toMatch(/^the Vulkan loader \/lib\/x86_64-linux-gnu\/libvulkan\.so\.1 could not be loaded \(file too short; apt-get install libvulkan1/);
    expect(readDawnLog(NO_DRIVER)).toEqual([
      'the Vulkan driver manifest /nonexistent/icd.json does not exist (check VK_DRIVER_FILES / VK_ICD_FILENAMES)',
      "Vulkan found no driver (install your GPU's Vulkan driver, or Mesa >= 25 lavapipe for a software one)",
    ]);
    expect(readDawnLog(LAVAPIPE)).toEqual([
      'limit maxDynamicUniformBuffersPerPipelineLayout capped at 16 (the driver offers 1000000; harmless)',
      'limit maxDynamicStorageBuffersPerPipelineLayout capped at 16 (the driver offers 1000000; harmless)',
    ]);
  });

  it('passes on an unknown message once, as Dawn said it, without the prefix or the backtrace', () => {
    expect(readDawnLog('Warning: something new\n    at f (x.cpp:1)\nWarning: something new\n')).toEqual(['Dawn said: something new']);
    expect(readDawnLog('')).toEqual([]);
  });
});

describe('isHarmlessDawnLine', () => {
  it('recognises the capped limits and backtraces, and nothing of ours', () => {
    for (const line of [...LAVAPIPE.trim().split('\n'), NO_LOADER.split('\n')[1]!]) expect(isHarmlessDawnLine(line), line).toBe(true);
    for (const line of ['step 2/2 │ loss 4.1844', "backend 'webgpu' is unavailable: no WebGPU adapter", NO_LOADER.split('\n')[0]!]) {
      expect(isHarmlessDawnLine(line), line).toBe(false);
    }
  });
});

describe('probeWebGPU', () => {
  it('asks Dawn in a child process: an adapter, or a reason in our words without Dawn\'s backtrace', async () => {
    const probe = await probeWebGPU();
    if (probe.adapter) expect(probe.reason).toMatch(/^WebGPU adapter /);
    else expect(probe.reason).toMatch(/^(no WebGPU adapter|the 'webgpu' package)/);
    expect(probe.reason).not.toMatch(/\.cpp:\d+|\n/);
    for (const said of probe.dawnSaid) expect(said).not.toMatch(/^Warning: |\.cpp:\d+/);
  });
});
