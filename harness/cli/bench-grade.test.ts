// `npm run -s bench:grade -- --runs 1 --json` as a user types it: one JSON object with a timed row per measurement.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Row } from './bench-grade.ts';
import { npmRun } from './test-support/npm-run.ts';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe('npm run bench:grade', () => {
  it('times the kata app (where tmux is) and npm run grade once each, with their goals, as JSON', async () => {
    const r = await npmRun('bench:grade', ['--runs', '1', '--json'], { silent: true, timeoutMs: 300_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { rows: Row[]; load_start: number; load_end: number };
    expect(report.rows.length).toBeGreaterThanOrEqual(4);
    for (const row of report.rows) {
      expect(row.goal_s, row.what).toBeGreaterThan(0);
      const skipped = !hasTmux && row.what.startsWith('kata app');
      if (skipped) expect(row.note, row.what).toMatch(/skipped: tmux is not installed/);
      else {
        expect(row.runs_s, row.what).toHaveLength(1);
        expect(row.median_s, row.what).toBeGreaterThan(0);
      }
    }
    expect(report.rows.map((row) => row.what)).toContain('npm run grade -- attention --json');
  }, 320_000);
});
