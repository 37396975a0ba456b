// The source rules on small hand-counted snippets: what counts as a line of code, a loop, a use of bandPart.
import { describe, expect, it } from 'vitest';
import { codeLines, loopStatements, memberUses } from './static-rules.ts';

describe('static rules', () => {
  it('counts code lines without blank lines, comments or imports', () => {
    const src = [
      "import * as tf from '@tensorflow/tfjs';",
      "import {",
      "  type Tensor,",
      "} from '@tensorflow/tfjs';",
      '',
      '// a comment',
      '/* a block',
      '   comment */',
      'export function f(x: Tensor) { // trailing comment',
      '  const s = `multi',
      '${x}`;',
      '  return x;',
      '}',
    ].join('\n');
    expect(codeLines(src)).toBe(5);
  });

  it('finds every kind of loop statement, not loops in comments or strings', () => {
    const src = 'for (;;) {}\nwhile (a) {}\ndo {} while (b);\nfor (const x of y) {}\nfor (const k in o) {}\n// for (;;)\nconst s = "while (1)";\nys.map((y) => y);';
    expect(loopStatements(src).map((l) => l.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('finds tf.linalg.bandPart in its usual spellings but not in comments', () => {
    expect(memberUses('tf.linalg.bandPart(x, -1, 0);', 'bandPart')).toHaveLength(1);
    expect(memberUses("tf.linalg['bandPart'](x, -1, 0);", 'bandPart')).toHaveLength(1);
    expect(memberUses('const { bandPart } = tf.linalg;', 'bandPart')).toHaveLength(1);
    expect(memberUses('// tf.linalg.bandPart\nconst s = "bandPart";', 'bandPart')).toHaveLength(0);
  });
});
