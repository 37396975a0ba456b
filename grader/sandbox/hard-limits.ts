// The limits the kernel enforces on the sandbox child (setrlimit through a POSIX shell's `ulimit`), per platform.
// Node has no setrlimit, so the child is started as `sh -c 'ulimit -d … -t …; exec node …'`: the limits are set in
// the process that then becomes node, before any of our code or the learner's runs, and nothing in it can raise them.

/** How the kernel holds the child's memory on this platform, in words for doctor and the README. */
export interface MemoryEnforcement {
  /** True where an allocation past the cap fails inside the child at once. */
  hard: boolean;
  how: string;
}

/**
 * Linux counts RLIMIT_DATA against private writable mappings (since 4.7), which is every ArrayBuffer, tensor and V8
 * heap page, but not V8's large PROT_NONE reservations; RLIMIT_AS counts those too and stops node from starting
 * below a few GB. macOS accepts RLIMIT_DATA but does not apply it to mmap, and Windows has no rlimits: there the
 * resident-size poll in sandbox.ts is the only guard.
 */
export function memoryEnforcement(platform: NodeJS.Platform = process.platform): MemoryEnforcement {
  if (platform === 'linux') return { hard: true, how: 'RLIMIT_DATA (the kernel refuses the allocation), plus a resident-size check every 100 ms' };
  if (platform === 'win32') return { hard: false, how: 'no hard limit on Windows: only the V8 heap cap (--max-old-space-size) holds the child' };
  return { hard: false, how: `no hard limit on ${platform === 'darwin' ? 'macOS' : platform} (RLIMIT_DATA is not applied to mmap there); a resident-size check every 250 ms (ps) stops the child` };
}

/** CPU seconds a child may use in all: a backstop for a grader that died without killing its child. */
export const CPU_SECONDS = 300;

/** Status a child's shell exits with when it could not set the limits (so the parent can say so). */
export const LIMITS_REFUSED_STATUS = 86;

export interface LimitedCommand {
  file: string;
  args: string[];
}

/**
 * The command that runs `node nodeArgs…` under the memory cap (MB) and the CPU backstop, where the platform has
 * rlimits; `prefix` (the isolation layer: bwrap, unshare, setpriv) runs between the limits and node, and inherits them.
 */
export function limitedNodeCommand(nodeArgs: readonly string[], memoryMb: number, platform: NodeJS.Platform = process.platform, prefix: readonly string[] = []): LimitedCommand {
  if (platform === 'win32') return { file: process.execPath, args: [...nodeArgs] };
  // ulimit -d is in KiB in dash, bash and zsh; -t in seconds. A shell that refuses either exits with a status we name.
  // The data limit is set only where the kernel applies it, so that no platform's node is refused for an untested reason.
  const data = memoryEnforcement(platform).hard ? `ulimit -d ${Math.round(memoryMb * 1024)} && ` : '';
  const script = `${data}ulimit -t ${CPU_SECONDS} || exit ${LIMITS_REFUSED_STATUS}; exec "$@"`;
  return { file: '/bin/sh', args: ['-c', script, 'gpt-kata-sandbox', ...prefix, process.execPath, ...nodeArgs] };
}
