// The 1-D knob search finds the minimum of a cost, on a log or linear scale, to far better than the grid's spacing.
import { describe, expect, it } from 'vitest';
import { fitKnob } from './knob-fit.ts';

describe('fitKnob', () => {
  it('finds a divisor of 2.5 on a log scale from 1e-3 to 1e3', () => {
    const fit = fitKnob((x) => Math.abs(Math.log(x / 2.5)), 1e-3, 1e3, true);
    expect(fit.x).toBeCloseTo(2.5, 4);
  });

  it('finds an ε of 1e-7 among thirteen decades', () => {
    const fit = fitKnob((x) => (Math.log10(x) + 7) ** 2, 1e-13, 1e-1, true);
    expect(fit.x / 1e-7).toBeCloseTo(1, 3);
  });

  it('finds a power of 0.5 on a linear scale, and reports the cost there', () => {
    const fit = fitKnob((a) => (a - 0.5) ** 2 + 3, -4, 5, false);
    expect(fit.x).toBeCloseTo(0.5, 5);
    expect(fit.cost).toBeCloseTo(3, 8);
  });
});
