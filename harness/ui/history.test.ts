// History safety: a torn last line or a writer killed mid-write never loses earlier records, and later appends still read back.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { appendRecord, readHistory, type HistoryRecord } from './history.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kata-history-'));
  dirs.push(dir);
  return join(dir, 'kata-history.jsonl');
}

const start = (n: number): HistoryRecord => ({ type: 'session-start', at: n, session: `s${n}`, minutes: 60, katas: ['attention'] });

describe('history file', () => {
  it('reads back what was appended, in order', () => {
    const file = tempFile();
    expect(readHistory(file)).toEqual({ records: [], skippedLines: 0 });
    appendRecord(file, start(1));
    appendRecord(file, { type: 'pass', at: 2, session: 's1', kata: 'attention', splitMs: 5, kataMs: 5 });
    expect(readHistory(file).records.map((r) => r.type)).toEqual(['session-start', 'pass']);
  });

  it('skips a torn last record, and the next append starts on its own line', () => {
    const file = tempFile();
    appendRecord(file, start(1));
    appendRecord(file, start(2));
    appendFileSync(file, JSON.stringify(start(3)).slice(0, 25)); // the process died halfway through this write
    const torn = readHistory(file);
    expect(torn.records.map((r) => r.at)).toEqual([1, 2]);
    expect(torn.skippedLines).toBe(1);
    appendRecord(file, start(4));
    const after = readHistory(file);
    expect(after.records.map((r) => r.at)).toEqual([1, 2, 4]);
    expect(after.skippedLines).toBe(1);
  });

  it('keeps every earlier record when the writing process is killed mid-stream', async () => {
    const file = tempFile();
    const historyModule = fileURLToPath(new URL('./history.ts', import.meta.url));
    // Large records (256 KiB each) make a kill inside a write likely; whatever it cuts, earlier lines must survive.
    const script = `
      const { appendRecord } = await import(${JSON.stringify(historyModule)});
      const pad = 'x'.repeat(256 * 1024);
      for (let i = 0; ; i++) appendRecord(${JSON.stringify(file)}, { type: 'hint', at: i, session: null, kata: 'attention', tier: 1, pad });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const started = Date.now();
    while (Date.now() - started < 20_000) {
      const size = (() => {
        try {
          return statSync(file).size;
        } catch {
          return 0;
        }
      })();
      if (size > 20 * 256 * 1024) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;

    const { records, skippedLines } = readHistory(file);
    expect(records.length).toBeGreaterThanOrEqual(20);
    expect(skippedLines).toBeLessThanOrEqual(1);
    expect(records.map((r) => r.at)).toEqual(records.map((_, i) => i)); // no gaps: only the last write can be cut
    appendRecord(file, start(99));
    const after = readHistory(file);
    expect(after.records.at(-1)).toMatchObject({ type: 'session-start', at: 99 });
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });
});
