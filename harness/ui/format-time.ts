// Clock formatting for the kata UI: milliseconds to "m:ss", and signed differences for personal bests.

/** 372_000 -> "6:12"; 3_723_000 -> "62:03" (minutes never roll into hours: the clock reads 60:00). Negative -> 0:00. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** Remaining time, rounded up so the clock reads 60:00 at the start and 0:00 only when time is really out. */
export function formatRemaining(ms: number): string {
  return formatClock(Math.ceil(Math.max(0, ms) / 1000) * 1000);
}

/** Difference against a best: "-0:32" when faster, "+1:05" when slower. */
export function formatDelta(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  return sign + formatClock(Math.abs(ms));
}

/** "3s ago", "2m ago" for the age of a grading result. */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s ago` : `${Math.floor(s / 60)}m ago`;
}
