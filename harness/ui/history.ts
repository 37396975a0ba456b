// The learner's attempt history: an append-only JSONL file in DIR, fsynced per record, read back tolerating a torn line.
import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KataId } from '../../grader/report.ts';

/** Name of the history file inside the learner's DIR. */
export const HISTORY_FILE = 'kata-history.jsonl';

export function historyPath(dir: string): string {
  return join(dir, HISTORY_FILE);
}

export type EndReason = 'all-passed' | 'clock-out' | 'ended';

/** One line of the history file. `at` is epoch milliseconds. */
export type HistoryRecord =
  | { type: 'session-start'; at: number; session: string; minutes: number; katas: KataId[] }
  /** The learner moved to this kata; time until the next focus counts toward it. */
  | { type: 'focus'; at: number; session: string; kata: KataId }
  | { type: 'file-created'; at: number; session: string; kata: KataId; file: string; archivedTo: string | null }
  /** One grading of the learner's file. `savedAt` is when the save (or re-grade key) happened. */
  | {
      type: 'attempt';
      at: number;
      session: string | null;
      kata: KataId;
      savedAt: number;
      passed: boolean;
      mistakes: string[];
      failedChecks: string[];
      durationMs: number;
    }
  /** First pass of a kata in a session: split = session clock at the passing save; kataMs = time spent on this kata. */
  | { type: 'pass'; at: number; session: string; kata: KataId; splitMs: number; kataMs: number }
  | { type: 'hint'; at: number; session: string | null; kata: KataId; tier: 1 | 2 | 3 }
  | { type: 'session-end'; at: number; session: string; reason: EndReason }
  /** Session A's self-check, apart from the kata sessions: its seed replays the same questions. */
  | { type: 'self-check-start'; at: number; seed: number; minutes: number }
  | { type: 'self-check-answer'; at: number; seed: number; question: string; given: string; correct: boolean }
  | { type: 'self-check-end'; at: number; seed: number; score: number; total: number; ms: number; reason: SelfCheckEndReason };

export type SelfCheckEndReason = 'finished' | 'clock-out' | 'left';

const REQUIRED: Record<HistoryRecord['type'], string[]> = {
  'session-start': ['session', 'minutes', 'katas'],
  focus: ['session', 'kata'],
  'file-created': ['session', 'kata', 'file'],
  attempt: ['kata', 'passed'],
  pass: ['session', 'kata', 'splitMs', 'kataMs'],
  hint: ['kata', 'tier'],
  'session-end': ['session', 'reason'],
  'self-check-start': ['seed', 'minutes'],
  'self-check-answer': ['seed', 'question', 'correct'],
  'self-check-end': ['seed', 'score', 'total', 'ms', 'reason'],
};

function isRecord(value: unknown): value is HistoryRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string' || typeof v.at !== 'number' || !(v.type in REQUIRED)) return false;
  return REQUIRED[v.type as HistoryRecord['type']].every((key) => v[key] !== undefined);
}

/**
 * Appends one record as one line and fsyncs it. If an earlier write was torn (the file does not end in a
 * newline), the new record starts on a fresh line so the torn fragment cannot swallow it.
 */
export function appendRecord(file: string, record: HistoryRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, 'a+');
  try {
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    writeSync(fd, prefix + JSON.stringify(record) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export interface HistoryRead {
  records: HistoryRecord[];
  /** Lines that were not whole records (a torn write, a hand edit); they are skipped, never fatal. */
  skippedLines: number;
}

/** Reads every whole record; a missing file is an empty history. */
export function readHistory(file: string): HistoryRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skippedLines: 0 };
    throw error;
  }
  const records: HistoryRecord[] = [];
  let skippedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isRecord(parsed)) records.push(parsed);
      else skippedLines++;
    } catch {
      skippedLines++;
    }
  }
  return { records, skippedLines };
}
