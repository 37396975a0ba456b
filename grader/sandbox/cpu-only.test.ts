// The grader's sandbox computes on the cpu backend alone: never wasm, never the native BLAS addon (grading stays exact).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleSolution } from './bundle.ts';
import { Sandbox } from './sandbox.ts';

// A learner-style file that reports what its own process runs on: the tfjs backend and any BLAS library it mapped.
const PROBE = `import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
export function probe(): string[] {
  tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])).dispose();
  const maps = existsSync('/proc/self/maps') ? readFileSync('/proc/self/maps', 'utf8') : '';
  const blas = maps.split('\\n').filter((l) => /blas/i.test(l)).map((l) => l.trim().split(/\\s+/).pop()!);
  return [tf.getBackend(), ...new Set(blas)];
}
`;

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
      expect(r.ok && r.value).toEqual(['cpu']); // the backend, and no libopenblas or blas_matmul.node mapped
    } finally {
      started.sandbox.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
