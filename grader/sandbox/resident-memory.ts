// The child's resident memory in MB, read from outside it (never from the child's own report): /proc on Linux,
// summed over the child and everything under it (bwrap, unshare and setpriv put node below the process the grader
// started), `ps -o rss=` elsewhere. It is the sandbox's second line of defence behind the kernel's limit.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** The processes below `pid` (not `pid` itself), read now: what must die with it (Linux; elsewhere none are found). */
export function descendantsNow(pid: number): number[] {
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      continue; // gone already, or no /proc here
    }
    for (const t of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8');
      } catch {
        // the task ended while we read
      }
      for (const c of children.split(' ')) {
        if (!/^\d+$/.test(c)) continue;
        out.push(Number(c));
        queue.push(Number(c));
      }
    }
  }
  return out;
}

/** `pid` and every process below it, from /proc's children lists (Linux). */
export function processTree(pid: number): Promise<number[]> {
  return Promise.resolve([pid, ...descendantsNow(pid)]);
}

/** The tree under `pid`, walked again every 20th read only: it is fixed once node has started under its wrappers. */
const trees = new Map<number, { pids: number[]; reads: number }>();
async function cachedTree(pid: number): Promise<number[]> {
  const t = trees.get(pid);
  if (t && t.reads++ % 20 !== 0) return t.pids;
  const pids = await processTree(pid);
  if (trees.size > 64) trees.clear();
  trees.set(pid, { pids, reads: 1 });
  return pids;
}

async function ownResidentKb(pid: number): Promise<number | null> {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

export async function residentMb(pid: number, platform: NodeJS.Platform = process.platform): Promise<number | null> {
  if (platform === 'linux') {
    const kb = await Promise.all((await cachedTree(pid)).map(ownResidentKb));
    const known = kb.filter((k): k is number => k !== null);
    return known.length ? known.reduce((a, b) => a + b, 0) / 1024 : null;
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
