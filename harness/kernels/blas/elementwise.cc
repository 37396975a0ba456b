// Float32 Add, Sub, Multiply and RealDiv on tfjs's wasm heap, shared between the calling thread and its helper
// (thread-pair.h). Results are the same floats as one thread's: each element is one correctly rounded IEEE operation
// (built without FMA contraction).
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "elementwise.h"
#include "napi-args.h"
#include "simd-clones.h"
#include "thread-pair.h"

namespace {

enum Op { kAdd = 0, kSub = 1, kMul = 2, kDiv = 3 };
// How y lines up with x (the full-size operand): the same shape; one row of `inner` repeated; one value per row of
// `inner`; one value.
enum Layout { kSame = 0, kRow = 1, kPerRow = 2, kScalar = 3 };

struct Job {
  int op, layout;
  bool flip;  // out = y op x instead of x op y (the broadcast operand came first)
  const float* x;
  const float* y;
  float* out;
  int64_t n, inner;
};

template <Op op, bool flip>
GPT_KATA_INLINE float apply(float a, float b) {
  const float l = flip ? b : a;
  const float r = flip ? a : b;
  if (op == kAdd) return l + r;
  if (op == kSub) return l - r;
  if (op == kMul) return l * r;
  return l / r;
}

template <Op op, bool flip>
GPT_KATA_INLINE void run(const Job& j, int64_t lo, int64_t hi) {
  const float* __restrict x = j.x;
  const float* __restrict y = j.y;
  float* __restrict out = j.out;
  switch (j.layout) {
    case kSame:
      for (int64_t i = lo; i < hi; i++) out[i] = apply<op, flip>(x[i], y[i]);
      return;
    case kScalar: {
      const float s = y[0];
      for (int64_t i = lo; i < hi; i++) out[i] = apply<op, flip>(x[i], s);
      return;
    }
    default:
      for (int64_t i = lo; i < hi;) {
        const int64_t r = i / j.inner, c = i - r * j.inner;
        const int64_t seg = std::min(hi - i, j.inner - c);
        if (j.layout == kRow) {
          const float* yr = y + c;
          for (int64_t k = 0; k < seg; k++) out[i + k] = apply<op, flip>(x[i + k], yr[k]);
        } else {
          const float s = y[r];
          for (int64_t k = 0; k < seg; k++) out[i + k] = apply<op, flip>(x[i + k], s);
        }
        i += seg;
      }
  }
}

template <Op op>
GPT_KATA_INLINE void runFlip(const Job& j, int64_t lo, int64_t hi) {
  if (j.flip) run<op, true>(j, lo, hi);
  else run<op, false>(j, lo, hi);
}

GPT_KATA_SIMD_CLONES void runRange(const Job& j, int64_t lo, int64_t hi) {
  switch (j.op) {
    case kAdd: runFlip<kAdd>(j, lo, hi); return;
    case kSub: runFlip<kSub>(j, lo, hi); return;
    case kMul: runFlip<kMul>(j, lo, hi); return;
    default: runFlip<kDiv>(j, lo, hi); return;
  }
}

void runRangeOf(const void* job, int64_t lo, int64_t hi) { runRange(*static_cast<const Job*>(job), lo, hi); }

// binary(heap, op, layout, flip, x, y, out, n, inner, threads): out = x op y (or y op x) over n floats; byte offsets.
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 10 || !info[0].IsArrayBuffer() || !info[3].IsBoolean()) {
    Napi::TypeError::New(env, "binary(heap, op, layout, flip, x, y, out, n, inner, threads)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t v[9];
  if (!gpt_kata::ReadCounts(info, 1, 9, v, "binary", 3)) return env.Undefined();
  Napi::ArrayBuffer heap = info[0].As<Napi::ArrayBuffer>();
  const int64_t op = v[0], layout = v[1], x = v[3], y = v[4], out = v[5], n = v[6], inner = v[7], threads = v[8];
  const bool flip = info[3].As<Napi::Boolean>().Value();
  if (op > kDiv || layout > kScalar || ((layout == kRow || layout == kPerRow) && (inner == 0 || n % inner != 0))) {
    Napi::RangeError::New(env, "binary: unknown op or layout, or n not a whole number of rows").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const uint64_t ySize = layout == kSame ? n : layout == kRow ? inner : layout == kPerRow ? (inner ? n / inner : 0) : 1;
  const uint64_t length = heap.ByteLength();
  if (n == 0) return env.Undefined();
  if (!gpt_kata::Fits(x, n, length) || !gpt_kata::Fits(y, ySize, length) || !gpt_kata::Fits(out, n, length)) {
    Napi::RangeError::New(env, "binary: an operand lies outside the heap").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint8_t* base = static_cast<uint8_t*>(heap.Data());
  const Job job{static_cast<int>(op), static_cast<int>(layout), flip, reinterpret_cast<const float*>(base + x),
                reinterpret_cast<const float*>(base + y), reinterpret_cast<float*>(base + out), n, inner};
  if (threads < 2) {
    runRange(job, 0, n);
  } else {
    const int64_t chunk = std::max<int64_t>(8192, (n + 7) / 8);  // 8 chunks: a late helper costs at most one
    RunOnTwoThreads(runRangeOf, &job, n, chunk);
  }
  return env.Undefined();
}

}  // namespace

void InitElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
}
