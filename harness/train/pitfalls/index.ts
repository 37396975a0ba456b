// The pitfall lab's catalogue: each classic Session B mistake, named by the grader's mistake id, trained from the grader's own fixture of it.
// Adding a pitfall: one entry here, naming a faulty fixture (grader/katas/<kata>/fixtures/faulty/) whose first line declares that mistake.

export interface TrainingPitfall {
  /** The grader's mistake id (grader/katas/<kata>/mistakes.ts). */
  mistake: string;
  /** The faulty fixture trained for it, relative to the project root: exactly that mistake, otherwise correct. */
  fixture: string;
  /** Which part of report.html shows it: the cheating mask, or the scale and softmax family. */
  section: 'cheats' | 'scale';
  title: string;
  /** What the code does, in a sentence or two; the report adds the measured numbers. */
  lesson: string;
}

const faulty = (kata: string, file: string) => `grader/katas/${kata}/fixtures/faulty/${file}.ts`;

export const TRAINING_PITFALLS: readonly TrainingPitfall[] = [
  {
    mistake: 'causal-mask/diagonal',
    fixture: faulty('causal-mask', 'diagonal--plus-one'),
    section: 'cheats',
    title: 'off-by-one causal mask',
    lesson:
      'The mask keeps j ≤ i + 1 (tf.linalg.bandPart(ones, -1, 1)) instead of j ≤ i, so every position also sees the token it is asked to predict. ' +
      'Training rewards copying it, and the loss falls far below anything an honest model reaches; when sampling, that next token does not exist yet.',
  },
  {
    mistake: 'attention/no-scale',
    fixture: faulty('attention', 'no-scale'),
    section: 'scale',
    title: 'no scale',
    lesson: 'The scores q·kᵀ are never divided by √d, so their spread grows with the head size and softmax can saturate.',
  },
  {
    mistake: 'attention/wrong-scale',
    fixture: faulty('attention', 'wrong-scale'),
    section: 'scale',
    title: 'scale by d instead of √d',
    lesson: 'The scores are divided by d, the head size, instead of √d: too small by another factor √d, so attention is flatter than it should be, closer to a plain average of the past.',
  },
  {
    mistake: 'attention/softmax-axis',
    fixture: faulty('attention', 'softmax-axis'),
    section: 'scale',
    title: 'softmax over the wrong axis',
    lesson:
      'Softmax normalises over the queries (axis −2) instead of the keys. tfjs refuses tf.softmax(x, -2) outright (the grader names that error); ' +
      'this attention.ts writes it out with exp and sum over axis −2, as PyTorch’s softmax(dim=-2) would. Each key’s column then sums to 1 over all later queries, so every weight depends on the future.',
  },
  {
    mistake: 'gpt/returns-probabilities',
    fixture: faulty('gpt', 'returns-probabilities'),
    section: 'scale',
    title: 'softmax on the logits (for contrast)',
    lesson: 'gpt returns softmax probabilities and the loss applies softmax again: every logit lies in [0, 1], so no prediction can be confident. This is the softmax mistake that stalls.',
  },
];

export interface SamplingVariant {
  label: string;
  /** The fixture whose generate is measured, or null for the reference's. */
  fixture: string | null;
}

/** gpt/generate-leak, the tfjs form of "forgot to detach": two leaky samplers beside the correct one. */
export const LEAK_PITFALL = {
  mistake: 'gpt/generate-leak',
  title: 'no disposal while sampling',
  lesson:
    'generate never calls tf.tidy or dispose, so every token leaves tensors behind: with a gpt that tidies itself, the context slice, the logits and the old sequence; ' +
    'with a gpt that does not, every activation of the forward pass as well. Nothing frees them until the process ends.',
  variants: [
    { label: 'correct generate (reference)', fixture: null },
    { label: 'leaky generate, tidy gpt', fixture: faulty('gpt', 'generate-leak') },
    { label: 'leaky generate, untidy gpt', fixture: faulty('gpt', 'generate-leak--untidy-gpt') },
  ] as readonly SamplingVariant[],
} as const;
