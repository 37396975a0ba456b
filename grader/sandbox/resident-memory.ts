// The child's resident memory in MB, read from outside it (never from the child's own report): /proc on Linux,
// `ps -o rss=` elsewhere. It is the sandbox's second line of defence behind the kernel's limit.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export async function residentMb(pid: number, platform: NodeJS.Platform = process.platform): Promise<number | null> {
  if (platform === 'linux') {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : null;
    } catch {
      return null;
    }
  }
  if (platform === 'win32') return null;
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'rss=', '-p', String(pid)], { timeout: 2000 }, (err, stdout) => {
      const kb = Number(stdout.trim());
      resolve(err || !Number.isFinite(kb) || kb <= 0 ? null : kb / 1024);
    });
  });
}

/** How often the parent reads it: /proc is cheap, `ps` is a process per read. */
export const POLL_MS = process.platform === 'linux' ? 100 : 250;
