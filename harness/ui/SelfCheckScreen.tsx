// The self-check screen: the question (or the explanation of a wrong answer, or the score), the answer being typed, the clock and the keys.
import { Box, Text } from 'ink';
import { KeyBar, type KeyHelp } from './KeyBar.tsx';
import { Lines } from './Lines.tsx';
import type { Line, LineColor } from './line.ts';
import { TitleBar } from './TitleBar.tsx';

export interface SelfCheckScreenProps {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly clock: string;
  readonly clockColor?: LineColor;
  /** Everything between the title and the answer line, already wrapped to the width. */
  readonly body: readonly Line[];
  /** The answer being typed, or null when there is nothing to type. */
  readonly answer: Line | null;
  readonly keys: readonly KeyHelp[];
}

const SELF_CHECK_KEY_LINES = 2;

export function SelfCheckScreen({ width, height, title, clock, clockColor, body, answer, keys }: SelfCheckScreenProps) {
  const room = Math.max(1, height - 1 - (answer ? 1 : 0) - SELF_CHECK_KEY_LINES);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TitleBar left={title} right={clock} rightColor={clockColor} width={width} />
      <Box flexGrow={1} flexDirection="column">
        <Lines lines={body.slice(0, room)} />
      </Box>
      {answer ? (
        <Text wrap="truncate-end" color={answer.color} bold={answer.bold}>
          {answer.text}
        </Text>
      ) : null}
      <KeyBar keys={keys} width={width} maxLines={SELF_CHECK_KEY_LINES} />
    </Box>
  );
}
