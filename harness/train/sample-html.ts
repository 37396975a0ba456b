// A sample as a report shows it: in a bounded box, with whitespace-only lines and control characters made visible.
import { escapeHtml } from './html-page.ts';

/** Control characters (other than the newline) as their Unicode control pictures, e.g. a tab as ␉. */
const visibleControls = (s: string) =>
  [...s]
    .map((c) => {
      const code = c.codePointAt(0)!;
      if (code === 0x7f) return '\u2421';
      return code < 0x20 && c !== '\n' ? String.fromCodePoint(0x2400 + code) : c;
    })
    .join('');

/**
 * The sample's text as HTML for a <pre class="sample">: an empty or whitespace-only line shows a faint ↵ (spaces as ·),
 * so a sample of mostly newlines reads as such instead of as a tall empty box; the box itself scrolls past a fixed height.
 */
export function sampleHtml(sample: string): string {
  return sample
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return `<span class="ws">${escapeHtml(line.replace(/ /g, '·'))}↵</span>`;
      return escapeHtml(visibleControls(line));
    })
    .join('\n');
}

/** The sample in its box, with the lead newline the HTML parser drops, so a sample that starts with a newline keeps it. */
export function sampleBox(sample: string, attrs: string): string {
  return `<pre class="sample" ${attrs}>\n${sampleHtml(sample)}</pre>`;
}

/** A line about a sample's whitespace: what a reader might otherwise take for a rendering fault. */
export function whitespaceNote(sample: string): string {
  const chars = [...sample];
  const newlines = chars.filter((c) => c === '\n').length;
  const lines = sample.split('\n');
  const blank = lines.filter((l) => l.trim() === '').length;
  return `${chars.length} characters, ${newlines} newlines, ${blank} of ${lines.length} lines empty or whitespace-only (shown as ↵)`;
}
