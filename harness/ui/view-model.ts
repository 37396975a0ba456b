// From app state to what each screen displays: rows, wrapped lines, clock text and the keys that apply.
import { isAbsolute, relative } from 'node:path';
import { BAR_KATAS, BAR_MINUTES, kataById } from '../../grader/registry.ts';
import { checkMessage, type CheckResult, type KataId } from '../../grader/report.ts';
import {
  hintOrder,
  listedKatas,
  nextHint,
  referenceAllowed,
  suggestedHint,
  type GradeView,
  type State,
} from './app-state.ts';
import type { EndScreenProps, EndRow } from './EndScreen.tsx';
import { formatAgo, formatClock, formatDelta, formatRemaining } from './format-time.ts';
import type { HomeScreenProps } from './HomeScreen.tsx';
import type { KataDoc, Loaded } from './kata-docs.ts';
import { bodyRoom, KATA_KEY_LINES, type KataScreenProps } from './KataScreen.tsx';
import type { KeyHelp } from './KeyBar.tsx';
import { line, type Line, type LineColor } from './line.ts';
import { markdownLines } from './markdown-lines.ts';
import { barMet, barTimeMs, kataSpentMs, personalBests, sessionDeadline, sessionStatus } from './history-stats.ts';
import { kataFile } from './workspace.ts';
import { SELF_CHECK_MINUTES, SELF_CHECK_TITLE } from '../self-check/draw-self-check.ts';
import { selfCheckStats } from './self-check-stats.ts';
import { wrapText } from '../../grader/wrap-text.ts';

export interface Texts {
  docs: Partial<Record<KataId, Loaded<KataDoc>>>;
  references: Partial<Record<KataId, Loaded<string>>>;
  /** Paths are shown relative to this folder when they lie inside it. */
  cwd: string;
}

/** Ink redraws the whole terminal when a frame fills every row, so frames keep one row free. */
export function frameHeight(rows: number): number {
  return Math.max(10, rows - 1);
}

export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function wrapped(text: string, width: number, style: Omit<Line, 'text'> = {}): Line[] {
  return wrapText(text, width).map((t) => line(t, style));
}

function clockFor(s: State): { text: string; color?: LineColor } {
  const active = s.progress.active;
  if (!active) return { text: `clock ${formatClock(s.setup.minutes * 60_000)}` };
  const left = sessionDeadline(active) - s.now;
  const color: LineColor | undefined = left < 2 * 60_000 ? 'red' : left < 10 * 60_000 ? 'yellow' : undefined;
  return { text: `⏱ ${formatRemaining(left)} left`, color };
}

// ---------------------------------------------------------------------------------------------- home

