// An elementwise formula (+ − × ÷ √ of float32 tensors and scalars, the caller's) compiled to one WebAssembly SIMD
// pass on tfjs's wasm heap: a many-op update runs as one kernel, each element exactly as float32 ops in that order.
import * as tf from '@tensorflow/tfjs';
import { heapMemory, type WasmKernelFunc } from './wasm-backend.ts';

const FUSED_ELEMENTWISE = 'GptKataFusedElementwise';

/** A value of the formula, per element: an input tensor's element, a scalar, or an operation on two or one. */
export type Term =
  | { readonly kind: 'input'; readonly index: number }
  | { readonly kind: 'scalar'; readonly index: number }
  | { readonly kind: 'add' | 'sub' | 'mul' | 'div'; readonly a: Term; readonly b: Term }
  | { readonly kind: 'sqrt'; readonly a: Term };

export const add = (a: Term, b: Term): Term => ({ kind: 'add', a, b });
export const sub = (a: Term, b: Term): Term => ({ kind: 'sub', a, b });
export const mul = (a: Term, b: Term): Term => ({ kind: 'mul', a, b });
export const div = (a: Term, b: Term): Term => ({ kind: 'div', a, b });
export const sqrt = (a: Term): Term => ({ kind: 'sqrt', a });

/** The slice of the WebAssembly JS API used here (this project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

type RunFn = (...args: number[]) => void; // input pointers, output pointers, n, scalars

/** A compiled formula: its wasm module, and an instance per backend heap. */
interface Program {
  module: object;
  inputs: number;
  outputs: number;
  instances: WeakMap<object, RunFn>;
}

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => vec([...s].map((c) => [c.charCodeAt(0)]));

const I32 = 0x7f, F32 = 0x7d, V128 = 0x7b;
const GET = 0x20, SET = 0x21;
const SIMD = 0xfd;
/** Opcodes per operation: [f32x4 (after 0xfd), scalar f32]. */
const OPS = { sqrt: [[0xe3, 0x01], [0x91]], add: [[0xe4, 0x01], [0x92]], sub: [[0xe5, 0x01], [0x93]], mul: [[0xe6, 0x01], [0x94]], div: [[0xe7, 0x01], [0x95]] } as const;

/** The wasm module: export "run"(in pointers…, out pointers…, n, scalars…) over the imported env.memory. */
function compile(inputs: number, scalars: number, outputs: readonly Term[]): Uint8Array {
  // every distinct term but scalars, operands first
  const nodes: Term[] = [];
  const index = new Map<Term, number>();
  const visit = (t: Term): void => {
    if (index.has(t) || t.kind === 'scalar') return;
    if (t.kind === 'input') {
      if (t.index >= inputs) throw new Error(`fused formula: input ${t.index} of ${inputs}`);
    } else {
      visit(t.a);
      if (t.kind !== 'sqrt') visit(t.b);
    }
    index.set(t, nodes.length);
    nodes.push(t);
  };
  outputs.forEach(visit);
  const P = inputs + outputs.length; // pointer parameters
  const N = P; // element count parameter
  const O = P + 1 + scalars; // first local: byte offset
  const END = O + 1; // end of the 4-lane part, in bytes
  const vScalar = (s: number) => END + 1 + s;
  const vNode = (k: number) => END + 1 + scalars + k;
  const fNode = (k: number) => END + 1 + scalars + nodes.length + k;
  const code: number[] = [];
  const emitLoop = (lanes: boolean) => {
    const width = lanes ? 16 : 4;
    const local = (t: Term) => (t.kind === 'scalar' ? (lanes ? vScalar(t.index) : P + 1 + t.index) : (lanes ? vNode : fNode)(index.get(t)!));
    code.push(0x02, 0x40, 0x03, 0x40); // block loop
    code.push(GET, ...uleb(O), GET, ...uleb(lanes ? END : N));
    if (!lanes) code.push(0x41, 2, 0x74); // n << 2
    code.push(0x4f, 0x0d, 1); // i32.ge_u; br_if out of the block
    nodes.forEach((t, k) => {
      if (t.kind === 'input') {
        code.push(GET, ...uleb(t.index), GET, ...uleb(O), 0x6a); // pointer + offset
        code.push(...(lanes ? [SIMD, 0x00, 0, 0] : [0x2a, 2, 0])); // v128.load / f32.load
      } else if (t.kind !== 'scalar') { // (scalars are never nodes)
        code.push(GET, ...uleb(local(t.a)));
        if (t.kind !== 'sqrt') code.push(GET, ...uleb(local(t.b)));
        code.push(...(lanes ? [SIMD, ...OPS[t.kind][0]] : OPS[t.kind][1]));
      }
      code.push(SET, ...uleb((lanes ? vNode : fNode)(k)));
    });
    outputs.forEach((t, j) => {
      code.push(GET, ...uleb(inputs + j), GET, ...uleb(O), 0x6a, GET, ...uleb(local(t)));
      code.push(...(lanes ? [SIMD, 0x0b, 0, 0] : [0x38, 2, 0])); // v128.store / f32.store
    });
    code.push(GET, ...uleb(O), 0x41, ...sleb(width), 0x6a, SET, ...uleb(O), 0x0c, 0, 0x0b, 0x0b); // o += width; br loop; end end
  };
  code.push(GET, ...uleb(N), 0x41, ...sleb(-4), 0x71, 0x41, 2, 0x74, SET, ...uleb(END)); // end = (n & ~3) << 2
  for (let s = 0; s < scalars; s++) code.push(GET, ...uleb(P + 1 + s), SIMD, 0x13, SET, ...uleb(vScalar(s))); // f32x4.splat
  code.push(0x41, 0, SET, ...uleb(O));
  emitLoop(true);
  emitLoop(false);
  code.push(0x0b);
  const locals = vec([[...uleb(2), I32], [...uleb(scalars + nodes.length), V128], [...uleb(nodes.length), F32]]);
  const body = [...locals, ...code];
  const params = [...Array<number>(P + 1).fill(I32), ...Array<number>(scalars).fill(F32)];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec(params.map((p) => [p])), 0]])), // (params) -> ()
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])), // memory, min 0 pages
    ...section(3, vec([[0]])),
    ...section(7, vec([[...name('run'), 0x00, 0]])),
    ...section(10, vec([[...uleb(body.length), ...body]])),
  ]);
}

