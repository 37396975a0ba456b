// The committed slice of Tiny Shakespeare (its first 300,000 characters) that the tests train, sample and bench on.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** datasets/fixtures/tiny-shakespeare-slice.txt, absolute, for a command's --data. */
export const SLICE_PATH = fileURLToPath(new URL('./fixtures/tiny-shakespeare-slice.txt', import.meta.url));

/** How many characters the slice holds: the first 300,000 of the 1,115,394 (train 270,000, val 30,000). */
export const SLICE_CHARS = 300_000;

/** The slice's first `chars` characters (all of it by default). */
export function readSlice(chars = SLICE_CHARS): string {
  return readFileSync(SLICE_PATH, 'utf8').slice(0, chars);
}
