// The sampling statistics against known values, so the generate test's false-failure rate is what we claim.
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, gTest, kl } from './stats.ts';

describe('sampling statistics', () => {
  it('chi-square survival matches tables', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(9.487729036781154, 4)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(40, 3)).toBeLessThan(1.1e-8);
  });

  it('G-test accepts a fair sample and rejects a skewed one', () => {
    expect(gTest([100, 100, 100, 100], [0.25, 0.25, 0.25, 0.25]).p).toBeCloseTo(1, 10);
    expect(gTest([400, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]).p).toBeLessThan(1e-100);
    expect(gTest([3, 1], [1, 0]).p).toBe(0);
  });

  it('KL divergence is zero for equal distributions and positive otherwise', () => {
    expect(kl([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(kl([0.9, 0.1], [0.5, 0.5])).toBeGreaterThan(0.3);
  });
});
