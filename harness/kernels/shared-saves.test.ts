// Saved tensors sharing buffers: gradients as on the cpu backend, no Identity call per save, no leak, and a gradient
// of a gradient still right (it keeps tfjs's copies).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, runOn, seeded } from './test-support/cpu-oracle.ts';
import { registerWasmKernels } from './index.ts';

beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmKernels({ blas: false });
});

/** A pre-norm block in miniature over variables: LayerNorm, matmuls, ReLU, a masked softmax and a residual. */
function blockLoss(x: tf.Tensor2D, w1: tf.Variable, w2: tf.Variable, gamma: tf.Variable): tf.Scalar {
  const centred = x.sub(x.mean(-1, true));
  const normed = centred.div(centred.square().mean(-1, true).add(1e-5).sqrt()).mul(gamma);
  const h = tf.relu(normed.matMul(w1)).matMul(w2);
  const future = tf.tensor2d(Array.from({ length: 36 }, (_, i) => (i % 6 > Math.floor(i / 6) ? -1e9 : 0)), [6, 6]);
  const scores = tf.softmax(h.matMul(x, false, true).add(future));
  return x.add(scores.matMul(h)).square().mean<tf.Scalar>();
}

type BlockVars = readonly [tf.Variable, tf.Variable, tf.Variable];
const blockVars = (): BlockVars => [tf.variable(tf.tensor2d(seeded(2, 8 * 16), [8, 16])),
  tf.variable(tf.tensor2d(seeded(3, 16 * 8), [16, 8])), tf.variable(tf.tensor1d(seeded(4, 8)))];

/** The loss and its gradients with respect to `vars`. */
function lossAndGrads(vars: BlockVars): tf.Tensor[] {
  const x = tf.tensor2d(seeded(1, 6 * 8), [6, 8]);
  const { value, grads } = tf.variableGrads(() => blockLoss(x, ...vars), [...vars]);
  x.dispose();
  return [value, ...vars.map((v) => grads[v.name]!)];
}

function gradsOfBlock(): tf.Tensor[] {
  const vars = blockVars();
  const out = lossAndGrads(vars);
  vars.forEach((v) => v.dispose());
  return out;
}

describe('tensors saved for the backward pass on wasm', () => {
  it('give the cpu backend\'s loss and gradients', async () => {
    const cpu = await runOn('cpu', gradsOfBlock);
    const wasm = await runOn('wasm', gradsOfBlock);
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-5);
  });

  it('are not copied through an Identity kernel, and all are freed after the gradient', async () => {
    await tf.setBackend('wasm');
    const vars = blockVars();
    const before = tf.memory();
    const profile = await tf.profile(() => {
      tf.dispose(lossAndGrads(vars));
      return [];
    });
    const after = tf.memory() as tf.MemoryInfo & { numDataBuffers: number };
    vars.forEach((v) => v.dispose());
    expect(profile.kernelNames).not.toContain('Identity'); // tfjs's own saves make one Identity call each
    expect(profile.kernelNames).toContain('BatchMatMul'); // the profile did see the step
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    expect(after.numDataBuffers).toBe((before as typeof after).numDataBuffers);
  });

  it('keep a variable readable after its saved copy is freed', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
    const { grads } = tf.variableGrads(() => w.matMul(w).sum<tf.Scalar>(), [w]);
    tf.dispose(grads);
    expect(w.arraySync()).toEqual([[1, 2], [3, 4]]);
    w.dispose();
  });

  it('still carry a gradient of a gradient, as on the cpu backend', async () => {
    // d²/dx² of sum(x³ · sin x): the inner gradient's own saves must flow back to x
    const second = () => {
      const x = tf.tensor1d([0.3, -1.2, 2.0]);
      return [tf.grad((y: tf.Tensor) => tf.grad((z: tf.Tensor) => z.pow(3).mul(z.sin()).sum())(y).sum())(x)];
    };
    const cpu = await runOn('cpu', second);
    const wasm = await runOn('wasm', second);
    expect(maxAbsDiff(cpu, wasm)).toBeLessThan(1e-4);
  });
});

describe('tensors saved only for their shape on wasm', () => {
  /** Whether the wasm backend still holds a buffer for the tensor's data. */
  const held = (t: tf.Tensor) => (tf.backend() as unknown as { dataIdMap: { has(id: object): boolean } }).dataIdMap.has(t.dataId);

  it('hold no buffer: the forward pass frees a residual once done with it, and the gradients are unchanged', async () => {
    await tf.setBackend('wasm');
    const w = tf.variable(tf.tensor2d(seeded(7, 8 * 8), [8, 8]));
    const x = tf.tensor2d(seeded(8, 4 * 8), [4, 8]);
    let residual: tf.Tensor | undefined;
    let heldAfterForward = true;
    const { value, grads } = tf.variableGrads(() => {
      const out = tf.tidy(() => {
        residual = x.matMul(w); // saved by Add (its shape) and by nothing that reads its values
        return residual.add(x.square().mean(-1, true)).reshape([32]).slice([4], [20]).sum<tf.Scalar>();
      });
      heldAfterForward = held(residual!);
      return out;
    }, [w]);
    expect(heldAfterForward).toBe(false); // only stand-ins keep its shape; its buffer went back to the heap
    const got = [value, grads[w.name]!].map((t) => Array.from(t.dataSync()));
    tf.dispose([value, ...Object.values(grads)]);
    const expected = await runOn('cpu', () => {
      const wc = tf.variable(tf.tensor2d(seeded(7, 8 * 8), [8, 8]));
      const xc = tf.tensor2d(seeded(8, 4 * 8), [4, 8]);
      const r = tf.variableGrads(() => {
        const h = xc.matMul(wc);
        return h.add(xc.square().mean(-1, true)).reshape([32]).slice([4], [20]).sum<tf.Scalar>();
      }, [wc]);
      wc.dispose();
      return [r.value, r.grads[wc.name]!];
    });
    await tf.setBackend('wasm');
    expect(maxAbsDiff(expected, got)).toBeLessThan(1e-5);
    tf.dispose([w, x]);
  });

  it('keep the real buffer for a gradient registered later that reads the values', async () => {
    await tf.setBackend('wasm');
    const tfjsAdd = tf.getGradient(tf.Add);
    // d(a + b)/da taken as a·dy: wrong on purpose, but it reads a's values, so a must be saved for real
    tf.registerGradient({ kernelName: tf.Add, inputsToSave: ['a', 'b'], gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return { a: () => (dy as tf.Tensor).mul(a), b: () => tf.zerosLike(b) };
    } });
    try {
      const w = tf.variable(tf.tensor1d([2, 3]));
      const { grads } = tf.variableGrads(() => tf.tidy(() => w.mul(5).add(tf.tensor1d([1, 1])).sum<tf.Scalar>()), [w]);
      expect(Array.from(grads[w.name]!.dataSync())).toEqual([50, 75]); // 5·(5w): a's values, not a stand-in's
      tf.dispose([w, ...Object.values(grads)]);
    } finally {
      tf.registerGradient(tfjsAdd);
    }
  });
});
