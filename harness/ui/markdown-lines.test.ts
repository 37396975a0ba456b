// README markdown in the terminal: hard-wrapped paragraphs and list items reflow to the screen width; code stays put.
import { describe, expect, it } from 'vitest';
import { markdownLines } from './markdown-lines.ts';

const HINT = `The mask says which keys a query may look at: 1 = may attend, 0 = masked. Masked keys must get exactly zero
weight, and the weights that remain must still sum to 1.

- **Filling with 0** (\`attention/mask-fill-zero\`). A masked score of 0 still gets weight e⁰ relative to the
  others. Use −∞, or a large negative such as −1e9.
- Short item.

\`\`\`ts
let scores = tf.matMul(q, k, false, true).div(Math.sqrt(dk)); // [..., Tq, Tk]
\`\`\``;

describe('markdownLines', () => {
  it('reflows paragraphs and list items to the width, with list continuations hanging under the text', () => {
    const lines = markdownLines(HINT, 60).map((l) => l.text);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(60);
    expect(lines[0]).toBe('The mask says which keys a query may look at: 1 = may');
    expect(lines).toContain('- Filling with 0 (`attention/mask-fill-zero`). A masked');
    expect(lines).toContain('  score of 0 still gets weight e⁰ relative to the others.');
    expect(lines).toContain('- Short item.');
    const code = markdownLines(HINT, 60).filter((l) => l.color === 'cyan').map((l) => l.text);
    expect(code.join(' ')).toBe('let scores = tf.matMul(q, k, false, true).div(Math.sqrt(dk)); // [..., Tq, Tk]');
  });
});
