// On a machine without the Vulkan loader, no command prints Dawn's warning or anything like a stack trace, and doctor
// says why there is no WebGPU adapter in its own words.
import { closeSync, mkdtempSync, openSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedLibraries } from '../backends/shared-libs.ts';
import { npmRun } from './test-support/npm-run.ts';

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

const STACK_LIKE = /^\s+at |\.(cpp|cc|h):\d+|^Warning: /m;

describe.skipIf(SKIP !== undefined)('without the Vulkan loader', () => {
  it('no command prints a stack trace or Dawn\'s own words, only what went wrong', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gpt-kata-no-vulkan-'));
    // Each reaches the point where it picks (or checks) a backend, then stops on a cheap, explained error.
    const runs: [string, string, string[], number][] = [
      ['train', 'train', ['--preset', 'tiny', '--data', '/nonexistent/input.txt', '--out', join(empty, 'out')], 1],
      ['train:mine', 'train:mine', ['--dir', empty], 1],
      ['train --backend webgpu', 'train', ['--backend', 'webgpu', '--data', '/nonexistent/input.txt'], 1],
      ['sample', 'sample', ['--run', empty], 1],
      ['experiments', 'experiments', ['--data', '/nonexistent/input.txt', '--out', join(empty, 'exp')], 1],
      ['bench --backend webgpu', 'bench', ['--backend', 'webgpu', '--steps', '1'], 1],
      ['grade', 'grade', ['--dir', empty], 2],
      ['kata', 'kata', ['--dir', empty], 2], // not a terminal: points to npm run grade
      ['doctor', 'doctor', [], 0],
    ];
    // As typed: `npm run <script> -- ...`, through the launcher
    const results = await Promise.all(runs.map(([, script, args]) => npmRun(script, args, { timeoutMs: 240_000 })));
    runs.forEach(([what, , , code], i) => {
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
