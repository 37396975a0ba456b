// The source rules on small hand-counted snippets: what counts as a line of code, a loop, a use of bandPart.
import { describe, expect, it } from 'vitest';
import { codeLines, discardedResults, functionAt, loopStatements, memberUses, seededMultinomials } from './static-rules.ts';

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

  it('finds tensor ops whose result is thrown away, not ones that are assigned, returned or read', () => {
    const src = [
      'tf.where(keep, scores, minusInf);', // 1: bare statement
      'scores.add(bias);', // 2: as if in place
      'const masked = scores.add(bias);', // 3: never read again
      'const used = scores.add(bias);',
      'scores = tf.where(keep, scores, minusInf);',
      'x.dispose();',
      'return used.softmax();',
    ].join('\n');
    expect(discardedResults(src).map((f) => f.line)).toEqual([1, 2, 3]);
  });

  it('finds tf.multinomial calls that pass a seed, not ones that leave it out', () => {
    const src = 'tf.multinomial(l, 1, 42);\ntf.multinomial(l, 1, seed, false);\ntf.multinomial(l, 1);\ntf.multinomial(p, 1, undefined, true);';
    expect(seededMultinomials(src).map((f) => f.line)).toEqual([1, 2]);
  });

  it('names the top-level function a line belongs to', () => {
    const src = 'export function gpt() {\n  return 1;\n}\n\nexport const generate = () => {\n  return 2;\n};';
    expect([2, 4, 6].map((line) => functionAt(src, line))).toEqual(['gpt', null, 'generate']);
  });
});
