// Parsing the kata READMEs into spec and three hint tiers, and a clear note (not a crash) when a file is missing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKataDoc, loadReference, parseKataReadme } from './kata-docs.ts';

const README = `# Kata 1: Scaled dot-product attention

Implement attention from a blank file.
In under 30 lines.

## Spec

\`scaledDotProductAttention(q, k, v, mask?)\`

\`\`\`ts
// not a heading:
## still code
\`\`\`

## Rules
- fewer than 30 lines

## Hint 1: Shapes first
Write the shapes down.

## Hint 2: Scaling
Divide by Math.sqrt(dk).

## Hint 3: Nearly the answer
tf.matMul(q, k, false, true)
`;

describe('kata README parsing', () => {
  it('finds the title, summary, spec, rules and three hint tiers', () => {
    const doc = parseKataReadme(README);
    expect(doc.title).toBe('Scaled dot-product attention');
    expect(doc.summary).toBe('Implement attention from a blank file.\nIn under 30 lines.');
    expect(doc.spec).toContain('## still code'); // a heading inside a code fence is content
    expect(doc.rules).toBe('- fewer than 30 lines');
    expect(doc.hints.map((h) => [h.tier, h.title])).toEqual([
      [1, 'Shapes first'],
      [2, 'Scaling'],
      [3, 'Nearly the answer'],
    ]);
    expect(doc.hints[2]!.body).toBe('tf.matMul(q, k, false, true)');
  });

  it('says which file is missing instead of throwing', () => {
    const root = mkdtempSync(join(tmpdir(), 'kata-docs-'));
    try {
      const doc = loadKataDoc('block', root);
      expect(doc.ok).toBe(false);
      if (!doc.ok) expect(doc.problem).toMatch(/katas\/block\/README\.md not found/);
      const ref = loadReference('block', root);
      expect(ref.ok).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('loads the project reference solutions', () => {
    const ref = loadReference('attention');
    expect(ref.ok && ref.value).toContain('export function scaledDotProductAttention');
  });
});

describe('the project kata READMEs', () => {
  it('each parse into a spec and three non-empty hint tiers', () => {
    for (const kata of ['attention', 'multi-head', 'causal-mask', 'block', 'gpt'] as const) {
      const doc = loadKataDoc(kata);
      if (!doc.ok) continue; // not written yet; the UI shows the missing-file note instead
      expect(doc.value.spec, `${kata}: ## Spec`).not.toBe('');
      expect(doc.value.hints.map((h) => h.tier), `${kata}: ## Hint 1..3`).toEqual([1, 2, 3]);
      for (const h of doc.value.hints) expect(h.body, `${kata}: hint ${h.tier} body`).not.toBe('');
    }
  });
});
