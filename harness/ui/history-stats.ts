// Progress derived from the history file: sessions with their splits, per-kata status and personal bests.
import { BAR_KATAS, BAR_MINUTES } from '../../grader/registry.ts';
import type { KataId } from '../../grader/report.ts';
import type { EndReason, HistoryRecord } from './history.ts';

export type KataStatus = 'passed' | 'failed' | 'not-tried';

interface PassInfo {
  at: number;
  /** Session clock when the passing save happened. */
  splitMs: number;
  /** Time spent with this kata on screen until it passed. */
  kataMs: number;
}

export interface SessionSummary {
  id: string;
  startedAt: number;
  minutes: number;
  katas: KataId[];
  endedAt: number | null;
  endReason: EndReason | null;
  passes: Partial<Record<KataId, PassInfo>>;
  /** Latest grading of each kata in this session. */
  lastAttempt: Partial<Record<KataId, { passed: boolean; mistakes: string[]; at: number }>>;
  /** The kata on screen last, and since when its time has been counting. */
  focus: KataId | null;
  focusSince: number | null;
  /** Time spent per kata, not counting the open interval of the kata in focus. */
  spentMs: Partial<Record<KataId, number>>;
  filesCreated: KataId[];
  hints: Partial<Record<KataId, number[]>>;
}

export interface PersonalBests {
  kataMs: Partial<Record<KataId, number>>;
  /** Best session clock at which the last of the bar katas passed. */
  barMs: number | null;
}

export interface Progress {
  sessions: SessionSummary[];
  /** The latest session when it has not ended. */
  active: SessionSummary | null;
  /** Latest grading verdict of each kata in any session. */
  lastStatus: Partial<Record<KataId, KataStatus>>;
  bests: PersonalBests;
}

function closeFocus(s: SessionSummary, at: number): void {
  if (s.focus && s.focusSince !== null && !s.passes[s.focus]) {
    s.spentMs[s.focus] = (s.spentMs[s.focus] ?? 0) + Math.max(0, at - s.focusSince);
  }
  s.focusSince = null;
}

export function deriveProgress(records: readonly HistoryRecord[]): Progress {
  const sessions: SessionSummary[] = [];
  const byId = new Map<string, SessionSummary>();
  const lastStatus: Partial<Record<KataId, KataStatus>> = {};
  for (const r of records) {
    if (r.type === 'session-start') {
      const s: SessionSummary = {
        id: r.session,
        startedAt: r.at,
        minutes: r.minutes,
        katas: [...r.katas],
        endedAt: null,
        endReason: null,
        passes: {},
        lastAttempt: {},
        focus: null,
        focusSince: null,
        spentMs: {},
        filesCreated: [],
        hints: {},
      };
      sessions.push(s);
      byId.set(s.id, s);
      continue;
    }
    if (!('session' in r)) continue; // the self-check's records belong to no kata session (self-check-stats.ts)
    if (r.type === 'attempt') lastStatus[r.kata] = r.passed ? 'passed' : 'failed';
    const s = r.session === null ? undefined : byId.get(r.session);
    if (!s || s.endedAt !== null) continue; // records after a session's end change nothing in it
    switch (r.type) {
      case 'focus':
        closeFocus(s, r.at);
        s.focus = r.kata;
        s.focusSince = r.at;
        break;
      case 'file-created':
        if (!s.filesCreated.includes(r.kata)) s.filesCreated.push(r.kata);
        break;
      case 'attempt':
        s.lastAttempt[r.kata] = { passed: r.passed, mistakes: r.mistakes ?? [], at: r.at };
        break;
      case 'pass':
        if (!s.passes[r.kata]) {
          s.passes[r.kata] = { at: r.at, splitMs: r.splitMs, kataMs: r.kataMs };
          s.spentMs[r.kata] = r.kataMs;
          if (s.focus === r.kata) s.focusSince = null;
        }
        break;
      case 'hint':
        s.hints[r.kata] = [...(s.hints[r.kata] ?? []), r.tier];
        break;
      case 'session-end':
        closeFocus(s, r.at);
        s.endedAt = r.at;
        s.endReason = r.reason;
        break;
    }
  }
  const last = sessions.at(-1);
  return {
    sessions,
    active: last && last.endedAt === null ? last : null,
    lastStatus,
    bests: personalBests(sessions),
  };
}

/** Time spent on a kata so far, including the open interval while it is on screen. */
export function kataSpentMs(s: SessionSummary, kata: KataId, now: number): number {
  const closed = s.spentMs[kata] ?? 0;
  if (s.passes[kata] || s.focus !== kata || s.focusSince === null) return closed;
  return closed + Math.max(0, now - s.focusSince);
}

export function sessionStatus(s: SessionSummary, kata: KataId): KataStatus {
  if (s.passes[kata]) return 'passed';
  if (s.lastAttempt[kata]) return 'failed';
  return 'not-tried';
}

export function sessionDeadline(s: SessionSummary): number {
  return s.startedAt + s.minutes * 60_000;
}

/** The session clock reading at which all bar katas had passed, or null when they have not all passed. */
export function barTimeMs(s: SessionSummary): number | null {
  let latest = 0;
  for (const kata of BAR_KATAS) {
    const p = s.passes[kata];
    if (!p) return null;
    latest = Math.max(latest, p.splitMs);
  }
  return latest;
}

export function barMet(s: SessionSummary): boolean {
  const t = barTimeMs(s);
  return t !== null && t <= BAR_MINUTES * 60_000;
}

export function personalBests(sessions: readonly SessionSummary[]): PersonalBests {
  const kataMs: Partial<Record<KataId, number>> = {};
  let barMs: number | null = null;
  for (const s of sessions) {
    for (const [kata, p] of Object.entries(s.passes) as [KataId, PassInfo][]) {
      const best = kataMs[kata];
      if (best === undefined || p.kataMs < best) kataMs[kata] = p.kataMs;
    }
    const bar = barTimeMs(s);
    if (bar !== null && (barMs === null || bar < barMs)) barMs = bar;
  }
  return { kataMs, barMs };
}
