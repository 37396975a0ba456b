// Word wrapping and truncation to a column width, so every screen can count its own lines and fit 80x24.

/** Wraps one line at word boundaries, keeping its indent; words longer than the width are split hard. */
function wrapLine(line: string, width: number): string[] {
  const len = (s: string): number => [...s].length;
  if (width < 1 || len(line) <= width) return [line];
  const indent = /^\s*/.exec(line)![0];
  const hang = indent.length < width / 2 ? indent : '';
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

/** Wraps text that may hold several lines; blank lines are kept. */
export function wrapText(text: string, width: number): string[] {
  return text.split('\n').flatMap((line) => wrapLine(line.replace(/\t/g, '  ').trimEnd(), width));
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
