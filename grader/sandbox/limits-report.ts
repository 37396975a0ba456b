// The sandbox's limits and walls in words for `npm run doctor`, with the kernel's data limit read back from a real
// child and the isolation layers this machine allows (isolation.ts).
import { spawnSync } from 'node:child_process';
import { CPU_SECONDS, limitedNodeCommand, memoryEnforcement } from './hard-limits.ts';
import { type Isolation, isolation, permissionFlag } from './isolation.ts';
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

/** What the child cannot do here, and what stops it, one line per wall; the missing protections last. */
function protectionLines(iso: Isolation, platform: NodeJS.Platform = process.platform): string[] {
  const perm = `Node's permission model (${permissionFlag()})`;
  const os = iso.os === 'bwrap' ? 'bubblewrap' : iso.os === 'unshare' ? 'unshare' : null;
  const user = iso.unprivilegedUser ? ', as user 65534' : '';
  return [
    'Sandbox walls (what your code cannot do while it is graded, and what stops it):',
    `  write files, or read any but tfjs and its own bundle: ${perm}${os === 'bubblewrap' ? ' + bubblewrap (an empty root, read-only binds, a private /tmp)' : ''}${user}`,
    `  start processes, threads, addons or an inspector: ${perm}${os ? ` + ${os} (its own pid namespace: everything in it dies with the grading)` : ' + a kill of its process group after the grading'}`,
    `  open network connections: ${os ? `${os} (a network namespace with no interfaces)` : 'NOT BLOCKED here'}`,
    `  signal or debug the grader: ${os ? `${os} (the grader is outside its pid namespace)${user}` : platform === 'win32' ? 'NOT BLOCKED here' : 'only by removing process.kill from its reach (JavaScript, not the kernel)'}; the grader ignores SIGUSR1, so no signal opens its inspector`,
    '  forge replies or measurements: a private channel signed with a key your code never sees; tfjs\'s engine locked before your code loads',
    ...iso.missing.map((m) => `  MISSING here: ${m}`),
  ];
}

/** The protections section for doctor, probed on this machine. */
export async function sandboxProtectionLines(): Promise<string[]> {
  return protectionLines(await isolation());
}
