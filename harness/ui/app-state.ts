// The kata app's state machine: one event union (key, tick, resize, file change, grade result, ...) reduced purely;
// side effects (history appends, new files, gradings, exit) are queued in the outbox for the container to run.
import { basename } from 'node:path';
import { kataById } from '../../grader/registry.ts';
import type { KataId, KataReport } from '../../grader/report.ts';
import type { HintTier } from './kata-docs.ts';
import type { HistoryRecord } from './history.ts';
import {
  deriveProgress,
  kataSpentMs,
  sessionDeadline,
  type Progress,
} from './history-stats.ts';
import { formatClock } from './format-time.ts';
import { SELF_CHECK_MINUTES, seedFromTime } from '../self-check/draw-self-check.ts';
import type { Question } from '../self-check/question.ts';
import type { SaturationReport } from '../self-check/saturation.ts';
import { finish, runDeadline, startRun, submit, typed, type SelfCheckRun, type Step } from './self-check-run.ts';

export interface Setup {
  /** Absolute path of the learner's DIR. */
  dir: string;
  /** The katas of a new session, in order. */
  katas: KataId[];
  minutes: number;
  /** Hint tiers each kata's README provides. */
  hintTiers: Partial<Record<KataId, HintTier[]>>;
  /** Replays the self-check drawn from this seed (npm run kata -- --seed N); otherwise each sitting draws from the clock. */
  selfCheckSeed?: number;
}

type Screen = 'home' | 'kata' | 'end' | 'self-check';
type Pane = 'result' | 'spec' | 'hint' | 'reference';

/** A named mistake with the hint tier that explains it (from the grader's mistake catalogue). */
export interface GradeView {
  report: KataReport | null;
  savedAt: number | null;
  gradedAt: number | null;
  /** Why there is no fresh report: a blank file, a missing file, or a harness failure. */
  note: string | null;
}

interface Banner {
  kind: 'passed' | 'all-passed' | 'info' | 'error';
  text: string;
}

