// One styled line of screen text: what the view model produces and the display components print.

export type LineColor = 'green' | 'red' | 'yellow' | 'cyan' | 'magenta' | 'gray';

export interface Line {
  text: string;
  color?: LineColor;
  bold?: boolean;
  dim?: boolean;
}

export function line(text: string, style: Omit<Line, 'text'> = {}): Line {
  return { text, ...style };
}
