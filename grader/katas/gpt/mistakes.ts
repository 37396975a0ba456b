// Known mistakes in kata 5, the whole GPT and its generate.
import type { GPTKnobs } from './oracle.ts';
import type { Mistake } from '../../mistake.ts';
import { epsFit } from '../block/eps-fit.ts';

export const gptMistakes: Mistake<GPTKnobs>[] = [
  { id: 'gpt/no-position', explanation: 'No position embeddings are added: x must be wte[idx] + wpe[0..T−1].', hintTier: 1, variants: [{ position: 'none' }] },
  { id: 'gpt/position-offset', explanation: 'The wrong rows of wpe are added: position t uses wpe[t], starting at 0.', hintTier: 1, variants: [{ position: 'offset-one' }, { position: 'last-rows' }] },
  { id: 'gpt/no-final-layernorm', explanation: 'The final LayerNorm (lnF) before the head is missing.', hintTier: 1, variants: [{ finalLayerNorm: false }] },
  {
    id: 'gpt/layernorm-eps',
    explanation: 'A LayerNorm’s ε is wrong: every LayerNorm (ln1, ln2 in each block, and lnF) uses 1e-5 inside the square root, as PyTorch does.',
    hintTier: 1,
    variants: [
      { layerNorm: { epsPlacement: 'outside' } },
      { layerNorm: { eps: 0 } },
      { finalLayerNormKnobs: { epsPlacement: 'outside' } },
      { finalLayerNormKnobs: { eps: 0 } },
    ],
    fit: [epsFit((eps) => ({ layerNorm: { eps } })), epsFit((eps) => ({ finalLayerNormKnobs: { eps } }))],
  },
  { id: 'gpt/returns-probabilities', explanation: 'gpt returns softmax probabilities; it must return raw logits (the loss and sampling apply softmax).', hintTier: 1, variants: [{ output: 'probabilities' }] },
  { id: 'gpt/tied-head', explanation: 'The logits use wteᵀ (tied weights) and ignore head.w and head.b; this contract has its own head.', hintTier: 1, variants: [{ head: 'tied' }] },
  { id: 'gpt/logits-flat', explanation: 'gpt returns the logits flattened to [B*T, V]; reshape them back to [B, T, V] before returning.', hintTier: 1, variants: [{ output: 'flat' }] },
  {
    id: 'gpt/fixed-size-mask',
    explanation: 'The causal mask works only up to a fixed size (a tril precomputed at, say, 8×8 and sliced to T); build it for the T of the input, which can be up to cfg.blockSize, whatever that is.',
    hintTier: 1,
  },
  { id: 'gpt/gradients', explanation: 'The gradients do not match the reference, so this gpt would not train correctly.', hintTier: 1 },
  { id: 'gpt/generate-leak', explanation: 'generate leaks tensors on every token; wrap each step in tf.tidy or dispose what you create.', hintTier: 3 },
  { id: 'gpt/generate-no-crop', explanation: 'generate feeds the whole sequence; crop the context to the last blockSize tokens.', hintTier: 2 },
  { id: 'gpt/generate-wrong-position', explanation: 'generate samples from the wrong position’s logits; use the last position.', hintTier: 2 },
  {
    id: 'gpt/generate-prompt-only',
    explanation: 'Every step predicts from the original prompt, so the tokens already generated are never fed back; feed the growing sequence (cropped to blockSize) each step.',
    hintTier: 2,
  },
  { id: 'gpt/generate-crop-size', explanation: 'generate crops the context to the wrong number of tokens (nEmbd?); keep the last cfg.blockSize tokens.', hintTier: 2 },
  {
    id: 'gpt/generate-shared-sample',
    explanation: 'Every row gets the token sampled for row 0; each row must sample from its own distribution (tf.multinomial on [B, V] logits draws one token per row).',
    hintTier: 2,
  },
  { id: 'gpt/generate-zero-temperature', explanation: 'Temperature 0 is not special-cased: dividing by 0 breaks sampling; take the argmax instead.', hintTier: 2 },
  { id: 'gpt/generate-greedy', explanation: 'generate takes the argmax even at temperature > 0; it must sample (argmax only at temperature 0).', hintTier: 2 },
  { id: 'gpt/generate-temperature', explanation: 'Temperature is applied wrongly: divide the logits by the temperature before softmax.', hintTier: 2 },
  { id: 'gpt/generate-softmax-twice', explanation: 'Softmax is applied twice (softmax, then a sampler that expects logits), flattening the distribution.', hintTier: 2 },
  { id: 'gpt/generate-crop-wrong-end', explanation: 'generate crops the context from the wrong end, keeping the first blockSize tokens; keep the last ones: the most recent tokens.', hintTier: 2 },
  {
    id: 'gpt/generate-position-uncropped',
    explanation: 'generate reads the last position from the uncropped length T; the logits of a cropped context have only min(T, blockSize) positions: index with the context’s own length.',
    hintTier: 2,
  },
  { id: 'gpt/generate-fixed-seed', explanation: 'A fixed seed is passed to the sampler (tf.multinomial’s third argument), so every call draws the same sample; leave the seed out.', hintTier: 2 },
  { id: 'gpt/generate-temperature-twice', explanation: 'The temperature is applied twice (logits / T / T), which sharpens or flattens the distribution too much; divide by it once.', hintTier: 2 },
  { id: 'gpt/generate-default-temperature', explanation: 'generate’s temperature defaults to something other than 1: called without one, it must sample from softmax(logits).', hintTier: 2 },
];
