// The parameter questions agree with the model the trainer builds: the same tensors, the same count npm run train prints.
import { describe, expect, it } from 'vitest';
import type { GPTConfig } from '../../katas/contracts.ts';
import { initGPTParams } from '../train/init-params.ts';
import { countParams, disposeParams } from '../train/param-tree.ts';
import { checkAnswer } from './check-answer.ts';
import { gptParamCensus } from './gpt-param-census.ts';
import { attentionPolynomial, paramQuestions } from './param-questions.ts';

describe('parameter counts', () => {
  it('states our contract\'s attention layer as 4d² + d: wqkv has no bias; 4d² + 4d (biases on q, k, v) is marked wrong', () => {
    expect(attentionPolynomial(gptParamCensus)).toEqual([0, 1, 4]);
    const [attention] = paramQuestions({ vocabSize: 65, blockSize: 32, nEmbd: 64, nHead: 4, nLayer: 2, activation: 'relu' }, gptParamCensus);
    expect(checkAnswer(attention!, '4d^2 + d').kind).toBe('right');
    const paper = checkAnswer(attention!, '4d^2 + 4d');
    expect(paper.kind).toBe('wrong');
    if (paper.kind === 'wrong') expect(paper.why).toContain('no bias');
  });

  it('expects for a whole GPT exactly the parameters the trainer creates for that configuration', () => {
    const cfg: GPTConfig = { vocabSize: 65, blockSize: 64, nEmbd: 96, nHead: 4, nLayer: 3, activation: 'relu' };
    const params = initGPTParams(cfg, 7);
    const built = countParams(params);
    disposeParams(params);
    const [, block, gpt] = paramQuestions(cfg, gptParamCensus);
    expect(gpt!.kind === 'number' && gpt!.answer).toBe(built);
    // One block at d = 96: ln1 192 + attention 4·96² + 96 + ln2 192 + MLP 8·96² + 5·96.
    expect(block!.kind === 'number' && block!.answer).toBe(12 * 96 * 96 + 10 * 96);
  });
});
