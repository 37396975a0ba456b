// The learner's files: a fresh blank holds only comments, and an earlier attempt is archived, never overwritten.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveFile, blankHeader, createFreshKataFile, isBlank } from './workspace.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kata-ws-'));
  dirs.push(dir);
  return dir;
}

describe('kata workspace', () => {
  it('writes a blank file with a header comment only', () => {
    const dir = join(tempDir(), 'nested', 'solutions');
    const made = createFreshKataFile(dir, 'causal-mask');
    expect(made.archivedTo).toBeNull();
    const text = readFileSync(made.file, 'utf8');
    expect(text).toBe(blankHeader('causal-mask'));
    expect(text).toContain('causalMask and maskFuture');
    expect(isBlank(text)).toBe(true);
    expect(isBlank(text + 'export const x = 1;\n')).toBe(false);
  });

  it('archives every earlier attempt under its own timestamped name', () => {
    const dir = tempDir();
    const when = new Date(2025, 0, 2, 3, 4, 5);
    writeFileSync(join(dir, 'gpt.ts'), 'attempt one');
    createFreshKataFile(dir, 'gpt', when);
    writeFileSync(join(dir, 'gpt.ts'), 'attempt two');
    const second = createFreshKataFile(dir, 'gpt', when); // same second: the name must not collide
    expect(second.archivedTo).toMatch(/archive\/gpt-20250102-030405-2\.ts$/);
    const archived = readdirSync(join(dir, 'archive')).sort();
    expect(archived).toEqual(['gpt-20250102-030405-2.ts', 'gpt-20250102-030405.ts']);
    expect(archived.map((f) => readFileSync(join(dir, 'archive', f), 'utf8')).sort()).toEqual(['attempt one', 'attempt two']);
  });

  it('leaves an untouched blank in place instead of archiving it', () => {
    const dir = tempDir();
    createFreshKataFile(dir, 'block');
    expect(createFreshKataFile(dir, 'block').archivedTo).toBeNull();
    expect(() => readdirSync(join(dir, 'archive'))).toThrow();
  });

  it('archiveFile never replaces an existing archive', () => {
    const dir = tempDir();
    const when = new Date(2025, 0, 2, 3, 4, 5);
    for (const text of ['a', 'b', 'c']) {
      writeFileSync(join(dir, 'x.ts'), text);
      archiveFile(join(dir, 'x.ts'), dir, when);
    }
    expect(readdirSync(join(dir, 'archive'))).toHaveLength(3);
  });
});
