// The bottom lines listing the keys that work on this screen, packed into the width, most important first.
import { Box, Text } from 'ink';

export type KeyHelp = readonly [key: string, label: string];

export interface KeyBarProps {
  readonly keys: readonly KeyHelp[];
  readonly width: number;
  /** At most this many lines; keys that do not fit are left out (they are listed in the most important-first order). */
  readonly maxLines?: number;
}

function packKeys(keys: readonly KeyHelp[], width: number, maxLines: number): KeyHelp[][] {
  const lines: KeyHelp[][] = [[]];
  let used = 0;
  for (const k of keys) {
    const len = [...k[0]].length + 1 + [...k[1]].length;
    const sep = used === 0 ? 0 : 3;
    if (used + sep + len > width) {
      if (lines.length >= maxLines) continue;
      lines.push([]);
      used = 0;
    }
    lines.at(-1)!.push(k);
    used += (used === 0 ? 0 : 3) + len;
  }
  return lines;
}

export function KeyBar({ keys, width, maxLines = 2 }: KeyBarProps) {
  return (
    <Box flexDirection="column">
      {packKeys(keys, width, maxLines).map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row.map(([key, label], j) => (
            <Text key={j}>
              {j > 0 ? <Text dimColor> · </Text> : null}
              <Text bold color="cyan">
                {key}
              </Text>
              <Text> {label}</Text>
            </Text>
          ))}
        </Text>
      ))}
    </Box>
  );
}
