// What a learner types for a question: the right answer in the page's notation, or a plausible wrong one (tests only).
import { rightAnswer } from '../check-answer.ts';
import type { Question } from '../question.ts';

export function typedRightAnswer(q: Question): string {
  switch (q.kind) {
    case 'shape':
      return `[${q.answer.join(', ')}]`;
    case 'number':
      return String(q.answer);
    case 'polynomial':
      return rightAnswer(q).replace('²', '^2');
    case 'choice':
      return String(q.options.findIndex((o) => o.right) + 1);
  }
}

export function typedWrongAnswer(q: Question): string {
  switch (q.kind) {
    case 'shape':
      return [...q.answer].reverse().join(',');
    case 'number':
      return String(q.answer + 1);
    case 'polynomial':
      return '3d^2';
    case 'choice':
      return String(q.options.findIndex((o) => !o.right) + 1);
  }
}
