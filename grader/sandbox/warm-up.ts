// Runs the tfjs kernels that learners' attention, blocks and GPTs use, forward and backward, a few dozen times in a
// fresh grading child before any learner code loads, so that the first grading does not pay for V8 compiling them.
import * as tf from '@tensorflow/tfjs';

/** Times the small model below runs; enough for V8 to optimise the kernels' inner loops. */
const ROUNDS = 40;

/** Deterministic filler values: they need only be finite and not all equal. */
const values = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + k) * 0.5);

/** One pre-norm block over [B, T, C] in the styles learners write (fused qkv, split heads, masked softmax, GELU). */
function block(x: tf.Tensor3D, w: tf.Tensor2D[], nHead: number): tf.Tensor3D {
  const [B, T, C] = x.shape;
  const d = C / nHead;
  const norm = (t: tf.Tensor) => {
    const { mean, variance } = tf.moments(t, -1, true);
    return t.sub(mean).div(variance.add(1e-5).sqrt());
  };
  const qkv = tf.matMul(norm(x).reshape([B * T, C]), w[0]!).reshape([B, T, 3, nHead, d]);
  const [q, k, v] = tf.unstack(qkv.transpose([2, 0, 3, 1, 4])) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const tril = tf.linalg.bandPart(tf.ones([T, T]), -1, 0);
  const scores = tf.where(tril.equal(0), tf.fill([B, nHead, T, T], -1e9), tf.matMul(q, k, false, true).div(Math.sqrt(d)));
  const y = tf.matMul(tf.softmax(scores), v).transpose([0, 2, 1, 3]).reshape([B, T, C]);
  const h = x.add(y.matMul(w[1]!));
  const hidden = norm(h).matMul(w[2]!);
  const gelu = hidden.mul(0.5).mul(tf.erf(hidden.div(Math.SQRT2)).add(1)).add(tf.relu(hidden).mul(0));
  const [a, b] = tf.split<tf.Tensor3D>(gelu.matMul(w[3]!), 2, -1);
  return h.add(tf.concat<tf.Tensor3D>([a!, b!], -1));
}

export function warmUp(): void {
  const before = tf.memory().numTensors;
  const [B, T, C, V, nHead] = [2, 3, 4, 5, 2];
  const shapes: [number, number][] = [
    [C, 3 * C],
    [C, C],
    [C, 4 * C],
    [4 * C, C],
  ];
  const weights = shapes.map(([r, c], k) => tf.tensor2d(values(r * c, k), [r, c]));
  const wte = tf.tensor2d(values(V * C, 9), [V, C]);
  const head = tf.tensor2d(values(C * V, 10), [C, V]);
  const idx = tf.tensor2d([1, 2, 3, 0, 4, 1], [B, T], 'int32');
  const grads = tf.grads((...ws: tf.Tensor[]) => block(tf.gather(ws[4]!, idx).reshape([B, T, C]), ws.slice(0, 4) as tf.Tensor2D[], nHead).sum());
  for (let round = 0; round < ROUNDS; round++) {
    tf.tidy(() => {
      const logits = block(tf.gather(wte, idx).reshape([B, T, C]), weights, nHead).matMul(head);
      const last = logits.slice([0, T - 1, 0], [B, 1, V]).squeeze<tf.Tensor2D>([1]);
      tf.concat([idx, tf.multinomial(last.div<tf.Tensor2D>(0.5), 1).cast('int32'), last.argMax(-1).expandDims(1).cast('int32')], 1).dataSync();
      grads([...weights, wte]).forEach((g) => g.dataSync());
    });
  }
  tf.dispose([...weights, wte, head, idx]);
  if (tf.memory().numTensors !== before) throw new Error('the grading child warm-up left tensors behind (a grader bug)');
}
