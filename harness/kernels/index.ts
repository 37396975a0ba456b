// Performance kernels for the wasm backend; registerWasmKernels() installs them all (call after setBackend('wasm')).
import * as tf from '@tensorflow/tfjs';
import { describeBlas, loadBlas } from './blas-addon.ts';
import { batchMatMul } from './batch-matmul.ts';
import { blasGemm } from './blas-matmul.ts';
import { divGradRowsConfig, registerDivGradient } from './div-grad.ts';
import { fusedElementwiseConfig } from './fused-elementwise.ts';
import { intAdd, intBroadcast, intSub } from './int-broadcast.ts';
import { registerReductionGradients } from './reduction-grads.ts';
import { mulGradColsConfig, registerMulGradient } from './mul-grad.ts';
import { nativeSoftmax, nativeSoftmaxGrad } from './native-softmax.ts';
import { nativeUnary, nativeUnaryGrad } from './native-unary.ts';
import { registerReluGradient, reluGradConfig } from './relu-grad.ts';
import { rowGather, rowSplit, rowUnpack } from './row-copies.ts';
import { sharedCast, sharedIdentity } from './shared-identity.ts';
import { registerSquareGradient, SQUARE_GRAD } from './square-grad.ts';
import { shareSavedTensors } from './shared-saves.ts';
import { freeDuringBackward } from './backward-pass.ts';
import { softmaxCrossEntropyConfig } from './softmax-cross-entropy.ts';
import { threadedBinary } from './threaded-binary.ts';
import { threadedBroadcast, threadedTranspose } from './threaded-copies.ts';
import { threadedSum } from './threaded-sums.ts';
import { registerSoftmaxGradient, softmaxGradConfig } from './softmax-grad.ts';
import { simdGemm } from './simd-matmul.ts';
import { simdSoftmax } from './simd-softmax.ts';
import { simdMean, simdSum } from './simd-sum.ts';
import { simdTile } from './simd-tile.ts';
import { simdTranspose } from './simd-transpose.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';
import type { WasmKernelFunc } from './wasm-backend.ts';

const MARK = Symbol.for('gpt-kata.kernels'); // tags the kernels we registered, so a second call is a no-op

export interface WasmKernelOptions {
  /** Everything beyond the two must-haves, BLAS included (default true); false is the bench's --baseline, the "before". */
  simd?: boolean;
  /** BatchMatMul on the system BLAS where the native addon loads (default true); false keeps our wasm SIMD matmul. */
  blas?: boolean;
}

let matmulPath = 'wasm (the backend\'s own kernels: registerWasmKernels() has not run)';

/**
 * Which BatchMatMul the wasm backend runs, for doctor, bench and the trainer's first line:
 * "OpenBLAS 0.3.21 (pthreads, 2 threads, core Haswell)", or "wasm SIMD (native addon not built: …; …)".
 */
export function wasmMatmulPath(): string {
  return matmulPath;
}

/** Replaces (or adds) the wasm kernel `name`; `wrap` receives the kernel function it replaces. */
function override(name: string, wrap: (previous: WasmKernelFunc | undefined) => WasmKernelFunc): void {
  const previous = tf.getKernel(name, 'wasm');
  if (previous && (previous as unknown as Record<symbol, boolean>)[MARK]) return;
  if (previous) tf.unregisterKernel(name, 'wasm');
  const config: tf.KernelConfig = {
    kernelName: name,
    backendName: 'wasm',
    setupFunc: previous?.setupFunc, // the replaced kernel still needs its setup when a new wasm backend starts
    kernelFunc: wrap(previous?.kernelFunc as unknown as WasmKernelFunc | undefined) as unknown as tf.KernelFunc,
  };
  (config as unknown as Record<symbol, boolean>)[MARK] = true;
  tf.registerKernel(config);
}

function required(name: string, k: WasmKernelFunc | undefined): WasmKernelFunc {
  if (!k) throw new Error(`the wasm backend has no ${name} kernel: import @tensorflow/tfjs-backend-wasm first`);
  return k;
}

/**
 * Registers our wasm kernels. Idempotent (the first call's options win). Always:
 *  - UnsortedSegmentSum (missing on wasm; gather's gradient, so embeddings train);
 *  - BatchMatMul in place on the heap (batch-matmul.ts), never wasm's slow transposed path, on one GEMM engine chosen
 *    here: the system BLAS where the native addon loads (blas-matmul.ts), else our SIMD kernel (simd-matmul.ts);
 *    operands that are not float32 go to the backend's own kernel.
 * With simd (the default), also: Transpose, copy-free Identity/Cast, Sum over a block of axes and Mean over the
 * innermost (simd-sum.ts), broadcast Tile, row-copy Unpack/SplitV/GatherV2, int32 Add/Sub that broadcast
 * (int-broadcast.ts: every causal mask's index arithmetic), the fused elementwise kernel (fused-elementwise.ts),
 * Softmax (simd-softmax.ts) and its gradient (softmax-grad.ts) in one pass per row, the trainer's cross-entropy with
 * its gradient as one kernel (softmax-cross-entropy.ts), Relu's gradient in one pass (relu-grad.ts), RealDiv's
 * gradient for a per-row divisor (div-grad.ts) and Multiply's for a row-broadcast vector (mul-grad.ts) in one pass,
 * and (backend-agnostic) Sum/Mean gradients that do not upload a ones tensor; and on tfjs's engine, tensors saved
 * for a first-order backward pass share their buffers without a kernel call or tape node each (shared-saves.ts).
 * With the native addon, Softmax and its gradient (native-softmax.ts), Relu, Square and their gradients
 * (native-unary.ts, square-grad.ts) run natively too, as do float32 Add/Sub/Multiply/RealDiv, Transpose, broadcasts and
 * bias-gradient sums (threaded-*.ts).
 * BatchMatMul's gradient is grader/tfjs/broadcast-matmul-grad.ts's.
 */
