// Transpose and broadcast (Tile of size-1 axes) of 4-byte elements on tfjs's wasm heap, shared between the calling
// thread and its helper (thread-pair.h): both read the input with a stride per output axis (0 where an axis repeats).
// Output rows (every axis but the last) are dealt out in chunks; a row whose last axis reads the input contiguously is
// one copy, any other is gathered with that axis's stride. Copies only: the result is exact.
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>

#include "napi-args.h"
#include "thread-pair.h"
#include "transpose.h"

namespace {

constexpr int kMaxRank = 8;

struct Job {
  const uint32_t* x;
  uint32_t* out;
  int rank;
  int64_t outShape[kMaxRank];  // the output's shape
  int64_t inStride[kMaxRank];  // per output axis: the input stride of the axis it comes from
  int64_t last;                // output elements per row
};

void runRows(const void* ctx, int64_t lo, int64_t hi) {
  const Job& j = *static_cast<const Job*>(ctx);
  const int outer = j.rank - 1;
  int64_t at[kMaxRank] = {0};
  int64_t rest = lo, from = 0;
  for (int d = outer - 1; d >= 0; d--) {  // coordinates of row lo over the output's outer axes
    at[d] = rest % j.outShape[d];
    rest /= j.outShape[d];
    from += at[d] * j.inStride[d];
  }
  const int64_t step = j.inStride[outer];
  for (int64_t row = lo; row < hi; row++) {
    uint32_t* dst = j.out + row * j.last;
    if (step == 1) {
      std::memcpy(dst, j.x + from, static_cast<size_t>(j.last) * 4);
    } else if (step == 0) {  // a broadcast along the last axis: one value over the row
      std::fill(dst, dst + j.last, j.x[from]);
    } else {
      const uint32_t* src = j.x + from;
      for (int64_t k = 0; k < j.last; k++) dst[k] = src[k * step];
    }
    for (int d = outer - 1; d >= 0; d--) {  // the odometer
      from += j.inStride[d];
      if (++at[d] < j.outShape[d]) break;
      from -= j.inStride[d] * j.outShape[d];
      at[d] = 0;
    }
  }
}

// Runs a copy of n output elements, on the helper too when threads > 1 and there are rows to share.
void runJob(Job& job, int64_t n, int threads) {
  job.last = job.outShape[job.rank - 1];
  const int64_t rows = n / job.last;
  if (threads < 2 || rows < 2) {
    runRows(&job, 0, rows);
  } else {
    RunOnTwoThreads(runRows, &job, rows, std::max<int64_t>(1, (rows + 7) / 8));
  }
}

// transpose(heap, x, out, shape: number[], perm: number[], threads): out = x transposed by perm (4-byte elements).
Napi::Value Transpose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6 || !info[0].IsArrayBuffer() || !info[1].IsNumber() || !info[2].IsNumber() ||
      !info[3].IsArray() || !info[4].IsArray() || !info[5].IsNumber()) {
    Napi::TypeError::New(env, "transpose(heap, x, out, shape, perm, threads)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array shape = info[3].As<Napi::Array>();
  Napi::Array perm = info[4].As<Napi::Array>();
  const uint32_t rank = shape.Length();
  if (rank < 1 || rank > kMaxRank || perm.Length() != rank) {
    Napi::RangeError::New(env, "transpose: rank 1-8, with a perm of the same length").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t dims[kMaxRank], axes[kMaxRank];
  bool used[kMaxRank] = {false};
  uint64_t n = 1;
  for (uint32_t i = 0; i < rank; i++) {
    Napi::Value dv = shape.Get(i), pv = perm.Get(i);
    const double d = dv.IsNumber() ? dv.As<Napi::Number>().DoubleValue() : -1;
    const double p = pv.IsNumber() ? pv.As<Napi::Number>().DoubleValue() : -1;
    if (!(d >= 0) || d > 2147483647.0 || d != static_cast<double>(static_cast<int64_t>(d)) || !(p >= 0) || p >= rank ||
        p != static_cast<double>(static_cast<int64_t>(p)) || used[static_cast<int>(p)]) {
      Napi::RangeError::New(env, "transpose: shape must be non-negative integers and perm a permutation").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    dims[i] = static_cast<int64_t>(d);
    axes[i] = static_cast<int64_t>(p);
    used[axes[i]] = true;
    n *= static_cast<uint64_t>(dims[i]);
  }
  const double xd = info[1].As<Napi::Number>().DoubleValue(), od = info[2].As<Napi::Number>().DoubleValue();
  Napi::ArrayBuffer heap = info[0].As<Napi::ArrayBuffer>();
  const uint64_t length = heap.ByteLength();
  if (!(xd >= 0) || !(od >= 0) || xd != static_cast<double>(static_cast<uint64_t>(xd)) ||
      od != static_cast<double>(static_cast<uint64_t>(od)) || !gpt_kata::Fits(static_cast<uint64_t>(xd), n, length) ||
      !gpt_kata::Fits(static_cast<uint64_t>(od), n, length)) {
    Napi::RangeError::New(env, "transpose: an operand lies outside the heap").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (n == 0) return env.Undefined();
  uint8_t* base = static_cast<uint8_t*>(heap.Data());
  Job job{};
  job.x = reinterpret_cast<const uint32_t*>(base + static_cast<uint64_t>(xd));
  job.out = reinterpret_cast<uint32_t*>(base + static_cast<uint64_t>(od));
  job.rank = static_cast<int>(rank);
  int64_t stride[kMaxRank];
  stride[rank - 1] = 1;
  for (int i = static_cast<int>(rank) - 2; i >= 0; i--) stride[i] = stride[i + 1] * dims[i + 1];
  for (uint32_t i = 0; i < rank; i++) {
    job.outShape[i] = dims[axes[i]];
    job.inStride[i] = stride[axes[i]];
  }
  runJob(job, static_cast<int64_t>(n), info[5].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

// broadcast(heap, x, out, xShape: number[], outShape: number[], threads): out = x repeated along its size-1 axes.
Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 6 || !info[0].IsArrayBuffer() || !info[1].IsNumber() || !info[2].IsNumber() ||
      !info[3].IsArray() || !info[4].IsArray() || !info[5].IsNumber()) {
    Napi::TypeError::New(env, "broadcast(heap, x, out, xShape, outShape, threads)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array xShape = info[3].As<Napi::Array>();
  Napi::Array oShape = info[4].As<Napi::Array>();
  const uint32_t rank = oShape.Length();
  if (rank < 1 || rank > kMaxRank || xShape.Length() != rank) {
    Napi::RangeError::New(env, "broadcast: rank 1-8, the same for both shapes").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t xd[kMaxRank], od[kMaxRank];
  uint64_t nx = 1, n = 1;
  for (uint32_t i = 0; i < rank; i++) {
    Napi::Value a = xShape.Get(i), b = oShape.Get(i);
    const double dx = a.IsNumber() ? a.As<Napi::Number>().DoubleValue() : -1;
    const double dout = b.IsNumber() ? b.As<Napi::Number>().DoubleValue() : -1;
    if (!(dx >= 1) || !(dout >= 1) || dx > 2147483647.0 || dout > 2147483647.0 ||
        dx != static_cast<double>(static_cast<int64_t>(dx)) || dout != static_cast<double>(static_cast<int64_t>(dout)) ||
        (dx != 1 && dx != dout)) {
      Napi::RangeError::New(env, "broadcast: each input axis must be 1 or the output's size").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    xd[i] = static_cast<int64_t>(dx);
    od[i] = static_cast<int64_t>(dout);
    nx *= static_cast<uint64_t>(xd[i]);
    n *= static_cast<uint64_t>(od[i]);
  }
  const double xo = info[1].As<Napi::Number>().DoubleValue(), oo = info[2].As<Napi::Number>().DoubleValue();
  Napi::ArrayBuffer heap = info[0].As<Napi::ArrayBuffer>();
  const uint64_t length = heap.ByteLength();
  if (!(xo >= 0) || !(oo >= 0) || xo != static_cast<double>(static_cast<uint64_t>(xo)) ||
      oo != static_cast<double>(static_cast<uint64_t>(oo)) || !gpt_kata::Fits(static_cast<uint64_t>(xo), nx, length) ||
      !gpt_kata::Fits(static_cast<uint64_t>(oo), n, length)) {
    Napi::RangeError::New(env, "broadcast: an operand lies outside the heap").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint8_t* base = static_cast<uint8_t*>(heap.Data());
  Job job{};
  job.x = reinterpret_cast<const uint32_t*>(base + static_cast<uint64_t>(xo));
  job.out = reinterpret_cast<uint32_t*>(base + static_cast<uint64_t>(oo));
  job.rank = static_cast<int>(rank);
  for (int i = static_cast<int>(rank) - 1, s = 1; i >= 0; i--) {
    job.outShape[i] = od[i];
    job.inStride[i] = xd[i] == 1 ? 0 : s;  // a repeated axis reads the same place again
    s *= static_cast<int>(xd[i]);
  }
  runJob(job, static_cast<int64_t>(n), info[5].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

}  // namespace

void InitTranspose(Napi::Env env, Napi::Object exports) {
  exports.Set("transpose", Napi::Function::New(env, Transpose, "transpose"));
  exports.Set("broadcast", Napi::Function::New(env, Broadcast, "broadcast"));
}
