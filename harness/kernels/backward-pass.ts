// tfjs's first-order backward pass, freeing each gradient and each saved tensor once the pass is past its last use.
//
// tfjs's own engine.gradients keeps every tensor the backward pass makes, and every tensor the forward pass saved for
// it, until the whole pass ends: a baby training step held 208 MB on the wasm heap at its end, and every kernel of the
// backward pass wrote to memory no kernel had touched yet in that step. Here the gradient flowing into an op's
// outputs is freed as soon as that op's gradient has run (nothing else reads it), and so are the tensors the op saved;
// the memory goes back to the heap while the pass runs, and the kernels after reuse it while it is still in cache.
// The gradients themselves are computed exactly as tfjs computes them: the same gradient functions, in the same
// order, summed in the same order. A gradient of a gradient (a tape inside a tape) keeps tfjs's own pass.
import * as tf from '@tensorflow/tfjs';

/** An op on tfjs's tape: its tensors by input name, its outputs, what it saved, and its gradient. */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: tf.Tensor[]) => Record<string, () => tf.Tensor>;
}

/** The slice of tfjs's Engine this touches. */
interface EngineGradients {
  state: { gradientDepth: number; activeTape: TapeNode[] | null; activeScope: { id: number } | null };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  tidy<T extends tf.TensorContainer>(nameOrFn: string | (() => T), fn?: () => T): T;
  gradients<T extends tf.Tensor>(f: () => T, xs: tf.Tensor[], dy?: T, allowNoGradients?: boolean):
    { value: T; grads: tf.Tensor[] };
}

/** A tensor as tfjs's engine tracks it: the scope it was made in, and whether tf.keep exempted it from scopes. */
type Tracked = tf.Tensor & { scopeId?: number; kept?: boolean };

const MARK = Symbol.for('gpt-kata.backward-pass');

/**
 * The ops that lie on a path from one of xs to y, each with only those inputs that depend on xs (the inputs whose
 * gradient is asked for); in tape order.
 */
function opsFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      nodesFromX.add(node.id);
      for (const o of node.outputs) fromX.add(o.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    const inputs = Object.values(node.inputs);
    if (inputs.length > 0 && node.outputs.some((o) => toY.has(o.id))) {
      nodesToY.add(node.id);
      for (const t of inputs) toY.add(t.id);
    }
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({
      ...node,
      inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, t]) => fromX.has(t.id))),
    }));
}

/**
 * The gradients flowing into tensors, by tensor id, and how many entries hold each tensor object (a gradient function
 * may pass its dy straight through, so one tensor can be the gradient of two).
 */
class GradientMap {
  private readonly byId = new Map<number, tf.Tensor>();
  private readonly holders = new Map<tf.Tensor, number>();

  get(id: number): tf.Tensor | undefined {
    return this.byId.get(id);
  }

  set(id: number, t: tf.Tensor): void {
    const old = this.byId.get(id);
    if (old === t) return;
    if (old) this.release(old);
    this.byId.set(id, t);
    this.holders.set(t, (this.holders.get(t) ?? 0) + 1);
  }

  /** Drops the entry for id; returns its tensor if no other entry holds it. */
  take(id: number): tf.Tensor | undefined {
    const t = this.byId.get(id);
    if (!t) return undefined;
    this.byId.delete(id);
    return this.release(t) ? t : undefined;
  }

  held(t: tf.Tensor): boolean {
    return this.holders.has(t);
  }

  private release(t: tf.Tensor): boolean {
    const n = (this.holders.get(t) ?? 1) - 1;
    if (n > 0) {
      this.holders.set(t, n);
      return false;
    }
    this.holders.delete(t);
    return true;
  }
}

