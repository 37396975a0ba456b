// The calling thread and one helper thread, sharing a job cut into chunks that both claim from one counter.
//
// The caller never waits for a helper that is slow to wake: it takes every chunk the helper has not claimed, and
// waits only for chunks the helper is working on. The helper spins a short while after each job, so a burst of
// kernels finds it awake, then sleeps; park() stops its spinning at once (before a matmul hands the cores to the
// BLAS's own workers).
#pragma once
#include <cstdint>

// Runs fn(ctx, lo, hi) over [0, n) in chunks of `chunk`, on this thread and the helper. Returns when all are done.
void RunOnTwoThreads(void (*fn)(const void* ctx, int64_t lo, int64_t hi), const void* ctx, int64_t n, int64_t chunk);
// Stops the helper's spinning until the next job.
void ParkHelperThread();
