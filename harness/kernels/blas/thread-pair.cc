// The calling thread and one helper thread (thread-pair.h).
#include "thread-pair.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace {

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// All fields the helper reads are published before `seq_` is bumped (seq_cst), and a job is closed (closed_) before
// the caller waits for the helper to leave it, so a helper that arrives late never touches the next job's fields.
class Pair {
 public:
  void run(void (*fn)(const void*, int64_t, int64_t), const void* ctx, int64_t n, int64_t chunk) {
    ensureHelper();
    fn_ = fn;
    ctx_ = ctx;
    n_ = n;
    chunk_ = std::max<int64_t>(1, chunk);
    next_.store(0, std::memory_order_relaxed);
    const uint64_t s = seq_.fetch_add(1) + 1;  // publishes the job
    parked_.store(false);
    if (sleeping_.load()) {
      std::lock_guard<std::mutex> lock(m_);
      cv_.notify_one();
    }
    claimAll();
    closed_.store(s);  // a helper that enters after this sees it closed and backs off
    while (inJob_.load() != 0) cpuRelax();
  }

  void park() { parked_.store(true, std::memory_order_relaxed); }

 private:
  void claimAll() {
    for (;;) {
      const int64_t lo = next_.fetch_add(chunk_, std::memory_order_relaxed);
      if (lo >= n_) return;
      fn_(ctx_, lo, std::min(n_, lo + chunk_));
    }
  }

  void ensureHelper() {
    if (started_) return;
    started_ = true;
    std::thread([this] { helperLoop(); }).detach();  // lives as long as the process, like the BLAS's own workers
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

  void (*fn_)(const void*, int64_t, int64_t) = nullptr;
  const void* ctx_ = nullptr;
  int64_t n_ = 0;
  int64_t chunk_ = 1;
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
std::mutex callers;  // one job at a time, should two JavaScript threads ever call in

}  // namespace

void RunOnTwoThreads(void (*fn)(const void* ctx, int64_t lo, int64_t hi), const void* ctx, int64_t n, int64_t chunk) {
  std::lock_guard<std::mutex> lock(callers);
  pair.run(fn, ctx, n, chunk);
}

void ParkHelperThread() { pair.park(); }
