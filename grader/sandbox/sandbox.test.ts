// The sandbox child's limits, read back from the kernel and exercised: the data limit is set before node runs, a
// warm child (spawned long before its file) keeps it, an allocation past it is refused inside the child and comes
// back as a memory verdict, and an idle spare never keeps this process alive.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleSolution } from './bundle.ts';
import { CPU_SECONDS, limitedNodeCommand, memoryEnforcement } from './hard-limits.ts';
import { PROJECT_ROOT } from './paths.ts';
import { Sandbox, SandboxGone } from './sandbox.ts';
import { sandboxLimitLines } from './limits-report.ts';
import { closeSpares, prewarm, takeSandbox } from './warm-pool.ts';

const linux = process.platform === 'linux';
const HOSTILE = join(PROJECT_ROOT, 'grader', 'fixtures', 'hostile');

function kernelLimit(pid: number, name: string): string {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith(name));
  return line?.slice(name.length).trim().split(/\s+/)[0] ?? '';
}

afterAll(() => closeSpares());

describe.skipIf(!linux)('kernel limits on Linux', () => {
  it('the wrapper sets RLIMIT_DATA to the cap and RLIMIT_CPU to the backstop before node starts', async () => {
    const cmd = limitedNodeCommand(['-e', "process.stdout.write(require('fs').readFileSync('/proc/self/limits', 'utf8'))"], 1536);
    const r = await execa(cmd.file, cmd.args);
    const row = (name: string) => r.stdout.split('\n').find((l) => l.startsWith(name))!.slice(name.length).trim().split(/\s+/)[0];
    expect(row('Max data size')).toBe(String(1536 * 1024 * 1024));
    expect(row('Max cpu time')).toBe(String(CPU_SECONDS));
    expect(memoryEnforcement('linux').hard).toBe(true);
  });

  it('a warm child keeps the limits of a fresh one, and refuses a 10 GiB tensor with a memory verdict', async () => {
    const s = await Sandbox.spawn({ memoryMb: 1024, loadTimeoutMs: 600_000 });
    await s.warm;
    const pid = (s as unknown as { child: { pid: number } }).child.pid;
    expect(kernelLimit(pid, 'Max data size')).toBe(String(1024 * 1024 * 1024));
    const file = join(HOSTILE, 'alloc-10gib-tensor.ts');
    const built = await bundleSolution(file, 'attention');
    if (!built.ok) throw new Error(built.message);
    const started = await s.load(built.path, file);
    expect(started.ok).toBe(true);
    const err = await s.request({ op: 'call', fn: 'scaledDotProductAttention', args: [] }, 600_000).catch((e: unknown) => e);
    expect(SandboxGone.is(err) && err.reason).toBe('memory');
    expect((err as Error).message).toBe('your code tried to use more than 1024 MB and was stopped');
  });

  it('an allocation refused inside a batch of sampling runs is a memory verdict too, not a crash', async () => {
    const s = await Sandbox.spawn({ memoryMb: 1024, loadTimeoutMs: 600_000 });
    const file = join(HOSTILE, 'alloc-10gib-tensor.ts');
    const built = await bundleSolution(file, 'attention');
    if (!built.ok) throw new Error(built.message);
    expect((await s.load(built.path, file)).ok).toBe(true);
    const err = await s.request({ op: 'sample', fn: 'scaledDotProductAttention', runs: [{ args: [], times: 2 }] }, 600_000).catch((e: unknown) => e);
    expect(SandboxGone.is(err) && err.reason).toBe('memory');
  });
});

describe('the warm pool', () => {
  it('hands out a spare that has run no learner code, once', async () => {
    prewarm();
    const a = await takeSandbox();
    await a.warm;
    const b = await takeSandbox();
    expect(b).not.toBe(a);
    a.dispose();
    b.dispose();
  });

  it('a child warmed up before its file starts (its warm-up leaves no tensor behind, or the child would die) and grades like a cold one', async () => {
    const file = join(PROJECT_ROOT, 'grader', 'katas', 'attention', 'reference.ts');
    const q = { __tensor: true as const, shape: [1, 2], dtype: 'float32' as const, data: new Float32Array([1, 0]) };
    for (const warmUp of [true, false]) {
      const s = await Sandbox.spawn(undefined, { warmUp });
      await s.warm;
      const built = await bundleSolution(file, 'attention');
      if (!built.ok) throw new Error(built.message);
      expect((await s.load(built.path, file)).ok).toBe(true);
      const r = await s.request({ op: 'call', fn: 'scaledDotProductAttention', args: [q, q, q], leaks: true }, 60_000);
      expect(r.ok && r.value).toMatchObject({ shape: [1, 2], data: new Float32Array([1, 0]) });
      expect(r.ok && r.leaked).toBe(0);
      s.dispose();
    }
  });

  it('keeps as many spares as asked for, and hands each out once', async () => {
    prewarm(undefined, 2, { warmUp: true });
    const a = await takeSandbox();
    const b = await takeSandbox();
    expect(b).not.toBe(a);
    await Promise.all([a.warm, b.warm]);
    a.dispose();
    b.dispose();
  });

  it('an idle spare does not keep a command from exiting', async () => {
    const script = `import { prewarm } from './grader/sandbox/warm-pool.ts'; prewarm(); setTimeout(() => console.log('done'), 200);`;
    const r = await execa('npx', ['tsx', '--eval', script], { cwd: PROJECT_ROOT, timeout: 300_000, reject: false });
    expect(r.timedOut, 'the process waited on its idle spare child').toBe(false);
    expect(r.stdout).toContain('done');
  });
});

describe("doctor's account of the limits", () => {
  it('says where there is no hard memory limit, and on Linux reads the kernel limit back from a real child', () => {
    expect(sandboxLimitLines('darwin').join('\n')).toContain('NO HARD LIMIT here');
    expect(sandboxLimitLines('win32').join('\n')).toContain('NO HARD LIMIT here');
    if (linux) expect(sandboxLimitLines('linux')[1]).toContain('2048 MB, held by the kernel: RLIMIT_DATA');
  });
});
