// Reads what the learner typed: a shape ("2,8,64", "[2, 8, 64]", "(2,8,64)", "2x8x64"), a whole number, or a polynomial in d.

/** A shape as its sizes, or null when the text is not a list of positive whole numbers. */
export function parseShape(text: string): number[] | null {
  const inner = text.trim().replace(/^[[(]\s*/, '').replace(/\s*[\])]$/, '');
  if (inner === '') return null;
  const parts = inner.split(/\s*[,×x*]\s*|\s+/i);
  if (parts.some((p) => !/^\d+$/.test(p))) return null;
  const sizes = parts.map(Number);
  return sizes.every((n) => n > 0) ? sizes : null;
}

/** A whole number, allowing thousands separators ("16,448", "16 448", "16_448"); null otherwise. */
export function parseWholeNumber(text: string): number | null {
  const t = text.trim().replace(/[,_ ](?=\d{3}(\D|$))/g, '');
  return /^\d+$/.test(t) ? Number(t) : null;
}

/**
 * A polynomial in d (d_model): "4d^2 + d", "4·d² + 4·d", "4*d**2+4*d", "d(4d+1)" is not read (expand it).
 * Returns the coefficients by degree, [constant, d, d², ...], or null when the text is not such a sum.
 */
export function parsePolynomial(text: string): number[] | null {
  const t = text.toLowerCase().replace(/\s+/g, '').replace(/d_model|dmodel/g, 'd').replace(/²/g, '^2').replace(/³/g, '^3').replace(/\*\*/g, '^');
  if (t === '') return null;
  const terms = t.replace(/-/g, '+-').split('+').filter((s) => s !== '');
  const coeffs: number[] = [];
  for (const term of terms) {
    const m = /^(-?)(\d*)[·*]?(?:(d)(?:\^(\d+))?)?$/.exec(term);
    if (!m || (m[2] === '' && !m[3])) return null;
    const coefficient = (m[1] ? -1 : 1) * (m[2] === '' ? 1 : Number(m[2]));
    const degree = m[3] ? (m[4] === undefined ? 1 : Number(m[4])) : 0;
    while (coeffs.length <= degree) coeffs.push(0);
    coeffs[degree]! += coefficient;
  }
  return trimZeros(coeffs);
}

function trimZeros(coeffs: number[]): number[] {
  const out = [...coeffs];
  while (out.length > 1 && out.at(-1) === 0) out.pop();
  return out;
}

/** "4d² + d" for [0, 1, 4]. */
export function formatPolynomial(coeffs: readonly number[]): string {
  const sup = ['', '', '²', '³'];
  const terms: string[] = [];
  for (let deg = coeffs.length - 1; deg >= 0; deg--) {
    const c = coeffs[deg]!;
    if (c === 0) continue;
    const body = deg === 0 ? String(Math.abs(c)) : `${Math.abs(c) === 1 ? '' : Math.abs(c)}d${sup[deg] ?? `^${deg}`}`;
    terms.push(terms.length === 0 ? (c < 0 ? `-${body}` : body) : `${c < 0 ? '-' : '+'} ${body}`);
  }
  return terms.length ? terms.join(' ') : '0';
}

export function samePolynomial(a: readonly number[], b: readonly number[]): boolean {
  const x = trimZeros([...a]);
  const y = trimZeros([...b]);
  return x.length === y.length && x.every((c, i) => c === y[i]);
}

/** "(2, 8, 64)". */
export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}
