// The top line of every screen: where you are on the left, the session clock on the right.
import { Box, Text } from 'ink';
import type { LineColor } from './line.ts';
import { truncate } from '../../grader/wrap-text.ts';

export interface TitleBarProps {
  readonly left: string;
  readonly right: string;
  readonly rightColor?: LineColor;
  readonly width: number;
}

export function TitleBar({ left, right, rightColor, width }: TitleBarProps) {
  const room = Math.max(0, width - [...right].length - 1);
  const shown = truncate(left, room);
  const gap = Math.max(1, width - [...shown].length - [...right].length);
  return (
    <Box>
      <Text bold>{shown}</Text>
      <Text>{' '.repeat(gap)}</Text>
      <Text bold color={rightColor}>
        {right}
      </Text>
    </Box>
  );
}
