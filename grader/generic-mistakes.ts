// Mistakes of no particular kata: the file did not load, the function died, or its output is the wrong kind.
import type { Mistake } from './mistake.ts';

export const genericMistakes: Mistake[] = [
  { id: 'shape', explanation: 'The output has the wrong shape or dtype; the grader never broadcasts it into place.', hintTier: 0 },
  { id: 'not-finite', explanation: 'The output holds NaN or Infinity where the reference is finite.', hintTier: 0 },
  { id: 'missing-export', explanation: 'The file does not export the function the kata asks for (check the name and `export`).', hintTier: 0 },
  { id: 'load-error', explanation: 'The file could not be loaded: it does not parse, or it throws while loading.', hintTier: 0 },
  { id: 'timeout', explanation: 'The code did not finish in time (an endless loop, or far too much work).', hintTier: 0 },
  { id: 'memory', explanation: 'The code tried to use more memory than the grader allows and was stopped (a huge tensor, or tensors kept in a loop?).', hintTier: 0 },
  { id: 'crash', explanation: 'The code threw an error or ended the grading process instead of returning a tensor.', hintTier: 0 },
];
