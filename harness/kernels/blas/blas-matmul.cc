// Native BatchMatMul for the wasm backend: cblas_sgemm in place on tfjs's WebAssembly heap (OpenBLAS or Accelerate).
//
// JavaScript passes the heap's ArrayBuffer afresh on every call (the heap can grow, which replaces the buffer), byte
// offsets of the operands in it and per-batch strides; nothing is copied. Every offset is checked against the
// buffer's length first, so a wrong call throws instead of writing outside the heap.
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "elementwise.h"
#include "napi-args.h"
#include "softmax.h"
#include "sums.h"
#include "thread-pair.h"
#include "transpose.h"
#include "unary.h"

#ifdef GPT_KATA_ACCELERATE
#include <Accelerate/Accelerate.h>
#else
#include <cblas.h>
#endif

namespace {

// The int argument i, or -1 (and a pending TypeError) when it is not a non-negative integer.
int64_t count(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) {
    Napi::TypeError::New(info.Env(), std::string("gemm: ") + name + " must be a number").ThrowAsJavaScriptException();
    return -1;
  }
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!(v >= 0) || v > 9007199254740991.0 || v != static_cast<double>(static_cast<int64_t>(v))) {
    Napi::RangeError::New(info.Env(), std::string("gemm: ") + name + " must be a non-negative integer, got " +
                                          std::to_string(v)).ThrowAsJavaScriptException();
    return -1;
  }
  return static_cast<int64_t>(v);
}

// gemm(heap, transA, transB, M, N, K, a, b, c, batch, strideA, strideB[, split])
// For i < batch: C_i = op(A_i) @ op(B_i), row-major; A_i at byte a + 4*i*strideA (strideA 0: one A for every i),
// B_i likewise, C_i at byte c + 4*i*M*N. op(A_i) is M×K (stored K×M when transA), op(B_i) is K×N (N×K when transB).
// split: the work is shared with the helper thread (thread-pair.h), a batch of separate products product by product,
// one product in slices, each piece on one BLAS thread (the caller sets the BLAS to one thread first).
struct Batch {
  CBLAS_TRANSPOSE ta, tb;
  int M, N, K, lda, ldb;
  const float* A;
  const float* B;
  float* C;
  int64_t sa, sb;
};

// One product cut along its longer output side into slices that the caller and the helper claim; each output element
// is still one single-threaded GEMM's dot product over all of K, in the same order.
struct Sliced {
  CBLAS_TRANSPOSE ta, tb;
  int M, N, K, lda, ldb, slice;
  bool alongM;
  const float* A;
  const float* B;
  float* C;
};

void runSlices(const void* ctx, int64_t lo, int64_t hi) {
  const Sliced& p = *static_cast<const Sliced*>(ctx);
  for (int64_t s = lo; s < hi; s++) {
    const int from = static_cast<int>(s) * p.slice;
    if (p.alongM) {
      const int rows = std::min(p.slice, p.M - from);
      const float* a = p.ta == CblasTrans ? p.A + from : p.A + static_cast<int64_t>(from) * p.K;
      cblas_sgemm(CblasRowMajor, p.ta, p.tb, rows, p.N, p.K, 1.0f, a, p.lda, p.B, p.ldb, 0.0f,
                  p.C + static_cast<int64_t>(from) * p.N, p.N);
    } else {
      const int cols = std::min(p.slice, p.N - from);
      const float* b = p.tb == CblasTrans ? p.B + static_cast<int64_t>(from) * p.K : p.B + from;
      cblas_sgemm(CblasRowMajor, p.ta, p.tb, p.M, cols, p.K, 1.0f, p.A, p.lda, b, p.ldb, 0.0f, p.C + from, p.N);
    }
  }
}

// C = op(A) @ op(B), shared with the helper when `split`, else on the BLAS's own threads.
void product(bool split, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, int M, int N, int K, const float* A, int lda,
             const float* B, int ldb, float* C) {
  if (!split) {
    ParkHelperThread();  // its spinning would take a core from the BLAS's workers
    cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, 1.0f, A, lda, B, ldb, 0.0f, C, N);
    return;
  }
  const bool alongM = M >= N;
  const int side = alongM ? M : N;
  // two slices of whole 16-wide panels: each packs the other operand once (4 or 8 slices measured 1-3 ms a step slower)
  const int slice = std::max(16, (side + 1) / 2 / 16 * 16);
  const Sliced p{ta, tb, M, N, K, lda, ldb, slice, alongM, A, B, C};
  RunOnTwoThreads(runSlices, &p, (side + slice - 1) / slice, 1);
}

// A batch's B operand stored transposed (attention's q·kᵀ and dy·vᵀ: 48 products of 64×64×32 at baby size) is copied
// into a K×N buffer first when it is this small: OpenBLAS's small transposed products ran at 43 GFLOP/s in a training
// step against 77 for the plain ones, and the copy of 8 KB costs far less than the difference.
constexpr int64_t kCopyTransposedBMost = 16384;

