// The kata screen fits 80x24 and smaller terminals, shows the verdict, diagnosis and counterexample, and scrolls.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { reduce } from './app-state.ts';
import { KataScreen } from './KataScreen.tsx';
import { plain } from './test-support/test-frames.ts';
import { failingState, MIN, T0, TEXTS } from './test-support/test-states.ts';
import { kataProps, maxScrollOf } from './view-model.ts';

function frameOf(state: ReturnType<typeof failingState>): string[] {
  const app = render(<KataScreen {...kataProps(state, TEXTS)} />);
  const lines = plain(app.lastFrame()).split('\n');
  app.unmount();
  return lines;
}

describe('KataScreen', () => {
  it('fits 80x24 with the verdict, the diagnosis sentence and the counterexample', () => {
    const lines = frameOf(failingState(80, 24));
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    const text = lines.join('\n');
    expect(text).toContain('Kata 1/5 · Scaled dot-product attention');
    expect(text).toContain('⏱ 55:57 left');
    expect(text).toContain('Edit solutions/attention.ts in your editor');
    expect(text).toMatch(/✗ FAILED · 1 of 6 checks · attention\/no-scale · graded 2s ago in 1\.4 s/);
    expect(text).toContain('✓ shape and dtype');
    expect(text).toContain('✗ reference equivalence (fast-check)');
    expect(text).toContain('The scores are not divided by √dk');
    expect(text).toContain('k [2, 2] = [[1, 0], [0, 1]]');
    expect(text).toContain('h hint 2 (explains no-scale)');
  });

  it('keeps long reports inside the frame and scrolls them', () => {
    for (const [columns, rows] of [
      [80, 24],
      [60, 16],
      [120, 40],
    ] as const) {
      const state = failingState(columns, rows, true);
      const lines = frameOf(state);
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      for (const l of lines) expect([...l].length).toBeLessThanOrEqual(columns);
      expect(lines.join('\n')).toMatch(/↓ \d+ more lines/);
    }
    const long = failingState(80, 24, true);
    const maxScroll = maxScrollOf(kataProps(long, TEXTS));
    expect(maxScroll).toBeGreaterThan(10);
    const sized = reduce(long, { type: 'pane-size', maxScroll });
    const down = (s: typeof long, n: number, input: string) => Array.from({ length: n }).reduce<typeof long>((x) => reduce(x, { type: 'key', input, key: {}, at: T0 + 5 * MIN }), s);
    expect(frameOf(down(sized, 10, 'j')).join('\n')).toMatch(/\(↑ 10 above\)/);
    // Scrolling stops at the last line: one step back up moves the view at once.
    const bottom = down(sized, 100, 'j');
    expect(bottom.scroll).toBe(maxScroll);
    expect(frameOf(bottom).join('\n')).not.toMatch(/more lines/);
    expect(down(bottom, 1, 'k').scroll).toBe(maxScroll - 1);
  });

  it('shows a pass without leaving the kata, and points to the next one', () => {
    let s = failingState();
    s = reduce(s, { type: 'file-changed', kata: 'attention', at: T0 + 6 * MIN });
    s = reduce(s, { type: 'graded', kata: 'attention', report: { ...s.grades.attention!.report!, passed: true, mistakes: [], diagnoses: [], checks: [] }, savedAt: T0 + 6 * MIN, at: T0 + 6 * MIN + 900 });
    const text = frameOf(s).join('\n');
    expect(text).toContain('✓ attention passed (6:00 on the clock). n: next kata, multi-head');
    expect(text).toContain('Kata 1/5');
    expect(text).toContain('s reference');
  });
});
