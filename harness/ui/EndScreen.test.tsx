// The end screen: split per kata and total, whether the bar was met, and the comparison with personal bests.
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { EndScreen } from './EndScreen.tsx';
import { plain } from './test-support/test-frames.ts';
import { finishedState } from './test-support/test-states.ts';
import { endProps } from './view-model.ts';

describe('EndScreen', () => {
  it('reports splits, the total and the bar within 80x24', () => {
    const state = finishedState(80, 24);
    expect(state.screen).toBe('end');
    const app = render(<EndScreen {...endProps(state)} />);
    const frame = plain(app.lastFrame());
    app.unmount();
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(frame).toContain('All katas passed.');
    // attention took 7 min, multi-head 8 (split 15), causal-mask 9 (24), block 10 (34), gpt 11 (45).
    expect(frame).toMatch(/✓ 1 {2}attention\s+10:00\s+7:00\s+7:00\s+—\s+new best/);
    expect(frame).toMatch(/✓ 4 {2}block\s+20:00\s+10:00\s+34:00/);
    expect(frame).toContain('total 45:00');
    expect(frame).toContain('Bar met ✓: the first four katas took 34:00 (target 60:00).');
  });
});
