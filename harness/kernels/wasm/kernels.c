// SIMD kernels compiled to wasm that work in place on tfjs-backend-wasm's own heap (imported memory).
// Rules that keep this safe inside someone else's memory: no static data, no stack use, no libc;
// every buffer (inputs, outputs, scratch) is allocated by tfjs and passed in as a pointer.
// Build: bash harness/kernels/wasm/build.sh (clang >= 14, wasm32 target); the .wasm files are committed.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

#ifdef USE_FMA
// a*b + c as f32x4.relaxed_madd. clang 14 only knows the pre-standard f32x4.fma (its builtin means a + b*c);
// build.sh rewrites that opcode to relaxed_madd, which computes stack operands (x, y, z) as x*y + z, so the
// operands go in relaxed_madd's order here. The tests compare this build with the cpu backend.
#define MADD(a, b, c) __builtin_wasm_fma_f32x4((a), (b), (c))
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (c))
#endif

enum { MR = 4, NR = 8 };

// C[MR x NR] tile = A rows (element (r,k) at a[r*ars + k*acs]) times packed B (row k at bp + k*np).
// Rows at or past `rows` are not stored; columns past `cols` go to `spill` instead of c.
static inline void tile(int K, const float* a0, const float* a1, const float* a2, const float* a3, int acs,
                        const float* bp, int np, float* c, int ldc, int rows, int cols, float* spill) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < K; k++) {
    const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    bp += np;
    v128_t a = wasm_f32x4_splat(*a0); a0 += acs;
    c00 = MADD(a, b0, c00); c01 = MADD(a, b1, c01);
    a = wasm_f32x4_splat(*a1); a1 += acs;
    c10 = MADD(a, b0, c10); c11 = MADD(a, b1, c11);
    a = wasm_f32x4_splat(*a2); a2 += acs;
    c20 = MADD(a, b0, c20); c21 = MADD(a, b1, c21);
    a = wasm_f32x4_splat(*a3); a3 += acs;
    c30 = MADD(a, b0, c30); c31 = MADD(a, b1, c31);
  }
  float* out = cols == NR ? c : spill;
  int ld = cols == NR ? ldc : NR;
  wasm_v128_store(out, c00); wasm_v128_store(out + 4, c01);
  if (rows > 1) { wasm_v128_store(out + ld, c10); wasm_v128_store(out + ld + 4, c11); }
  if (rows > 2) { wasm_v128_store(out + 2 * ld, c20); wasm_v128_store(out + 2 * ld + 4, c21); }
  if (rows > 3) { wasm_v128_store(out + 3 * ld, c30); wasm_v128_store(out + 3 * ld + 4, c31); }
  if (cols != NR)
    for (int r = 0; r < rows; r++)
      for (int j = 0; j < cols; j++) c[r * ldc + j] = spill[r * NR + j];
}

// C[b] (M x N, row-major) = opA(A[b]) @ opB(B[b]) for b < batch.
// Element (i,k) of A[b] is at a + b*abs + i*ars + k*acs (any layout, so transposeA is just strides);
// B[b] is [K,N] row-major (transB = 0) or [N,K] (transB = 1), b-th at b + b*bbs (bbs = 0 broadcasts).
// scratch needs K*roundup(N,8) + 32 floats.
EXPORT("bmm")
void bmm(int batch, int M, int N, int K, const float* a, int abs, int ars, int acs, const float* b, int bbs,
         int transB, float* c, float* scratch) {
  const int np = (N + NR - 1) / NR * NR;
  float* spill = scratch + K * np;
  const float* packedFor = 0;
  for (int bi = 0; bi < batch; bi++) {
    const float* bb = b + bi * bbs;
    if (bb != packedFor) {  // pack B[b] as [K, np], zero padded; skipped when the batch broadcasts B
      for (int k = 0; k < K; k++) {
        float* row = scratch + k * np;
        if (transB)
          for (int j = 0; j < N; j++) row[j] = bb[j * K + k];
        else
          for (int j = 0; j < N; j++) row[j] = bb[k * N + j];
        for (int j = N; j < np; j++) row[j] = 0;
      }
      packedFor = bb;
    }
    const float* ab = a + bi * abs;
    float* cb = c + bi * M * N;
    for (int i = 0; i < M; i += MR) {
      const int rows = M - i < MR ? M - i : MR;
      const float* a0 = ab + i * ars;
      const float* a1 = rows > 1 ? a0 + ars : a0;
      const float* a2 = rows > 2 ? a0 + 2 * ars : a0;
      const float* a3 = rows > 3 ? a0 + 3 * ars : a0;
      for (int j = 0; j < N; j += NR) {
        const int cols = N - j < NR ? N - j : NR;
        tile(K, a0, a1, a2, a3, acs, scratch + j, np, cb + i * N + j, N, rows, cols, spill);
      }
    }
  }
}

// out = transpose(x, perm) for 4-byte elements. shape and perm (rank <= 8) are int arrays in memory,
// already collapsed so that no two adjacent input axes stay adjacent in the output.
EXPORT("transpose")
void transpose(const int* x, int* out, int rank, const int* shape, const int* perm, int* work) {
  int* stride = work;       // input strides
  int* oshape = work + 8;   // output shape
  int* ostride = work + 16; // input stride of each output axis
  int* idx = work + 24;     // odometer over output axes
  int total = 1;
  for (int d = rank - 1; d >= 0; d--) { stride[d] = total; total *= shape[d]; }
  for (int d = 0; d < rank; d++) { oshape[d] = shape[perm[d]]; ostride[d] = stride[perm[d]]; idx[d] = 0; }
  if (total == 0) return;
  const int inner = oshape[rank - 1], istep = ostride[rank - 1];
  int src = 0;
  for (int o = 0; o < total; o += inner) {
    const int* s = x + src;
    if (istep == 1)
      for (int j = 0; j < inner; j++) out[o + j] = s[j];
    else
      for (int j = 0; j < inner; j++) out[o + j] = s[j * istep];
    for (int d = rank - 2; d >= 0; d--) {  // advance the odometer over the outer output axes
      src += ostride[d];
      if (++idx[d] < oshape[d]) break;
      src -= ostride[d] * oshape[d];
      idx[d] = 0;
    }
  }
}