export interface KeyInfo {
  return?: boolean;
  escape?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  tab?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

export type AppEvent =
  | { type: 'key'; input: string; key: KeyInfo; at: number }
  | { type: 'tick'; at: number }
  | { type: 'resize'; columns: number; rows: number }
  | { type: 'file-changed'; kata: KataId; at: number }
  | { type: 'file-ready'; kata: KataId; file: string; archivedTo: string | null; signature: string; at: number }
  | { type: 'file-failed'; kata: KataId; message: string }
  | { type: 'graded'; kata: KataId; report: KataReport; savedAt: number; at: number }
  | { type: 'grade-skipped'; kata: KataId; note: string; at: number }
  | { type: 'grade-failed'; kata: KataId; message: string; at: number }
  | { type: 'history-failed'; message: string }
  /** The pane's content grew or shrank: how far it can scroll now (the view knows; the reducer clamps). */
  | { type: 'pane-size'; maxScroll: number }
  | { type: 'self-check-drawn'; seed: number; questions: Question[] }
  | { type: 'self-check-draw-failed'; seed: number; message: string }
  | { type: 'saturation-measured'; seed: number; report: SaturationReport }
  | { type: 'saturation-failed'; seed: number; message: string }
  | { type: 'effects-ran'; upTo: number };

type EffectBody =
  | { type: 'append'; record: HistoryRecord }
  | { type: 'create-file'; kata: KataId }
  | { type: 'grade'; kata: KataId; savedAt: number }
  | { type: 'draw-self-check'; seed: number }
  | { type: 'measure-saturation'; seed: number }
  | { type: 'exit' };
export type Effect = EffectBody & { id: number };

export interface State {
  setup: Setup;
  columns: number;
  rows: number;
  now: number;
  records: HistoryRecord[];
  progress: Progress;
  screen: Screen;
  /** A question waiting for a key: resume the unfinished session, or confirm ending this one. */
  prompt: 'resume' | 'confirm-end' | null;
  /** Highlighted row on the home screen (index into listedKatas). */
  cursor: number;
  /** The home screen's highlight is on the self-check row, above the katas. */
  onSelfCheck: boolean;
  /** The self-check sitting on screen, or the last one until the learner goes home. */
  selfCheck: SelfCheckRun | null;
  /** The kata on the kata screen. */
  current: KataId | null;
  pane: Pane;
  scroll: number;
  maxScroll: number;
  hintShown: HintTier | null;
  hintsRevealed: Partial<Record<KataId, HintTier[]>>;
  grades: Partial<Record<KataId, GradeView>>;
  grading: { kata: KataId; savedAt: number } | null;
  queue: { kata: KataId; savedAt: number }[];
  files: Partial<Record<KataId, { path: string; archivedTo: string | null; signature: string }>>;
  banner: Banner | null;
  /** The session the end screen reports on. */
  endedSession: string | null;
  outbox: Effect[];
  effectSeq: number;
}

// ---------------------------------------------------------------------------------------------- helpers

/** The katas the home screen lists: the active session's, else this run's. */
export function listedKatas(s: State): KataId[] {
  return s.progress.active?.katas ?? s.setup.katas;
}

export function referenceAllowed(s: State, kata: KataId): boolean {
  const active = s.progress.active;
  if (active) return active.passes[kata] !== undefined;
  const last = s.progress.sessions.at(-1);
  if (!last) return false;
  return last.passes[kata] !== undefined || last.endReason === 'clock-out';
}

/** Hint tiers in the order `h` reveals them: the tier that explains the named mistake first. */
export function hintOrder(s: State, kata: KataId): HintTier[] {
  const available = s.setup.hintTiers[kata] ?? [];
  const suggested = suggestedHint(s, kata);
  if (suggested === null || !available.includes(suggested)) return available;
  return [suggested, ...available.filter((t) => t !== suggested)];
}

export function suggestedHint(s: State, kata: KataId): HintTier | null {
  const tier = s.grades[kata]?.report?.diagnoses.find((d) => d.hintTier > 0)?.hintTier;
  return tier ? tier : null;
}

/** The tier the next `h` press shows. */
export function nextHint(s: State, kata: KataId): HintTier | null {
  const order = hintOrder(s, kata);
  const revealed = s.hintsRevealed[kata] ?? [];
  const unseen = order.find((t) => !revealed.includes(t));
  if (unseen !== undefined) return unseen;
  if (order.length === 0) return null;
  const at = s.hintShown === null ? -1 : order.indexOf(s.hintShown);
  return order[(at + 1) % order.length]!;
}

function emit(s: State, ...effects: EffectBody[]): State {
  let seq = s.effectSeq;
  const queued = effects.map((e) => ({ ...e, id: ++seq }));
  return { ...s, outbox: [...s.outbox, ...queued], effectSeq: seq };
}

/** Appends history records to memory (and re-derives progress) and queues them for the file. */
function record(s: State, ...records: HistoryRecord[]): State {
  const all = [...s.records, ...records];
  const next = { ...s, records: all, progress: deriveProgress(all) };
  return emit(next, ...records.map((r): EffectBody => ({ type: 'append', record: r })));
}

function emptyGrade(): GradeView {
  return { report: null, savedAt: null, gradedAt: null, note: null };
}

// ---------------------------------------------------------------------------------------------- init

export function initState(setup: Setup, records: HistoryRecord[], now: number, columns = 80, rows = 24): State {
  let s: State = {
    setup,
    columns,
    rows,
    now,
    records,
    progress: deriveProgress(records),
    screen: 'home',
    prompt: null,
    cursor: 0,
    onSelfCheck: false,
    selfCheck: null,
    current: null,
    pane: 'result',
    scroll: 0,
    maxScroll: 0,
    hintShown: null,
    hintsRevealed: {},
    grades: {},
    grading: null,
    queue: [],
    files: {},
    banner: null,
    endedSession: null,
    outbox: [],
    effectSeq: 0,
  };
  const active = s.progress.active;
  if (active) {
    const deadline = sessionDeadline(active);
    if (now >= deadline) {
      s = record(s, { type: 'session-end', at: deadline, session: active.id, reason: 'clock-out' });
      s = { ...s, banner: { kind: 'info', text: 'Your last session ran out of time while the app was closed.' } };
    } else {
      s = { ...s, prompt: 'resume' };
    }
  }
  const listed = listedKatas(s);
  const firstOpen = listed.findIndex((k) => s.progress.active?.passes[k] === undefined);
  return { ...s, cursor: Math.max(0, firstOpen) };
}

// ---------------------------------------------------------------------------------------------- transitions

function startSession(s: State, kata: KataId, at: number): State {
  const session = new Date(at).toISOString();
  let next: State = { ...s, grades: {}, files: {}, hintsRevealed: {}, queue: [], banner: null, prompt: null };
  next = record(next, { type: 'session-start', at, session, minutes: s.setup.minutes, katas: s.setup.katas });
  return openKata(next, kata, at);
}

/** Puts a kata on screen; in a session this counts its time and gives it a fresh file the first time. */
function openKata(s: State, kata: KataId, at: number): State {
  const active = s.progress.active;
  let next: State = {
    ...s,
    screen: 'kata',
    current: kata,
    pane: 'result',
    scroll: 0,
    hintShown: null,
    cursor: Math.max(0, listedKatas(s).indexOf(kata)),
  };
  if (next.banner?.kind !== 'error') next.banner = null;
  if (!active) return next;
  if (active.focus !== kata) next = record(next, { type: 'focus', at, session: active.id, kata });
  if (!active.filesCreated.includes(kata)) next = emit(next, { type: 'create-file', kata });
  else if (!next.grades[kata]?.report && !next.grades[kata]?.note) next = requestGrade(next, kata, at);
  return next;
}

function endSession(s: State, reason: 'all-passed' | 'clock-out' | 'ended', at: number): State {
  const active = s.progress.active;
  if (!active) return s;
  const next = record(s, { type: 'session-end', at, session: active.id, reason });
  return { ...next, endedSession: active.id, prompt: null, queue: [] };
}

function requestGrade(s: State, kata: KataId, savedAt: number): State {
  if (s.grading) {
    const queue = [...s.queue.filter((q) => q.kata !== kata), { kata, savedAt }];
    return { ...s, queue };
  }
  return emit({ ...s, grading: { kata, savedAt } }, { type: 'grade', kata, savedAt });
}

function gradeNext(s: State): State {
  const [head, ...rest] = s.queue;
  const next: State = { ...s, grading: null, queue: rest };
  return head ? requestGrade(next, head.kata, head.savedAt) : next;
}

function nextOpenKata(s: State, after: KataId): KataId | null {
  const list = listedKatas(s);
  const active = s.progress.active;
  const start = list.indexOf(after);
  for (let i = 1; i <= list.length; i++) {
    const k = list[(start + i) % list.length]!;
    if (!active || active.passes[k] === undefined) return k;
  }
  return null;
}

function onGraded(s: State, e: Extract<AppEvent, { type: 'graded' }>): State {
  const view: GradeView = { report: e.report, savedAt: e.savedAt, gradedAt: e.at, note: null };
  let next: State = { ...s, grades: { ...s.grades, [e.kata]: view } };
  if (next.current === e.kata && next.pane === 'result') next.scroll = 0;
  const active = next.progress.active;
  const failed = e.report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.name);
  next = record(next, {
    type: 'attempt',
    at: e.at,
    session: active && active.katas.includes(e.kata) ? active.id : null,
    kata: e.kata,
    savedAt: e.savedAt,
    passed: e.report.passed,
    mistakes: e.report.mistakes,
    failedChecks: failed,
    durationMs: e.report.durationMs,
  });
  if (!active || !e.report.passed || !active.katas.includes(e.kata) || active.passes[e.kata]) return gradeNext(next);
  const splitMs = e.savedAt - active.startedAt;
  const kataMs = kataSpentMs(active, e.kata, e.savedAt);
  next = record(next, { type: 'pass', at: e.at, session: active.id, kata: e.kata, splitMs, kataMs });
  const title = kataById(e.kata)!.title;
  const upcoming = nextOpenKata(next, e.kata);
  if (upcoming === null) {
    next = endSession(next, 'all-passed', e.at);
    next.banner = { kind: 'all-passed', text: `All katas passed! ${title} was the last. Enter shows your results.` };
  } else {
    const where = listedKatas(next).indexOf(upcoming);
    next.cursor = where;
    next.banner = {
      kind: 'passed',
      text: `✓ ${e.kata} passed (${formatClock(splitMs)} on the clock). n: next kata, ${upcoming} · s: reference`,
    };
  }
  return gradeNext(next);
}