export function registerWasmKernels(options: WasmKernelOptions = {}): void {
  const simd = options.simd ?? true;
  override(tf.UnsortedSegmentSum, () => unsortedSegmentSumConfig.kernelFunc as unknown as WasmKernelFunc);
  override(tf.BatchMatMul, (previous) => {
    const own = required(tf.BatchMatMul, previous);
    if (!simd) {
      matmulPath = 'wasm SIMD (baseline: no BLAS, no other kernels of ours)';
      return batchMatMul(simdGemm, own);
    }
    const blas = options.blas === false ? { ok: false as const, reason: 'native addon not used: registerWasmKernels({ blas: false })' } : loadBlas();
    matmulPath = blas.ok ? describeBlas(blas.info) : `wasm SIMD (${blas.reason})`;
    return batchMatMul(blas.ok ? blasGemm(blas.addon) : simdGemm, own);
  });
  if (!simd) return;
  override(tf.Identity, (previous) => sharedIdentity(required(tf.Identity, previous)));
  override(tf.Cast, (previous) => sharedCast(required(tf.Cast, previous)));
  override(tf.Mean, (previous) => simdMean(required(tf.Mean, previous)));
  override(tf.Unpack, (previous) => rowUnpack(required(tf.Unpack, previous)));
  override(tf.SplitV, (previous) => rowSplit(required(tf.SplitV, previous)));
  override(tf.GatherV2, (previous) => rowGather(required(tf.GatherV2, previous)));
  const blas = options.blas === false ? undefined : loadBlas();
  const native = blas?.ok ? blas.addon : undefined; // native kernels, on two threads where they pay (nativeThreads)
  override(tf.Softmax, (previous) => {
    const own = simdSoftmax(required(tf.Softmax, previous));
    return native ? nativeSoftmax(native, own) : own;
  });
  const binary = (op: Parameters<typeof threadedBinary>[1], k: WasmKernelFunc) => (native ? threadedBinary(native, op, k) : k);
  override(tf.Add, (previous) => binary('add', intBroadcast(required(tf.Add, previous), intAdd)));
  override(tf.Sub, (previous) => binary('sub', intBroadcast(required(tf.Sub, previous), intSub)));
  override(tf.Multiply, (previous) => binary('mul', required(tf.Multiply, previous)));
  override(tf.RealDiv, (previous) => binary('div', required(tf.RealDiv, previous)));
  override(tf.Transpose, (previous) => {
    const own = simdTranspose(required(tf.Transpose, previous));
    return native ? threadedTranspose(native, own) : own; // natively, on two threads where it pays
  });
  override(tf.Sum, (previous) => {
    const own = simdSum(required(tf.Sum, previous));
    return native ? threadedSum(native, own) : own; // bias gradients natively
  });
  override(tf.Tile, (previous) => {
    const own = simdTile(required(tf.Tile, previous));
    return native ? threadedBroadcast(native, own) : own; // broadcasts natively
  });
  override(fusedElementwiseConfig.kernelName, () => fusedElementwiseConfig.kernelFunc as unknown as WasmKernelFunc);
  const softmaxGrad = softmaxGradConfig.kernelFunc as unknown as WasmKernelFunc;
  override(softmaxGradConfig.kernelName, () => (native ? nativeSoftmaxGrad(native, softmaxGrad) : softmaxGrad));
  override(softmaxCrossEntropyConfig.kernelName, () => softmaxCrossEntropyConfig.kernelFunc as unknown as WasmKernelFunc);
  const reluGrad = reluGradConfig.kernelFunc as unknown as WasmKernelFunc;
  override(reluGradConfig.kernelName, () => (native ? nativeUnaryGrad(native, 'reluGrad', reluGrad) : reluGrad));
  if (native) {
    override(tf.Relu, (previous) => nativeUnary(native, 'relu', required(tf.Relu, previous)));
    override(tf.Square, (previous) => nativeUnary(native, 'square', required(tf.Square, previous)));
    override(SQUARE_GRAD, () => nativeUnaryGrad(native, 'squareGrad'));
  }
  override(divGradRowsConfig.kernelName, () => divGradRowsConfig.kernelFunc as unknown as WasmKernelFunc);
  override(mulGradColsConfig.kernelName, () => mulGradColsConfig.kernelFunc as unknown as WasmKernelFunc);
  registerReductionGradients(); // backend-agnostic: Sum/Mean gradients without uploading a ones tensor
  registerSoftmaxGradient(); // one pass per row on wasm (softmax-grad.ts), tfjs's formula elsewhere
  registerReluGradient(); // one pass on wasm (relu-grad.ts), tfjs's formula elsewhere
  registerSquareGradient(); // one native pass on wasm with the addon (square-grad.ts), tfjs's formula elsewhere
  registerDivGradient(); // the per-row divisor's part in one pass on wasm (div-grad.ts), tfjs's formula elsewhere
  registerMulGradient(); // a row-broadcast vector's part in one pass on wasm (mul-grad.ts), tfjs's formula elsewhere
  shareSavedTensors(); // wasm, first-order gradients only; tfjs's clone everywhere else
  freeDuringBackward(); // first-order gradients free what they no longer need as they go (backward-pass.ts)
}
