// The fitted LayerNorm ε, shared by the block and gpt katas: the ε that reproduces the learner's outputs, named
// against PyTorch's 1e-5 (and recognised when it is 1e-7, what tf.backend().epsilon() and Keras use).
import type { KnobFit } from '../../mistake.ts';

const near = (x: number, y: number) => Math.abs(Math.log10(x / y)) < 0.05;

export function epsFit<Knobs>(knobs: (eps: number) => Knobs): KnobFit<Knobs> {
  return {
    knobs,
    lo: 1e-13,
    hi: 1e-1,
    log: true,
    perProbe: false,
    describe(fits) {
      const eps = fits[0]!.x;
      const shown = eps.toExponential(1).replace(/\.0e/, 'e');
      const keras = near(eps, 1e-7) ? ' (1e-7 is what tf.backend().epsilon() returns and Keras’s default; the kata uses PyTorch’s)' : '';
      return `your LayerNorm’s ε is about ${shown}; it should be 1e-5${keras}`;
    },
  };
}