function showHint(s: State, kata: KataId, at: number): State {
  const tier = nextHint(s, kata);
  if (tier === null) return { ...s, pane: 'hint', hintShown: null, scroll: 0 };
  const revealed = s.hintsRevealed[kata] ?? [];
  let next: State = { ...s, pane: 'hint', hintShown: tier, scroll: 0 };
  if (!revealed.includes(tier)) {
    next = { ...next, hintsRevealed: { ...s.hintsRevealed, [kata]: [...revealed, tier] } };
    const active = s.progress.active;
    next = record(next, { type: 'hint', at, session: active?.id ?? null, kata, tier });
  }
  return next;
}

function moveBy(s: State, delta: number, at: number): State {
  const list = listedKatas(s);
  if (!s.current || list.length === 0) return s;
  const i = (list.indexOf(s.current) + delta + list.length) % list.length;
  return openKata(s, list[i]!, at);
}

function scrollBy(s: State, delta: number): State {
  return { ...s, scroll: Math.max(0, Math.min(s.maxScroll, s.scroll + delta)) };
}

// ---------------------------------------------------------------------------------------------- self-check

function applyStep(s: State, step: Step): State {
  const next = { ...s, selfCheck: step.run };
  return step.records.length ? record(next, ...step.records) : next;
}

function startSelfCheck(s: State, at: number): State {
  if (s.progress.active) {
    return { ...s, banner: { kind: 'info', text: 'A kata session is running: finish it or end it (e) first; the self-check keeps its own clock.' } };
  }
  const seed = s.setup.selfCheckSeed ?? seedFromTime(at);
  const next = applyStep({ ...s, screen: 'self-check', banner: null, onSelfCheck: true }, startRun(seed, SELF_CHECK_MINUTES, at));
  return emit(next, { type: 'draw-self-check', seed }, { type: 'measure-saturation', seed });
}