const kernel: WasmKernelFunc = ({ inputs, backend, attrs }) => {
  const { program, scalars } = attrs as { program: Program; scalars: number[] };
  const xs = Array.from({ length: program.inputs }, (_, i) => inputs[`x${i}`]!);
  const outs = Array.from({ length: program.outputs }, () => backend.makeOutput([...xs[0]!.shape], 'float32'));
  let run = program.instances.get(backend);
  if (!run) {
    const instance = new WA.Instance(program.module, { env: { memory: heapMemory(backend) } });
    program.instances.set(backend, (run = instance.exports.run as RunFn));
  }
  const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  run(...xs.map(off), ...outs.map(off), tf.util.sizeFromShape(xs[0]!.shape), ...scalars);
  return outs;
};

export const fusedElementwiseConfig: tf.KernelConfig = {
  kernelName: FUSED_ELEMENTWISE,
  backendName: 'wasm',
  kernelFunc: kernel as unknown as tf.KernelFunc,
};

/** A formula compiled once; run() applies it to tensors of one shape. */
export interface FusedElementwise {
  /**
   * The outputs (new tensors, the inputs' shape) in one pass on the wasm heap; null where that cannot run (another
   * backend, a tensor that is not float32, registerWasmKernels() not called): the caller then uses tfjs ops.
   * Scalars are rounded to float32, as every operation is.
   */
  run(inputs: readonly tf.Tensor[], scalars: readonly number[]): tf.Tensor[] | null;
}

/** Compiles `formula` over `inputs` tensors and `scalars` numbers; its outputs must not be bare inputs or scalars. */
export function fusedElementwise(inputs: number, scalars: number,
  formula: (x: Term[], s: Term[]) => Term[]): FusedElementwise {
  const outputs = formula(
    Array.from({ length: inputs }, (_, index) => ({ kind: 'input', index })),
    Array.from({ length: scalars }, (_, index) => ({ kind: 'scalar', index })),
  );
  const program: Program = { module: new WA.Module(compile(inputs, scalars, outputs)), inputs, outputs: outputs.length, instances: new WeakMap() };
  return {
    run(xs, values) {
      if (xs.length !== inputs || values.length !== scalars) throw new Error(`fused formula: takes ${inputs} tensors and ${scalars} scalars`);
      if (tf.getBackend() !== 'wasm' || !tf.getKernel(FUSED_ELEMENTWISE, 'wasm') || xs.some((x) => x.dtype !== 'float32')) return null;
      const named: tf.NamedTensorMap = {};
      xs.forEach((x, i) => (named[`x${i}`] = x));
      return tf.engine().runKernel<tf.Tensor[]>(FUSED_ELEMENTWISE, named, { program, scalars: [...values] } as unknown as tf.NamedAttrMap);
    },
  };
}
