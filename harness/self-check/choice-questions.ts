// Why causal masking, why several heads, why W_O: one right answer among plausible wrong ones, each explained; options shuffled per draw.
import { shuffled } from './pick.ts';
import type { ChoiceOption, Question } from './question.ts';

/** The pitfall lab's run whose mask lets every position see the next token. */
const SEES_THE_FUTURE_COMMAND = 'npm run experiments -- --pitfalls';

interface ChoiceSpec {
  id: string;
  prompt: string;
  right: Omit<ChoiceOption, 'right'>;
  wrong: Omit<ChoiceOption, 'right'>[];
  explanation: string;
}

const SPECS: readonly ChoiceSpec[] = [
  {
    id: 'why/causal-mask',
    prompt: 'Why does a decoder language model need the causal mask?',
    right: {
      text: 'One forward pass trains every position to predict its next token; unmasked, position t could read token t+1, its own answer.',
      why: 'Right: the mask is what makes the parallel training honest.',
    },
    wrong: [
      {
        text: 'Without it, attention scores over long sequences grow too large and the softmax overflows.',
        why: 'No: the size of the scores is what the √dₖ scale handles; the mask decides which positions may be seen, not how large scores get.',
      },
      {
        text: 'It saves compute: the masked half of the scores never has to be calculated.',
        why: 'No: the full T×T scores are computed and then set to −∞; here the mask costs work, it does not save it. It is there for correctness.',
      },
      {
        text: 'It stops each token from attending to itself, which would be a trivial copy.',
        why: 'No: the causal mask keeps the diagonal (tril includes it); a token attends to itself and the past. Only the future is hidden.',
      },
    ],
    explanation:
      'Training scores all T next-token predictions of a sequence at once. If any position can see a later token, it can copy its target: the loss falls without the model ' +
      `learning to predict, and sampling, where the future does not exist yet, falls apart. Watch it happen: ${SEES_THE_FUTURE_COMMAND} trains the "off-by-one causal mask" ` +
      'model, which sees one token ahead; its loss drops far below any honest model\'s and its samples are garbage.',
  },
  {
    id: 'why/heads',
    prompt: 'Why several heads instead of one attention over the full d_model?',
    right: {
      text: 'Each head computes its own softmax weights, so one layer can attend to different positions for different purposes at once.',
      why: 'Right: one softmax gives one weighting of the past per query; h heads give h independent weightings.',
    },
    wrong: [
      {
        text: 'Several heads have more parameters, so the layer can store more.',
        why: 'No: splitting d_model into h heads of d_model/h uses the same wqkv and wo, 4d² + d either way; the heads add no parameters.',
      },
      {
        text: 'Heads are needed so that the computation fits on a GPU: one big attention would not.',
        why: 'No: the heads run as one batched matmul over the same d_model columns; the work is the same as one head of width d_model.',
      },
      {
        text: 'Head 1 is built to attend to syntax and head 2 to semantics; the architecture assigns the roles.',
        why: 'No: nothing in the architecture assigns a role. "Head 1 attends to syntax" describes what one head learned to do; every head has the same form.',
      },
    ],
    explanation:
      'A single softmax averages values with one set of weights per query, so it must compromise between, say, the previous word and the subject of the sentence. ' +
      'Splitting into h heads gives h separate softmaxes over h separate d_head-wide subspaces, at the same parameter count and the same cost. ' +
      '"Head 1 attends to syntax, head 2 to semantics" is what heads are observed to learn, not something the architecture prescribes.',
  },
  {
    id: 'why/wo',
    prompt: 'Why is the output projection W_O needed? Could we not just concatenate the heads?',
    right: {
      text: 'Concatenation only places each head\'s output in its own block of columns; W_O mixes the heads and maps the result back into the residual stream\'s basis.',
      why: 'Right: without W_O, each head writes to its own fixed slice of d_model and no head\'s output can reach the other columns.',
    },
    wrong: [
      {
        text: 'Concatenating the heads gives the wrong shape; W_O converts it back to d_model.',
        why: 'No: h heads of d_model/h concatenate to exactly d_model, the residual stream\'s width. The shape is already right; W_O is there to mix, not to reshape.',
      },
      {
        text: 'W_O applies the non-linearity that attention lacks.',
        why: 'No: W_O is linear. The non-linearities in a block are the softmax and the MLP\'s activation.',
      },
      {
        text: 'It normalises the heads\' outputs so that their sum stays bounded.',
        why: 'No: normalisation is LayerNorm\'s job (before the attention in a pre-norm block); W_O is a learned linear map, not a normaliser.',
      },
    ],
    explanation:
      'The concatenated heads sit side by side: head i only ever fills columns i·d_head to (i+1)·d_head. W_O (with bo) is a learned d_model × d_model map that lets every head\'s ' +
      'output contribute to every column of the residual stream and combine with the others; it is also where the multi-head sum Σᵢ headᵢ W_Oᵢ of the paper lives.',
  },
];

export function choiceQuestions(rand: () => number): Question[] {
  return SPECS.map((s) => ({
    kind: 'choice',
    id: s.id,
    topic: 'Why the design',
    prompt: s.prompt,
    options: shuffled(rand, [{ ...s.right, right: true }, ...s.wrong.map((w) => ({ ...w, right: false }))]),
    explanation: s.explanation,
  }));
}
