// The compiled commands behave as their TypeScript does under Node: import.meta of the source file, tfjs both as a
// namespace and as a default import (the `require` shim), dynamic imports where they stand, and a rebuild when a source changes.
import { appendFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, compiledScript } from './compile-cache.mjs';

const rel = join('.scratch', `compile-cache-${process.pid}`);
const dir = join(PROJECT_ROOT, rel);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (entry: string) => (await execa('node', [await compiledScript(entry)], { cwd: PROJECT_ROOT })).stdout;

describe('compiledScript', () => {
  it('keeps import.meta of the source, loads tfjs both ways, and runs a dynamic import where it stands', async () => {
    writeFileSync(join(dir, 'later.ts'), "// lazily loaded\nexport const seen = (globalThis as { order?: string[] }).order!.push('later');\n");
    writeFileSync(
      join(dir, 'entry.ts'),
      [
        '// test entry',
        "import * as tf from '@tensorflow/tfjs';",
        "import tfDefault from '@tensorflow/tfjs';",
        "const order: string[] = ((globalThis as { order?: string[] }).order = ['entry']);",
        "console.log(JSON.stringify({ url: import.meta.url, dirname: import.meta.dirname, ns: typeof tf.tensor, def: typeof tfDefault.tensor, same: tf.tensor === tfDefault.tensor }));",
        "await import('./later.ts');",
        'console.log(order.join(","));',
      ].join('\n'),
    );
    const [first, second] = (await run(join(rel, 'entry.ts'))).split('\n').filter((l) => !l.startsWith('=') && !l.startsWith('Hi') && l.trim());
    const seen = JSON.parse(first!) as { url: string; dirname: string; ns: string; def: string; same: boolean };
    expect(seen.url).toBe(`file://${join(dir, 'entry.ts')}`);
    expect(seen.dirname).toBe(dir);
    expect([seen.ns, seen.def, seen.same]).toEqual(['function', 'function', true]);
    expect(second).toBe('entry,later');
  });

  it('reuses the compiled file while the sources are unchanged, and rebuilds when one changes', async () => {
    writeFileSync(join(dir, 'dep.ts'), "// a dependency\nexport const value = 'one';\n");
    writeFileSync(join(dir, 'main.ts'), "// test entry\nimport { value } from './dep.ts';\nconsole.log(value);\n");
    const a = await compiledScript(join(rel, 'main.ts'));
    expect(await compiledScript(join(rel, 'main.ts'))).toBe(a);
    expect(await run(join(rel, 'main.ts'))).toBe('one');
    writeFileSync(join(dir, 'dep.ts'), "// a dependency\nexport const value = 'two';\n");
    utimesSync(join(dir, 'dep.ts'), new Date(), new Date(Date.now() + 5000)); // a new mtime even on a coarse clock
    expect(await compiledScript(join(rel, 'main.ts'))).not.toBe(a);
    expect(await run(join(rel, 'main.ts'))).toBe('two');
  });

  it('notices a compiled file that differs from what it built, and writes it again', async () => {
    writeFileSync(join(dir, 'kept.ts'), "// test entry\nconsole.log('as built');\n");
    const out = await compiledScript(join(rel, 'kept.ts'));
    const built = readFileSync(out, 'utf8');
    appendFileSync(out, "console.log('rewritten');\n");
    expect(await compiledScript(join(rel, 'kept.ts'))).toBe(out);
    expect(readFileSync(out, 'utf8')).toBe(built);
    expect(await run(join(rel, 'kept.ts'))).toBe('as built');
  });

  it('compiles from inside a compiled command too (a CLI that starts the sandbox child compiles child.ts)', async () => {
    writeFileSync(join(dir, 'inner.ts'), `// inner entry\nconsole.log('inner ran ${process.pid}');\n`);
    writeFileSync(
      join(dir, 'outer.ts'),
      `// outer entry\nimport { execFileSync } from 'node:child_process';\nimport { compiledScript } from '../../grader/sandbox/compile-cache.mjs';\n` +
        `console.log(execFileSync(process.execPath, [await compiledScript(${JSON.stringify(join(rel, 'inner.ts'))})], { encoding: 'utf8' }).trim());\n`,
    );
    expect(await run(join(rel, 'outer.ts'))).toBe(`inner ran ${process.pid}`);
  });
});

