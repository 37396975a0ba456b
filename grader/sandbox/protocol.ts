// The messages between the grader (parent) and the sandboxed child that runs learner code, and the tensor wire format.
// The child only computes; every verdict is decided in the parent from these raw values. They travel on the private
// signed channel of channel.ts.

export type WireDtype = 'float32' | 'int32' | 'bool';

export interface WireTensor {
  __tensor: true;
  shape: number[];
  dtype: WireDtype;
  data: Float32Array | Int32Array | Uint8Array;
}

/** A function argument the child builds itself: the identity, counting its calls (the contract's grading dropout). */
export interface WireIdentity {
  __identity: true;
}
export const IDENTITY: WireIdentity = { __identity: true };

/** The child's one command-line argument: run warm-up.ts before saying it is warm. */
export const WARM_UP_FLAG = '--warm-up';

/** Plain data with tensors anywhere inside (params trees, configs, numbers, strings). */
export type Wire = WireTensor | WireIdentity | number | string | boolean | null | undefined | Wire[] | { [key: string]: Wire };

export function isWireTensor(w: unknown): w is WireTensor {
  return typeof w === 'object' && w !== null && (w as WireTensor).__tensor === true;
}

export function wireTensor(shape: number[], data: ArrayLike<number>, dtype: WireDtype = 'float32'): WireTensor {
  const arr = dtype === 'int32' ? Int32Array.from(data) : dtype === 'bool' ? Uint8Array.from(data) : Float32Array.from(data);
  return { __tensor: true, shape, dtype, data: arr };
}

export type Request =
  /** Call an export with args; `kernels` asks how many times it ran each kernel, `leaks` runs it outside tf.tidy and counts tensors left behind. */
  | { id: number; op: 'call'; fn: string; args: Wire[]; kernels?: boolean; leaks?: boolean }
  /** Gradients of Σ fn(args)·weights with respect to every tensor inside args[paramArg], in traversal order. */
  | { id: number; op: 'grads'; fn: string; args: Wire[]; paramArg: number; weights: WireTensor }
  /** Call fn(args) `times` times, separately, returning every result (for sampling statistics). */
  | { id: number; op: 'repeat'; fn: string; args: Wire[]; times: number }
  /** Several such runs in one request (sampling statistics at several settings, one round trip); each answers on its own. */
  | { id: number; op: 'sample'; fn: string; runs: SampleRun[] };

/** One run of a 'sample' request: fn(args), `times` times, separately. */
export interface SampleRun {
  args: Wire[];
  times: number;
}

/** What one run of a 'sample' request gave: every result, or the error that stopped it. */
export type SampleOutcome = { ok: true; values: Wire[] } | { ok: false; error: ErrorInfo };

/** A request before the sandbox numbers it (Omit distributed over the union). */
export type RequestBody = Request extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export interface ErrorInfo {
  name: string;
  message: string;
  /** "file:line:col" in the learner's source, when the stack shows one. */
  where: string | null;
}

export type Response =
  | { id: number; ok: true; value: Wire; values?: Wire[]; runs?: SampleOutcome[]; kernels?: Record<string, number>; leaked?: number; grads?: WireTensor[]; identityCalls?: number }
  | { id: number; ok: false; error: ErrorInfo };

/**
 * The parent's first message to a warm child: the learner's bundle to import (its source path, for error locations),
 * and the key the child signs every later frame with (channel.ts).
 */
export interface LoadRequest {
  type: 'load';
  bundle: string;
  learnerFile: string;
  key: Buffer;
}

export type ChildHello =
  /** tfjs is loaded and the child waits for its LoadRequest; sent before any learner code runs. */
  | { type: 'warm' }
  | { type: 'ready'; exports: Record<string, string> }
  | { type: 'load-error'; error: ErrorInfo }
  /** The learner's code replaced part of tfjs's engine that the measurements rely on: the kata stops with `message`. */
  | { type: 'tampered'; message: string };
