// The sandboxed child: loads tfjs on the cpu backend, says it is warm, then loads the one learner bundle the parent
// sends and answers the parent's requests. It only computes and reports raw values; it decides nothing. Learner code
// runs only here, under the kernel limits its shell set (hard-limits.ts) and the isolation layers (isolation.ts),
// and one child never serves a second file. Requests and replies travel on a private pipe (channel.ts) whose reader,
// writer and signing key live in this module's closures, which learner code cannot reach.
import * as tf from '@tensorflow/tfjs';
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { registerBroadcastMatMulGradient } from '../tfjs/broadcast-matmul-grad.ts';
import { quietCpuBanner } from '../tfjs/quiet-cpu-banner.ts';
import { CHANNEL_FD, FrameReader, encodeFrame } from './channel.ts';
import { type EngineGuard, guardEngine } from './engine-guard.ts';
import { warmUp } from './warm-up.ts';
import { type ChildHello, type ErrorInfo, type LoadRequest, type Request, type Response, type SampleOutcome, type SampleRun, WARM_UP_FLAG, type Wire, type WireTensor } from './protocol.ts';

// Captured before any learner code runs, so that overwriting globals later cannot reroute our replies.
const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
const write = channel.write.bind(channel);
const reader = new FrameReader();
let key: Buffer | null = null;
const send = (value: ChildHello | Response) => write(encodeFrame(value, key));
const engine = tf.engine();
const proto = Object.getPrototypeOf(engine) as ReturnType<typeof tf.engine>;
const memory = proto.memory.bind(engine);
const tidy = tf.tidy;
const create = Object.create;
const exit = process.exit.bind(process);
const warmingUp = process.argv.includes(WARM_UP_FLAG);
let learnerFile = '';
let guard: EngineGuard | null = null;
// A learner's stray async work (e.g. an async function whose tensors we already disposed) must not end the child.
process.on('unhandledRejection', () => {});
// The parent went away (it exited, or was killed): so does this child, warm or busy between calls.
channel.on('end', () => exit(0));
channel.on('close', () => exit(0));
channel.on('error', () => exit(0));
// Learner code reaches neither the channel's handle nor the parent's process through these.
for (const name of ['_getActiveHandles', '_getActiveRequests', '_kill', 'binding', '_linkedBinding', 'send', 'channel']) {
  Reflect.deleteProperty(process, name);
}
Object.defineProperty(process, 'kill', {
  value: () => {
    throw new Error('the grader does not let your code send signals');
  },
  writable: false,
  configurable: false,
});

function errorInfo(err: unknown): ErrorInfo {
  const e = err instanceof Error ? err : new Error(String(err));
  const frame = (e.stack ?? '').split('\n').find((l) => learnerFile && l.includes(learnerFile));
  const m = frame ? /([^\s(]+):(\d+):(\d+)\)?\s*$/.exec(frame) : null;
  const where = m ? `${m[1]!.replace(/^file:\/\//, '')}:${m[2]}:${m[3]}` : null;
  return { name: e.name || 'Error', message: e.message || String(err), where };
}

let identityCalls = 0;
const identity = (t: unknown) => {
  identityCalls++;
  return t;
};

function decode(w: Wire, created: tf.Tensor[]): unknown {
  if (Array.isArray(w)) return w.map((x) => decode(x, created));
  if (w && typeof w === 'object') {
    if ((w as { __identity?: true }).__identity) return identity;
    if ((w as WireTensor).__tensor) {
      const t = w as WireTensor;
      const tensor = tf.tensor(t.data, t.shape, t.dtype);
      created.push(tensor);
      return tensor;
    }
    return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, decode(v as Wire, created)]));
  }
  return w;
}

function encode(value: unknown): Wire {
  if (value instanceof tf.Tensor) {
    const t = value as tf.Tensor; // instanceof narrows to Tensor<any>
    const dtype = t.dtype === 'int32' || t.dtype === 'bool' ? t.dtype : 'float32';
    const data = t.dtype === 'complex64' || t.dtype === 'string' ? new Float32Array(0) : t.dataSync<'float32' | 'int32' | 'bool'>();
    return { __tensor: true, shape: [...t.shape], dtype, data: dtype === t.dtype ? data : Float32Array.from(data) };
  }
  if (value instanceof Promise) throw new TypeError('returned a Promise: the contract is synchronous, so do not mark the function async');
  if (Array.isArray(value)) return value.map(encode);
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return `<${typeof value}>`;
}

function leavesOf(tree: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (tree instanceof tf.Tensor) out.push(tree as tf.Tensor);
  else if (Array.isArray(tree)) tree.forEach((x) => leavesOf(x, out));
  else if (tree && typeof tree === 'object') Object.values(tree).forEach((x) => leavesOf(x, out));
  return out;
}

/** Rebuilds `tree` with its tensors replaced, in the same traversal order as leavesOf. */
function replaceLeaves(tree: unknown, leaves: tf.Tensor[], cursor = { i: 0 }): unknown {
  if (tree instanceof tf.Tensor) return leaves[cursor.i++];
  if (Array.isArray(tree)) return tree.map((x) => replaceLeaves(x, leaves, cursor));
  if (tree && typeof tree === 'object') return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, replaceLeaves(v, leaves, cursor)]));
  return tree;
}

type Fn = (...args: unknown[]) => unknown;

