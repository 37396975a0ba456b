// The plain-text report (npm run grade, train:mine's refusal): ✓/✗ per check, the diagnosis sentence, error figures
// and counterexample, wrapped to the terminal.
import { checkMessage, type CheckResult, type GradeReport, type KataReport } from './report.ts';
import { kataById } from './registry.ts';
import { wrapText } from './wrap-text.ts';

const MARK: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', error: '✗', skipped: '·' };

export interface CheckLineOptions {
  /** Columns to wrap to (default: no wrapping). */
  width?: number;
  /** Name the check's mistake after its name, "[gpt/no-position]". */
  tagMistake?: boolean;
}

/** One check: its mark and name, then (unless it passed) its diagnosis and message, indented. */
function checkLines(k: KataReport, c: CheckResult, { width = Infinity, tagMistake = false }: CheckLineOptions = {}): string[] {
  const passNote = c.status === 'pass' && c.message ? ` — ${c.message}` : '';
  const tag = tagMistake && c.mistake ? ` [${c.mistake}]` : '';
  const lines = wrapText(`  ${MARK[c.status]} ${c.name}${passNote}${tag}`, width, '      ');
  const message = c.status === 'pass' ? '' : checkMessage(k, c);
  if (message) for (const m of message.split('\n')) lines.push(...wrapText(`      ${m}`, width, '        '));
  return lines;
}

/** The checks that failed or errored, each as `checkLines` writes it. */
export function failureLines(k: KataReport, options: CheckLineOptions = {}): string[] {
  return k.checks.filter((c) => c.status === 'fail' || c.status === 'error').flatMap((c) => checkLines(k, c, options));
}

function renderKata(k: KataReport, width = 80): string {
  const info = kataById(k.kata);
  const head = `${k.passed ? '✓ PASS' : '✗ FAIL'}  ${info ? `${info.number}. ${info.title}` : k.kata}  (${(k.durationMs / 1000).toFixed(1)} s)`;
  const lines = [head, `  ${k.file}`];
  for (const c of k.checks) lines.push(...checkLines(k, c, { width }));
  if (k.mistakes.length) lines.push(`  mistakes: ${k.mistakes.join(', ')}`);
  for (const w of k.warnings) for (const m of w.split('\n')) lines.push(...wrapText(`  ! ${m}`, width, '    '));
  return `${lines.join('\n')}\n`;
}

export function renderReport(r: GradeReport, width = 80): string {
  const w = Math.max(40, Math.min(width, 100));
  const body = r.katas.map((k) => renderKata(k, w)).join('\n');
  const passed = r.katas.filter((k) => k.passed).length;
  return `${body}\n${passed}/${r.katas.length} kata(s) passed\n`;
}
