// The census behind the parameter questions: builds the parameters exactly as the trainer does (initGPTParams), lists them, frees them.
import * as tf from '@tensorflow/tfjs';
import type { GPTConfig } from '../../katas/contracts.ts';
import { quietCpuBanner } from '../../grader/tfjs/quiet-cpu-banner.ts';
import { initGPTParams } from '../train/init-params.ts';
import { disposeParams, flattenParams } from '../train/param-tree.ts';
import type { ParamTensor } from './param-questions.ts';

export function gptParamCensus(cfg: GPTConfig): ParamTensor[] {
  // The kata app draws on this terminal: tfjs's banner would land in the middle of it. The engine picks its backend
  // first (creating the cpu backend afresh), then the banner is silenced on the instance it will use.
  if (!tf.engine().backend) throw new Error('tfjs has no backend to build the parameters on');
  quietCpuBanner();
  const params = initGPTParams(cfg, 0);
  try {
    return flattenParams(params).map((p) => ({ name: p.name, shape: [...p.variable.shape] }));
  } finally {
    disposeParams(params);
  }
}