export function homeProps(s: State, texts: Texts): HomeScreenProps {
  const width = s.columns;
  const active = s.progress.active;
  const list = listedKatas(s);
  const rows = list.map((id) => {
    const info = kataById(id)!;
    const best = s.progress.bests.kataMs[id];
    return {
      number: info.number,
      title: info.title,
      budget: `${info.budgetMinutes} min`,
      status: active ? sessionStatus(active, id) : (s.progress.lastStatus[id] ?? 'not-tried'),
      best: best === undefined ? '—' : formatClock(best),
    };
  });
  const stats = selfCheckStats(s.records);
  const selfCheck = {
    title: SELF_CHECK_TITLE,
    budget: `${SELF_CHECK_MINUTES} min`,
    last: stats.last ? `${stats.last.score}/${stats.last.total}` : null,
    best: stats.best ? `${stats.best.score}/${stats.best.total}` : '—',
  };
  const notes: Line[] = [];
  if (s.prompt === 'resume' && active) {
    const passed = active.katas.filter((k) => active.passes[k]).length;
    const left = formatRemaining(sessionDeadline(active) - s.now);
    notes.push(
      ...wrapped(
        `An unfinished session is still running: ${passed} of ${active.katas.length} katas passed, ${left} left on its clock.`,
        width,
        { color: 'yellow', bold: true },
      ),
      line('Enter resumes it · n closes it so you can start fresh', { color: 'yellow' }),
      line(''),
    );
  }
  if (s.prompt === 'confirm-end') notes.push(line('End the session now? y ends it, any other key carries on.', { color: 'yellow', bold: true }), line(''));
  if (s.banner) notes.push(...bannerLines(s, width), line(''));
  const bestBar = s.progress.bests.barMs;
  const barKnown = BAR_KATAS.every((k) => list.includes(k));
  notes.push(
    ...wrapped(
      `The bar: the first four katas within ${BAR_MINUTES} minutes.` +
        (!barKnown ? ' (Not all four are in this run.)' : bestBar === null ? ' Not met yet.' : ` Your best: ${formatClock(bestBar)}${bestBar <= BAR_MINUTES * 60_000 ? ' ✓' : ''}.`),
      width,
    ),
  );
  const selected = s.onSelfCheck ? undefined : list[s.cursor];
  if (s.onSelfCheck) {
    notes.push(
      line(''),
      ...wrapped(
        'A · Session A, without notes: the shape of every tensor, parameter counts, why √dₖ (measured), why masking, several heads, W_O. Drawn afresh each time.',
        width,
        { dim: true },
      ),
    );
  }
  if (selected) {
    const info = kataById(selected)!;
    notes.push(line(''), ...wrapped(`${info.number} · ${info.summary}`, width, { dim: true }));
  }
  notes.push(
    line(''),
    ...wrapped(`Files: ${displayPath(s.setup.dir, texts.cwd)}/<kata>.ts, new each session; old ones go to archive/`, width, { dim: true }),
  );
  const keys: KeyHelp[] =
    s.prompt === 'resume'
      ? [['Enter', 'resume'], ['n', 'start over'], ['q', 'quit']]
      : active
        ? [['Enter', 'open kata'], ['↑↓', 'choose'], ['1-5', 'jump'], ['Esc', 'back'], ['e', 'end session'], ['q', 'quit']]
        : s.onSelfCheck
          ? [['Enter', 'start the self-check'], ['↑↓', 'choose'], ['q', 'quit']]
          : [['Enter', 'start the session'], ['↑↓', 'choose the first kata'], ['a', 'Session A self-check'], ['q', 'quit']];
  const clock = clockFor(s);
  return {
    width,
    height: frameHeight(s.rows),
    heading: active ? 'gpt-kata · session running' : 'gpt-kata · 60-minute transformer self-test',
    clock: clock.text,
    clockColor: clock.color,
    rows,
    selfCheck,
    cursor: s.onSelfCheck ? -1 : s.cursor,
    notes,
    keys,
  };
}

function bannerLines(s: State, width: number): Line[] {
  if (!s.banner) return [];
  const color: LineColor = s.banner.kind === 'error' ? 'red' : s.banner.kind === 'info' ? 'yellow' : 'green';
  return wrapped(s.banner.text, width, { color, bold: s.banner.kind !== 'info' }).slice(0, 3);
}

// ---------------------------------------------------------------------------------------------- kata

const CHECK_MARK: Record<CheckResult['status'], { mark: string; color: LineColor }> = {
  pass: { mark: '✓', color: 'green' },
  fail: { mark: '✗', color: 'red' },
  error: { mark: '!', color: 'red' },
  skipped: { mark: '-', color: 'gray' },
};

/** Passing and skipped checks as wrapped "✓ a ✓ b" paragraphs, so a failure's details keep the screen. */
function summaryLines(checks: readonly CheckResult[], width: number): Line[] {
  const out: Line[] = [];
  const passed = checks.filter((c) => c.status === 'pass');
  const skipped = checks.filter((c) => c.status === 'skipped');
  if (passed.length) out.push(...wrapped(`✓ ${passed.map((c) => c.name).join(' ✓ ')}`, width, { color: 'green' }));
  if (skipped.length) out.push(...wrapped(`- not run: ${skipped.map((c) => c.name).join(' · ')}`, width, { color: 'gray' }));
  return out;
}

