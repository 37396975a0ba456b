// The end screen: split per kata and total, whether the bar was met, and the comparison with personal bests.
import { Box, Text } from 'ink';
import { KeyBar, type KeyHelp } from './KeyBar.tsx';
import { Lines } from './Lines.tsx';
import type { Line, LineColor } from './line.ts';
import { TitleBar } from './TitleBar.tsx';
import type { KataStatus } from './history-stats.ts';
import { padEnd, padStart } from '../../grader/wrap-text.ts';

export interface EndRow {
  number: number;
  kata: string;
  budget: string;
  status: KataStatus;
  /** Time spent on the kata. */
  time: string;
  /** Session clock when it passed. */
  split: string;
  best: string;
  delta: string;
  deltaColor?: LineColor;
}

export interface EndScreenProps {
  readonly width: number;
  readonly height: number;
  readonly total: string;
  readonly reason: Line;
  readonly rows: readonly EndRow[];
  /** Bar, best and hint lines under the table, already wrapped. */
  readonly notes: readonly Line[];
  readonly keys: readonly KeyHelp[];
}

const MARK: Record<KataStatus, { mark: string; color: LineColor }> = {
  passed: { mark: ' ✓ ', color: 'green' },
  failed: { mark: ' ✗ ', color: 'red' },
  'not-tried': { mark: ' · ', color: 'gray' },
};

export function EndScreen({ width, height, total, reason, rows, notes, keys }: EndScreenProps) {
  const kataWidth = Math.max(10, Math.min(14, width - 6 - 8 * 4 - 9 - 2));
  const head =
    '   ' + padEnd('#', 3) + padEnd('Kata', kataWidth) + ['Budget', 'Time', 'Split', 'Best'].map((h) => padStart(h, 8)).join('') + padStart('vs best', 9);
  const room = Math.max(0, height - 4 - rows.length - 1 - 2);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TitleBar left="gpt-kata · session results" right={`total ${total}`} width={width} />
      <Text wrap="truncate-end" color={reason.color} bold>
        {reason.text}
      </Text>
      <Text> </Text>
      <Text dimColor wrap="truncate-end">
        {head}
      </Text>
      {rows.map((r) => (
        <Text key={r.number} wrap="truncate-end">
          <Text color={MARK[r.status].color}>{MARK[r.status].mark}</Text>
          <Text>{padEnd(String(r.number), 3) + padEnd(r.kata, kataWidth) + padStart(r.budget, 8)}</Text>
          <Text dimColor={r.status !== 'passed'}>{padStart(r.time, 8)}</Text>
          <Text bold={r.status === 'passed'}>{padStart(r.split, 8)}</Text>
          <Text>{padStart(r.best, 8)}</Text>
          <Text color={r.deltaColor}>{padStart(r.delta, 9)}</Text>
        </Text>
      ))}
      <Text> </Text>
      <Box flexGrow={1} flexDirection="column">
        <Lines lines={notes.slice(0, room)} />
      </Box>
      <KeyBar keys={keys} width={width} maxLines={2} />
    </Box>
  );
}
