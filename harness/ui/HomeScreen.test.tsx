// The home screen lists the five katas with status, budget and best, shows the clock and keys, and fits 80x24.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { initState } from './app-state.ts';
import { HomeScreen } from './HomeScreen.tsx';
import { plain } from './test-support/test-frames.ts';
import { finishedState, SETUP, T0, TEXTS } from './test-support/test-states.ts';
import { homeProps } from './view-model.ts';

function frameOf(state: ReturnType<typeof initState>): string {
  const app = render(<HomeScreen {...homeProps(state, TEXTS)} />);
  const frame = plain(app.lastFrame());
  app.unmount();
  return frame;
}

describe('HomeScreen', () => {
  it('shows every kata not tried yet, the 60:00 clock and how to start, within 80x24', () => {
    const frame = frameOf(initState(SETUP, [], T0, 80, 24));
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(frame).toContain('clock 60:00');
    expect(frame).toMatch(/▸ 1 {2}Scaled dot-product attention\s+10 min\s+· not tried\s+—/);
    expect(frame).toMatch(/5 {2}The whole GPT\s+25 min\s+· not tried/);
    expect(frame).toContain('Enter start the session');
  });

  it('shows passes and personal bests from history after a finished session', () => {
    const done = finishedState();
    const frame = frameOf(initState(SETUP, done.records, done.now + 1000, 80, 24));
    expect(frame).toMatch(/1 {2}Scaled dot-product attention\s+10 min\s+✓ passed\s+7:00/);
    expect(frame).toMatch(/Your best: 34:00 ✓/);
  });
});
