// The mark on every output of a train:mine --anyway run: the trained gpt.ts fails the grader, and with which mistakes.

export function failsGraderMark(mistakes: readonly string[]): string {
  return `this gpt.ts FAILS the grader (mistakes: ${mistakes.length ? mistakes.join(', ') : 'none named; see npm run grade'})`;
}
