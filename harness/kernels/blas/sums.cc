// Sums over a middle block of axes (sum_mid in wasm/kernels.c: bias gradients, Σ over rows of [rows, C]) on tfjs's wasm
// heap, shared between the calling thread and its helper (thread-pair.h) by blocks of columns. Each column is summed
// over the rows in order from +0, as each lane of the wasm kernel sums it, so the floats are the same.
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "sums.h"
#include "napi-args.h"
#include "simd-clones.h"
#include "thread-pair.h"

namespace {

// Most columns a unit of work sums at once (a 16 KB accumulator). A unit reads its block of every row in turn, so the
// wider the block the longer each contiguous read: one block of 64 columns of a [768, 512] gradient took 245 µs, as the
// hardware prefetcher lost the stream at every row.
constexpr int64_t kMostColumns = 4096;

struct Job {
  const float* x;
  float* out;
  int64_t O, R, I, width, blocks;  // x is [O, R, I]; out is [O, I]; `blocks` blocks of `width` columns per o
};

GPT_KATA_SIMD_CLONES void runBlocks(const void* ctx, int64_t lo, int64_t hi) {
  const Job& j = *static_cast<const Job*>(ctx);
  float acc[kMostColumns];
  for (int64_t u = lo; u < hi; u++) {
    const int64_t o = u / j.blocks, first = (u % j.blocks) * j.width;
    const int64_t width = std::min(j.width, j.I - first);
    const float* src = j.x + o * j.R * j.I + first;
    for (int64_t i = 0; i < width; i++) acc[i] = 0.0f;
    for (int64_t r = 0; r < j.R; r++) {
      const float* row = src + r * j.I;
      for (int64_t i = 0; i < width; i++) acc[i] += row[i];
    }
    float* dst = j.out + o * j.I + first;
    for (int64_t i = 0; i < width; i++) dst[i] = acc[i];
  }
}

// sumMid(heap, x, out, O, R, I, threads): out[o, i] = Σ_r x[o, r, i], byte offsets.
Napi::Value SumMid(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 7 || !info[0].IsArrayBuffer()) {
    Napi::TypeError::New(env, "sumMid(heap, x, out, O, R, I, threads)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t v[6];
  if (!gpt_kata::ReadCounts(info, 1, 6, v, "sumMid")) return env.Undefined();
  const int64_t x = v[0], out = v[1], O = v[2], R = v[3], I = v[4], threads = v[5];
  Napi::ArrayBuffer heap = info[0].As<Napi::ArrayBuffer>();
  const uint64_t length = heap.ByteLength();
  if ((O && R && I && (O > INT32_MAX || R > INT32_MAX || I > INT32_MAX)) || !gpt_kata::Fits(x, O * R * I, length) ||
      !gpt_kata::Fits(out, O * I, length)) {
    Napi::RangeError::New(env, "sumMid: an operand lies outside the heap").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (O == 0 || I == 0) return env.Undefined();
  uint8_t* base = static_cast<uint8_t*>(heap.Data());
  // one block per row on one thread; on two, each o's columns in two halves (whole 16-float lines) so both stream
  const int64_t parts = threads < 2 || O >= 2 ? 1 : 2;
  const int64_t width = std::min(kMostColumns, std::max<int64_t>(16, (I + parts - 1) / parts + 15) / 16 * 16);
  const Job job{reinterpret_cast<const float*>(base + x), reinterpret_cast<float*>(base + out), O, R, I, width,
                (I + width - 1) / width};
  const int64_t units = O * job.blocks;
  if (threads < 2 || units < 2) runBlocks(&job, 0, units);
  else RunOnTwoThreads(runBlocks, &job, units, std::max<int64_t>(1, units / 8));
  return env.Undefined();
}

}  // namespace

void InitSums(Napi::Env env, Napi::Object exports) {
  exports.Set("sumMid", Napi::Function::New(env, SumMid, "sumMid"));
}
