// Reading typed answers: the notations a learner uses for shapes, counts and polynomials in d.
import { describe, expect, it } from 'vitest';
import { formatPolynomial, parsePolynomial, parseShape, parseWholeNumber } from './parse-answer.ts';

describe('typed answers', () => {
  it('reads a shape in any of the usual notations, and refuses what is not one', () => {
    for (const t of ['2,8,64', '[2, 8, 64]', '(2,8,64)', ' 2 8 64 ', '2x8x64', '2 × 8 × 64', '(2, 8, 64,)'.replace(',)', ')')]) expect(parseShape(t), t).toEqual([2, 8, 64]);
    for (const t of ['', 'B, T, C', '2,,8', '2.5, 8', '0, 8', '[]']) expect(parseShape(t), t).toBeNull();
  });

  it('reads whole numbers with thousands separators', () => {
    expect(parseWholeNumber('16448')).toBe(16448);
    expect(parseWholeNumber('16,448')).toBe(16448);
    expect(parseWholeNumber('1 234 567')).toBe(1234567);
    expect(parseWholeNumber('16.4k')).toBeNull();
    expect(parseWholeNumber('')).toBeNull();
  });

  it('reads a polynomial in d written the ways people write it', () => {
    for (const t of ['4d^2 + d', '4·d² + d', '4*d**2+1*d', 'd + 4d^2', '4 d_model^2 + d_model']) expect(parsePolynomial(t), t).toEqual([0, 1, 4]);
    expect(parsePolynomial('4d^2 + 4d')).toEqual([0, 4, 4]);
    expect(parsePolynomial('3d^2 + d^2 + d')).toEqual([0, 1, 4]);
    for (const t of ['', 'd(4d+1)', '4x^2', 'four d squared']) expect(parsePolynomial(t), t).toBeNull();
    expect(formatPolynomial([0, 1, 4])).toBe('4d² + d');
    expect(formatPolynomial([0, 4, 4])).toBe('4d² + 4d');
  });
});
