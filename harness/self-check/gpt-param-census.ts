// The census behind the parameter questions: builds the parameters exactly as the trainer does (initGPTParams), lists them, frees them.
import type { GPTConfig } from '../../katas/contracts.ts';
import { initGPTParams } from '../train/init-params.ts';
import { disposeParams, flattenParams } from '../train/param-tree.ts';
import type { ParamTensor } from './param-questions.ts';

export function gptParamCensus(cfg: GPTConfig): ParamTensor[] {
  const params = initGPTParams(cfg, 0);
  try {
    return flattenParams(params).map((p) => ({ name: p.name, shape: [...p.variable.shape] }));
  } finally {
    disposeParams(params);
  }
}