void runProducts(const void* ctx, int64_t lo, int64_t hi) {
  const Batch& p = *static_cast<const Batch*>(ctx);
  const bool copyB = p.tb == CblasTrans && static_cast<int64_t>(p.N) * p.K <= kCopyTransposedBMost;
  thread_local float plainB[kCopyTransposedBMost];  // one per thread: the caller and the helper each copy their own
  for (int64_t i = lo; i < hi; i++) {
    const float* b = p.B + i * p.sb;
    CBLAS_TRANSPOSE tb = p.tb;
    int ldb = p.ldb;
    if (copyB) {  // b is N×K; plainB becomes its K×N transpose, the same numbers in the order the plain product reads
      for (int n = 0; n < p.N; n++) {
        for (int k = 0; k < p.K; k++) plainB[static_cast<int64_t>(k) * p.N + n] = b[static_cast<int64_t>(n) * p.K + k];
      }
      b = plainB;
      tb = CblasNoTrans;
      ldb = p.N;
    }
    cblas_sgemm(CblasRowMajor, p.ta, tb, p.M, p.N, p.K, 1.0f, p.A + i * p.sa, p.lda, b, ldb, 0.0f,
                p.C + i * static_cast<int64_t>(p.M) * p.N, p.N);
  }
}

Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if ((info.Length() != 12 && info.Length() != 13) || !info[0].IsArrayBuffer() || !info[1].IsBoolean() ||
      !info[2].IsBoolean() || (info.Length() == 13 && !info[12].IsBoolean())) {
    Napi::TypeError::New(env, "gemm(heap: ArrayBuffer, transA, transB, M, N, K, a, b, c, batch, strideA, strideB[, split])")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::ArrayBuffer heap = info[0].As<Napi::ArrayBuffer>();
  const bool transA = info[1].As<Napi::Boolean>().Value();
  const bool transB = info[2].As<Napi::Boolean>().Value();
  static const char* names[] = {"M", "N", "K", "a", "b", "c", "batch", "strideA", "strideB"};
  int64_t v[9];
  for (size_t i = 0; i < 9; i++) {
    v[i] = count(info, i + 3, names[i]);
    if (v[i] < 0) return env.Undefined();
  }
  const int64_t M = v[0], N = v[1], K = v[2], a = v[3], b = v[4], c = v[5], batch = v[6], sa = v[7], sb = v[8];
  if (M > INT32_MAX || N > INT32_MAX || K > INT32_MAX || M * batch > INT32_MAX) {
    Napi::RangeError::New(env, "gemm: a matrix dimension exceeds BLAS's 32-bit int").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const uint64_t length = heap.ByteLength();
  const uint64_t last = batch ? static_cast<uint64_t>(batch - 1) : 0;
  if (batch == 0 || M == 0 || N == 0) return env.Undefined();
  if (!gpt_kata::Fits(a, last * sa + M * K, length) || !gpt_kata::Fits(b, last * sb + K * N, length) ||
      !gpt_kata::Fits(c, batch * M * N, length)) {
    Napi::RangeError::New(env, "gemm: an operand lies outside the heap (" + std::to_string(length) +
                                   " bytes); was the buffer taken before the heap grew?").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint8_t* base = static_cast<uint8_t*>(heap.Data());
  const float* A = reinterpret_cast<const float*>(base + a);
  const float* B = reinterpret_cast<const float*>(base + b);
  float* C = reinterpret_cast<float*>(base + c);
  if (K == 0) {  // an empty sum; BLAS rejects lda = 0
    std::memset(C, 0, static_cast<size_t>(batch * M * N) * 4);
    return env.Undefined();
  }
  const bool split = info.Length() == 13 && info[12].As<Napi::Boolean>().Value();
  const CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans;
  const CBLAS_TRANSPOSE tb = transB ? CblasTrans : CblasNoTrans;
  const int lda = static_cast<int>(transA ? M : K);
  const int ldb = static_cast<int>(transB ? K : N);
  if ((!transA && sa == M * K && sb == 0) || batch == 1) {
    // one product: or one B for a contiguous stack of A's (x[B,T,C] @ w[C,N]), a single (batch·M)×K @ K×N product
    product(split, ta, tb, static_cast<int>(batch * M), static_cast<int>(N), static_cast<int>(K), A, lda, B, ldb, C);
    return env.Undefined();
  }
  const Batch products{ta, tb, static_cast<int>(M), static_cast<int>(N), static_cast<int>(K), lda, ldb, A, B, C, sa, sb};
  if (split && batch > 1) {
    RunOnTwoThreads(runProducts, &products, batch, 1);
  } else {
    ParkHelperThread();
    runProducts(&products, 0, batch);
  }
  return env.Undefined();
}

// setThreads(n): how many threads BLAS may use (OpenBLAS; Accelerate decides for itself).
Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "setThreads(n: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
#ifdef OPENBLAS_VERSION
  openblas_set_num_threads(info[0].As<Napi::Number>().Int32Value());
#endif
  return env.Undefined();
}

// info(): which BLAS this is, for the messages: { library, config, core, parallel, threads }.
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
#if defined(GPT_KATA_ACCELERATE)
  o.Set("library", "Accelerate");
  o.Set("config", "Apple Accelerate (vecLib)");
  o.Set("core", "");
  o.Set("parallel", "threads managed by macOS");
  o.Set("threads", env.Null());
#elif defined(OPENBLAS_VERSION)
  o.Set("library", "OpenBLAS");
  o.Set("config", openblas_get_config());
  o.Set("core", openblas_get_corename());
  const int parallel = openblas_get_parallel();
  o.Set("parallel", parallel == 1 ? "pthreads" : parallel == 2 ? "OpenMP" : "sequential");
  o.Set("threads", openblas_get_num_threads());
#else
  o.Set("library", "CBLAS");
  o.Set("config", "a CBLAS other than OpenBLAS");
  o.Set("core", "");
  o.Set("parallel", "unknown");
  o.Set("threads", env.Null());
#endif
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("setThreads", Napi::Function::New(env, SetThreads, "setThreads"));
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  InitElementwise(env, exports);
  InitTranspose(env, exports);
  InitSums(env, exports);
  InitUnary(env, exports);
  InitSoftmax(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(blas_matmul, Init)
