// The median of a list of timings: the middle value, or the mean of the two middle values for an even count.

/** Median of `xs` (NaN when empty); the input is left unsorted. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
