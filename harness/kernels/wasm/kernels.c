// SIMD kernels compiled to wasm that work in place on tfjs-backend-wasm's own heap (imported memory).
// Rules that keep this safe inside someone else's memory: no static data, no stack use, no libc;
// every buffer (inputs, outputs, scratch) is allocated by tfjs and passed in as a pointer.
// Build: bash harness/kernels/wasm/build.sh (clang 14 and wasm-ld; clang-14 + lld-14 reproduce the committed .wasm byte for byte).
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

// C[MR x NR] tile = packed A panel (ap[k*MR + r]) times packed B panel (bp[k*NR + j]), both read sequentially.
// Rows at or past `rows` are not stored; with cols < NR the tile goes through `spill` and only cols columns land in c.
static inline void tile(int K, const float* ap, const float* bp, float* c, int ldc, int rows, int cols, float* spill) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int k = 0; k < K; k++) {
    const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t a = wasm_v128_load32_splat(ap);
    c00 = MADD(a, b0, c00); c01 = MADD(a, b1, c01);
    a = wasm_v128_load32_splat(ap + 1);
    c10 = MADD(a, b0, c10); c11 = MADD(a, b1, c11);
    a = wasm_v128_load32_splat(ap + 2);
    c20 = MADD(a, b0, c20); c21 = MADD(a, b1, c21);
    a = wasm_v128_load32_splat(ap + 3);
    c30 = MADD(a, b0, c30); c31 = MADD(a, b1, c31);
    ap += MR;
    bp += NR;
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

// 4x4 transpose of rows r0..r3 (4 floats each) into columns, stored at dst, dst+step, dst+2*step, dst+3*step.
static inline void store_transposed4(v128_t r0, v128_t r1, v128_t r2, v128_t r3, float* dst, int step) {
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
  const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  wasm_v128_store(dst, wasm_i32x4_shuffle(t0, t1, 0, 1, 4, 5));
  wasm_v128_store(dst + step, wasm_i32x4_shuffle(t0, t1, 2, 3, 6, 7));
  wasm_v128_store(dst + 2 * step, wasm_i32x4_shuffle(t2, t3, 0, 1, 4, 5));
  wasm_v128_store(dst + 3 * step, wasm_i32x4_shuffle(t2, t3, 2, 3, 6, 7));
}

// Packs A (element (i,k) at a[i*ars + k*acs]) into MR-row panels: ap[(i/MR)*K*MR + k*MR + i%MR], zero rows past M.
// Full panels of a row-major A (acs = 1) go through 4x4 transposes; of a transposed A (ars = 1), 4-float copies.
static void pack_a(const float* a, int ars, int acs, int M, int K, float* ap) {
  for (int i0 = 0; i0 < M; i0 += MR, ap += K * MR) {
    int k = 0;
    if (i0 + MR <= M && acs == 1) {
      const float* r = a + i0 * ars;
      for (; k + 4 <= K; k += 4)
        store_transposed4(wasm_v128_load(r + k), wasm_v128_load(r + ars + k), wasm_v128_load(r + 2 * ars + k),
                          wasm_v128_load(r + 3 * ars + k), ap + k * MR, MR);
    } else if (i0 + MR <= M && ars == 1) {
      for (; k < K; k++) wasm_v128_store(ap + k * MR, wasm_v128_load(a + i0 + k * acs));
    }
    for (; k < K; k++)
      for (int r = 0; r < MR; r++) ap[k * MR + r] = i0 + r < M ? a[(i0 + r) * ars + k * acs] : 0;
  }
}

// Packs B ([K,N], or [N,K] when transB) into NR-column panels: bp[(j/NR)*K*NR + k*NR + j%NR], zero columns past N.
static void pack_b(const float* b, int K, int N, int transB, float* bp) {
  for (int j0 = 0; j0 < N; j0 += NR, bp += K * NR) {
    const int cols = N - j0 < NR ? N - j0 : NR;
    int k = 0;
    if (cols == NR && !transB) {
      for (; k < K; k++) {
        wasm_v128_store(bp + k * NR, wasm_v128_load(b + k * N + j0));
        wasm_v128_store(bp + k * NR + 4, wasm_v128_load(b + k * N + j0 + 4));
      }
    } else if (cols == NR) {  // rows j0..j0+7 of B[N,K] become columns: two 4x4 transposes per 4 k
      const float* r = b + j0 * K;
      for (; k + 4 <= K; k += 4) {
        store_transposed4(wasm_v128_load(r + k), wasm_v128_load(r + K + k), wasm_v128_load(r + 2 * K + k),
                          wasm_v128_load(r + 3 * K + k), bp + k * NR, NR);
        store_transposed4(wasm_v128_load(r + 4 * K + k), wasm_v128_load(r + 5 * K + k), wasm_v128_load(r + 6 * K + k),
                          wasm_v128_load(r + 7 * K + k), bp + k * NR + 4, NR);
      }
    }
    for (; k < K; k++) {
      float* dst = bp + k * NR;
      for (int j = 0; j < NR; j++) dst[j] = j < cols ? (transB ? b[(j0 + j) * K + k] : b[k * N + j0 + j]) : 0;
    }
  }
}

// C (M x N, row stride ldc) = A (element (i,k) at a[i*ars + k*acs]) times B already packed by pack_b.
// scratch needs K*roundup(M,MR) + MR*NR floats (packed A, spill tile).
static void gemm_rows(int M, int N, int K, const float* a, int ars, int acs, const float* bp, float* c, int ldc, float* scratch) {
  const int mp = (M + MR - 1) / MR * MR;
  float* ap = scratch;
  float* spill = ap + K * mp;
  pack_a(a, ars, acs, M, K, ap);
  for (int j = 0; j < N; j += NR) {  // B panel outer (stays in L1), A panels stream through it
    const int cols = N - j < NR ? N - j : NR;
    const float* bpanel = bp + (j / NR) * K * NR;
    for (int i = 0; i < M; i += MR) {
      const int rows = M - i < MR ? M - i : MR;
      tile(K, ap + (i / MR) * K * MR, bpanel, c + i * ldc + j, ldc, rows, cols, spill);
    }
  }
}

// C[b] (M x N, row-major) = opA(A[b]) @ opB(B[b]) for b < batch.
// Element (i,k) of A[b] is at a + b*abs + i*ars + k*acs (any layout, so transposeA is just strides);
// B[b] is [K,N] row-major (transB = 0) or [N,K] (transB = 1), the b-th at b + b*bbs (bbs = 0 broadcasts).
// scratch needs K*roundup(N,NR) + K*roundup(M,MR) + MR*NR floats.
EXPORT("bmm")
void bmm(int batch, int M, int N, int K, const float* a, int abs, int ars, int acs, const float* b, int bbs,
         int transB, float* c, float* scratch) {
  const int np = (N + NR - 1) / NR * NR;
  float* bp = scratch;
  for (int bi = 0; bi < batch; bi++) {
    if (bi == 0 || bbs != 0) pack_b(b + bi * bbs, K, N, transB, bp);  // a broadcast B is packed once
    gemm_rows(M, N, K, a + bi * abs, ars, acs, bp, c + bi * M * N, N, scratch + K * np);
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

// out[o, i] = sum over r of x[o, r, i], for x viewed as [O, R, I] (a reduction over a middle block of axes;
// O = 1 is a column sum). tfjs's wasm Sum transposes such inputs first, through its slow Transpose.
EXPORT("sum_mid")
void sum_mid(const float* x, float* out, int O, int R, int I) {
  for (int o = 0; o < O; o++, out += I) {
    const float* src = x + o * R * I;
    int i = 0;
    for (; i + 16 <= I; i += 16) {  // four vectors of columns at a time: the rows stream through
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
      for (int r = 0; r < R; r++) {
        const float* row = src + r * I + i;
        s0 = wasm_f32x4_add(s0, wasm_v128_load(row));
        s1 = wasm_f32x4_add(s1, wasm_v128_load(row + 4));
        s2 = wasm_f32x4_add(s2, wasm_v128_load(row + 8));
        s3 = wasm_f32x4_add(s3, wasm_v128_load(row + 12));
      }
      wasm_v128_store(out + i, s0); wasm_v128_store(out + i + 4, s1);
      wasm_v128_store(out + i + 8, s2); wasm_v128_store(out + i + 12, s3);
    }
    for (; i < I; i++) {
      float s = 0;
      for (int r = 0; r < R; r++) s += src[r * I + i];
      out[i] = s;
    }
  }
}

// out = x broadcast to oshape, for 4-byte elements: xstride[d] is x's stride on output axis d, 0 where x has size 1.
// shape arrays (rank <= 8) live in memory; work holds 8 ints of odometer.
EXPORT("broadcast")
void broadcast(const int* x, int* out, int rank, const int* oshape, const int* xstride, int* idx) {
  int total = 1;
  for (int d = 0; d < rank; d++) { total *= oshape[d]; idx[d] = 0; }
  if (total == 0) return;
  const int inner = oshape[rank - 1], step = xstride[rank - 1];
  int src = 0;
  for (int o = 0; o < total; o += inner) {
    if (step == 0) {
      const int v = x[src];
      for (int j = 0; j < inner; j++) out[o + j] = v;
    } else {
      for (int j = 0; j < inner; j++) out[o + j] = x[src + j * step];
    }
    for (int d = rank - 2; d >= 0; d--) {
      src += xstride[d];
      if (++idx[d] < oshape[d]) break;
      src -= xstride[d] * oshape[d];
      idx[d] = 0;
    }
  }
}

// Sum of squares of n floats (four SIMD partial sums; double accumulation across calls is the caller's).
EXPORT("sum_squares")
float sum_squares(const float* x, int n) {
  v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    const v128_t a = wasm_v128_load(x + i), b = wasm_v128_load(x + i + 4), c = wasm_v128_load(x + i + 8), d = wasm_v128_load(x + i + 12);
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(a, a)); s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(b, b));
    s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(c, c)); s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(d, d));
  }
  const v128_t s = wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
  float total = wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
  for (; i < n; i++) total += x[i] * x[i];
  return total;
}

