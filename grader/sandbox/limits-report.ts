// The sandbox's limits in words for `npm run doctor`, with the kernel's data limit read back from a real child.
import { spawnSync } from 'node:child_process';
import { CPU_SECONDS, limitedNodeCommand, memoryEnforcement } from './hard-limits.ts';
import { DEFAULT_LIMITS, OUTPUT_LIMIT_BYTES } from './sandbox.ts';

export function sandboxLimitLines(platform: NodeJS.Platform = process.platform): string[] {
  const mb = DEFAULT_LIMITS.memoryMb;
  const m = memoryEnforcement(platform);
  let memory = m.hard ? `${mb} MB, held by the kernel: ${m.how}` : `${mb} MB, but NO HARD LIMIT here: ${m.how}`;
  if (m.hard && platform === 'linux') {
    // Read back what a child started the sandbox's way really has, so a shell or container that refused says so.
    const cmd = limitedNodeCommand(['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/limits', 'utf8'))"], mb);
    const r = spawnSync(cmd.file, cmd.args, { encoding: 'utf8', timeout: 20_000 });
    const row = r.stdout?.split('\n').find((l) => l.startsWith('Max data size'));
    const got = row?.slice('Max data size'.length).trim().split(/\s+/)[0];
    if (got !== String(mb * 1024 * 1024)) memory = `${mb} MB, but the kernel limit did NOT take (a child read Max data size = ${got ?? 'nothing'}; exit ${r.status}): only the resident-size check holds it`;
  }
  return [
    'Grading sandbox (your code runs in a child process, cpu backend):',
    `  memory: ${memory}`,
    `  time: 15 s to load, 10 s per call, 30 s per kata (then SIGKILL); ${CPU_SECONDS} s of CPU in all${platform === 'win32' ? '' : ' (RLIMIT_CPU, a backstop)'}`,
    `  output: ${OUTPUT_LIMIT_BYTES / 1e6} MB of stdout and stderr, then the child is stopped`,
  ];
}
