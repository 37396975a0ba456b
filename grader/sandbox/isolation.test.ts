// The sandbox's walls, each tested by its own effect with a hostile file from grader/fixtures/hostile: no file
// written, no process left behind, no connection made, no reply forged, no tampered engine trusted, the grader's
// output and exit status its own, the compiled grader and the other katas unchanged. The operating-system walls
// (network, processes, signals) need bubblewrap or unshare; where this machine has neither, those tests say so.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeDir, gradeKata } from '../engine.ts';
import type { KataReport } from '../report.ts';
import { bundleSolution } from './bundle.ts';
import { isolation } from './isolation.ts';
import { sandboxProtectionLines } from './limits-report.ts';
import { CACHE_DIR, PROJECT_ROOT } from './paths.ts';
import { closeSpares } from './warm-pool.ts';

const HOSTILE = join(PROJECT_ROOT, 'grader', 'fixtures', 'hostile');
const CORRECT = join(PROJECT_ROOT, 'grader', 'katas', 'attention', 'fixtures', 'correct', 'manual-softmax.ts');
const iso = await isolation();
const osWalls = iso.os !== 'none';
const why = `no bubblewrap or unshare here (${iso.missing.join('; ')})`;
const work = mkdtempSync(join(tmpdir(), 'gpt-kata-walls-'));
afterAll(async () => {
  await closeSpares();
  rmSync(work, { recursive: true, force: true });
});

/** Grades a hostile fixture as the attention kata, from a folder of its own. */
async function gradeHostile(name: string): Promise<KataReport> {
  const dir = mkdtempSync(join(work, `${name}-`));
  copyFileSync(join(HOSTILE, `${name}.ts`), join(dir, 'attention.ts'));
  return gradeKata('attention', join(dir, 'attention.ts'), { callTimeoutMs: 5000, loadTimeoutMs: 8000 });
}

const messages = (r: KataReport) => r.checks.map((c) => c.message).join('\n');

describe('where bubblewrap is installed', () => {
  it.skipIf(!process.env.GPT_KATA_REQUIRE_BWRAP)('the child runs under it (GPT_KATA_REQUIRE_BWRAP)', () => {
    expect(iso.os, iso.missing.join('; ')).toBe('bwrap');
  });
});

describe("doctor's account of the walls", () => {
  it('names the layer that blocks the network here, or says it is not blocked, and lists what is missing', async () => {
    const lines = await sandboxProtectionLines();
    const network = lines.find((l) => l.includes('open network connections'))!;
    expect(network).toContain(iso.os === 'bwrap' ? 'bubblewrap' : iso.os === 'unshare' ? 'unshare' : 'NOT BLOCKED');
    expect(lines.filter((l) => l.includes('MISSING here')).length).toBe(iso.missing.length);
    expect(lines.join('\n')).toContain("Node's permission model");
  });
});

describe("the child's file system", () => {
  it('a file that writes at load and in its call writes nothing, and fails', async () => {
    const r = await gradeHostile('writes-files');
    expect(r.passed).toBe(false);
    for (const f of ['/tmp/gpt-kata-hostile-wrote.txt', join(PROJECT_ROOT, 'gpt-kata-hostile-wrote.txt')]) expect(existsSync(f), f).toBe(false);
  }, 120_000);

  it('a file that reads the reference and the oracle with fs gets nothing of them', async () => {
    const r = await gradeHostile('reads-reference');
    expect(r.passed).toBe(false);
    const printed = r.warnings.join('\n');
    expect(printed).toContain('read grader/katas/attention/reference.ts: refused');
    expect(printed).toContain('read grader/katas/attention/oracle.ts: refused');
    expect(printed).toContain('read package.json: refused');
  }, 120_000);

  it('a file that overwrites the compiled grader and its sibling katas changes neither, and the wrong siblings still fail', async () => {
    const compiled = join(CACHE_DIR, 'compiled');
    const digest = () => {
      const h = createHash('sha256');
      for (const d of readdirSync(compiled).sort()) {
        const p = join(compiled, d);
        if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) h.update(f).update(readFileSync(join(p, f)));
      }
      return h.digest('hex');
    };
    const before = digest();
    const dir = mkdtempSync(join(work, 'folder-'));
    copyFileSync(join(HOSTILE, 'rewrites-grader.ts'), join(dir, 'attention.ts'));
    const wrongMask = "// a wrong causal mask\nimport * as tf from '@tensorflow/tfjs';\nexport function causalMask(t: number): tf.Tensor {\n  return tf.ones([t, t]);\n}\n";
    writeFileSync(join(dir, 'causal-mask.ts'), wrongMask);
    const r = await gradeDir(dir, ['attention', 'causal-mask'], { callTimeoutMs: 5000, loadTimeoutMs: 8000 });
    expect(r.katas.map((k) => [k.kata, k.passed])).toEqual([
      ['attention', false],
      ['causal-mask', false],
    ]);
    expect(readFileSync(join(dir, 'causal-mask.ts'), 'utf8')).toBe(wrongMask);
    expect(digest()).toBe(before);
  }, 180_000);
});

