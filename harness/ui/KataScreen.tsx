// The kata screen: the file to edit, the spec in short, the verdict, and a scrollable pane (result, spec, hint, reference).
import { Box, Text } from 'ink';
import { KeyBar, type KeyHelp } from './KeyBar.tsx';
import { Lines } from './Lines.tsx';
import type { Line, LineColor } from './line.ts';
import { TitleBar } from './TitleBar.tsx';
import { truncate } from '../../grader/wrap-text.ts';

export interface KataScreenProps {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly clock: string;
  readonly clockColor?: LineColor;
  /** "File: solutions/attention.ts" and the like. */
  readonly header: readonly Line[];
  readonly verdict: Line;
  /** A passed/archived/error notice, kept until the learner moves on. */
  readonly banner: readonly Line[];
  readonly paneTitle: string;
  readonly body: readonly Line[];
  readonly scroll: number;
  readonly keys: readonly KeyHelp[];
}

export const KATA_KEY_LINES = 2;

/** How many body lines fit, given the fixed parts; the view model uses it to clamp scrolling. */
export function bodyRoom(height: number, headerLines: number, bannerLines: number, keyLines: number): number {
  return Math.max(1, height - 1 - headerLines - 1 - bannerLines - 1 - keyLines);
}

export function KataScreen(props: KataScreenProps) {
  const { width, height, title, clock, clockColor, header, verdict, banner, paneTitle, body, keys } = props;
  const keyLines = KATA_KEY_LINES;
  const room = bodyRoom(height, header.length, banner.length, keyLines);
  const scroll = Math.max(0, Math.min(props.scroll, Math.max(0, body.length - room)));
  let shown = body.slice(scroll, scroll + room);
  const below = body.length - scroll - room;
  if (below > 0) {
    shown = [...shown.slice(0, room - 1), { text: `↓ ${below + 1} more lines: ↓/j/space to scroll`, dim: true }];
  }
  const rule = `── ${paneTitle} ${scroll > 0 ? `(↑ ${scroll} above) ` : ''}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <TitleBar left={title} right={clock} rightColor={clockColor} width={width} />
      <Lines lines={header} />
      <Text wrap="truncate-end" color={verdict.color} bold>
        {verdict.text}
      </Text>
      <Lines lines={banner} />
      <Text dimColor>{truncate(rule + '─'.repeat(Math.max(0, width - [...rule].length)), width)}</Text>
      <Box flexGrow={1} flexDirection="column">
        <Lines lines={shown} />
      </Box>
      <KeyBar keys={keys} width={width} maxLines={keyLines} />
    </Box>
  );
}
