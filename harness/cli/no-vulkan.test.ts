// On a machine without the Vulkan loader, no command prints Dawn's warning or anything like a stack trace, and doctor
// says why there is no WebGPU adapter in its own words.
import { closeSync, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { sharedLibraries } from '../backends/shared-libs.ts';

/** The loader's path when it could be loaded: an ELF file. CI's bare-machine step bind-mounts /dev/null over it. */
function loadableLoader(): string | undefined {
  const path = sharedLibraries().get('libvulkan.so.1');
  if (!path) return undefined;
  try {
    const fd = openSync(path, 'r');
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    return head.toString('latin1') === '\x7fELF' ? path : undefined;
  } catch {
    return undefined;
  }
}

const LOADER = loadableLoader();
const SKIP = LOADER
  ? `the Vulkan loader is installed here (${LOADER}); CI's bare-machine step runs this with it hidden`
  : process.platform !== 'linux'
    ? 'the Vulkan loader question is a Linux one'
    : undefined;
if (SKIP) console.warn(`[no-vulkan] SKIPPED: ${SKIP}`);

const tsx = (args: string[]) => execa('node_modules/.bin/tsx', args, { reject: false, all: true, timeout: 240_000, env: { FORCE_COLOR: '0' } });
const STACK_LIKE = /^\s+at |\.(cpp|cc|h):\d+|^Warning: /m;

describe.skipIf(SKIP !== undefined)('without the Vulkan loader', () => {
  it('no command prints a stack trace or Dawn\'s own words, only what went wrong', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gpt-kata-no-vulkan-'));
    // Each reaches the point where it picks (or checks) a backend, then stops on a cheap, explained error.
    const runs: [string, string[], number][] = [
      ['train', ['harness/cli/train.ts', '--preset', 'tiny', '--data', '/nonexistent/input.txt', '--out', join(empty, 'out')], 1],
      ['train:mine', ['harness/cli/train.ts', '--mine', '--dir', empty], 1],
      ['train --backend webgpu', ['harness/cli/train.ts', '--backend', 'webgpu', '--data', '/nonexistent/input.txt'], 1],
      ['sample', ['harness/cli/sample.ts', '--run', empty], 1],
      ['experiments', ['harness/cli/experiments.ts', '--data', '/nonexistent/input.txt', '--out', join(empty, 'exp')], 1],
      ['bench --backend webgpu', ['harness/cli/bench.ts', '--backend', 'webgpu', '--steps', '1'], 1],
      ['grade', ['harness/cli/grade.ts', '--dir', empty], 2],
      ['kata', ['harness/cli/kata.tsx', '--dir', empty], 2], // not a terminal: points to npm run grade
      ['doctor', ['harness/cli/doctor.ts'], 0],
    ];
    const results = await Promise.all(runs.map(([, args]) => tsx(args)));
    runs.forEach(([what, , code], i) => {
      const r = results[i]!;
      expect(r.exitCode, `${what}: ${r.all}`).toBe(code);
      expect(r.all, what).not.toMatch(STACK_LIKE);
      expect(r.all, what).not.toContain('libvulkan.so.1: cannot open shared object file');
    });
    const webgpu = results[2]!.all;
    // Not installed, or (with the loader hidden under /dev/null) not loadable: either way, what to install.
    const why = /no WebGPU adapter: the Vulkan loader \S*libvulkan\.so\.1 (is not installed \(|could not be loaded \(.+?; )apt-get install libvulkan1/;
    expect(webgpu).toMatch(new RegExp(`backend 'webgpu' is unavailable: ${why.source}`));
    const doctor = results.at(-1)!.stdout.split('\n');
    expect(doctor.find((l) => l.startsWith('  webgpu '))).toMatch(new RegExp(`^ {2}webgpu +no +${why.source}`));
    expect(doctor.find((l) => l.startsWith('  adapter: '))).toMatch(new RegExp(`^ {2}adapter: none \\(${why.source}`));
  }, 300_000); // nine commands at once, five of them load tfjs: generous, for a loaded 2-core machine
});
