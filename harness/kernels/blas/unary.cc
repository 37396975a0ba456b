// Relu, Square and their gradients over float32 on tfjs's wasm heap, on the calling thread or shared with its helper
// (thread-pair.h). Each element is the same float tfjs gives: Relu as the cpu backend's max(0, x) (NaN stays NaN, −0
// becomes +0), Relu's gradient as dy·step(x) with NaN where x is NaN (wasm/kernels.c relu_grad), Square as x·x and its
// gradient as dy·(x·2), tfjs's formula in its order, each product one correctly rounded operation (built without FMA
// contraction).
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "napi-args.h"
#include "simd-clones.h"
#include "thread-pair.h"
#include "unary.h"

namespace {

enum Op { kRelu = 0, kReluGrad = 1, kSquare = 2, kSquareGrad = 3 };

struct Job {
  int op;
  const float* x;
  const float* dy;  // the gradient's incoming dy (kReluGrad, kSquareGrad), else unused
  float* out;
};

GPT_KATA_SIMD_CLONES void runRange(const void* ctx, int64_t lo, int64_t hi) {
  const Job& j = *static_cast<const Job*>(ctx);
  const float* __restrict x = j.x;
  const float* __restrict dy = j.dy;
  float* __restrict out = j.out;
  // branch-free selects, so each loop vectorizes: signs are random, and a branch per element mispredicts half the time
  switch (j.op) {
    case kRelu:
      for (int64_t i = lo; i < hi; i++) {
        const float v = x[i];
        const float r = v > 0.0f ? v : 0.0f;
        out[i] = v != v ? v : r;  // NaN stays NaN
      }
      return;
    case kReluGrad:
      for (int64_t i = lo; i < hi; i++) {
        const float v = x[i];
        const float step = v > 0.0f ? 1.0f : 0.0f;
        out[i] = dy[i] * (v != v ? v : step);  // NaN where x is NaN
      }
      return;
    case kSquare:
      for (int64_t i = lo; i < hi; i++) out[i] = x[i] * x[i];
      return;
    default:
      for (int64_t i = lo; i < hi; i++) out[i] = dy[i] * (x[i] * 2.0f);
      return;
  }
}

// unary(heap, op, x, dy, out, n, threads): out = op(x) (or op's gradient for dy), n floats; byte offsets.
Napi::Value Unary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 7 || !info[0].IsArrayBuffer()) {
    Napi::TypeError::New(env, "unary(heap, op, x, dy, out, n, threads)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t v[6];
  if (!gpt_kata::ReadCounts(info, 1, 6, v, "unary")) return env.Undefined();
  const int64_t op = v[0], x = v[1], dy = v[2], out = v[3], n = v[4], threads = v[5];
  if (op > kSquareGrad) {
    Napi::RangeError::New(env, "unary: unknown op").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::ArrayBuffer heap = info[0].As<Napi::ArrayBuffer>();
  const uint64_t length = heap.ByteLength();
  const bool withDy = op == kReluGrad || op == kSquareGrad;
  if (!gpt_kata::Fits(x, n, length) || !gpt_kata::Fits(out, n, length) ||
      (withDy && !gpt_kata::Fits(dy, n, length))) {
    Napi::RangeError::New(env, "unary: an operand lies outside the heap").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (n == 0) return env.Undefined();
  uint8_t* base = static_cast<uint8_t*>(heap.Data());
  const Job job{static_cast<int>(op), reinterpret_cast<const float*>(base + x),
                withDy ? reinterpret_cast<const float*>(base + dy) : nullptr, reinterpret_cast<float*>(base + out)};
  if (threads < 2) runRange(&job, 0, n);
  else RunOnTwoThreads(runRange, &job, n, std::max<int64_t>(8192, (n + 7) / 8));  // 8 chunks: a late helper costs one
  return env.Undefined();
}

}  // namespace

void InitUnary(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
}
