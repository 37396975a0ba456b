// The human report: ✓/✗ per check, the diagnosis sentence, error figures and counterexample, wrapped to the terminal.
import type { CheckResult, GradeReport, KataReport } from './report.ts';
import { kataById } from './registry.ts';

const MARK: Record<CheckResult['status'], string> = { pass: '✓', fail: '✗', error: '✗', skipped: '·' };

/** Wraps one line to `width`, continuing with `indent`. */
function wrap(line: string, width: number, indent: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    let cut = rest.lastIndexOf(' ', width);
    if (cut <= indent.length) cut = width;
    out.push(rest.slice(0, cut));
    rest = indent + rest.slice(cut).trimStart();
  }
  out.push(rest);
  return out;
}

export function renderKata(k: KataReport, width = 80): string {
  const info = kataById(k.kata);
  const head = `${k.passed ? '✓ PASS' : '✗ FAIL'}  ${info ? `${info.number}. ${info.title}` : k.kata}  (${(k.durationMs / 1000).toFixed(1)} s)`;
  const lines = [head, `  ${k.file}`];
  for (const c of k.checks) {
    lines.push(...wrap(`  ${MARK[c.status]} ${c.name}${c.status === 'pass' && c.message ? ` — ${c.message}` : ''}`, width, '      '));
    if (c.status !== 'pass' && c.message) {
      for (const m of c.message.split('\n')) lines.push(...wrap(`      ${m}`, width, '        '));
    }
  }
  if (k.mistakes.length) lines.push(`  mistakes: ${k.mistakes.join(', ')}`);
  for (const w of k.warnings) for (const m of w.split('\n')) lines.push(...wrap(`  ! ${m}`, width, '    '));
  return `${lines.join('\n')}\n`;
}

export function renderReport(r: GradeReport, width = 80): string {
  const w = Math.max(40, Math.min(width, 100));
  const body = r.katas.map((k) => renderKata(k, w)).join('\n');
  const passed = r.katas.filter((k) => k.passed).length;
  return `${body}\n${passed}/${r.katas.length} kata(s) passed\n`;
}
