// The self-check's questions as data: what is asked, the exact answer, and the explanation shown when an answer is wrong.

/** One option of a multiple-choice question, with why it is right or wrong. */
export interface ChoiceOption {
  text: string;
  right: boolean;
  /** Shown when this option is picked (and, for the right one, after any wrong pick). */
  why: string;
}

interface QuestionBase {
  /** Stable within a draw, e.g. "shape/scores"; kept in the history with each answer. */
  id: string;
  /** The topic the question belongs to, for the screen's heading. */
  topic: 'Shape arithmetic' | 'Parameter counts' | 'Why √dₖ' | 'Why the design';
  prompt: string;
  /** The whole explanation, shown after a wrong answer (and after the √dₖ question, with the measurement). */
  explanation: string;
}

export type Question =
  | (QuestionBase & { kind: 'shape'; answer: readonly number[] })
  | (QuestionBase & { kind: 'number'; answer: number })
  /** A polynomial in d_model: coefficients by degree, [constant, d, d², ...]. */
  | (QuestionBase & { kind: 'polynomial'; answer: readonly number[] })
  | (QuestionBase & { kind: 'choice'; options: readonly ChoiceOption[] });

/** How an input was judged: right or wrong (counted), or not readable as an answer (asked again, not counted). */
export type Verdict = { kind: 'right'; shown: string } | { kind: 'wrong'; shown: string; why: string } | { kind: 'unreadable'; message: string };
