// A fixed-size mistake is named only when every small input is right: a file wrong on small inputs too (a wrong
// activation, the blocks in reverse order) fails without that name.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeKata } from './engine.ts';
import { PROJECT_ROOT } from './sandbox/paths.ts';

const BUDGETS = { loadTimeoutMs: 120_000, callTimeoutMs: 60_000, timeoutMs: 600_000 };
const uncatalogued = (kata: string, file: string) => join(PROJECT_ROOT, 'grader', 'katas', kata, 'fixtures', 'uncatalogued', file);

describe('naming a fixed-size mask', () => {
  for (const [kata, file] of [
    ['block', 'leaky-relu.ts'],
    ['gpt', 'blocks-reversed.ts'],
  ] as const) {
    it(`fails ${kata}/${file} without naming a fixed-size mask`, async () => {
      const report = await gradeKata(kata, uncatalogued(kata, file), BUDGETS);
      expect(report.passed).toBe(false);
      expect(report.mistakes.filter((m) => m.endsWith('fixed-size-mask'))).toEqual([]);
    }, 600_000);
  }
});