// Softmax's gradient along rows of n floats: dx = dy*y - (sum over the row of dy*y)*y, products rounded to float as
// tfjs's formula rounds them (no fused multiply-add), in one pass per row instead of four tfjs kernels.
EXPORT("softmax_grad")
void softmax_grad(const float* dy, const float* y, float* dx, int rows, int n) {
  for (int r = 0; r < rows; r++, dy += n, y += n, dx += n) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(dy + j), wasm_v128_load(y + j)));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(dy + j + 4), wasm_v128_load(y + j + 4)));
    }
    const v128_t s4 = wasm_f32x4_add(s0, s1);
    float s = wasm_f32x4_extract_lane(s4, 0) + wasm_f32x4_extract_lane(s4, 1) + wasm_f32x4_extract_lane(s4, 2) + wasm_f32x4_extract_lane(s4, 3);
    for (; j < n; j++) s += dy[j] * y[j];
    const v128_t vs = wasm_f32x4_splat(s);
    for (j = 0; j + 4 <= n; j += 4) {
      const v128_t yy = wasm_v128_load(y + j);
      wasm_v128_store(dx + j, wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(dy + j), yy), wasm_f32x4_mul(vs, yy)));
    }
    for (; j < n; j++) dx[j] = dy[j] * y[j] - s * y[j];
  }
}

