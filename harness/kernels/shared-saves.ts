// The tensors tfjs keeps for the backward pass share their buffers on wasm, without a kernel call or a tape entry each.
//
// Every op recorded for a gradient saves some inputs or outputs; tfjs copies each through `clone` (saveTensorsForBackwardMode):
// an Identity kernel call and a tape node, ~340 of each in a baby training step. The tape node exists only so that a
// gradient of a gradient can flow back through the copy. Under a first-order gradient (gradient depth 1, as the trainer
// runs) nothing differentiates the backward pass, so the saved tensor is made directly on the same buffer, its
// reference count raised as wasm's Identity does (shared-identity.ts). Deeper gradients, and other backends, keep tfjs's way.
//
// Some gradients read only the shapes of what their op saved: Add's and Sub's (to sum a broadcast operand's gradient
// back to its shape), Reshape's, Slice's, Concat's, and the Sum and Mean gradients of reduction-grads.ts. A residual
// stream tensor was held to the end of the forward pass and through the backward pass for its shape alone: 31 MB of a
// baby step's 68 MB of saves. Those ops save a stand-in instead: a tensor of the same shape and dtype on one shared
// 4-byte buffer, so the real buffer is freed when the forward pass is done with it. Only while the gradient registered
// for the op is still the one known to read shapes alone (a gradient registered later, by anyone, gets real saves).
import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from './wasm-backend.ts';

/** The slice of tfjs's Engine this touches. */
interface EngineSaves {
  backendName: string;
  backend: unknown;
  state: { gradientDepth: number };
  keep<T extends tf.Tensor>(t: T): T;
  makeTensorFromDataId(dataId: tf.DataId, shape: number[], dtype: tf.DataType, backend?: unknown): tf.Tensor;
  saveTensorsForBackwardMode(tensors: tf.Tensor[]): tf.Tensor[];
  getTensorsForGradient(kernelName: string, inputs: tf.NamedTensorMap, outputs: tf.Tensor[]): tf.Tensor[];
}

/** The ops whose gradient reads only the shapes (and dtypes) of what they save, as registered when this is installed. */
const SHAPE_ONLY_GRADIENTS = [tf.Add, tf.Sub, tf.Reshape, tf.Slice, tf.Concat, tf.Sum, tf.Mean];

const MARK = Symbol.for('gpt-kata.shared-saves');

/** Installs the shared save on tfjs's engine (once). */
export function shareSavedTensors(): void {
  const engine = tf.engine() as unknown as EngineSaves & Record<symbol, boolean>;
  if (engine[MARK]) return;
  const tfjsSave = engine.saveTensorsForBackwardMode.bind(engine);
  const tfjsToSave = engine.getTensorsForGradient.bind(engine);
  const shapeOnly = new Map(SHAPE_ONLY_GRADIENTS.map((name) => [name, tf.getGradient(name)?.gradFunc]));
  const standIns = new WeakMap<WasmBackend, tf.Tensor>(); // per backend: the kept 4-byte buffer every stand-in shares
  let savingShapes = false; // set by getTensorsForGradient for the saveTensorsForBackwardMode call that follows it
  engine.getTensorsForGradient = (kernelName, inputs, outputs) => {
    const known = shapeOnly.get(kernelName);
    savingShapes = known !== undefined && tf.getGradient(kernelName)?.gradFunc === known;
    return tfjsToSave(kernelName, inputs, outputs);
  };
  engine.saveTensorsForBackwardMode = (tensors) => {
    const shapes = savingShapes;
    savingShapes = false;
    if (engine.backendName !== 'wasm' || engine.state.gradientDepth !== 1 || tensors.some((t) => t.dtype === 'string' || t.dtype === 'complex64')) {
      return tfjsSave(tensors);
    }
    const backend = engine.backend as WasmBackend;
    let standIn = standIns.get(backend);
    if (shapes && !standIn) {
      standIn = engine.keep(tf.tensor1d([0]));
      standIns.set(backend, standIn);
    }
    return tensors.map((t) => {
      const dataId = shapes ? standIn!.dataId : t.dataId;
      backend.incRef(dataId);
      return engine.keep(engine.makeTensorFromDataId(dataId, [...t.shape], t.dtype, backend));
    });
  };
  engine[MARK] = true;
}
