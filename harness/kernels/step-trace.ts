// Frees a training step's forward tensors right after their last use, as the previous step's record shows them.
//
// A model that does not wrap each block in tf.tidy keeps every block's scratch tensors until its forward pass returns:
// a baby step's heap grew from 83 to 120 MB, and its kernels wrote to memory out of cache (11-12% slower steps). A
// training step runs the same kernels on the same tensors every time, so one step's record says which tensor each kernel
// reads last. The next step, while its kernels match that record call for call, disposes each tensor made in its
// forward pass right after that last reader: memory goes back to the heap while the step still runs. Never a tensor
// that the step returns, that was kept (tf.keep), or whose values JavaScript read (dataSync, data, array...).
// If a step departs from the record, nothing more is freed in it, and the next step is recorded afresh; if the
// model's code then uses a tensor freed earlier in that step, tfjs says so ("Tensor is disposed"), and the step is run
// again without freeing anything, now and for the rest of the run.
import * as tf from '@tensorflow/tfjs';

/** The slice of tfjs's Engine this touches. */
interface EngineKernels {
  state: { gradientDepth: number };
  runKernel: (kernelName: string, inputs: tf.NamedTensorMap, attrs?: tf.NamedAttrMap) => tf.Tensor | tf.Tensor[];
}

/** A step's kernel calls: each call's kernel and the forward tensors it read (by the order they were made, -1 for others). */
interface StepRecord {
  kernels: string[];
  reads: Int32Array[];
  /** Per call: how many forward tensors had been made once it ran. */
  madeAfter: number[];
  /** Per call: the forward tensors to dispose once it has run. */
  frees: number[][];
}

/** A JavaScript read of a tensor's values: what the backend does for dataSync, data, array and print. */
interface BackendReads {
  readSync: (dataId: object) => unknown;
  read: (dataId: object) => Promise<unknown>;
}

/** One training run's record of its step, and the freeing it drives. */
export class StepTrace {
  private record: StepRecord | undefined;
  private off = false;

  /** How many tensors the last run freed by the record. */
  freedLastRun = 0;

  /**
   * Runs one step (`step` must be safe to run twice: a training step's forward and backward pass, before any update):
   * recording it, or freeing its forward tensors by the last record.
   */
  run<T extends tf.TensorContainer>(step: () => T): T {
    if (this.off) return step();
    try {
      return this.pass(step);
    } catch (e) {
      if (this.freedLastRun === 0) throw e;
      this.off = true; // the model used a tensor the record said it was done with: never free again in this run
      this.record = undefined;
      this.freedLastRun = 0;
      return step();
    }
  }

  private pass<T extends tf.TensorContainer>(step: () => T): T {
    const engine = tf.engine() as unknown as EngineKernels;
    const backend = tf.backend() as unknown as BackendReads;
    const replay = this.record; // undefined: this step is recorded
    const made: tf.Tensor[] = []; // this step's forward tensors, in the order kernels made them
    const index = new Map<tf.Tensor, number>();
    const lastRead: number[] = [];
    const kernels: string[] = [];
    const reads: Int32Array[] = [];
    const madeAfter: number[] = [];
    const readIds = new Set<object>(); // buffers whose values JavaScript read
    let matching = replay !== undefined;
    let call = 0;
    this.freedLastRun = 0;
    const runKernel = engine.runKernel;
    const readSync = backend.readSync;
    const read = backend.read;
    engine.runKernel = (kernelName, inputs, attrs) => {
      const me = call++; // a kernel may run others inside (tfjs's saves clone through Identity): those come after it
      const ins = Object.values(inputs);
      const at = new Int32Array(ins.length);
      for (let k = 0; k < ins.length; k++) {
        const i = index.get(ins[k]!) ?? -1;
        at[k] = i;
        if (i >= 0 && !replay) lastRead[i] = me; // last readers are the record's; a replay only follows them
      }
      if (replay) {
        if (matching && !sameCall(replay, me, kernelName, at)) matching = false;
      } else {
        kernels[me] = kernelName;
        reads[me] = at;
      }
      const out = runKernel.call(engine, kernelName, inputs, attrs);
      if (engine.state.gradientDepth > 0) {
        for (const t of Array.isArray(out) ? out : [out]) {
          if (index.has(t)) continue;
          index.set(t, made.length);
          if (!replay) lastRead[made.length] = me;
          made.push(t);
        }
      }
      if (!replay) madeAfter[me] = made.length;
      else if (matching && made.length !== replay.madeAfter[me]) matching = false;
      if (matching) {
        for (const i of replay!.frees[me] ?? []) {
          const t = made[i];
          if (t && !t.isDisposed && !(t as tf.Tensor & { kept?: boolean }).kept && !readIds.has(t.dataId)) {
            t.dispose();
            this.freedLastRun++;
          }
        }
      }
      return out;
    };
    backend.readSync = (dataId) => {
      readIds.add(dataId);
      return readSync.call(backend, dataId);
    };
    backend.read = (dataId) => {
      readIds.add(dataId);
      return read.call(backend, dataId);
    };
    let result: T;
    try {
      result = step();
    } finally {
      engine.runKernel = runKernel;
      backend.readSync = readSync;
      backend.read = read;
    }
    if (replay) {
      if (!matching || call !== replay.kernels.length) this.record = undefined; // departed: record the next step afresh
      return result;
    }
    const kept = new Set(tensorsIn(result));
    const frees: number[][] = [];
    made.forEach((t, i) => {
      if (kept.has(t) || readIds.has(t.dataId)) return;
      (frees[lastRead[i]!] ??= []).push(i);
    });
    this.record = { kernels, reads, madeAfter, frees };
    return result;
  }
}

/** The tensors in a result: a tensor, or arrays and objects of them. */
function tensorsIn(x: tf.TensorContainer): tf.Tensor[] {
  if (x instanceof tf.Tensor) return [x];
  if (x === null || typeof x !== 'object') return [];
  return Object.values(x as object).flatMap((v) => tensorsIn(v as tf.TensorContainer));
}

function sameCall(r: StepRecord, call: number, kernelName: string, at: Int32Array): boolean {
  const was = r.reads[call];
  if (r.kernels[call] !== kernelName || !was || was.length !== at.length) return false;
  for (let k = 0; k < at.length; k++) if (was[k] !== at[k]) return false;
  return true;
}