describe.skipIf(!osWalls)(`the child's processes and network (${osWalls ? iso.os : why})`, () => {
  it('a file that starts detached sleep and node processes leaves none behind', async () => {
    const r = await gradeHostile('spawns-detached');
    expect(r.passed).toBe(false);
    const marked = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
          return cmd.includes('gpt-kata-hostile-marker') || cmd === 'sleep\u00003601\u0000';
        } catch {
          return false;
        }
      });
    expect(marked).toEqual([]);
  }, 120_000);

  describe('a file that connects to a listener on 127.0.0.1', () => {
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    beforeAll(() => new Promise<void>((resolve) => server.listen(47613, '127.0.0.1', resolve)));
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('makes no connection', async () => {
      const r = await gradeHostile('connects-network');
      expect(r.passed).toBe(false);
      // the child is gone when the grading returns: any connection it made has been accepted by now
      await new Promise((resolve) => setImmediate(resolve));
      expect(connections).toBe(0);
    }, 120_000);
  });

  it("a file that signals its parent and every pid it can name: the grader's output and exit status are its own", async () => {
    const dir = mkdtempSync(join(work, 'signals-'));
    copyFileSync(join(HOSTILE, 'signals-grader.ts'), join(dir, 'attention.ts'));
    const r = await execa('node', ['harness/cli/run.mjs', 'grade', 'attention', '--dir', dir, '--json'], { cwd: PROJECT_ROOT, reject: false, timeout: 300_000 });
    expect(r.signal).toBeUndefined();
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout) as { passed: boolean; katas: { kata: string; passed: boolean }[] };
    expect(report.passed).toBe(false);
    expect(report.katas.map((k) => k.kata)).toEqual(['attention']);
  }, 300_000);
});

describe('what the child reports', () => {
  it('replies forged through process.send, process.on("message") and raw frames on the descriptors are not accepted', async () => {
    const r = await gradeHostile('forges-replies');
    expect(r.passed).toBe(false);
    expect(messages(r)).toContain('private channel');
  }, 120_000);

  it("a correct file that replaces tfjs's engine.profile and engine.memory fails, with the replaced part named", async () => {
    const r = await gradeHostile('engine-profile-tamper');
    expect(r.passed).toBe(false);
    expect(messages(r)).toContain("your code replaced tfjs's engine.profile");
  }, 120_000);

  it('a correct file that swaps engine.runKernel during its call and restores it fails too', async () => {
    const r = await gradeHostile('engine-tamper-in-call');
    expect(r.passed).toBe(false);
    expect(messages(r)).toContain("your code replaced tfjs's engine.runKernel");
  }, 120_000);
});

describe('the import guard, on real paths', () => {
  const reference = join(PROJECT_ROOT, 'grader', 'katas', 'attention', 'reference.ts');
  const refused = async (source: string, extra?: (dir: string) => void) => {
    const dir = mkdtempSync(join(work, 'imports-'));
    extra?.(dir);
    writeFileSync(join(dir, 'attention.ts'), source);
    const built = await bundleSolution(join(dir, 'attention.ts'), 'attention');
    return built.ok ? 'bundled' : built.message;
  };

  it('refuses the reference by absolute path, through a symlink, and by ../.. from a folder inside the project', async () => {
    expect(await refused(`export { scaledDotProductAttention } from ${JSON.stringify(reference)};\n`)).toContain("the grader's own file");
    expect(await refused("export { scaledDotProductAttention } from './ref.ts';\n", (d) => symlinkSync(reference, join(d, 'ref.ts')))).toContain("the grader's own file");
    const inside = mkdtempSync(join(CACHE_DIR, 'imports-'));
    try {
      writeFileSync(join(inside, 'attention.ts'), "export { scaledDotProductAttention } from '../../../grader/katas/attention/reference.ts';\n");
      const built = await bundleSolution(join(inside, 'attention.ts'), 'attention');
      expect(built.ok ? 'bundled' : built.message).toContain("the grader's own file");
    } finally {
      rmSync(inside, { recursive: true, force: true });
    }
  });

  it('refuses a solution file that is itself a link to the reference, and any other package than tfjs', async () => {
    const dir = mkdtempSync(join(work, 'linked-'));
    symlinkSync(reference, join(dir, 'attention.ts'));
    const built = await bundleSolution(join(dir, 'attention.ts'), 'attention');
    expect(built.ok ? 'bundled' : built.message).toContain("the grader's own file");
    expect(await refused("import * as fc from 'fast-check';\nexport const x = fc;\n")).toContain('may import only @tensorflow/tfjs');
  });

  it('still bundles tfjs, katas/contracts.ts and a sibling file', async () => {
    const contracts = join(PROJECT_ROOT, 'katas', 'contracts.ts');
    const source = `import * as tf from '@tensorflow/tfjs';\nimport type { AttentionParams } from ${JSON.stringify(contracts)};\nimport { two } from './helper';\nexport const f = (p: AttentionParams) => [tf, two, p];\n`;
    expect(await refused(source, (d) => writeFileSync(join(d, 'helper.ts'), 'export const two = 2;\n'))).toBe('bundled');
    expect(await gradeKata('attention', CORRECT).then((r) => r.passed)).toBe(true);
  }, 120_000);
});