// out[r] = (sum of the n floats of row r of x) / divisor: Sum (divisor 1) and Mean over the innermost axes, where
// tfjs's wasm kernels add one element at a time.
EXPORT("sum_rows")
void sum_rows(const float* x, float* out, int rows, int n, float divisor) {
  for (int r = 0; r < rows; r++, x += n) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    int j = 0;
    for (; j + 16 <= n; j += 16) {
      s0 = wasm_f32x4_add(s0, wasm_v128_load(x + j)); s1 = wasm_f32x4_add(s1, wasm_v128_load(x + j + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(x + j + 8)); s3 = wasm_f32x4_add(s3, wasm_v128_load(x + j + 12));
    }
    for (; j + 4 <= n; j += 4) s0 = wasm_f32x4_add(s0, wasm_v128_load(x + j));
    const v128_t s = wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
    float total = wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1) + wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3);
    for (; j < n; j++) total += x[j];
    out[r] = total / divisor;
  }
}

// e^x for x <= 0 in each lane (softmax's x − max), to about 1 ulp: x = k·ln2 + r with |r| <= ln2/2, e^r by a
// degree-5 minimax polynomial (XNNPACK's rr2-p5 coefficients), and 2^k made from k's bits. k is rounded by adding
// 1.5·2^23 + 127, which leaves k + 127 in the low mantissa bits, ready to shift into the exponent. Below −80
// (e^x < 1.9e-35) it is 0, so masked scores (−1e9, −∞) weigh exactly nothing; NaN stays NaN. Stopping there keeps
// every intermediate a normal float: near float32's subnormals (e^−87) each operation costs x86 ~100 cycles, which
// made a causal softmax, half of whose scores are masked, several times slower.
static inline v128_t exp_nonpositive(v128_t x) {
  const v128_t tiny = wasm_f32x4_lt(x, wasm_f32x4_splat(-80.0f));
  x = wasm_f32x4_pmax(x, wasm_f32x4_splat(-80.0f));  // one maxps; keeps a NaN x (pmax(a, b) is a < b ? b : a)
  const v128_t magic = wasm_f32x4_splat(12583039.0f);  // 1.5·2^23 + 127
  v128_t n = MADD(x, wasm_f32x4_splat(1.44269504f), magic);
  const v128_t scale = wasm_i32x4_shl(n, 23);  // 2^k: k + 127 shifted into the exponent
  n = wasm_f32x4_sub(n, magic);                 // k
  v128_t r = MADD(n, wasm_f32x4_splat(-0.693145752f), x);   // x − k·ln2, high part
  r = MADD(n, wasm_f32x4_splat(-1.42860677e-6f), r);        // and low part
  v128_t p = wasm_f32x4_splat(0x1.0F9F9Cp-7f);
  p = MADD(p, r, wasm_f32x4_splat(0x1.573A1Ap-5f));
  p = MADD(p, r, wasm_f32x4_splat(0x1.555A80p-3f));
  p = MADD(p, r, wasm_f32x4_splat(0x1.FFFDC6p-2f));
  p = MADD(p, r, wasm_f32x4_splat(0x1.FFFFF6p-1f));
  const v128_t t = wasm_f32x4_mul(r, scale);
  return wasm_v128_andnot(MADD(t, p, scale), tiny);  // s + (r·s)·p = s·e^r
}

