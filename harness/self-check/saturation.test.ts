// The √dₖ measurement: run in the grader's sandbox, on the reference when the learner has no passing attention.ts, on theirs when they do.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeKata } from '../../grader/engine.ts';
import { measureSaturation, REFERENCE_ATTENTION } from './measure-saturation.ts';
import { KEYS, saturationLines, summariseWeights } from './saturation.ts';

const dir = mkdtempSync(join(tmpdir(), 'saturation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const grade = (file: string) => gradeKata('attention', file);

describe('softmax saturation without the scale', () => {
  it('summarises weights: uniform rows have max 1/n and entropy ln n; rows that do not sum to 1 are refused', () => {
    const uniform = summariseWeights(new Array(2 * KEYS).fill(1 / KEYS), 2, KEYS);
    expect(uniform.maxWeight).toBeCloseTo(1 / KEYS, 6);
    expect(uniform.entropy).toBeCloseTo(Math.log(KEYS), 5);
    expect(() => summariseWeights([0.5, 0.2], 1, 2)).toThrow(/sums to 0.7/);
  });

  it('measures the reference when DIR has no attention.ts, and the learner\'s own once it passes', async () => {
    const ref = await measureSaturation(dir, 42, grade);
    expect(ref.source).toBe('reference');
    expect(ref.why).toBe('no attention.ts in your folder yet');
    const last = ref.rows.at(-1)!;
    expect(last.dk).toBe(1024);
    expect(last.unscaled.maxWeight).toBeGreaterThan(0.9); // nearly one-hot
    expect(last.scaled.maxWeight).toBeLessThan(0.5);
    expect(last.scaled.entropy).toBeGreaterThan(last.unscaled.entropy + 1.5);
    expect(saturationLines(ref).join('\n')).toContain('the reference');

    writeFileSync(join(dir, 'attention.ts'), readFileSync(REFERENCE_ATTENTION, 'utf8').replace(/^\/\/.*\n/, '// mine\n'));
    const mine = await measureSaturation(dir, 42, grade);
    expect(mine.source).toBe('yours');
    expect(mine.rows.map((r) => r.unscaled.maxWeight)).toEqual(ref.rows.map((r) => r.unscaled.maxWeight));
    expect(saturationLines(mine)[0]).toContain('your scaledDotProductAttention');
  }, 120_000);
});
