// The pitfall lab's catalogue: each classic Session B mistake, named by the grader's mistake id, with what it teaches.
// Adding a pitfall: add its fault to faulty-gpt.ts (or a generate beside leaky-generate.ts), then one entry here.
import type { Generate } from '../../../katas/contracts.ts';
import { generate, gpt } from '../../../grader/katas/gpt/reference.ts';
import type { ForwardFault } from './faulty-gpt.ts';
import { untidyGpt } from './faulty-gpt.ts';
import { leakyGenerate } from './leaky-generate.ts';

export interface TrainingPitfall {
  /** The grader's mistake id (grader/katas/<kata>/mistakes.ts), which is also the fault switched on in faulty-gpt.ts. */
  mistake: ForwardFault;
  /** Which part of report.html shows it: the cheating mask, or the scale and softmax family. */
  section: 'cheats' | 'scale';
  title: string;
  /** What the code does, in a sentence or two; the report adds the measured numbers. */
  lesson: string;
}

export const TRAINING_PITFALLS: readonly TrainingPitfall[] = [
  {
    mistake: 'causal-mask/diagonal',
    section: 'cheats',
    title: 'off-by-one causal mask',
    lesson:
      'The mask keeps j ≤ i + 1 (tf.linalg.bandPart(ones, -1, 1)) instead of j ≤ i, so every position also sees the token it is asked to predict. ' +
      'Training rewards copying it, and the loss falls far below anything an honest model reaches; when sampling, that next token does not exist yet.',
  },
  {
    mistake: 'attention/no-scale',
    section: 'scale',
    title: 'no scale',
    lesson: 'The scores q·kᵀ are never divided by √d, so their spread grows with the head size and softmax can saturate.',
  },
  {
    mistake: 'attention/wrong-scale',
    section: 'scale',
    title: 'scale by C instead of √d',
    lesson: 'The scores are divided by C, the model width, instead of √d, the head size: far too small, so attention stays close to a plain average of the past.',
  },
  {
    mistake: 'attention/softmax-axis',
    section: 'scale',
    title: 'softmax over the wrong axis',
    lesson:
      'Softmax normalises over the queries (axis −2) instead of the keys. tfjs refuses tf.softmax(x, -2) outright (the grader names that error); ' +
      'the lab computes it the way PyTorch would, by transposing. Each key’s column then sums to 1 over all later queries, so every weight depends on the future.',
  },
  {
    mistake: 'gpt/returns-probabilities',
    section: 'scale',
    title: 'softmax on the logits (for contrast)',
    lesson: 'gpt returns softmax probabilities and the loss applies softmax again: every logit lies in [0, 1], so no prediction can be confident. This is the softmax mistake that stalls.',
  },
];

export interface SamplingVariant {
  label: string;
  generate: Generate;
}

/** gpt/generate-leak, the tfjs form of "forgot to detach": two leaky samplers beside the correct one. */
export const LEAK_PITFALL = {
  mistake: 'gpt/generate-leak',
  title: 'no disposal while sampling',
  lesson:
    'generate never calls tf.tidy or dispose, so every token leaves tensors behind: with a gpt that tidies itself, the context slice, the logits and the old sequence; ' +
    'with a gpt that does not, every activation of the forward pass as well. Nothing frees them until the process ends.',
  variants: [
    { label: 'correct generate (reference)', generate },
    { label: 'leaky generate, tidy gpt', generate: leakyGenerate(gpt) },
    { label: 'leaky generate, untidy gpt', generate: leakyGenerate(untidyGpt) },
  ] as readonly SamplingVariant[],
} as const;
