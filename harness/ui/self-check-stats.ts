// The self-check's history: each attempt's score, time and seed, the latest and the best, derived from the history records.
import type { HistoryRecord, SelfCheckEndReason } from './history.ts';

interface SelfCheckAttempt {
  seed: number;
  at: number;
  score: number;
  total: number;
  ms: number;
  reason: SelfCheckEndReason;
}

export interface SelfCheckStats {
  attempts: SelfCheckAttempt[];
  last: SelfCheckAttempt | null;
  /** Highest share of right answers; the quicker one on a tie. */
  best: SelfCheckAttempt | null;
}

export function selfCheckStats(records: readonly HistoryRecord[]): SelfCheckStats {
  const attempts = records.flatMap((r): SelfCheckAttempt[] =>
    r.type === 'self-check-end' ? [{ seed: r.seed, at: r.at, score: r.score, total: r.total, ms: r.ms, reason: r.reason }] : [],
  );
  let best: SelfCheckAttempt | null = null;
  for (const a of attempts) {
    const share = a.score / Math.max(1, a.total);
    const bestShare = best ? best.score / Math.max(1, best.total) : -1;
    if (!best || share > bestShare || (share === bestShare && a.ms < best.ms)) best = a;
  }
  return { attempts, last: attempts.at(-1) ?? null, best };
}
