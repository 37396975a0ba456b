// A second thread for big matmuls: a worker_threads worker shares out row (or batch) chunks with the main thread.
// tfjs's wasm heap is not shared, so the operands are copied into a shared WebAssembly.Memory the worker computes
// on; the main thread computes its chunks in place. Chunks are claimed one by one with compare-and-swap, so a busy
// or late worker costs little: the main thread takes every chunk the worker has not claimed, and recomputes one the
// worker claimed but has not finished after 1.5 chunk-times (a descheduled worker). Whether to share a given matmul
// shape at all is ThreadChoice's call (thread-choice.ts), from timings of both ways.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compileKernels, matmulScratchFloats, MR, NR, type SimdModule } from './simd-module.ts';
import { ThreadChoice } from './thread-choice.ts';

/** Control block layout (int32 slots at the start of the shared memory). */
const SEQ = 0; // job number; the worker sleeps on it
const BUSY = 1; // 1 while the worker may be computing a chunk (set before it claims one)
const P = 8; // job parameters start here (see Job)
const STATE = 64; // per-chunk state: seq*4 + 0 free, +1 main's, +2 worker's (running), +3 worker's (done)
const HEADER_BYTES = 4096;

/** What the worker needs to compute its chunks; offsets are bytes into the shared memory. */
interface Job {
  kind: 0 | 1; // 0: chunks of rows of a single matmul; 1: chunks of the batch
  batch: number; M: number; N: number; K: number;
  abs: number; ars: number; acs: number; bbs: number; transB: number;
  a: number; b: number; c: number; scratch: number;
  chunk: number; // rows (kind 0) or batch entries (kind 1) per chunk
  chunks: number;
  first: number; // the worker may take chunks first..chunks-1 (only their operands were copied)
  delayMs: number; // tests only: the worker sleeps this long after claiming each chunk (a descheduled worker)
}
const FIELDS = ['kind', 'batch', 'M', 'N', 'K', 'abs', 'ars', 'acs', 'bbs', 'transB', 'a', 'b', 'c', 'scratch', 'chunk', 'chunks', 'first', 'delayMs'] as const;