/** Installs the freeing backward pass on tfjs's engine (once); every backend, first-order gradients only. */
export function freeDuringBackward(): void {
  const engine = tf.engine() as unknown as EngineGradients & Record<symbol, boolean>;
  if (engine[MARK]) return;
  const tfjsGradients = engine.gradients.bind(engine);
  engine.gradients = <T extends tf.Tensor>(f: () => T, xs: tf.Tensor[], dy?: T, allowNoGradients = false) => {
    if (engine.state.gradientDepth !== 0 || xs.length === 0 || (dy != null && dy.dtype !== 'float32')) {
      return tfjsGradients(f, xs, dy, allowNoGradients); // nested tapes, and tfjs's own argument errors
    }
    /** After a throw: the scopes took the scratch with them, but what the forward pass saved is kept; free it. */
    const dropTape = () => {
      for (const node of engine.state.activeTape ?? []) for (const s of node.saved ?? []) s.dispose();
      engine.state.activeTape = null;
    };
    const firstId = (engine.constructor as unknown as { nextTensorId: number }).nextTensorId; // tensors f() makes get ids from here
    let y: T | undefined;
    try {
      y = engine.scopedRun(() => engine.startTape(), () => engine.endTape(), () => engine.tidy('forward', f));
      return backward(y, xs, dy, allowNoGradients);
    } catch (e) {
      dropTape();
      if (y instanceof tf.Tensor && y.id >= firstId) y.dispose(); // made by f(), and returned only with its gradients
      throw e;
    }
  };
  /** The backward pass from y, freeing as it goes; the tape is the one f() just recorded. */
  function backward<T extends tf.Tensor>(y: T, xs: tf.Tensor[], dy: T | undefined, allowNoGradients: boolean): { value: T; grads: tf.Tensor[] } {
    if (!(y instanceof tf.Tensor)) throw new Error('gradients: f() must return a tensor, the value to differentiate');
    const tape = engine.state.activeTape ?? [];
    const ops = opsFromXsToY(tape, xs, y);
    if (!allowNoGradients && ops.length === 0) {
      throw new Error('gradients: y does not depend on any of xs through the ops f() ran; every op from x to y must run inside f');
    }
    const onPath = new Set(ops.map((op) => op.id));
    return engine.tidy('backward', () => {
      const scope = engine.state.activeScope!.id;
      /** Made by this backward pass (so nothing outside it holds the tensor), not kept, not the caller's. */
      const ours = (t: tf.Tensor) => (t as Tracked).scopeId === scope && !(t as Tracked).kept;
      const grads = new GradientMap();
      /** A saved tensor handed back as a gradient is still held; the end of the pass frees the rest. */
      const freeSaved = (node: TapeNode) => {
        for (const s of node.saved ?? []) if (!grads.held(s)) s.dispose();
      };
      for (const node of tape) if (!onPath.has(node.id)) freeSaved(node); // the backward pass never reads these
      grads.set(y.id, dy ?? tf.ones(y.shape));
      const keep = new Set(xs.map((x) => x.id));
      for (let i = ops.length - 1; i >= 0; i--) {
        const op = ops[i]!;
        if (!op.gradient) throw new Error(`gradients: tfjs has no gradient for ${op.kernelName}, which lies between x and y`);
        const inputGrads = op.gradient(op.outputs.map((o) => grads.get(o.id) as tf.Tensor));
        for (const [name, x] of Object.entries(op.inputs)) {
          const thunk = inputGrads[name];
          if (!thunk) throw new Error(`gradients: ${op.kernelName}'s gradient gives none for its input ${name}`);
          const dx = engine.tidy(thunk);
          if (dx.dtype !== 'float32') throw new Error(`gradients: ${op.kernelName}'s gradient for ${name} is ${dx.dtype}, not float32`);
          if (!tf.util.arraysEqual(dx.shape, x.shape)) {
            throw new Error(`gradients: ${op.kernelName}'s gradient for ${name} has shape [${dx.shape}], its input [${x.shape}]`);
          }
          const sum = grads.get(x.id);
          if (!sum) {
            grads.set(x.id, dx);
            continue;
          }
          grads.set(x.id, tf.add(sum, dx));
          if (!grads.held(sum) && ours(sum)) sum.dispose();
          if (!grads.held(dx) && ours(dx)) dx.dispose();
        }
        for (const o of op.outputs) {
          if (keep.has(o.id)) continue;
          const done = grads.take(o.id); // this op's gradient was the only reader of its outputs' gradients
          if (done && ours(done)) done.dispose();
        }
        freeSaved(op);
      }
      const result = xs.map((x) => grads.get(x.id)) as tf.Tensor[];
      for (const node of tape) freeSaved(node);
      engine.state.activeTape = null;
      return { value: y, grads: result };
    });
  }
  engine[MARK] = true;
}
