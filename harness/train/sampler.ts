// Sampling from a saved run: rebuild the model from OUT/checkpoint and continue a prompt with the model's generate.
import * as tf from '@tensorflow/tfjs';
import type { Generate } from '../../katas/contracts.ts';
import { CharTokenizer } from '../../datasets/char-tokenizer.ts';
import { bigramGenerate, initBigramParams } from './bigram.ts';
import { assignWeights, loadCheckpoint } from './checkpoint.ts';
import { initGPTParams } from './init-params.ts';
import { disposeParams, flattenParams } from './param-tree.ts';
import { UserError } from '../../grader/user-error.ts';

export interface SampleOptions {
  chars: number;
  temperature: number;
  /** Text to continue; every character must be in the run's vocabulary. Default: a newline. */
  prompt: string;
}

/** Returns the prompt followed by `chars` sampled characters. `generate` is the GPT's sampler (ignored for a bigram run). */
export async function sampleRun(out: string, opts: SampleOptions, generate: Generate): Promise<string> {
  const ck = loadCheckpoint(out);
  tf.dispose(Object.values(ck.optimizer.tensors));
  const tok = new CharTokenizer(ck.meta.vocab);
  const prompt = opts.prompt;
  if (!tok.canEncode(prompt)) {
    const bad = [...prompt].find((c) => !tok.canEncode(c))!;
    tf.dispose(Object.values(ck.weights));
    throw new UserError(`--prompt: the character ${JSON.stringify(bad)} is not in this run's vocabulary (${tok.chars.join('').replace(/\n/g, '\\n')})`, { kind: 'usage' });
  }
  const cfg = ck.meta.model.config;
  const params = ck.meta.model.kind === 'gpt' ? initGPTParams(cfg, 0) : initBigramParams(cfg.vocabSize);
  try {
    assignWeights(flattenParams(params), ck.weights);
    const start = prompt.length ? tok.encode(prompt) : new Int32Array([0]);
    const context = start.slice(-cfg.blockSize); // generate crops anyway; keep the tensor small
    const idx = tf.tensor2d(context, [1, context.length], 'int32');
    const outIds = (
      ck.meta.model.kind === 'gpt'
        ? generate(idx, params as ReturnType<typeof initGPTParams>, cfg, opts.chars, opts.temperature)
        : bigramGenerate(idx, params as ReturnType<typeof initBigramParams>, opts.chars, opts.temperature)
    );
    const ids = Array.from(await outIds.data()).slice(context.length);
    tf.dispose([idx, outIds]);
    return prompt + tok.decode(ids);
  } finally {
    tf.dispose(Object.values(ck.weights));
    disposeParams(params);
  }
}
