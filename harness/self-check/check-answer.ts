// Judges one typed answer exactly: a shape size for size, a count to the unit, a polynomial term for term, one choice.
import { formatPolynomial, formatShape, parsePolynomial, parseShape, parseWholeNumber, samePolynomial } from './parse-answer.ts';
import type { Question, Verdict } from './question.ts';

/** The right answer as the screen shows it. */
export function rightAnswer(q: Question): string {
  switch (q.kind) {
    case 'shape':
      return formatShape(q.answer);
    case 'number':
      return q.answer.toLocaleString('en-US');
    case 'polynomial':
      return formatPolynomial(q.answer);
    case 'choice': {
      const i = q.options.findIndex((o) => o.right);
      return `${i + 1}. ${q.options[i]!.text}`;
    }
  }
}

export function checkAnswer(q: Question, typed: string): Verdict {
  switch (q.kind) {
    case 'shape': {
      const shape = parseShape(typed);
      if (!shape) return { kind: 'unreadable', message: 'Type the sizes separated by commas, e.g. 2, 8, 64 (brackets optional).' };
      const shown = formatShape(shape);
      if (shape.length === q.answer.length && shape.every((n, i) => n === q.answer[i])) return { kind: 'right', shown };
      const rank = shape.length === q.answer.length ? '' : `That is ${shape.length} dimensions; this tensor has ${q.answer.length}. `;
      return { kind: 'wrong', shown, why: `${rank}${q.explanation}` };
    }
    case 'number': {
      const n = parseWholeNumber(typed);
      if (n === null) return { kind: 'unreadable', message: 'Type a whole number, e.g. 16448 (commas allowed).' };
      const shown = n.toLocaleString('en-US');
      if (n === q.answer) return { kind: 'right', shown };
      return { kind: 'wrong', shown, why: `You are ${Math.abs(n - q.answer).toLocaleString('en-US')} ${n > q.answer ? 'over' : 'under'}. ${q.explanation}` };
    }
    case 'polynomial': {
      const p = parsePolynomial(typed);
      if (!p) return { kind: 'unreadable', message: 'Type a polynomial in d, e.g. 2d^2 + 3d (or 2d² + 3d).' };
      const shown = formatPolynomial(p);
      if (samePolynomial(p, q.answer)) return { kind: 'right', shown };
      return { kind: 'wrong', shown, why: q.explanation };
    }
    case 'choice': {
      const t = typed.trim();
      const i = /^\d+$/.test(t) ? Number(t) - 1 : -1;
      const picked = q.options[i];
      if (!picked) return { kind: 'unreadable', message: `Type the number of one option, 1 to ${q.options.length}.` };
      const shown = `${i + 1}. ${picked.text}`;
      if (picked.right) return { kind: 'right', shown };
      return { kind: 'wrong', shown, why: `${picked.why} ${q.explanation}` };
    }
  }
}
