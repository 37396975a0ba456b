// Word wrapping and truncation to a column width: the plain-text report wraps with it, and every kata-app screen counts
// its own lines with it to fit 80x24.

/**
 * Wraps one line at word boundaries, keeping its indent; words longer than the width are split hard. Continuation
 * lines start with `hangIndent` when given, else with the line's own indent.
 */
function wrapLine(line: string, width: number, hangIndent?: string): string[] {
  const len = (s: string): number => [...s].length;
  if (width < 1 || len(line) <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const own = hangIndent ?? indent;
  const hang = own.length < width / 2 ? own : '';
  const out: string[] = [];
  let current = indent.length < width / 2 ? indent : '';
  for (const word of line.trim().split(/\s+/)) {
    const sep = current.trim() === '' ? '' : ' ';
    if (len(current + sep + word) <= width) {
      current += sep + word;
      continue;
    }
    if (current.trim() !== '') {
      out.push(current);
      current = hang;
    }
    let rest = [...(current + word)];
    while (rest.length > width) {
      out.push(rest.slice(0, width).join(''));
      rest = rest.slice(width);
    }
    current = rest.join('');
  }
  if (current.trim() !== '') out.push(current);
  return out;
}

/** Wraps text that may hold several lines; blank lines are kept. `hangIndent` starts every continuation line. */
export function wrapText(text: string, width: number, hangIndent?: string): string[] {
  return text.split('\n').flatMap((line) => wrapLine(line.replace(/\t/g, '  ').trimEnd(), width, hangIndent));
}

/** Cuts a single line to the width, marking the cut with an ellipsis. */
export function truncate(line: string, width: number): string {
  const chars = [...line];
  if (chars.length <= width) return line;
  if (width <= 1) return chars.slice(0, width).join('');
  return chars.slice(0, width - 1).join('') + '…';
}

/** Pads (or truncates) to exactly the width, for table columns. */
export function padEnd(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - [...cut].length));
}

export function padStart(text: string, width: number): string {
  const cut = truncate(text, width);
  return ' '.repeat(Math.max(0, width - [...cut].length)) + cut;
}
