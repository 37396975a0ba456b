// The grader's sandbox computes on the cpu backend alone: never wasm, never the native BLAS addon (grading stays exact).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSolution } from './bundle.ts';
import { processTree } from './resident-memory.ts';
import { Sandbox } from './sandbox.ts';

// A learner-style file that reports the tfjs backend it runs on, after a matmul; the grader reads the libraries its
// process mapped from outside (the sandbox lets it read nothing of /proc itself).
const PROBE = `import * as tf from '@tensorflow/tfjs';
export function probe(): string[] {
  tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dispose();
  return [tf.getBackend()];
}
`;

/** The BLAS libraries mapped by any process of the sandbox (Linux; elsewhere none can be read). */
async function blasMapped(pid: number): Promise<string[]> {
  const found = new Set<string>();
  for (const p of await processTree(pid)) {
    const maps = existsSync(`/proc/${p}/maps`) ? readFileSync(`/proc/${p}/maps`, 'utf8') : '';
    for (const l of maps.split('\n').filter((line) => /blas/i.test(line))) found.add(l.trim().split(/\s+/).pop()!);
  }
  return [...found];
}

describe('the grading sandbox', () => {
  it('runs learner code on the cpu backend, with no BLAS library loaded even after a matmul', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpt-kata-cpu-only-'));
    const file = join(dir, 'probe.ts');
    writeFileSync(file, PROBE);
    const built = await bundleSolution(file, 'probe');
    if (!built.ok) throw new Error(built.message);
    const started = await Sandbox.start(built.path, file);
    rmSync(built.path, { force: true });
    if (!started.ok) throw new Error(`the sandbox did not start: ${JSON.stringify(started)}`);
    try {
      const r = await started.sandbox.request({ op: 'call', fn: 'probe', args: [] }, 30_000);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r.ok && r.value).toEqual(['cpu']);
      const pid = (started.sandbox as unknown as { child: { pid: number } }).child.pid;
      if (process.platform === 'linux') expect(await blasMapped(pid)).toEqual([]); // no libopenblas or blas_matmul.node mapped
    } finally {
      started.sandbox.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
