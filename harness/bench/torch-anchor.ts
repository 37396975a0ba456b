// Runs the PyTorch anchor (harness/bench/torch-gpt.py) so the bench can measure tfjs and PyTorch side by side.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The lecture's GPT in PyTorch, beside this file. */
export const DEFAULT_ANCHOR = fileURLToPath(new URL('./torch-gpt.py', import.meta.url));

/** The first Python that can import torch (pyenv shims often lack Debian's python3-torch), or an explanation. */
export function findTorchPython(): { python: string } | { error: string } {
  for (const python of [process.env.GPT_KATA_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[]) {
    const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return { python };
  }
  return { error: 'no python3 with torch found; apt-get install -y python3-torch libopenblas0-pthread (or set GPT_KATA_PYTHON)' };
}

export interface AnchorRun {
  /** The anchor's own figure: median wall ms of its timed steps. */
  msPerStep: number;
  /** CPU seconds (user + system) of the whole python process, startup included. */
  cpuS: number;
  /** The threads of the OpenBLAS torch ran its matmuls on, as it reported them (null: not OpenBLAS). */
  blasThreads: number | null;
}

/**
 * One anchor run: `python3 torch-gpt.py DATA --iters N --threads 1` with the preset's shape (under bash's `time`, for
 * the CPU seconds). PyTorch's fastest setting on a 2-core machine is 1 thread of its own. `blasThreads` caps the
 * system BLAS's pool, which torch's thread setting does not reach (undefined: the BLAS's default, every core).
 */
export function runTorchAnchor(o: {
  python: string;
  anchor: string;
  data: string;
  iters: number;
  threads: number;
  blasThreads?: number;
  model: { nEmbd: number; nHead: number; nLayer: number; blockSize: number; batchSize: number };
}): AnchorRun {
  if (!existsSync(o.anchor)) throw new Error(`PyTorch anchor not found at ${o.anchor}; pass --anchor PATH`);
  const m = o.model;
  const args = [o.anchor, o.data, '--iters', String(o.iters), '--threads', String(o.threads), '--n_embd', String(m.nEmbd),
    '--n_head', String(m.nHead), '--n_layer', String(m.nLayer), '--block', String(m.blockSize), '--batch', String(m.batchSize),
    '--eval_iters', '1', ...(o.blasThreads !== undefined ? ['--blas_threads', String(o.blasThreads)] : [])];
  const quoted = [o.python, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const out = execFileSync('bash', ['-c', `TIMEFORMAT='cpu_s=%U %S'; { time ${quoted} ; } 2>&1`], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = /ms_per_step=([\d.]+)/.exec(out);
  if (!ms) throw new Error(`the PyTorch anchor printed no ms_per_step: ${out.trim().slice(-300)}`);
  const cpu = /cpu_s=([\d.]+) ([\d.]+)/.exec(out);
  if (!cpu) throw new Error(`bash's time printed no CPU seconds for the PyTorch anchor: ${out.trim().slice(-300)}`);
  const blas = /blas_threads=(\d+)/.exec(out);
  return { msPerStep: Number(ms[1]), cpuS: Number(cpu[1]) + Number(cpu[2]), blasThreads: blas ? Number(blas[1]) : null };
}
