// The home screen: the katas with status, budget and personal best, the session clock and the keys.
import { Box, Text } from 'ink';
import { KeyBar, type KeyHelp } from './KeyBar.tsx';
import { Lines } from './Lines.tsx';
import type { Line, LineColor } from './line.ts';
import type { KataStatus } from './history-stats.ts';
import { TitleBar } from './TitleBar.tsx';
import { padEnd, padStart } from '../../grader/wrap-text.ts';

interface HomeRow {
  number: number;
  title: string;
  budget: string;
  status: KataStatus;
  best: string;
}

/** The Session A self-check's row, above the katas. */
interface SelfCheckRow {
  title: string;
  budget: string;
  /** "12/16" for the latest sitting, null when never taken. */
  last: string | null;
  best: string;
}

export interface HomeScreenProps {
  readonly width: number;
  readonly height: number;
  readonly heading: string;
  readonly clock: string;
  readonly clockColor?: LineColor;
  readonly rows: readonly HomeRow[];
  readonly selfCheck: SelfCheckRow;
  /** The highlighted kata row; -1 highlights the self-check. */
  readonly cursor: number;
  /** Prompt, banner, bar and workspace lines under the table, already wrapped to the width. */
  readonly notes: readonly Line[];
  readonly keys: readonly KeyHelp[];
}

const STATUS: Record<KataStatus, { text: string; color: LineColor }> = {
  passed: { text: '✓ passed', color: 'green' },
  failed: { text: '✗ failed', color: 'red' },
  'not-tried': { text: '· not tried', color: 'gray' },
};

export function HomeScreen({ width, height, heading, clock, clockColor, rows, selfCheck, cursor, notes, keys }: HomeScreenProps) {
  const titleWidth = Math.max(8, width - 3 - 3 - 8 - 13 - 7);
  const keyLines = width < 60 ? 3 : 2;
  const room = Math.max(0, height - 4 - rows.length - 1 - keyLines);
  const shownNotes = notes.slice(0, room);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TitleBar left={heading} right={clock} rightColor={clockColor} width={width} />
      <Text> </Text>
      <Text dimColor wrap="truncate-end">
        {'   ' + padEnd('#', 3) + padEnd('Kata', titleWidth) + padStart('Budget', 8) + '  ' + padEnd('Status', 11) + padStart('Best', 7)}
      </Text>
      <Text wrap="truncate-end">
        <Text color="cyan" bold>
          {cursor === -1 ? ' ▸ ' : '   '}
        </Text>
        <Text bold={cursor === -1}>{padEnd('A', 3) + padEnd(selfCheck.title, titleWidth)}</Text>
        <Text>{padStart(selfCheck.budget, 8) + '  '}</Text>
        <Text color={selfCheck.last ? 'yellow' : 'gray'}>{padEnd(selfCheck.last ? `last ${selfCheck.last}` : '· not tried', 11)}</Text>
        <Text>{padStart(selfCheck.best, 7)}</Text>
      </Text>
      {rows.map((r, i) => {
        const selected = i === cursor;
        const status = STATUS[r.status];
        return (
          <Text key={r.number} wrap="truncate-end">
            <Text color="cyan" bold>
              {selected ? ' ▸ ' : '   '}
            </Text>
            <Text bold={selected}>{padEnd(String(r.number), 3) + padEnd(r.title, titleWidth)}</Text>
            <Text>{padStart(r.budget, 8) + '  '}</Text>
            <Text color={status.color}>{padEnd(status.text, 11)}</Text>
            <Text>{padStart(r.best, 7)}</Text>
          </Text>
        );
      })}
      <Text> </Text>
      <Box flexGrow={1} flexDirection="column">
        <Lines lines={shownNotes} />
      </Box>
      <KeyBar keys={keys} width={width} maxLines={keyLines} />
    </Box>
  );
}
