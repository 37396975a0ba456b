// The tokenizer, the 90/10 split and the seeded batches, on the committed slice of Tiny Shakespeare.
import { describe, expect, it } from 'vitest';
import { CharTokenizer } from './char-tokenizer.ts';
import { batchIds, splitTokens } from './splits.ts';
import { readSlice, SLICE_CHARS } from './tiny-shakespeare-slice.ts';

/** The 65 characters of the whole of Tiny Shakespeare, in code-point order, as the lecture prints them. */
const LECTURE_VOCAB = "\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const text = readSlice();
const tok = CharTokenizer.fromText(text);
const tokens = tok.encode(text);

describe('CharTokenizer', () => {
  it('sorts the characters by code point: the 65 of the lecture, with its ids for "hii there"', () => {
    const lecture = CharTokenizer.fromText([...LECTURE_VOCAB].reverse().join(''));
    expect(lecture.vocabSize).toBe(65);
    expect(lecture.chars.join('')).toBe(LECTURE_VOCAB);
    expect([...lecture.encode('hii there')]).toEqual([46, 47, 47, 1, 58, 46, 43, 56, 43]); // the lecture's example
  });

  it('takes its vocabulary from the text: the slice has 62 of the 65 (no $, 3 or X before character 300,000)', () => {
    expect(tok.chars.join('')).toBe(LECTURE_VOCAB.replace(/[$3X]/g, ''));
  });

  it('round-trips the whole slice', () => {
    expect(tokens.length).toBe(SLICE_CHARS);
    expect(tok.decode(tokens)).toBe(text);
  });

  it('names the character it cannot encode', () => {
    expect(() => tok.encode('café')).toThrow(/"é" is not in the vocabulary/);
  });
});

describe('splits and batches', () => {
  it('splits 90/10 at floor(0.9·N): 1,003,854 train and 111,540 val tokens for the whole text', () => {
    const whole = splitTokens(new Int32Array(1_115_394));
    expect(whole.train.length).toBe(1_003_854);
    expect(whole.val.length).toBe(111_540);
    const { train, val } = splitTokens(tokens);
    expect(train.length).toBe(270_000);
    expect(val.length).toBe(30_000);
    expect(tok.decode(val.subarray(0, 1))).toBe(text[270_000]);
  });

  it('draws windows whose targets are the inputs shifted by one', () => {
    const { train } = splitTokens(tokens);
    const b = batchIds(train, 12, 64, 1337, 0);
    expect(b.x.length).toBe(12 * 64);
    b.offsets.forEach((start, row) => {
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start + 64).toBeLessThan(train.length);
      expect([...b.x.subarray(row * 64, row * 64 + 64)]).toEqual([...train.subarray(start, start + 64)]);
      expect([...b.y.subarray(row * 64, row * 64 + 64)]).toEqual([...train.subarray(start + 1, start + 65)]);
    });
  });

  it('is a pure function of (seed, index): same seed same batch, new index or seed a new batch', () => {
    const { train } = splitTokens(tokens);
    expect(batchIds(train, 8, 32, 7, 3).offsets).toEqual(batchIds(train, 8, 32, 7, 3).offsets);
    expect(batchIds(train, 8, 32, 7, 4).offsets).not.toEqual(batchIds(train, 8, 32, 7, 3).offsets);
    expect(batchIds(train, 8, 32, 8, 3).offsets).not.toEqual(batchIds(train, 8, 32, 7, 3).offsets);
  });

  it('covers the split evenly (no offset bias)', () => {
    const data = new Int32Array(1000);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 500; i++) for (const o of batchIds(data, 10, 100, 1, i).offsets) counts[Math.floor(o / 90)]++;
    for (const c of counts) expect(c).toBeGreaterThan(400); // 5000 draws over 10 bins: 500 each expected
  });

  it('refuses a split shorter than one window', () => {
    expect(() => batchIds(new Int32Array(10), 2, 64, 1, 0)).toThrow(/too few for blockSize 64/);
  });
});