/** Runs f inside tf.tidy, so its intermediates are freed, and returns its encoded result. */
function encodeInTidy(f: () => unknown): Wire {
  let value: Wire = null;
  tidy(() => {
    value = encode(f());
  });
  return value;
}

/** A 'sample' request: each run calls fn `times` times on its own arguments; a run that throws ends only itself. */
function sampleRuns(fn: Fn, runs: SampleRun[]): SampleOutcome[] {
  return runs.map((run) => {
    const created: tf.Tensor[] = [];
    try {
      const args = run.args.map((a) => decode(a, created));
      const values: Wire[] = [];
      for (let i = 0; i < run.times; i++) values.push(encodeInTidy(() => fn(...args)));
      return { ok: true as const, values };
    } catch (err) {
      return { ok: false as const, error: errorInfo(err) };
    } finally {
      created.forEach((t) => t.dispose());
    }
  });
}

async function handle(mod: Record<string, unknown>, req: Request): Promise<Response> {
  const fn = mod[req.fn] as Fn;
  const created: tf.Tensor[] = [];
  identityCalls = 0;
  if (req.op === 'sample') return { id: req.id, ok: true, value: null, runs: sampleRuns(fn, req.runs) };
  try {
    const args = req.args.map((a) => decode(a, created));
    if (req.op === 'repeat') {
      const values: Wire[] = [];
      for (let i = 0; i < req.times; i++) values.push(encodeInTidy(() => fn(...args)));
      return { id: req.id, ok: true, value: null, values };
    }
    if (req.op === 'grads') {
      const params = leavesOf(args[req.paramArg]);
      const weights = tf.tensor(req.weights.data, req.weights.shape, 'float32');
      created.push(weights);
      const gradFn = tf.grads((...leaves: tf.Tensor[]) => {
        const a = [...args];
        a[req.paramArg] = replaceLeaves(args[req.paramArg], leaves);
        const out = fn(...a);
        if (!(out instanceof tf.Tensor)) throw new TypeError(`returned ${typeof out}, expected a tf.Tensor`);
        return tf.sum(tf.mul(out, weights));
      });
      const grads = gradFn(params);
      const wires = grads.map((g) => encode(g) as WireTensor);
      grads.forEach((g) => g.dispose());
      return { id: req.id, ok: true, value: null, grads: wires };
    }
    if (req.leaks) {
      const before = memory().numTensors;
      const out = fn(...args);
      const value = encode(out);
      leavesOf(out).forEach((t) => t.dispose());
      return { id: req.id, ok: true, value, leaked: memory().numTensors - before };
    }
    if (req.kernels && guard) {
      const before = guard.kernelCounts();
      const value = encodeInTidy(() => fn(...args));
      const after = guard.kernelCounts();
      const kernels = create(null) as Record<string, number>;
      for (const k in after) if (after[k]! > (before[k] ?? 0)) kernels[k] = after[k]! - (before[k] ?? 0);
      return { id: req.id, ok: true, value, kernels };
    }
    const value = encodeInTidy(() => fn(...args));
    return { id: req.id, ok: true, value, identityCalls };
  } catch (err) {
    return { id: req.id, ok: false, error: errorInfo(err) };
  } finally {
    created.forEach((t) => t.dispose());
  }
}

/** Set once the bundle has loaded; requests before that are not expected and are dropped. */
let onRequest: ((req: Request) => void) | null = null;

/** Every reply goes out this way: a tampered engine stops the kata instead of answering with its measurements. */
function reply(res: ChildHello | Response): void {
  const tampered = guard?.tampered();
  send(tampered ? { type: 'tampered', message: tampered } : res);
}

async function load(req: LoadRequest): Promise<void> {
  learnerFile = req.learnerFile;
  key = Buffer.from(req.key);
  guard = guardEngine(engine);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(req.bundle).href)) as Record<string, unknown>;
  } catch (err) {
    reply({ type: 'load-error', error: errorInfo(err) } satisfies ChildHello);
    return;
  }
  const exports = Object.fromEntries(Object.entries(mod).map(([k, v]) => [k, typeof v]));
  onRequest = (req: Request) => {
    void handle(mod, req).then(reply);
  };
  reply({ type: 'ready', exports } satisfies ChildHello);
}


async function main(): Promise<void> {
  await tf.setBackend('cpu');
  quietCpuBanner();
  registerBroadcastMatMulGradient();
  // From here on, errors in the learner's bundle point into their own file (its inline source map), line and column;
  // tfjs's own frames (the ops, the engine and the guard's kernel count) must not push the learner's out of the stack.
  process.setSourceMapsEnabled(true);
  Error.stackTraceLimit = 50;
  let loading = false;
  channel.on('data', (chunk: Buffer) => {
    let frames;
    try {
      frames = reader.push(chunk, null);
    } catch {
      exit(70); // not the parent's bytes: nothing here can be trusted any more
      return;
    }
    for (const { value } of frames) {
      const msg = value as LoadRequest | Request;
      if ('type' in msg) {
        if (loading || msg.type !== 'load') continue; // exactly one bundle per child
        loading = true;
        void load(msg);
      } else onRequest?.(msg);
    }
  });
  if (warmingUp) {
    try {
      warmUp();
    } catch {
      exit(71); // a grader bug: this spare dies before any learner code, and a fresh child takes its place
      return;
    }
  }
  send({ type: 'warm' } satisfies ChildHello);
}

void main();