function verdictLine(s: State, kata: KataId): Line {
  const view = s.grades[kata];
  const grading = s.grading?.kata === kata;
  const queued = s.queue.some((q) => q.kata === kata);
  const report = view?.report;
  const suffix = grading ? ' · grading your latest save…' : queued ? ' · re-grade queued' : '';
  if (!report) {
    if (grading) return line('… grading your latest save', { color: 'yellow' });
    const active = s.progress.active;
    const session = active ?? s.progress.sessions.find((x) => x.id === s.endedSession);
    const over = !active ? ' (session over: reviewing)' : '';
    if (session?.passes[kata]) return line(`✓ passed in this session${over}`, { color: 'green' });
    if (session?.lastAttempt[kata]) return line(`✗ failed when last graded${over} · r grades it again`, { color: 'red' });
    if (!active) return line('Not attempted in the session (session over: reviewing)', { color: 'gray' });
    return line('Waiting for your first save…', { color: 'gray' });
  }
  const ago = view.gradedAt === null ? '' : ` · graded ${formatAgo(s.now - view.gradedAt)} in ${(report.durationMs / 1000).toFixed(1)} s`;
  if (report.passed) return line(`✓ PASSED · ${report.checks.length} checks${ago}${suffix}`, { color: 'green' });
  const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error').length;
  const named = report.mistakes[0] ? ` · ${report.mistakes[0]}` : '';
  return line(`✗ FAILED · ${bad} of ${report.checks.length} checks${named}${ago}${suffix}`, { color: 'red' });
}

function resultBody(view: GradeView | undefined, width: number): Line[] {
  const out: Line[] = [];
  if (view?.note) out.push(...wrapped(view.note, width, { color: 'yellow' }), line(''));
  const report = view?.report;
  if (!report) {
    if (!view?.note) out.push(line('Save the file to grade it; r grades it now.', { dim: true }));
    return out;
  }
  const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  const first = bad[0];
  if (!first) {
    out.push(...report.checks.map((c) => line(`${CHECK_MARK[c.status].mark} ${c.name}`, { color: CHECK_MARK[c.status].color })));
  } else {
    // The first failure with its diagnosis and counterexample, then the other failures, then what passed.
    out.push(line(`${CHECK_MARK[first.status].mark} ${first.name}`, { color: 'red', bold: true }));
    out.push(...wrapped(checkMessage(report, first), width));
    out.push(line(''));
    for (const c of bad.slice(1)) out.push(line(`${CHECK_MARK[c.status].mark} ${c.name}`, { color: 'red', bold: true }));
    out.push(...summaryLines(report.checks, width));
  }
  // The first failure's diagnosis is shown with it; the other named mistakes follow.
  const named = report.diagnoses.filter((d) => d.id !== first?.mistake);
  for (const m of named) {
    out.push(line(''), ...wrapped(`${m.id}: ${m.explanation}`, width, { color: 'yellow' }));
  }
  if (report.warnings.length > 0) {
    out.push(line(''), line('Warnings (these never fail a kata):', { dim: true }));
    for (const w of report.warnings) out.push(...wrapped(`⚠ ${w}`, width, { dim: true }));
  }
  return out;
}

function paneContent(s: State, kata: KataId, texts: Texts, width: number): { title: string; body: Line[] } {
  const doc = texts.docs[kata];
  switch (s.pane) {
    case 'result':
      return { title: 'Last grading', body: resultBody(s.grades[kata], width) };
    case 'spec': {
      if (!doc || !doc.ok) {
        const info = kataById(kata)!;
        return {
          title: 'Spec',
          body: [
            ...wrapped(doc && !doc.ok ? doc.problem : 'No kata notes loaded.', width, { color: 'yellow' }),
            line(''),
            ...wrapped(`${info.summary}. Export: ${info.exports.join(', ')}.`, width),
          ],
        };
      }
      const body = [...markdownLines(doc.value.spec || doc.value.summary, width)];
      if (doc.value.rules) body.push(line(''), line('Rules', { bold: true }), ...markdownLines(doc.value.rules, width));
      return { title: 'Spec', body };
    }
    case 'hint': {
      if (!doc || !doc.ok) return { title: 'Hints', body: wrapped(doc && !doc.ok ? doc.problem : 'No kata notes loaded.', width, { color: 'yellow' }) };
      const hint = doc.value.hints.find((h) => h.tier === s.hintShown);
      if (!hint) return { title: 'Hints', body: [line('This kata has no hints written yet.', { color: 'yellow' })] };
      const total = doc.value.hints.length;
      const why = s.grades[kata]?.report?.diagnoses.find((m) => m.hintTier === hint.tier);
      const body = why ? [line(`This tier explains ${why.id}.`, { color: 'yellow' }), line('')] : [];
      body.push(...markdownLines(hint.body, width));
      return { title: `Hint ${hint.tier} of ${total}${hint.title ? `: ${hint.title}` : ''}`, body };
    }
    case 'reference': {
      const ref = texts.references[kata];
      if (!ref || !ref.ok) return { title: 'Reference solution', body: wrapped(ref && !ref.ok ? ref.problem : 'Not loaded.', width, { color: 'yellow' }) };
      return { title: `Reference solution: grader/katas/${kata}/reference.ts`, body: ref.value.replace(/\s+$/, '').split('\n').flatMap((l) => wrapped(l, width, { color: 'cyan' })) };
    }
  }
}