function onSelfCheckKey(s: State, e: Extract<AppEvent, { type: 'key' }>): State {
  const run = s.selfCheck!;
  const { input, key, at } = e;
  if (key.ctrl && input === 'c') return emit(s, { type: 'exit' });
  if (run.endedAt !== null || run.failure !== null) {
    if (input === 'q') return emit(s, { type: 'exit' });
    if (key.return || key.escape) return { ...s, screen: 'home', selfCheck: run.endedAt !== null ? run : null };
    return s;
  }
  if (key.escape) return applyStep(s, finish(run, 'left', at));
  if (key.return) return applyStep(s, submit(run, at));
  if (input === 'q' && run.input === '' && !run.feedback) return emit(s, { type: 'exit' });
  if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return s;
  return { ...s, selfCheck: typed(run, input, key.backspace === true || key.delete === true) };
}

/** Results that arrive for a sitting no longer on screen (a new one began) are dropped. */
function forRun(s: State, seed: number, f: (run: SelfCheckRun) => SelfCheckRun): State {
  const run = s.selfCheck;
  return run && run.seed === seed && run.endedAt === null ? { ...s, selfCheck: f(run) } : s;
}

// ---------------------------------------------------------------------------------------------- keys

function onKey(s: State, e: Extract<AppEvent, { type: 'key' }>): State {
  const { input, key, at } = e;
  if (s.screen === 'self-check' && s.selfCheck) return onSelfCheckKey(s, e);
  if (input === 'q' || (key.ctrl && input === 'c')) return emit(s, { type: 'exit' });
  const active = s.progress.active;
  const list = listedKatas(s);
  const digit = /^[1-9]$/.test(input) ? Number(input) - 1 : -1;

  if (s.prompt === 'resume' && active) {
    if (key.return || input === 'y' || input === 'r') {
      const kata = active.focus ?? list.find((k) => active.passes[k] === undefined) ?? list[0]!;
      return openKata({ ...s, prompt: null }, kata, at);
    }
    if (input === 'n') {
      const ended = endSession(s, 'ended', at);
      return { ...ended, endedSession: null, screen: 'home', cursor: 0, banner: { kind: 'info', text: 'Unfinished session closed. Enter starts a new one.' } };
    }
    return s;
  }
  if (s.prompt === 'confirm-end') {
    if (input === 'y') return { ...endSession(s, 'ended', at), screen: 'end', banner: null };
    return { ...s, prompt: null };
  }

  if (s.screen === 'home') {
    if (key.upArrow || input === 'k') return s.cursor === 0 ? { ...s, onSelfCheck: true, banner: null } : { ...s, cursor: s.cursor - 1, onSelfCheck: false, banner: null };
    if (key.downArrow || input === 'j') {
      return s.onSelfCheck ? { ...s, onSelfCheck: false, banner: null } : { ...s, cursor: Math.min(list.length - 1, s.cursor + 1), banner: null };
    }
    if (input === 'a' || (key.return && s.onSelfCheck)) return startSelfCheck(s, at);
    if (digit >= 0 && digit < list.length) {
      return active ? openKata({ ...s, onSelfCheck: false }, list[digit]!, at) : { ...s, cursor: digit, onSelfCheck: false };
    }
    if (key.return) {
      const kata = list[s.cursor]!;
      return active ? openKata(s, kata, at) : startSession(s, kata, at);
    }
    if ((key.escape || key.tab) && active && s.current) return { ...s, screen: 'kata' };
    if (input === 'e' && active) return { ...s, prompt: 'confirm-end' };
    return s;
  }

  if (s.screen === 'end') {
    if (key.return || key.escape) {
      return { ...s, screen: 'home', current: null, banner: null, cursor: 0 };
    }
    if (digit >= 0 && digit < list.length) return openKata(s, list[digit]!, at);
    return s;
  }

  // kata screen
  const kata = s.current!;
  if (key.escape) {
    if (s.pane !== 'result') return { ...s, pane: 'result', scroll: 0 };
    return { ...s, screen: s.endedSession && !active ? 'end' : 'home' };
  }
  if (key.tab) return { ...s, screen: s.endedSession && !active ? 'end' : 'home' };
  if (key.return && s.banner?.kind === 'all-passed') return { ...s, screen: 'end', banner: null };
  if (key.upArrow || input === 'k') return scrollBy(s, -1);
  if (key.downArrow || input === 'j') return scrollBy(s, 1);
  if (key.pageUp) return scrollBy(s, -10);
  if (key.pageDown || input === ' ') return scrollBy(s, 10);
  if (key.leftArrow || input === 'p') return moveBy(s, -1, at);
  if (key.rightArrow) return moveBy(s, 1, at);
  if (input === 'n' || (key.return && s.banner?.kind === 'passed')) {
    const upcoming = nextOpenKata(s, kata);
    return upcoming && upcoming !== kata ? openKata(s, upcoming, at) : moveBy(s, 1, at);
  }
  if (digit >= 0 && digit < list.length) return openKata(s, list[digit]!, at);
  if (input === 'r') return !active || active.filesCreated.includes(kata) ? requestGrade(s, kata, at) : s;
  if (input === 'h') return showHint(s, kata, at);
  if (input === '?' || input === 'i') return { ...s, pane: s.pane === 'spec' ? 'result' : 'spec', scroll: 0 };
  if (input === 's') {
    if (referenceAllowed(s, kata)) return { ...s, pane: s.pane === 'reference' ? 'result' : 'reference', scroll: 0 };
    return { ...s, banner: { kind: 'info', text: 'The reference solution unlocks when this kata passes or the clock runs out.' } };
  }
  if (input === 'e' && active) return { ...s, prompt: 'confirm-end' };
  return s;
}

