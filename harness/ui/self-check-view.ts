// From a self-check sitting to what its screen displays: the question, the explanation after a wrong answer, the measurement, the score.
import { historyPath } from './history.ts';
import { rightAnswer } from '../self-check/check-answer.ts';
import { replayCommand, SELF_CHECK_TITLE } from '../self-check/draw-self-check.ts';
import type { Question } from '../self-check/question.ts';
import { saturationLines } from '../self-check/saturation.ts';
import type { State } from './app-state.ts';
import { formatClock, formatRemaining } from './format-time.ts';
import type { KeyHelp } from './KeyBar.tsx';
import { line, type Line, type LineColor } from './line.ts';
import { MEASURED_QUESTION, runDeadline, score, type SelfCheckRun } from './self-check-run.ts';
import { selfCheckStats } from './self-check-stats.ts';
import type { SelfCheckScreenProps } from './SelfCheckScreen.tsx';
import { displayPath, frameHeight, wrapped, type Texts } from './view-model.ts';

const HOW_TO_TYPE: Record<Question['kind'], string> = {
  shape: 'sizes separated by commas, e.g. 2, 8, 64',
  number: 'a whole number',
  polynomial: 'a polynomial in d, e.g. 2d^2 + 3d',
  choice: 'the number of an option',
};

function measurementLines(run: SelfCheckRun, width: number): Line[] {
  const sat = run.saturation;
  if (sat.state === 'measuring') return wrapped('Measuring softmax saturation without the scale (your attention.ts is graded first)…', width, { color: 'yellow' });
  if (sat.state === 'failed') return wrapped(sat.message, width, { color: 'red' });
  const [head = '', ...rest] = saturationLines(sat.report);
  return [...wrapped(head, width, { bold: true }), ...rest.flatMap((l) => wrapped(l, width, { color: l.startsWith('Scaled') ? 'cyan' : undefined }))];
}

function questionLines(run: SelfCheckRun, q: Question, width: number): Line[] {
  const lines = [...wrapped(q.prompt, width, { bold: true })];
  if (q.kind === 'choice') {
    lines.push(line(''));
    q.options.forEach((o, i) => lines.push(...wrapped(`${i + 1}. ${o.text}`, width)));
  }
  lines.push(line(''));
  if (run.notice) lines.push(...wrapped(run.notice.text, width, { color: run.notice.kind === 'right' ? 'green' : 'yellow' }));
  return lines;
}

function feedbackLines(run: SelfCheckRun, width: number): Line[] {
  const f = run.feedback!;
  const q = f.result.question;
  // The measured question's explanation and table need the room: its prompt is left out there.
  const lines = q.id === MEASURED_QUESTION ? [] : [...wrapped(q.prompt, width, { dim: true }), line('')];
  const color: LineColor = f.result.correct ? 'green' : 'red';
  lines.push(...wrapped(`Your answer: ${f.result.shown}  ${f.result.correct ? '✓ right' : '✗ wrong'}`, width, { color, bold: true }));
  if (!f.result.correct) lines.push(...wrapped(`The answer: ${rightAnswer(q)}`, width, { color: 'green', bold: true }));
  lines.push(...wrapped(f.why, width, { color: f.result.correct ? undefined : 'yellow' }));
  if (q.id === MEASURED_QUESTION) lines.push(line(''), ...measurementLines(run, width));
  return lines;
}

function endLines(s: State, run: SelfCheckRun, texts: Texts, width: number): Line[] {
  const total = run.questions?.length ?? 0;
  const ms = (run.endedAt ?? s.now) - run.startedAt;
  const how = run.endReason === 'clock-out' ? 'the clock ran out' : run.endReason === 'left' ? `you left after ${run.results.length} answers` : 'all answered';
  const lines = [line(`Score ${score(run)} of ${total} in ${formatClock(ms)} (${how})`, { bold: true, color: score(run) === total ? 'green' : 'yellow' })];
  const stats = selfCheckStats(s.records);
  const best = stats.best;
  if (best && stats.attempts.length > 1) lines.push(line(`Your best: ${best.score} of ${best.total} in ${formatClock(best.ms)} (seed ${best.seed}).`));
  const wrong = run.results.filter((r) => !r.correct);
  if (wrong.length) {
    lines.push(line(''), line('To review:', { bold: true }));
    // A choice is named by its number here; its text was on screen with the explanation.
    const brief = (text: string, q: Question) => (q.kind === 'choice' ? `option ${text.split('.')[0]}` : text);
    for (const r of wrong) {
      lines.push(...wrapped(`✗ ${r.question.id}: you answered ${brief(r.shown, r.question)}; the answer is ${brief(rightAnswer(r.question), r.question)}`, width, { color: 'red' }));
    }
  }
  lines.push(
    line(''),
    ...wrapped(`Seed ${run.seed}: ${replayCommand(run.seed)} asks these same questions again; without --seed each sitting draws new ones.`, width, { dim: true }),
    ...wrapped(`Kept in ${displayPath(historyPath(s.setup.dir), texts.cwd)}; npm run week puts your score in WEEK.md.`, width, { dim: true }),
  );
  return lines;
}

export function selfCheckProps(s: State, texts: Texts): SelfCheckScreenProps {
  const width = s.columns;
  const run = s.selfCheck!;
  const total = run.questions?.length ?? 0;
  const base = { width, height: frameHeight(s.rows) };
  const title = `${SELF_CHECK_TITLE} · seed ${run.seed}`;
  if (run.endedAt !== null) {
    return { ...base, title, clock: 'done', body: endLines(s, run, texts, width), answer: null, keys: [['Enter', 'home'], ['q', 'quit']] };
  }
  const left = runDeadline(run) - s.now;
  const clock = `⏱ ${formatRemaining(left)} left`;
  const clockColor: LineColor | undefined = left < 2 * 60_000 ? 'red' : left < 5 * 60_000 ? 'yellow' : undefined;
  if (run.failure) return { ...base, title, clock, clockColor, body: wrapped(run.failure, width, { color: 'red' }), answer: null, keys: [['Enter', 'home'], ['q', 'quit']] };
  const q = run.questions?.[run.index];
  if (!q) {
    return { ...base, title, clock, clockColor, body: [line(`Drawing your questions (seed ${run.seed})…`, { color: 'yellow' })], answer: null, keys: [['Esc', 'leave'], ['q', 'quit']] };
  }
  const heading = line(`Question ${run.index + 1} of ${total} · ${q.topic} · ${score(run)} right so far`, { color: 'cyan' });
  if (run.feedback) {
    const last = run.index + 1 >= total;
    return { ...base, title, clock, clockColor, body: [heading, ...feedbackLines(run, width)], answer: null, keys: [['Enter', last ? 'see the score' : 'next question'], ['Esc', 'stop here']] };
  }
  const answer = line(`› ${run.input}▏`, { bold: true });
  const keys: KeyHelp[] = [['Enter', 'answer'], ['⌫', 'erase'], ['Esc', 'stop here (scored as is)'], ['Ctrl-C', 'quit']];
  return { ...base, title, clock, clockColor, body: [heading, line(''), ...questionLines(run, q, width), line(`Type ${HOW_TO_TYPE[q.kind]}, then Enter.`, { dim: true })], answer, keys };
}
