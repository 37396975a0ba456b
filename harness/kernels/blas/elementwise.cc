// Float32 Add, Sub, Multiply and RealDiv on tfjs's wasm heap, shared between the calling thread and one helper thread.
//
// The work is cut into chunks that both threads claim from one counter, so the caller never waits for a helper that
// is slow to wake: it takes every chunk the helper has not claimed, and waits only for chunks the helper is working
// on. The helper spins a short while after each job, so a burst of elementwise kernels finds it awake, then sleeps;
// a matmul parks it at once (park()), so it does not compete with the BLAS's own workers. Results are the same floats
// as one thread's: each element is one correctly rounded IEEE operation (built without FMA contraction).
#include <napi.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "elementwise.h"

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
inline float apply(float a, float b) {
  const float l = flip ? b : a;
  const float r = flip ? a : b;
  if (op == kAdd) return l + r;
  if (op == kSub) return l - r;
  if (op == kMul) return l * r;
  return l / r;
}

template <Op op, bool flip>
void run(const Job& j, int64_t lo, int64_t hi) {
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
void runFlip(const Job& j, int64_t lo, int64_t hi) {
  if (j.flip) run<op, true>(j, lo, hi);
  else run<op, false>(j, lo, hi);
}

void runRange(const Job& j, int64_t lo, int64_t hi) {
  switch (j.op) {
    case kAdd: runFlip<kAdd>(j, lo, hi); return;
    case kSub: runFlip<kSub>(j, lo, hi); return;
    case kMul: runFlip<kMul>(j, lo, hi); return;
    default: runFlip<kDiv>(j, lo, hi); return;
  }
}

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

/** The caller and one helper thread. All fields the helper reads are published before `seq` is bumped. */
class Pair {
 public:
  void runJob(const Job& job, int64_t chunk) {
    ensureHelper();
    job_ = job;
    chunk_ = chunk;
    next_.store(0, std::memory_order_relaxed);
    const uint64_t s = seq_.fetch_add(1) + 1;  // seq_cst: publishes the job
    parked_.store(false);
    if (sleeping_.load()) {
      std::lock_guard<std::mutex> lock(m_);
      cv_.notify_one();
    }
    claimAll();
    closed_.store(s);  // seq_cst; a helper that enters after this sees it closed and backs off
    while (inJob_.load() != 0) cpuRelax();
  }

  /** The helper stops spinning at once (a matmul's BLAS workers are about to need the core). */
  void park() { parked_.store(true, std::memory_order_relaxed); }

 private:
  void claimAll() {
    for (;;) {
      const int64_t lo = next_.fetch_add(chunk_, std::memory_order_relaxed);
      if (lo >= job_.n) return;
      runRange(job_, lo, std::min(job_.n, lo + chunk_));
    }
  }

  void ensureHelper() {
    if (started_) return;
    started_ = true;
    std::thread([this] { helperLoop(); }).detach();  // lives as long as the process, like BLAS's own workers
  }

  void helperLoop() {
    uint64_t seen = seq_.load();
    for (;;) {
      // spin up to ~0.2 ms for the next job, unless parked; then sleep until one is posted
      const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(200);
      uint64_t s = seq_.load();
      for (int k = 0; s == seen; k++) {
        cpuRelax();
        s = seq_.load();
        if (s != seen || parked_.load(std::memory_order_relaxed)) break;
        if ((k & 63) == 63 && std::chrono::steady_clock::now() > until) break;
      }
      if (s == seen) {
        std::unique_lock<std::mutex> lock(m_);
        sleeping_.store(true);
        cv_.wait(lock, [&] { return seq_.load() != seen; });
        sleeping_.store(false);
        s = seq_.load();
      }
      seen = s;
      inJob_.fetch_add(1);
      if (closed_.load() < s && seq_.load() == s) claimAll();
      inJob_.fetch_sub(1);
    }
  }

  Job job_{};
  int64_t chunk_ = 0;
  bool started_ = false;
  std::atomic<uint64_t> seq_{0};
  std::atomic<uint64_t> closed_{0};
  std::atomic<int64_t> next_{0};
  std::atomic<int> inJob_{0};
  std::atomic<bool> sleeping_{false};
  std::atomic<bool> parked_{false};
  std::mutex m_;
  std::condition_variable cv_;
};

// Never destroyed: at exit the helper may still wait on its condition variable, which must outlive it.
Pair& pair = *new Pair();

bool fits(uint64_t offset, uint64_t floats, uint64_t length) {
  return offset % 4 == 0 && offset <= length && floats <= (length - offset) / 4;
}

// binary(heap, op, layout, flip, x, y, out, n, inner, threads): out = x op y (or y op x) over n floats; byte offsets.
Napi::Value Binary(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 10 || !info[0].IsArrayBuffer() || !info[3].IsBoolean()) {
    Napi::TypeError::New(env, "binary(heap, op, layout, flip, x, y, out, n, inner, threads)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int64_t v[9];
  for (size_t i = 1; i < 10; i++) {
    if (i == 3) continue;
    if (!info[i].IsNumber()) {
      Napi::TypeError::New(env, "binary: every argument but heap and flip must be a number").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const double d = info[i].As<Napi::Number>().DoubleValue();
    if (!(d >= 0) || d > 9007199254740991.0 || d != static_cast<double>(static_cast<int64_t>(d))) {
      Napi::RangeError::New(env, "binary: argument " + std::to_string(i) + " must be a non-negative integer").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    v[i - 1] = static_cast<int64_t>(d);
  }
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
  if (!fits(x, n, length) || !fits(y, ySize, length) || !fits(out, n, length)) {
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
    pair.runJob(job, chunk);
  }
  return env.Undefined();
}

}  // namespace

void ParkElementwiseHelper() { pair.park(); }

void InitElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
}