// The worker: instantiate the shared-memory kernels, then sleep on SEQ and take chunks from the back.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory } = workerData;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(memory.buffer, 0, ${HEADER_BYTES / 4});
const FIELDS = ${JSON.stringify(FIELDS)};
let seen = 0;
for (;;) {
  Atomics.wait(ctl, ${SEQ}, seen);
  const seq = Atomics.load(ctl, ${SEQ});
  if (seq < 0) break;
  seen = seq;
  const j = {};
  FIELDS.forEach((f, i) => { j[f] = ctl[${P} + i]; });
  let packed = false;
  for (let i = j.chunks - 1; i >= j.first; i--) {
    Atomics.store(ctl, ${BUSY}, 1); // before claiming: the main thread never reuses the memory while this is 1
    if (Atomics.compareExchange(ctl, ${STATE} + i, seq * 4, seq * 4 + 2) !== seq * 4) break; // the rest are the main thread's
    if (j.delayMs) Atomics.wait(ctl, ${HEADER_BYTES / 4 - 1}, 0, j.delayMs);
    if (j.kind === 0) {
      const np = Math.ceil(j.N / ${NR}) * ${NR};
      if (!packed) { k.pack_b(j.b, j.K, j.N, j.transB, j.scratch); packed = true; }
      const r0 = i * j.chunk, rows = Math.min(j.M - r0, j.chunk);
      k.gemm_rows(rows, j.N, j.K, j.a + 4 * r0 * j.ars, j.ars, j.acs, j.scratch, j.c + 4 * r0 * j.N, j.N, j.scratch + 4 * j.K * np);
    } else {
      const b0 = i * j.chunk, n = Math.min(j.batch - b0, j.chunk);
      k.bmm(n, j.M, j.N, j.K, j.a + 4 * b0 * j.abs, j.abs, j.ars, j.acs, j.b + 4 * b0 * j.bbs, j.bbs, j.transB, j.c + 4 * b0 * j.M * j.N, j.scratch);
    }
    // done, unless the main thread gave up waiting and computed this chunk itself (then it is no longer ours)
    if (Atomics.compareExchange(ctl, ${STATE} + i, seq * 4 + 2, seq * 4 + 3) === seq * 4 + 2) Atomics.notify(ctl, ${STATE} + i);
  }
  Atomics.store(ctl, ${BUSY}, 0);
  Atomics.notify(ctl, ${BUSY});
}
`;

interface SharedMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/** One matmul as the kernel sees it: tfjs heap offsets (bytes) and strides (elements). */
export interface MatMulCall {
  batch: number; M: number; N: number; K: number;
  a: number; abs: number; ars: number; acs: number; batchA: number;
  b: number; bbs: number; transB: number; batchB: number;
  c: number;
}

export class MatMulPool {
  private readonly memory: SharedMemory;
  private readonly worker: Worker;
  private seq = 0;
  /** Chunks handed out so far, and how many of them the worker computed (the bench reports the share). */
  chunks = 0;
  workerChunks = 0;
  /** Chunks the worker claimed but this thread recomputed because the worker was too slow. */
  takenOver = 0;
  /**
   * How chunks are shared. 'steal' (the default): the worker may take the back half, the main thread takes whatever
   * is left from the front, so a late worker costs only the copy. 'worker' and 'halves' make the split fixed, so
   * tests can check the worker's results (all chunks, or exactly the back half) deterministically.
   */
  private readonly share: 'steal' | 'worker' | 'halves';

  /**
   * Tests only: the worker sleeps this long after claiming each chunk, and the main thread starts its share only
   * once the worker has claimed one, so the take-over path runs every time.
   */
  private readonly workerDelayMs: number;

  constructor(opts: { share?: 'steal' | 'worker' | 'halves'; workerDelayMs?: number } = {}) {
    this.share = opts.share ?? 'steal';
    this.workerDelayMs = opts.workerDelayMs ?? 0;
    const WA = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => SharedMemory } }).WebAssembly;
    this.memory = new WA.Memory({ initial: 64, maximum: 65536, shared: true }); // 4 MiB to start, grown on demand
    const { module } = compileKernels(true);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: this.memory } });
    this.worker.unref(); // an idle pool never keeps the process alive
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }

  /** Stops the worker (a pool normally lives as long as the process; tests make their own). */
  async close(): Promise<void> {
    const ctl = new Int32Array(this.memory.buffer, 0, HEADER_BYTES / 4);
    Atomics.store(ctl, SEQ, -1);
    Atomics.notify(ctl, SEQ, 1);
    await this.worker.terminate();
  }

  /** Computes `call` on both threads; `simd` is the main thread's in-place kernel module, `scratch` its scratch. */
  run(call: MatMulCall, simd: SimdModule, scratch: (bytes: number) => number): void {
    const { batch, M, N, K } = call;
    const kind: 0 | 1 = batch > 1 ? 1 : 0;
    const units = kind === 0 ? M : batch;
    const step = kind === 0 ? MR : 1; // row chunks are whole tiles
    const chunk = Math.max(step, Math.ceil(units / 8 / step) * step); // ~8 chunks: fine enough to balance
    const chunks = Math.ceil(units / chunk);
    this.chunks += chunks;
    const aLen = call.batchA * M * K;
    const bLen = call.batchB * K * N;
    const need = matmulScratchFloats(kind === 0 ? chunk : M, N, K);
    const scratchLen = need.packedB + need.rest;
    const aOff = HEADER_BYTES;
    const bOff = aOff + 4 * aLen;
    const cOff = bOff + 4 * bLen;
    const sOff = cOff + 4 * batch * M * N;
    // A chunk this thread took over from a late worker may still be running there, writing into this memory:
    // wait until the worker is idle before reusing it (rare; normally BUSY is already 0).
    const ctl = new Int32Array(this.memory.buffer, 0, HEADER_BYTES / 4);
    while (Atomics.load(ctl, BUSY) === 1) Atomics.wait(ctl, BUSY, 1, 50);
    this.ensure(sOff + 4 * scratchLen);

    // Copy only what the worker's half (the back chunks) reads, at the same offsets as in the full operands.
    const first = this.share === 'worker' ? 0 : chunks >> 1;
    const u0 = first * chunk; // first row (kind 0) or batch entry (kind 1) the worker may compute
    const shared = new Float32Array(this.memory.buffer);
    const heap = new Float32Array(simd.memory.buffer);
    const copy = (src: number, dst: number, from: number, to: number) => shared.set(heap.subarray(src / 4 + from, src / 4 + to), dst / 4 + from);
    if (kind === 0 && call.acs === 1) {
      copy(call.a, aOff, u0 * call.ars, aLen); // rows u0..M of a row-major A
    } else if (kind === 0 && call.ars === 1) {
      for (let k = 0; k < K; k++) copy(call.a, aOff, k * call.acs + u0, k * call.acs + M); // columns u0..M of each row of Aᵀ
    } else {
      copy(call.a, aOff, kind === 1 && call.abs ? u0 * call.abs : 0, aLen);
    }
    copy(call.b, bOff, kind === 1 && call.bbs ? u0 * call.bbs : 0, bLen);

    const seq = ++this.seq;
    const job: Job = {
      kind, batch, M, N, K, abs: call.abs, ars: call.ars, acs: call.acs, bbs: call.bbs, transB: call.transB,
      a: aOff, b: bOff, c: cOff, scratch: sOff, chunk, chunks, first, delayMs: this.workerDelayMs,
    };
    FIELDS.forEach((f, i) => { ctl[P + i] = job[f]; });
    for (let i = 0; i < chunks; i++) ctl[STATE + i] = seq * 4;
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ, 1);

    // The main thread's share, from the front, in place on tfjs's heap.
    const k = simd.exports;
    let packedB = 0;
    const computeHere = (i: number) => {
      if (kind === 0) {
        if (!packedB) {
          packedB = scratch(4 * scratchLen);
          k.pack_b(call.b, K, N, call.transB, packedB);
        }
        const r0 = i * chunk;
        const rows = Math.min(M - r0, chunk);
        k.gemm_rows(rows, N, K, call.a + 4 * r0 * call.ars, call.ars, call.acs, packedB, call.c + 4 * r0 * N, N, packedB + 4 * need.packedB);
      } else {
        const b0 = i * chunk;
        const n = Math.min(batch - b0, chunk);
        const s = scratch(4 * scratchLen);
        k.bmm(n, M, N, K, call.a + 4 * b0 * call.abs, call.abs, call.ars, call.acs, call.b + 4 * b0 * call.bbs, call.bbs, call.transB, call.c + 4 * b0 * M * N, s);
      }
    };
    const mainEnd = this.share === 'steal' ? chunks : this.share === 'halves' ? first : 0;
    if (this.workerDelayMs) {
      while (Atomics.load(ctl, STATE + chunks - 1) === seq * 4) Atomics.wait(ctl, STATE + chunks - 1, seq * 4, 10);
    }
    const t0 = performance.now();
    let done = 0;
    for (let i = 0; i < mainEnd; i++) {
      if (Atomics.compareExchange(ctl, STATE + i, seq * 4, seq * 4 + 1) !== seq * 4) break;
      computeHere(i);
      done++;
    }
    // How long to wait for a chunk the worker is computing before computing it here instead: a descheduled worker
    // (a busy machine) must not stall the step. 1.5 chunk-times, as this thread just measured them.
    const patienceMs = done ? (1.5 * (performance.now() - t0)) / done : 2;
    // Wait for the chunks the worker took, then copy its results into the output.
    const out = new Float32Array(simd.memory.buffer);
    const res = new Float32Array(this.memory.buffer);
    const per = kind === 0 ? N : M * N; // floats per unit (row or batch entry)
    const running = seq * 4 + 2;
    for (let i = 0; i < chunks; i++) {
      if (this.share === 'steal') {
        if (Atomics.load(ctl, STATE + i) === running && Atomics.wait(ctl, STATE + i, running, patienceMs) === 'timed-out') {
          if (Atomics.compareExchange(ctl, STATE + i, running, seq * 4 + 1) === running) {
            computeHere(i); // the worker's late result for this chunk will be ignored
            this.takenOver++;
            continue;
          }
        }
      } else {
        // a fixed split (tests): wait for the worker's chunks, even ones it has not claimed yet
        for (let st = Atomics.load(ctl, STATE + i); st === running || st === seq * 4; st = Atomics.load(ctl, STATE + i)) {
          Atomics.wait(ctl, STATE + i, st);
        }
      }
      if (Atomics.load(ctl, STATE + i) !== seq * 4 + 3) continue;
      this.workerChunks++;
      const u0 = i * chunk;
      const len = Math.min(units - u0, chunk) * per;
      out.set(res.subarray(cOff / 4 + u0 * per, cOff / 4 + u0 * per + len), call.c / 4 + u0 * per);
    }
  }
}

let pool: MatMulPool | null | undefined;

/**
 * The process's pool, or null when one thread is all there is: GPT_KATA_THREADS=1, or a single core.
 * GPT_KATA_THREADS counts threads including the main one; only 2 are used (the machines we target have 2-8 cores,
 * and our matmuls are small enough that a third thread mostly adds copying).
 */
export function matMulPool(): MatMulPool | null {
  if (pool !== undefined) return pool;
  const threads = Number(process.env.GPT_KATA_THREADS ?? availableParallelism());
  pool = threads >= 2 ? new MatMulPool() : null;
  return pool;
}

/** Per matmul shape, whether sharing with the worker is currently faster (simd-matmul.ts asks it). */
export const threadChoice = new ThreadChoice();

/** How the pool has been used in this process, for the bench: threads 1 means no worker was started. */
export function poolStats(): { threads: number; chunks: number; workerChunks: number; pooledCalls: number; eligibleCalls: number } {
  const calls = { pooledCalls: threadChoice.pooledCalls, eligibleCalls: threadChoice.eligibleCalls };
  return pool ? { threads: 2, chunks: pool.chunks, workerChunks: pool.workerChunks, ...calls } : { threads: 1, chunks: 0, workerChunks: 0, ...calls };
}

/** Matmuls below this many FLOPs stay on one thread: waking the worker and copying would cost more than it saves. */
export const POOL_MIN_FLOPS = Number(process.env.GPT_KATA_POOL_MIN_FLOPS ?? 4e6);