// The largest of the n floats at x, or NaN if any is NaN (tracked apart: f32x4.max, which would propagate it, costs
// V8 several instructions a vector; pmax is one maxps).
static inline float row_max(const float* x, int n) {
  float m = x[0];
  int j = 0;
  if (n >= 4) {
    v128_t vm = wasm_v128_load(x), nan = wasm_f32x4_ne(vm, vm);
    for (j = 4; j + 4 <= n; j += 4) {
      const v128_t v = wasm_v128_load(x + j);
      vm = wasm_f32x4_pmax(vm, v);
      nan = wasm_v128_or(nan, wasm_f32x4_ne(v, v));
    }
    if (wasm_v128_any_true(nan)) return __builtin_nanf("");
    vm = wasm_f32x4_pmax(vm, wasm_i32x4_shuffle(vm, vm, 2, 3, 0, 1));
    vm = wasm_f32x4_pmax(vm, wasm_i32x4_shuffle(vm, vm, 1, 0, 3, 2));
    m = wasm_f32x4_extract_lane(vm, 0);
  }
  for (; j < n; j++) if (x[j] > m || x[j] != x[j]) m = x[j];
  return m;
}

// e[j] = e^(x[j] − m) for the n floats of a row; returns their sum.
static inline float exp_row(const float* x, float* e, int n, float m) {
  const v128_t vmax = wasm_f32x4_splat(m);
  v128_t s4 = wasm_f32x4_splat(0);
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    const v128_t v = exp_nonpositive(wasm_f32x4_sub(wasm_v128_load(x + j), vmax));
    wasm_v128_store(e + j, v);
    s4 = wasm_f32x4_add(s4, v);
  }
  float s = wasm_f32x4_extract_lane(s4, 0) + wasm_f32x4_extract_lane(s4, 1) + wasm_f32x4_extract_lane(s4, 2) + wasm_f32x4_extract_lane(s4, 3);
  for (; j < n; j++) {
    e[j] = wasm_f32x4_extract_lane(exp_nonpositive(wasm_f32x4_splat(x[j] - m)), 0);
    s += e[j];
  }
  return s;
}

// Softmax over the last axis: y = e^(x − max) / Σ e^(x − max), row by row (tfjs's wasm Softmax computes each e^x
// one at a time).
EXPORT("softmax_rows")
void softmax_rows(const float* x, float* y, int rows, int n) {
  for (int r = 0; r < rows; r++, x += n, y += n) {
    const float s = exp_row(x, y, n, row_max(x, n));
    const v128_t vs = wasm_f32x4_splat(s);
    int j = 0;
    for (; j + 4 <= n; j += 4) wasm_v128_store(y + j, wasm_f32x4_div(wasm_v128_load(y + j), vs));
    for (; j < n; j++) y[j] /= s;
  }
}

