// The character tokenizer: the sorted unique characters of a text are the vocabulary (65 for Tiny Shakespeare).

export class CharTokenizer {
  /** Vocabulary in code-point order; a token id is an index into it. */
  readonly chars: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  constructor(chars: readonly string[]) {
    this.chars = chars;
    this.ids = new Map(chars.map((c, i) => [c, i]));
  }

  /** Python's sorted(set(text)): unique code points, ordered by code point. */
  static fromText(text: string): CharTokenizer {
    const unique = [...new Set(text)].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer(unique);
  }

  get vocabSize(): number {
    return this.chars.length;
  }

  encode(text: string): Int32Array {
    const chars = [...text];
    const out = new Int32Array(chars.length);
    chars.forEach((c, i) => {
      const id = this.ids.get(c);
      if (id === undefined) {
        throw new Error(`character ${JSON.stringify(c)} is not in the vocabulary (${this.vocabSize} characters)`);
      }
      out[i] = id;
    });
    return out;
  }

  /** True when every character of `text` is in the vocabulary. */
  canEncode(text: string): boolean {
    for (const c of text) if (!this.ids.has(c)) return false;
    return true;
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) s += this.chars[ids[i]!] ?? '';
    return s;
  }
}
