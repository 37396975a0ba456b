// Loads wasm/kernels*.wasm into tfjs-backend-wasm's own memory, so our SIMD kernels read and write tensors in place.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { heapMemory, type WasmBackend, type WasmMemory } from './wasm-backend.ts';

/** The exported C functions of wasm/kernels.c; pointers are byte offsets into tfjs's heap. */
interface SimdExports {
  bmm(batch: number, M: number, N: number, K: number, a: number, abs: number, ars: number, acs: number,
    b: number, bbs: number, transB: number, c: number, scratch: number): void;
  transpose(x: number, out: number, rank: number, shape: number, perm: number, work: number): void;
  broadcast(x: number, out: number, rank: number, oshape: number, xstride: number, work: number): void;
  sum_squares(x: number, n: number): number;
  sum_mid(x: number, out: number, O: number, R: number, I: number): void;
  softmax_grad(dy: number, y: number, dx: number, rows: number, n: number): void;
  sum_rows(x: number, out: number, rows: number, n: number, divisor: number): void;
  relu_grad(dy: number, x: number, dx: number, n: number): void;
  softmax_rows(x: number, y: number, rows: number, n: number): void;
  div_grad_rows(dy: number, a: number, b: number, db: number, rows: number, n: number): void;
  mul_grad_cols(dy: number, x: number, dv: number, rows: number, n: number): void;
  softmax_xent(x: number, targets: number, dx: number, stats: number, rows: number, n: number, scale: number): void;
}

/** The matmul tile of wasm/kernels.c, MR rows by NR columns; keep in step with its enum. */
const MR = 4;
const NR = 8;

/** Floats of scratch the matmul kernels need: B packed in NR-column panels, A in MR-row panels, one spill tile. */
export function matmulScratchFloats(M: number, N: number, K: number): { packedB: number; rest: number } {
  return { packedB: K * Math.ceil(N / NR) * NR, rest: K * Math.ceil(M / MR) * MR + MR * NR };
}

export interface SimdModule {
  exports: SimdExports;
  fma: boolean; // relaxed-SIMD fused multiply-add (Node 20 needs a V8 flag, set below)
  memory: WasmMemory;
  /** A scratch buffer of at least `bytes` in tfjs's heap, reused across calls (one kernel runs at a time). */
  scratch(bytes: number): number;
}

/** The slice of the WebAssembly JS API we use (this project's TypeScript libs do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const modules = new WeakMap<object, SimdModule>();

function wasmFile(name: string): Uint8Array {
  return readFileSync(new URL(`./wasm/${name}`, import.meta.url));
}

/** Compiles the FMA build if this V8 accepts relaxed SIMD (Node 20: behind a flag we turn on), else the plain one. */
function compileKernels(): { module: object; fma: boolean } {
  const fmaBytes = wasmFile('kernels-fma.wasm');
  if (process.env.GPT_KATA_NO_FMA !== '1') {
    if (!WA.validate(fmaBytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    if (WA.validate(fmaBytes)) return { module: new WA.Module(fmaBytes), fma: true };
  }
  return { module: new WA.Module(wasmFile('kernels.wasm')), fma: false };
}

let compiled: { module: object; fma: boolean } | undefined;

/** The SIMD kernels bound to this wasm backend's heap (instantiated once per backend). */
export function simdModule(backend: WasmBackend): SimdModule {
  const existing = modules.get(backend);
  if (existing) return existing;
  const memory = heapMemory(backend);
  compiled ??= compileKernels();
  const instance = new WA.Instance(compiled.module, { env: { memory } });
  const malloc = (backend.wasm as unknown as { _malloc(n: number): number; _free(p: number): void });
  let ptr = 0;
  let size = 0;
  const mod: SimdModule = {
    exports: instance.exports as unknown as SimdExports,
    fma: compiled.fma,
    memory,
    scratch(bytes) {
      if (bytes > size) {
        if (ptr) malloc._free(ptr);
        size = Math.max(bytes, size * 2, 1 << 16);
        ptr = malloc._malloc(size) >>> 0; // an i32 from wasm: addresses past 2 GiB come back negative
      }
      return ptr;
    },
  };
  modules.set(backend, mod);
  return mod;
}
