// Kata README markdown as terminal lines: paragraphs and list items reflowed to the width, code blocks kept as written.
import { line, type Line } from './line.ts';
import { wrapText } from '../../grader/wrap-text.ts';

const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])\s+/;

/** Drops `**bold**` and `__bold__` markers; inline `code` keeps its backticks, which read fine in a terminal. */
function inline(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/__(.+?)__/g, '$1');
}

/** Wraps one reflowed block; list items hang their continuation lines under the item's text. */
function wrapBlock(text: string, width: number): string[] {
  const item = LIST_ITEM.exec(text);
  if (!item) return wrapText(text, width);
  const hang = ' '.repeat(item[0].length);
  const first = wrapText(text, width);
  if (first.length <= 1) return first;
  const head = first[0]!;
  const rest = wrapText(hang + text.slice(head.length).trim(), width);
  return [head, ...rest];
}

export function markdownLines(text: string, width: number): Line[] {
  const out: Line[] = [];
  let block: string | null = null;
  let fenced = false;
  const flush = (): void => {
    if (block !== null) out.push(...wrapBlock(inline(block), width).map((t) => line(t)));
    block = null;
  };
  for (const raw of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      flush();
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      out.push(...wrapText(raw, width).map((t) => line(t, { color: 'cyan' })));
      continue;
    }
    if (raw.trim() === '') {
      flush();
      out.push(line(''));
      continue;
    }
    if (/^#{1,6}\s/.test(raw)) {
      flush();
      out.push(line(inline(raw.replace(/^#+\s*/, '')), { bold: true }));
      continue;
    }
    if (LIST_ITEM.test(raw) || block === null) {
      flush();
      block = raw.trimEnd();
    } else {
      block += ' ' + raw.trim();
    }
  }
  flush();
  while (out.length > 0 && out.at(-1)!.text === '') out.pop();
  return out;
}
