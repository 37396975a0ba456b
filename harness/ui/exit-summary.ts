// The line printed after the app quits, so the terminal says where the learner stands once the screen is restored.
import { BAR_MINUTES } from '../../grader/registry.ts';
import { formatClock, formatRemaining } from './format-time.ts';
import type { HistoryRecord } from './history.ts';
import { barTimeMs, deriveProgress, sessionDeadline } from './history-stats.ts';
import { selfCheckStats } from './self-check-stats.ts';

export function exitSummary(records: readonly HistoryRecord[], now: number, dir: string): string {
  const last = selfCheckStats(records).last;
  const selfCheck = last ? ` Session A self-check: ${last.score} of ${last.total} last time.` : '';
  return katasSummary(records, now, dir) + selfCheck;
}

function katasSummary(records: readonly HistoryRecord[], now: number, dir: string): string {
  const progress = deriveProgress(records);
  const active = progress.active;
  if (active && now < sessionDeadline(active)) {
    const passed = active.katas.filter((k) => active.passes[k]).length;
    return `Session running: ${passed} of ${active.katas.length} passed, ${formatRemaining(sessionDeadline(active) - now)} left; npm run kata resumes it.`;
  }
  const last = progress.sessions.at(-1);
  if (!last) return `No session started. History: ${dir}`;
  const passed = last.katas.filter((k) => last.passes[k]).length;
  const bar = barTimeMs(last);
  const barText = bar === null ? 'bar not met' : bar <= BAR_MINUTES * 60_000 ? `bar met in ${formatClock(bar)}` : `first four took ${formatClock(bar)}, bar not met`;
  return `Last session: ${passed} of ${last.katas.length} passed, ${barText}.`;
}