export function kataProps(s: State, texts: Texts): KataScreenProps {
  const width = s.columns;
  const kata = s.current!;
  const info = kataById(kata)!;
  const list = listedKatas(s);
  const active = s.progress.active;
  const file = s.files[kata]?.path ?? kataFile(s.setup.dir, kata);
  const header: Line[] = [];
  if (active && !active.filesCreated.includes(kata)) header.push(line('Creating a fresh file…', { color: 'yellow' }));
  else header.push(line(`Edit ${displayPath(file, texts.cwd)} in your editor: every save is graded.`, { color: 'cyan' }));
  header.push(...wrapped(info.summary, width, { dim: true }).slice(0, 2));
  const banner = bannerLines(s, width);
  const pane = paneContent(s, kata, texts, width);
  const keys: KeyHelp[] = [];
  if (s.banner?.kind === 'all-passed') keys.push(['Enter', 'results']);
  if (s.banner?.kind === 'passed') keys.push(['n', 'next kata']);
  keys.push(['r', 're-grade']);
  const hint = nextHint(s, kata);
  const suggested = suggestedHint(s, kata);
  if (hint !== null) {
    const why = suggested === hint ? s.grades[kata]?.report?.diagnoses.find((m) => m.hintTier === hint) : undefined;
    keys.push(['h', why ? `hint ${hint} (explains ${why.id.split('/').pop()})` : `hint ${hint}`]);
  } else if (hintOrder(s, kata).length === 0) keys.push(['h', 'hints']);
  if (referenceAllowed(s, kata)) keys.push(['s', s.pane === 'reference' ? 'hide reference' : 'reference']);
  keys.push(['?', s.pane === 'spec' ? 'hide spec' : 'spec']);
  if (s.banner?.kind !== 'passed') keys.push(['n', 'next']);
  keys.push([list.length > 1 ? `1-${list.length}` : '1', 'jump']);
  keys.push(['Esc', s.pane === 'result' ? 'overview' : 'back']);
  keys.push(['↑↓', 'scroll']);
  if (active) keys.push(['e', 'end']);
  keys.push(['q', 'quit']);
  const clock = active || !s.endedSession ? clockFor(s) : { text: 'session over' };
  const spent = active && active.katas.includes(kata) ? ` · ${formatClock(kataSpentMs(active, kata, s.now))} on it` : '';
  const position = list.indexOf(kata) + 1;
  return {
    width,
    height: frameHeight(s.rows),
    title: `Kata ${position === info.number ? `${info.number}/${list.length}` : `${info.number} (${position}/${list.length})`} · ${info.title}`,
    clock: clock.text + spent,
    clockColor: clock.color,
    header,
    verdict: s.prompt === 'confirm-end' ? line('End the session now? y ends it, any other key carries on.', { color: 'yellow' }) : verdictLine(s, kata),
    banner,
    paneTitle: pane.title,
    body: pane.body,
    scroll: s.scroll,
    keys,
  };
}

// ---------------------------------------------------------------------------------------------- end

