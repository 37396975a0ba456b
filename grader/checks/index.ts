// Every kata's check suite, by kata id. Adding a kata adds its suite here.
import type { KataId } from '../report.ts';
import type { KataSuite } from './suite.ts';
import { attentionSuite } from './attention.ts';
import { multiHeadSuite } from './multi-head.ts';
import { causalMaskSuite } from './causal-mask.ts';
import { blockSuite } from './block.ts';
import { gptSuite } from './gpt.ts';

export const SUITES: Record<KataId, KataSuite> = {
  attention: attentionSuite,
  'multi-head': multiHeadSuite,
  'causal-mask': causalMaskSuite,
  block: blockSuite,
  gpt: gptSuite,
};
