// Prints pre-wrapped lines, one Text each, cut at the width so nothing ever wraps on its own.
import { Box, Text } from 'ink';
import type { Line } from './line.ts';

export interface LinesProps {
  readonly lines: readonly Line[];
}

export function Lines({ lines }: LinesProps) {
  return (
    <Box flexDirection="column">
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate-end" color={l.color} bold={l.bold} dimColor={l.dim}>
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
    </Box>
  );
}
