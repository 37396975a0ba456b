// Builds a hot loop twice on x86-64 Linux with glibc, for AVX2 and for the baseline, and picks one when the addon loads
// (GCC's target_clones, which needs glibc's ifunc): eight floats an instruction where the processor has AVX2, four
// where it has not. Elsewhere it is a single build. Vector width changes no result here: each element is computed on
// its own, in the same operations.
#pragma once
#include <cstddef>  // defines __GLIBC__ where the C library is glibc

#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__) && defined(__GNUC__) && !defined(__clang__)
#define GPT_KATA_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GPT_KATA_SIMD_CLONES
#endif

// inlined into each build above (and into softmax.cc's AVX2-with-FMA function), so every copy is compiled for its target
#define GPT_KATA_INLINE inline __attribute__((always_inline))
