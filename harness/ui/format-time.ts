// Clock formatting for the kata UI: milliseconds to "m:ss" / "h:mm:ss", and signed differences for personal bests.

/** 372_000 -> "6:12"; 3_723_000 -> "1:02:03". Negative input is clamped to 0:00. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
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
