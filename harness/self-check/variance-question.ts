// Why √dₖ, part one: predict the variance of q·k for unit-normal entries at a drawn dₖ (the measurement that follows is saturation.ts).
import { pick } from './pick.ts';
import type { Question } from './question.ts';

export function varianceQuestion(rand: () => number): Question {
  const dk = pick(rand, [16, 32, 48, 64, 96, 128, 256, 512]);
  return {
    kind: 'number',
    id: 'sqrt-dk/variance',
    topic: 'Why √dₖ',
    prompt: `q and k each have dₖ = ${dk} entries, every entry drawn independently from N(0, 1). What is the variance of the dot product q · k?`,
    answer: dk,
    explanation:
      `q · k = Σᵢ qᵢkᵢ is a sum of dₖ independent terms, each with mean 0 and variance E[qᵢ²]·E[kᵢ²] = 1, so its variance is dₖ = ${dk} ` +
      `(standard deviation √${dk} ≈ ${Math.sqrt(dk).toFixed(1)}). Dividing the scores by √dₖ brings the variance back to 1 at every head size, ` +
      'so the softmax does not saturate as dₖ grows; the measurement below shows what happens without it.',
  };
}
