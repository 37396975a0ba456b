// Which shared libraries the dynamic linker can find: `ldconfig -p` plus every LD_LIBRARY_PATH directory.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** soname -> path for every library the dynamic linker would find; LD_LIBRARY_PATH first, as ld.so searches. */
export function sharedLibraries(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const libs = new Map<string, string>();
  for (const dir of (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) {
    try {
      for (const name of readdirSync(dir)) if (!libs.has(name)) libs.set(name, join(dir, name));
    } catch {
      // a stale LD_LIBRARY_PATH entry is common and harmless
    }
  }
  for (const ldconfig of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    try {
      const out = execFileSync(ldconfig, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      for (const line of out.split('\n')) {
        const m = /^\s*(\S+) \([^)]*\) => (\S+)/.exec(line); // "libcudnn.so.8 (libc6,x86-64) => /usr/lib/..."
        if (m && !libs.has(m[1]!)) libs.set(m[1]!, m[2]!);
      }
      break;
    } catch {
      // try the next place ldconfig lives
    }
  }
  return libs;
}
