// Softmax along rows and its gradient on tfjs's wasm heap, on the calling thread or shared with its helper
// (thread-pair.h) by rows. The arithmetic is wasm/kernels.c's, lane for lane: the same e^x polynomial, four lane
// sums added in the same order, and the same multiply-adds, fused where the processor has FMA (as the wasm kernels'
// relaxed-SIMD build runs them) and rounded apart where it has not. Built for AVX2 with FMA too, chosen at run time:
// the e^x of eight floats at once, 141 µs for the [12, 4, 64, 64] attention weights against the wasm kernel's 211
// (one thread, hot). Without AVX2 and FMA, where it is slower than the wasm kernel, native-softmax.ts keeps to wasm.
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "napi-args.h"
#include "simd-clones.h"
#include "softmax.h"
#include "thread-pair.h"

namespace {

struct Job {
  const float* x;  // softmax: the scores; gradient: dy
  const float* y;  // gradient: the softmax output
  float* out;
  int64_t n;       // row length
  bool grad;
};

// four float lanes, as one wasm f32x4 (GCC's vector extension: lane-wise IEEE operations)
typedef float Lanes __attribute__((vector_size(16)));

GPT_KATA_INLINE Lanes load4(const float* p) {
  Lanes v;
  std::memcpy(&v, p, 16);
  return v;
}

// a·b + c, fused or not as FUSED says (the wasm kernels' MADD)
template <bool FUSED>
GPT_KATA_INLINE float madd(float a, float b, float c) {
  if constexpr (FUSED) return __builtin_fmaf(a, b, c);
  else return a * b + c;
}

// A float's bits and back (std::bit_cast before C++20)
GPT_KATA_INLINE uint32_t bitsOf(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
GPT_KATA_INLINE float floatOf(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// wasm/kernels.c exp_nonpositive, one lane, with masks instead of branches so the loop over a row vectorizes
template <bool FUSED>
GPT_KATA_INLINE float expNonpositive(float x) {
  const uint32_t tiny = 0u - static_cast<uint32_t>(x < -80.0f);  // all ones below -80
  x = x < -80.0f ? -80.0f : x;                                     // pmax: keeps a NaN x
  const float magic = 12583039.0f;
  float n = madd<FUSED>(x, 1.44269504f, magic);
  const float scale = floatOf(bitsOf(n) << 23);
  n = n - magic;
  float r = madd<FUSED>(n, -0.693145752f, x);
  r = madd<FUSED>(n, -1.42860677e-6f, r);
  float p = 0x1.0F9F9Cp-7f;
  p = madd<FUSED>(p, r, 0x1.573A1Ap-5f);
  p = madd<FUSED>(p, r, 0x1.555A80p-3f);
  p = madd<FUSED>(p, r, 0x1.FFFDC6p-2f);
  p = madd<FUSED>(p, r, 0x1.FFFFF6p-1f);
  const float t = r * scale;
  return floatOf(bitsOf(madd<FUSED>(t, p, scale)) & ~tiny);
}

// wasm/kernels.c row_max: four lanes of pmax (a < b ? b : a), NaN tracked apart, then the lanes folded as its
// shuffles fold them. Written without branches, so it vectorizes.
GPT_KATA_INLINE float rowMax(const float* x, int64_t n) {
  float m = x[0];
  int64_t j = 0;
  if (n >= 4) {
    float v0 = x[0], v1 = x[1], v2 = x[2], v3 = x[3];
    int nan = (v0 != v0) | (v1 != v1) | (v2 != v2) | (v3 != v3);
    for (j = 4; j + 4 <= n; j += 4) {
      const float a0 = x[j], a1 = x[j + 1], a2 = x[j + 2], a3 = x[j + 3];
      v0 = v0 < a0 ? a0 : v0;
      v1 = v1 < a1 ? a1 : v1;
      v2 = v2 < a2 ? a2 : v2;
      v3 = v3 < a3 ? a3 : v3;
      nan |= (a0 != a0) | (a1 != a1) | (a2 != a2) | (a3 != a3);
    }
    if (nan) return __builtin_nanf("");
    const float w0 = v0 < v2 ? v2 : v0, w1 = v1 < v3 ? v3 : v1;
    m = w0 < w1 ? w1 : w0;
  }
  for (; j < n; j++) if (x[j] > m || x[j] != x[j]) m = x[j];
  return m;
}

template <bool FUSED>
GPT_KATA_INLINE void softmaxRow(const float* __restrict x, float* __restrict y, int64_t n) {
  const float m = rowMax(x, n);
  const int64_t body = n / 4 * 4;
  for (int64_t j = 0; j < body; j++) y[j] = expNonpositive<FUSED>(x[j] - m);
  Lanes s4 = {0, 0, 0, 0};
  for (int64_t j = 0; j < body; j += 4) s4 = s4 + load4(y + j);
  float s = s4[0] + s4[1] + s4[2] + s4[3];
  for (int64_t j = body; j < n; j++) {
    y[j] = expNonpositive<FUSED>(x[j] - m);
    s += y[j];
  }
  for (int64_t j = 0; j < n; j++) y[j] = y[j] / s;
}

// wasm/kernels.c softmax_grad: dx = dy·y − (Σ dy·y)·y, the sum in two four-lane accumulators over eight floats a step
GPT_KATA_INLINE void softmaxGradRow(const float* __restrict dy, const float* __restrict y, float* __restrict dx, int64_t n) {
  Lanes s0 = {0, 0, 0, 0}, s1 = {0, 0, 0, 0};
  int64_t j = 0;
  for (; j + 8 <= n; j += 8) {
    s0 = s0 + load4(dy + j) * load4(y + j);
    s1 = s1 + load4(dy + j + 4) * load4(y + j + 4);
  }
  const Lanes s4 = s0 + s1;
  float s = s4[0] + s4[1] + s4[2] + s4[3];
  for (; j < n; j++) s += dy[j] * y[j];
  for (int64_t k = 0; k < n; k++) dx[k] = dy[k] * y[k] - s * y[k];
}

template <bool FUSED>
GPT_KATA_INLINE void runRows(const Job& j, int64_t lo, int64_t hi) {
  for (int64_t r = lo; r < hi; r++) {
    if (j.grad) softmaxGradRow(j.x + r * j.n, j.y + r * j.n, j.out + r * j.n, j.n);
    else softmaxRow<FUSED>(j.x + r * j.n, j.out + r * j.n, j.n);
  }
}

#if defined(__aarch64__)
constexpr bool kArm = true;
#else
constexpr bool kArm = false;
#endif

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2,fma"))) void runRowsAvx2(const void* ctx, int64_t lo, int64_t hi) {
  runRows<true>(*static_cast<const Job*>(ctx), lo, hi);
}
bool hasAvx2() {
  static const bool yes = [] {
    __builtin_cpu_init();  // this may run before libgcc's own initialiser
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  }();
  return yes;
}
#else
bool hasAvx2() { return false; }
#endif

void runRowsPlain(const void* ctx, int64_t lo, int64_t hi) {
#if defined(__aarch64__)
  runRows<true>(*static_cast<const Job*>(ctx), lo, hi);  // every arm64 core fuses multiply-adds
#else
  runRows<false>(*static_cast<const Job*>(ctx), lo, hi);
#endif
}

void runRowsOf(const void* ctx, int64_t lo, int64_t hi) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (hasAvx2()) return runRowsAvx2(ctx, lo, hi);
#endif
  runRowsPlain(ctx, lo, hi);
}

// softmax(heap, x, y, out, rows, n, grad, threads): grad false: out = softmax(x) by rows (y unused); grad true:
// out = softmax's gradient for dy = x and the softmax output y. Byte offsets.
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 8 || !info[0].IsArrayBuffer() || !info[6].IsBoolean()) {
    Napi::TypeError::New(env, "softmax(heap, x, y, out, rows, n, grad, threads)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t v[7];
  if (!gpt_kata::ReadCounts(info, 1, 7, v, "softmax", 6)) return env.Undefined();
  const int64_t x = v[0], y = v[1], out = v[2], rows = v[3], n = v[4], threads = v[6];
  const bool grad = info[6].As<Napi::Boolean>().Value();
  Napi::ArrayBuffer heap = info[0].As<Napi::ArrayBuffer>();
  const uint64_t length = heap.ByteLength();
  if (rows > INT32_MAX || n > INT32_MAX || !gpt_kata::Fits(x, rows * n, length) ||
      !gpt_kata::Fits(out, rows * n, length) || (grad && !gpt_kata::Fits(y, rows * n, length))) {
    Napi::RangeError::New(env, "softmax: an operand lies outside the heap").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (rows == 0 || n == 0) return env.Undefined();
  uint8_t* base = static_cast<uint8_t*>(heap.Data());
  const Job job{reinterpret_cast<const float*>(base + x), grad ? reinterpret_cast<const float*>(base + y) : nullptr,
                reinterpret_cast<float*>(base + out), n, grad};
  if (threads < 2 || rows < 2) runRowsOf(&job, 0, rows);
  else RunOnTwoThreads(runRowsOf, &job, rows, std::max<int64_t>(1, rows / 8));
  return env.Undefined();
}

}  // namespace

void InitSoftmax(Napi::Env env, Napi::Object exports) {
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
  exports.Set("softmaxFused", Napi::Boolean::New(env, hasAvx2() || kArm));
}