// Softmax cross-entropy over `rows` rows of n logits, each with one target class t[r], forward and backward in one
// pass per row: dx = (softmax(x) − onehot(t))·scale, and stats[2r], stats[2r + 1] = the row's max m and Σe^(x − m)
// (the caller adds m + log Σ − x[t] up in double). A target outside [0, n) has no class, as tfjs's oneHot: a zero
// row of dx, and the caller counts no loss for it.
EXPORT("softmax_xent")
void softmax_xent(const float* x, const int* t, float* dx, float* stats, int rows, int n, float scale) {
  for (int r = 0; r < rows; r++, x += n, dx += n) {
    const int target = t[r];
    if (target < 0 || target >= n) {
      for (int j = 0; j < n; j++) dx[j] = 0;
      stats[2 * r] = 0;
      stats[2 * r + 1] = 1;
      continue;
    }
    const float m = row_max(x, n);
    const float s = exp_row(x, dx, n, m);
    const float f = scale / s;
    const v128_t vf = wasm_f32x4_splat(f);
    int j = 0;
    for (; j + 4 <= n; j += 4) wasm_v128_store(dx + j, wasm_f32x4_mul(wasm_v128_load(dx + j), vf));
    for (; j < n; j++) dx[j] *= f;
    dx[target] -= scale;
    stats[2 * r] = m;
    stats[2 * r + 1] = s;
  }
}

// Relu's gradient, dy·step(x) with tfjs's step (1 where x > 0, 0 where not, NaN where x is NaN), in one pass
// instead of Step, Cast and Multiply over the MLP's hidden activations.
EXPORT("relu_grad")
void relu_grad(const float* dy, const float* x, float* dx, int n) {
  const v128_t one = wasm_f32x4_splat(1), zero = wasm_f32x4_splat(0), nan = wasm_f32x4_splat(__builtin_nanf(""));
  int j = 0;
  for (; j + 4 <= n; j += 4) {
    const v128_t xv = wasm_v128_load(x + j);
    const v128_t s = wasm_v128_bitselect(nan, wasm_v128_and(wasm_f32x4_gt(xv, zero), one), wasm_f32x4_ne(xv, xv));
    wasm_v128_store(dx + j, wasm_f32x4_mul(wasm_v128_load(dy + j), s));
  }
  for (; j < n; j++) dx[j] = dy[j] * (x[j] != x[j] ? __builtin_nanf("") : x[j] > 0 ? 1.0f : 0.0f);
}

// The gradient of a / b for b's operand when b holds one value per row of a (LayerNorm's x / std, b of shape
// [..., 1]): db[r] = −(Σ_j dy[r,j]·a[r,j]) / (b[r]·b[r]), one pass over dy and a instead of Multiply, Sum, Square,
// RealDiv and Neg.
EXPORT("div_grad_rows")
void div_grad_rows(const float* dy, const float* a, const float* b, float* db, int rows, int n) {
  for (int r = 0; r < rows; r++, dy += n, a += n) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0;
    int j = 0;
    for (; j + 8 <= n; j += 8) {
      s0 = MADD(wasm_v128_load(dy + j), wasm_v128_load(a + j), s0);
      s1 = MADD(wasm_v128_load(dy + j + 4), wasm_v128_load(a + j + 4), s1);
    }
    const v128_t s4 = wasm_f32x4_add(s0, s1);
    float s = wasm_f32x4_extract_lane(s4, 0) + wasm_f32x4_extract_lane(s4, 1) + wasm_f32x4_extract_lane(s4, 2) + wasm_f32x4_extract_lane(s4, 3);
    for (; j < n; j++) s += dy[j] * a[j];
    db[r] = -(s / (b[r] * b[r]));
  }
}

// The gradient of x·v for a vector v broadcast along the rows of x (LayerNorm's ·gamma): dv[j] = Σ_r dy[r,j]·x[r,j],
// one pass over dy and x instead of a Multiply and a Sum over the rows.
EXPORT("mul_grad_cols")
void mul_grad_cols(const float* dy, const float* x, float* dv, int rows, int n) {
  for (int j = 0; j < n; j++) dv[j] = 0;
  for (int r = 0; r < rows; r++, dy += n, x += n) {
    int j = 0;
    for (; j + 4 <= n; j += 4) wasm_v128_store(dv + j, MADD(wasm_v128_load(dy + j), wasm_v128_load(x + j), wasm_v128_load(dv + j)));
    for (; j < n; j++) dv[j] += dy[j] * x[j];
  }
}
