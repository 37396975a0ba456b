// Prints small tensors and error figures compactly, so a counterexample fits an 80-column terminal.

export function fmtNum(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** Nested-bracket rendering of a tensor, eliding beyond `maxItems` values. */
function fmtTensor(shape: readonly number[], data: ArrayLike<number>, maxItems = 24): string {
  if (shape.length === 0) return fmtNum(data[0]!);
  let shown = 0;
  const rec = (dim: number, offset: number): string => {
    const n = shape[dim]!;
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (shown >= maxItems) {
        parts.push('…');
        break;
      }
      if (dim === shape.length - 1) {
        parts.push(fmtNum(data[offset + i]!));
        shown++;
      } else parts.push(rec(dim + 1, offset + i * stride));
    }
    return `[${parts.join(', ')}]`;
  };
  return rec(0, 0);
}

export const fmtShape = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

/** Named inputs as indented lines: "  q [1, 2] = [[0.5, -1]]". */
export function fmtInputs(inputs: Record<string, { shape: readonly number[]; data: ArrayLike<number> } | number | string | undefined>): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(inputs)) {
    if (v === undefined) continue;
    if (typeof v === 'object') lines.push(`  ${k} ${fmtShape(v.shape)} = ${fmtTensor(v.shape, v.data)}`);
    else lines.push(`  ${k} = ${typeof v === 'string' ? v : fmtNum(v)}`);
  }
  return lines.join('\n');
}
