// The sampling statistics against known values, so the generate test's false-failure rate is what we claim.
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, gTest, gTestExact, kl } from './stats.ts';

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

  it('the exact G-test sums the multinomial tail: a fair coin, 5 heads of 6, is p = 14/64', () => {
    // outcomes at least as far from 3:3 as 5:1 are 0, 1, 5 and 6 heads: (1 + 6 + 6 + 1) / 64
    expect(gTestExact([5, 1], [0.5, 0.5])).toBeCloseTo(14 / 64, 12);
    expect(gTestExact([3, 3], [0.5, 0.5])).toBeCloseTo(1, 12);
    expect(gTestExact([2, 0], [1, 0])).toBeCloseTo(1, 12);
    expect(gTestExact([1, 1], [1, 0])).toBe(0);
  });

  it('the exact G-test agrees with the χ² approximation when every expected count is large', () => {
    const counts = [60, 20, 30, 10];
    const exact = gTestExact(counts, [0.25, 0.25, 0.25, 0.25])!;
    expect(exact / gTest(counts, [0.25, 0.25, 0.25, 0.25]).p).toBeGreaterThan(0.8);
    expect(exact / gTest(counts, [0.25, 0.25, 0.25, 0.25]).p).toBeLessThan(1.5);
  });

  it('the exact G-test declines when there are too many count vectors to enumerate', () => {
    expect(gTestExact([400, 400, 400, 400], [0.25, 0.25, 0.25, 0.25])).toBeNull();
  });
});
