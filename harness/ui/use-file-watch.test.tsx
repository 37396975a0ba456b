// Save detection: with file events, and with polling alone (network drives, WSL); the blank a file starts as is no save.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForText } from './test-support/test-frames.ts';
import { useFileWatch } from './use-file-watch.ts';
import { fileSignature } from './workspace.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function Probe({ dir, file, baseline, events }: { readonly dir: string; readonly file: string; readonly baseline: string; readonly events: boolean }) {
  const [saves, setSaves] = useState(0);
  useFileWatch(dir, [{ kata: 'attention', path: file, baseline }], () => setSaves((n) => n + 1), 100, events);
  return <Text>saves={saves}</Text>;
}

describe('useFileWatch', () => {
  for (const events of [true, false]) {
    it(`notices each save ${events ? 'through file events' : 'by polling alone'}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kata-watch-'));
      dirs.push(dir);
      const file = join(dir, 'attention.ts');
      writeFileSync(file, '// blank\n');
      const baseline = fileSignature(file);
      const app = render(<Probe dir={dir} file={file} baseline={baseline} events={events} />);
      await waitForText(app.lastFrame, 'saves=0');
      await new Promise((r) => setTimeout(r, 250)); // a few polls of the untouched blank
      expect(app.lastFrame()).toContain('saves=0');
      writeFileSync(file, 'export const a = 1;\n');
      await waitForText(app.lastFrame, 'saves=1');
      writeFileSync(file, 'export const a = 22;\n');
      await waitForText(app.lastFrame, 'saves=2');
      app.unmount();
    });
  }
});