// ---------------------------------------------------------------------------------------------- reducer

export function reduce(s: State, e: AppEvent): State {
  switch (e.type) {
    case 'key':
      return onKey({ ...s, now: Math.max(s.now, e.at) }, e);
    case 'tick': {
      let next = { ...s, now: e.at };
      const run = next.selfCheck;
      if (run && run.endedAt === null && e.at >= runDeadline(run)) next = applyStep(next, finish(run, 'clock-out', runDeadline(run)));
      const active = next.progress.active;
      if (active && e.at >= sessionDeadline(active)) {
        const ended = endSession(next, 'clock-out', sessionDeadline(active));
        return { ...ended, screen: 'end', pane: 'result', banner: null };
      }
      return next;
    }
    case 'resize':
      return { ...s, columns: e.columns, rows: e.rows };
    case 'file-changed': {
      const active = s.progress.active;
      if (active && !active.filesCreated.includes(e.kata)) return s;
      return requestGrade(s, e.kata, e.at);
    }
    case 'file-ready': {
      const active = s.progress.active;
      let next: State = { ...s, files: { ...s.files, [e.kata]: { path: e.file, archivedTo: e.archivedTo, signature: e.signature } } };
      if (e.archivedTo) next.banner = { kind: 'info', text: `Your earlier ${basename(e.file)} was archived to ${e.archivedTo}; this one starts blank.` };
      next.grades = { ...next.grades, [e.kata]: emptyGrade() };
      if (active) {
        next = record(next, {
          type: 'file-created',
          at: e.at,
          session: active.id,
          kata: e.kata,
          file: e.file,
          archivedTo: e.archivedTo,
        });
      }
      return next;
    }
    case 'file-failed':
      return { ...s, banner: { kind: 'error', text: e.message } };
    case 'graded':
      return onGraded(s, e);
    case 'grade-skipped':
    case 'grade-failed': {
      const note = e.type === 'grade-skipped' ? e.note : e.message;
      const previous = s.grades[e.kata] ?? emptyGrade();
      return gradeNext({ ...s, grades: { ...s.grades, [e.kata]: { ...previous, note, gradedAt: e.at } } });
    }
    case 'history-failed':
      return { ...s, banner: { kind: 'error', text: e.message } };
    case 'pane-size':
      return { ...s, maxScroll: e.maxScroll, scroll: Math.min(s.scroll, e.maxScroll) };
    case 'self-check-drawn':
      return forRun(s, e.seed, (run) => (run.questions ? run : { ...run, questions: e.questions }));
    case 'self-check-draw-failed':
      return forRun(s, e.seed, (run) => ({ ...run, failure: e.message }));
    case 'saturation-measured':
      return forRun(s, e.seed, (run) => ({ ...run, saturation: { state: 'done', report: e.report } }));
    case 'saturation-failed':
      return forRun(s, e.seed, (run) => ({ ...run, saturation: { state: 'failed', message: e.message } }));
    case 'effects-ran':
      return { ...s, outbox: s.outbox.filter((x) => x.id > e.upTo) };
  }
}
