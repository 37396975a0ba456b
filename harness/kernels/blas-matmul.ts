// The GEMM engine on the system BLAS (blas-addon.ts): cblas_sgemm in place on tfjs's heap, the big products shared
// with the addon's helper thread, on the BLAS's threads or on one, whichever makes training steps faster right now.
import { blasThreads, type BlasAddon } from './blas-addon.ts';
import type { GemmEngine } from './batch-matmul.ts';
import { ThreadChoice } from './thread-choice.ts';
import { heapBuffer } from './wasm-backend.ts';

/**
 * Matmuls below this many FLOPs run on one BLAS thread without asking: OpenBLAS itself keeps products under
 * ~0.5 MFLOP on one thread, and waking a second costs more than it saves until a few MFLOP.
 */
const THREADS_MIN_FLOPS = 4e6;

/**
 * How the big products use the cores right now: shared with the addon's helper thread, on the BLAS's own threads, or
 * on one. On a busy machine a second thread is often descheduled and the product waits for it (measured here: 600 ms
 * a step instead of 195 at load 10), so training steps are timed each way and the fastest kept (thread-choice.ts);
 * trainStep reports each step's time.
 */
export const blasThreadChoice = new ThreadChoice();
let threadsNow = 0; // what the addon was last told
let threadCap = Infinity;

/** At most n BLAS threads from now on (undefined: GPT_KATA_THREADS or every core again); the bench's one-thread profile. */
export function capBlasThreads(n?: number): void {
  threadCap = n ?? Infinity;
}

/**
 * Kernels (elementwise, copies, sums) share with the helper thread only from this many elements: below it one thread
 * is as fast, since handing half of a pass to the helper costs a few µs and a 64K-float pass takes ~25 µs alone.
 */
const SHARE_MIN_ELEMENTS = 65536;

/**
 * From this many elements those kernels run natively even on the calling thread alone: compiled for the processor,
 * a pass over [768, 128] floats takes 13 µs against tfjs-wasm's 37 (Add; 2-vCPU Xeon), and the call costs ~1 µs.
 */
const NATIVE_MIN_ELEMENTS = 4096;

/** Whether work is shared between threads right now: more than one configured, no cap, and the choice says so. */
function blasSharingNow(): boolean {
  return threadCap === Infinity && blasThreads() > 1 && blasThreadChoice.sharing();
}

/** The threads a native kernel over n elements runs on now: 2 (shared with the helper), 1, or 0 (keep tfjs's). */
export function nativeThreads(n: number): 0 | 1 | 2 {
  if (n < NATIVE_MIN_ELEMENTS) return 0;
  return n >= SHARE_MIN_ELEMENTS && blasSharingNow() ? 2 : 1;
}

/** A training step took `ms` (trainStep reports each): the evidence for the thread choice, where there is one to make. */
export function blasStepDone(ms: number): void {
  if (threadCap === Infinity && blasThreads() > 1) blasThreadChoice.stepDone(ms);
}

function setThreads(addon: BlasAddon, n: number): void {
  if (n !== threadsNow) addon.setThreads((threadsNow = n));
}

/** The engine on `addon`. */
export function blasGemm(addon: BlasAddon): GemmEngine {
  const configured = blasThreads();
  return (backend, g) => {
    const most = Math.min(configured, threadCap);
    const heap = heapBuffer(backend); // taken afresh: an allocation may have grown the heap and so replaced the buffer
    const gemm = () => addon.gemm(heap, g.transposeA, g.transposeB, g.M, g.N, g.K, g.a, g.b, g.c, g.batch, g.strideA, g.strideB);
    // the single products of a batch that broadcasts both ways (rare) stay on one thread
    if (g.part || most === 1 || 2 * g.batch * g.M * g.N * g.K < THREADS_MIN_FLOPS) {
      setThreads(addon, 1);
      gemm();
      return;
    }
    const way = blasThreadChoice.current();
    // 'pair': every product shared with the addon's helper thread, in pieces on one BLAS thread each; 'all': a batch of
    // separate products (attention's per-head q·kᵀ and weights·v) so, one product (x[B,T,C] @ w is one) on the
    // BLAS's own threads; 'one': the calling thread alone
    const separate = g.batch > 1 && !(!g.transposeA && g.strideA === g.M * g.K && g.strideB === 0);
    if (way === 'pair' || (way === 'all' && separate)) {
      setThreads(addon, 1);
      addon.gemm(heap, g.transposeA, g.transposeB, g.M, g.N, g.K, g.a, g.b, g.c, g.batch, g.strideA, g.strideB, true);
      return;
    }
    setThreads(addon, way === 'all' ? most : 1);
    gemm();
  };
}
