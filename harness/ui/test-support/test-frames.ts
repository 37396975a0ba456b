// Test helpers for Ink screens: strip colours, and wait until a frame shows something instead of sleeping.
import { stripVTControlCharacters } from 'node:util';

export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '');
}

/** Polls `read` every 10 ms until `test` holds; fails with the last frame after `timeoutMs`. */
export async function waitFor(read: () => string | undefined, test: (frame: string) => boolean, timeoutMs = 5000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const frame = plain(read());
    if (test(frame)) return frame;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`screen did not show what the test waited for within ${timeoutMs} ms; last frame:\n${frame}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function waitForText(read: () => string | undefined, text: string, timeoutMs?: number): Promise<string> {
  return waitFor(read, (f) => f.includes(text), timeoutMs);
}

/**
 * Ink attaches its key listener in an effect that runs after the first frame is drawn, so a key sent the moment
 * that frame appears can be lost. Shopify cli-kit's testing/ui.ts waits the same way (waitForInputsToBeReady).
 */
export function inputsReady(): Promise<void> {
  return new Promise((r) => setTimeout(r, 100));
}
