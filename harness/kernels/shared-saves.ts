// The tensors tfjs keeps for the backward pass share their buffers on wasm, without a kernel call or a tape entry each.
//
// Every op recorded for a gradient saves some inputs or outputs; tfjs copies each through `clone` (saveTensorsForBackwardMode):
// an Identity kernel call and a tape node, ~340 of each in a baby training step. The tape node exists only so that a
// gradient of a gradient can flow back through the copy. Under a first-order gradient (gradient depth 1, as the trainer
// runs) nothing differentiates the backward pass, so the saved tensor is made directly on the same buffer, its
// reference count raised as wasm's Identity does (shared-identity.ts). Deeper gradients, and other backends, keep tfjs's way.
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
}

const MARK = Symbol.for('gpt-kata.shared-saves');

/** Installs the shared save on tfjs's engine (once). */
export function shareSavedTensors(): void {
  const engine = tf.engine() as unknown as EngineSaves & Record<symbol, boolean>;
  if (engine[MARK]) return;
  const tfjsSave = engine.saveTensorsForBackwardMode.bind(engine);
  engine.saveTensorsForBackwardMode = (tensors) => {
    if (engine.backendName !== 'wasm' || engine.state.gradientDepth !== 1 || tensors.some((t) => t.dtype === 'string')) {
      return tfjsSave(tensors);
    }
    const backend = engine.backend as WasmBackend;
    return tensors.map((t) => {
      backend.incRef(t.dataId);
      return engine.keep(engine.makeTensorFromDataId(t.dataId, [...t.shape], t.dtype, backend));
    });
  };
  engine[MARK] = true;
}