export function endProps(s: State): EndScreenProps {
  const width = s.columns;
  const session = s.progress.sessions.find((x) => x.id === s.endedSession) ?? s.progress.sessions.at(-1);
  const count = listedKatas(s).length;
  const keys: KeyHelp[] = [['Enter', 'home'], [count > 1 ? `1-${count}` : '1', 'review a kata (s shows the reference)'], ['q', 'quit']];
  if (!session) {
    return { width, height: frameHeight(s.rows), total: '0:00', reason: line('No session yet.'), rows: [], notes: [], keys };
  }
  const before = personalBests(s.progress.sessions.filter((x) => x.id !== session.id));
  const end = session.endedAt ?? s.now;
  const rows: EndRow[] = session.katas.map((id) => {
    const info = kataById(id)!;
    const pass = session.passes[id];
    const spent = kataSpentMs(session, id, end);
    const best = before.kataMs[id];
    let delta = '—';
    let deltaColor: LineColor | undefined;
    if (pass && best === undefined) [delta, deltaColor] = ['new best', 'green'];
    else if (pass && best !== undefined) [delta, deltaColor] = [formatDelta(pass.kataMs - best), pass.kataMs < best ? 'green' : 'red'];
    return {
      number: info.number,
      kata: id,
      budget: formatClock(info.budgetMinutes * 60_000),
      status: pass ? 'passed' : session.lastAttempt[id] ? 'failed' : 'not-tried',
      time: spent > 0 ? formatClock(spent) : '—',
      split: pass ? formatClock(pass.splitMs) : '—',
      best: best === undefined ? '—' : formatClock(best),
      delta,
      deltaColor,
    };
  });
  const reasons = {
    'all-passed': line('All katas passed. Well done.', { color: 'green' }),
    'clock-out': line('The clock ran out. Reference solutions are unlocked: review a kata and press s.', { color: 'yellow' }),
    ended: line('You ended the session.', { color: 'yellow' }),
  } as const;
  const passedCount = rows.filter((r) => r.status === 'passed').length;
  const lastSplit = Math.max(0, ...Object.values(session.passes).map((p) => p.splitMs));
  const total = session.endReason === 'all-passed' ? lastSplit : end - session.startedAt;
  const notes: Line[] = [];
  notes.push(line(`Passed ${passedCount} of ${rows.length} · total ${formatClock(total)}`, { bold: true }));
  const bar = barTimeMs(session);
  if (!BAR_KATAS.every((k) => session.katas.includes(k))) {
    notes.push(line(`Bar: not measured, this session did not include all of ${BAR_KATAS.join(', ')}.`, { dim: true }));
  } else if (bar === null) {
    const missing = BAR_KATAS.filter((k) => !session.passes[k]);
    notes.push(...wrapped(`Bar NOT met: the first four katas within ${BAR_MINUTES}:00; still to pass: ${missing.join(', ')}.`, width, { color: 'red' }));
  } else {
    const met = barMet(session);
    notes.push(
      line(`Bar ${met ? 'met ✓' : 'NOT met'}: the first four katas took ${formatClock(bar)} (target ${BAR_MINUTES}:00).`, {
        color: met ? 'green' : 'red',
        bold: true,
      }),
    );
    if (before.barMs === null) notes.push(line('First time all four passed: this is your personal best.', { color: 'green' }));
    else if (bar < before.barMs) notes.push(line(`New personal best: ${formatDelta(bar - before.barMs)} against ${formatClock(before.barMs)}.`, { color: 'green' }));
    else notes.push(line(`Personal best stays ${formatClock(before.barMs)} (${formatDelta(bar - before.barMs)}).`));
  }
  const hints = session.katas.filter((k) => session.hints[k]?.length).map((k) => `${k} ${[...new Set(session.hints[k])].join(',')}`);
  if (hints.length) notes.push(...wrapped(`Hints used: ${hints.join('; ')}`, width, { dim: true }));
  return {
    width,
    height: frameHeight(s.rows),
    total: formatClock(total),
    reason: reasons[session.endReason ?? 'ended'],
    rows,
    notes,
    keys,
  };
}

/** How far the kata screen's pane can scroll before its last line reaches the bottom. */
export function maxScrollOf(p: KataScreenProps): number {
  return Math.max(0, p.body.length - bodyRoom(p.height, p.header.length, p.banner.length, KATA_KEY_LINES));
}
