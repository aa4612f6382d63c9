/*
 * Dot products and matrix-vector products, the 90 % of the work.
 *
 * The order of every sum, on every build: a dot product a·b of n elements is ONE accumulator, starting at +0.0f,
 * adding a[i]*b[i] for i = 0, 1, ..., n-1 in turn (llama2.c's own order in matmul). Each output of W x is such a
 * dot of one row of W with x, so rows may be computed in any order, by any thread, several at once: no bit changes.
 *
 * What makes that fast is the memory layout of the weights, not the arithmetic. tt_pack_matrix rearranges each
 * checkpoint matrix in place into panels of TT_PANEL rows interleaved column by column (see TTWeights in tt.h):
 * one pass over a panel reads one contiguous stream, loads each x[c] once for TT_PANEL rows, and keeps the
 * TT_PANEL running sums in registers (four f32x4 vectors in the SIMD build, scalars elsewhere). In WebAssembly on
 * riscv64, where V8 checks the bounds of every load, the TT_PANEL weights of a column come off one pointer with
 * constant offsets, so the per-load cost is one compare and one load.
 */
#include "tt.h"

#if TT_PANEL != 8
#error "the packing and the kernels below are written out for panels of 8 rows"
#endif

#ifdef TT_SIMD
/* aligned(4): a panel column starts on a 16-byte boundary only when the checkpoint was placed so (the hosts do). */
typedef float v4f __attribute__((vector_size(16), aligned(4)));
#endif

float tt_dot(const float *a, const float *b, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

void tt_block_dots(float *out, const float *q, const float *block, int n) {
#if defined(TT_SIMD) && TT_KBLOCK == 4
  v4f a = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int i = 0; i < n; i++, block += 4) {
    float qi = q[i];
    a += *(const v4f *)block * (v4f){qi, qi, qi, qi};
  }
  *(v4f *)out = a;
#else
  float a[TT_KBLOCK];
  for (int j = 0; j < TT_KBLOCK; j++) a[j] = 0.0f;
  for (int i = 0; i < n; i++, block += TT_KBLOCK) {
    float qi = q[i];
    for (int j = 0; j < TT_KBLOCK; j++) a[j] += block[j] * qi;
  }
  for (int j = 0; j < TT_KBLOCK; j++) out[j] = a[j];
#endif
}

void tt_pack_matrix(float *m, int rows, int cols, float *scratch) {
  int panels = rows / TT_PANEL;
  size_t n = (size_t)cols;
  for (int p = 0; p < panels; p++) {
    float *base = m + (size_t)p * TT_PANEL * n;
    __builtin_memcpy(scratch, base, TT_PANEL * n * sizeof(float));
    const float *r0 = scratch, *r1 = r0 + n, *r2 = r1 + n, *r3 = r2 + n, *r4 = r3 + n, *r5 = r4 + n, *r6 = r5 + n,
                *r7 = r6 + n;
    for (size_t c = 0; c < n; c++, base += 8) {
      base[0] = r0[c];
      base[1] = r1[c];
      base[2] = r2[c];
      base[3] = r3[c];
      base[4] = r4[c];
      base[5] = r5[c];
      base[6] = r6[c];
      base[7] = r7[c];
    }
  }
}

void tt_matrix_row(const float *m, int rows, int cols, int r, float *out) {
  for (int c = 0; c < cols; c++) out[c] = tt_weight(m, rows, cols, r, c);
}

#ifndef TT_AHEAD
#define TT_AHEAD 512 /* native only: floats a panel pass prefetches ahead of its loads */
#endif

#if !defined(__wasm__) && TT_AHEAD > 0
#define TT_PREFETCH(ptr) __builtin_prefetch((const char *)(ptr) + 4 * TT_AHEAD)
#else
#define TT_PREFETCH(ptr) ((void)0)
#endif

#ifdef TT_SIMD
/*
 * SIMD: four panels side by side, q panels apart (four sequential streams keep more cache misses in flight than
 * one; measured), each panel's 8 sums in two f32x4. Per column: one x splat, eight loads, eight mul, eight add;
 * two columns per iteration (measured 8-16 % faster than one in V8). Each sum still takes its columns in order.
 */
#define TT_STREAMS 4
static void panel_dots(float *out, const float *p, const float *x, int n, size_t q) {
  size_t stride = q * 8 * (size_t)n; /* floats from one stream's panel to the next's */
  const float *p0 = p, *p1 = p + stride, *p2 = p + 2 * stride, *p3 = p + 3 * stride;
  v4f z = {0.0f, 0.0f, 0.0f, 0.0f};
  v4f a0 = z, b0 = z, a1 = z, b1 = z, a2 = z, b2 = z, a3 = z, b3 = z;
/* Column k past the four pointers, times the splat xs, into the eight sums. */
#define COLUMN(k, xs)                            \
  do {                                           \
    a0 += *(const v4f *)(p0 + 8 * (k)) * (xs);     \
    b0 += *(const v4f *)(p0 + 8 * (k) + 4) * (xs); \
    a1 += *(const v4f *)(p1 + 8 * (k)) * (xs);     \
    b1 += *(const v4f *)(p1 + 8 * (k) + 4) * (xs); \
    a2 += *(const v4f *)(p2 + 8 * (k)) * (xs);     \
    b2 += *(const v4f *)(p2 + 8 * (k) + 4) * (xs); \
    a3 += *(const v4f *)(p3 + 8 * (k)) * (xs);     \
    b3 += *(const v4f *)(p3 + 8 * (k) + 4) * (xs); \
  } while (0)
  int c = 0;
  for (; c + 2 <= n; c += 2, p0 += 16, p1 += 16, p2 += 16, p3 += 16) {
    TT_PREFETCH(p0);
    TT_PREFETCH(p1);
    TT_PREFETCH(p2);
    TT_PREFETCH(p3);
    float xc = x[c], xd = x[c + 1];
    v4f xs = {xc, xc, xc, xc}, xt = {xd, xd, xd, xd};
    COLUMN(0, xs);
    COLUMN(1, xt);
  }
  if (c < n) {
    float xc = x[c];
    v4f xs = {xc, xc, xc, xc};
    COLUMN(0, xs);
  }
#undef COLUMN
  size_t o = q * 8;
  *(v4f *)out = a0;
  *(v4f *)(out + 4) = b0;
  *(v4f *)(out + o) = a1;
  *(v4f *)(out + o + 4) = b1;
  *(v4f *)(out + 2 * o) = a2;
  *(v4f *)(out + 2 * o + 4) = b2;
  *(v4f *)(out + 3 * o) = a3;
  *(v4f *)(out + 3 * o + 4) = b3;
}

static void panel_dots1(float *out, const float *p, const float *x, int n) {
  v4f a = {0.0f, 0.0f, 0.0f, 0.0f}, b = a;
  for (int c = 0; c < n; c++, p += 8) {
    float xc = x[c];
    v4f xs = {xc, xc, xc, xc};
    a += *(const v4f *)p * xs;
    b += *(const v4f *)(p + 4) * xs;
  }
  *(v4f *)out = a;
  *(v4f *)(out + 4) = b;
}
#else
/*
 * Scalar: one panel at a time (scalar code is bound by its instructions, not by memory, so one pointer is
 * cheapest), its 8 sums in registers. Each row adds its products in column order.
 *
 * A function of its own, never inlined into tt_matmul_part: there V8 on x86-64 (15 xmm registers) kept two of the 8
 * sums on the stack in every iteration; alone it keeps them all in registers (bench:llm, wasmScalar: 200-207
 * against 180-184 tokens/s), and V8 on riscv64 runs it in as many instructions as before (bench:riscv).
 */
#define TT_STREAMS 1
#define MAC8(k, xk)                  \
  do {                               \
    a0 += p[8 * (k) + 0] * (xk);     \
    a1 += p[8 * (k) + 1] * (xk);     \
    a2 += p[8 * (k) + 2] * (xk);     \
    a3 += p[8 * (k) + 3] * (xk);     \
    a4 += p[8 * (k) + 4] * (xk);     \
    a5 += p[8 * (k) + 5] * (xk);     \
    a6 += p[8 * (k) + 6] * (xk);     \
    a7 += p[8 * (k) + 7] * (xk);     \
  } while (0)

__attribute__((noinline)) static void panel_dots1(float *out, const float *p, const float *x, int n) {
  float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f, a4 = 0.0f, a5 = 0.0f, a6 = 0.0f, a7 = 0.0f;
  const float *xend = x + n;
#if TT_COLS == 2
  const float *x2 = x + (n & ~1);
  for (; x < x2; x += 2, p += 16) {
    TT_PREFETCH(p);
    float x0 = x[0], x1 = x[1];
    MAC8(0, x0);
    MAC8(1, x1);
  }
#endif
  for (; x < xend; x++, p += 8) {
    TT_PREFETCH(p);
    MAC8(0, x[0]);
  }
  out[0] = a0;
  out[1] = a1;
  out[2] = a2;
  out[3] = a3;
  out[4] = a4;
  out[5] = a5;
  out[6] = a6;
  out[7] = a7;
}
#undef MAC8
#endif

void tt_part_rows(int d, int part, int parts, int *lo, int *hi) {
  int panels = d / TT_PANEL;
  *lo = (int)((int64_t)panels * part / parts) * TT_PANEL;
  *hi = part == parts - 1 ? d : (int)((int64_t)panels * (part + 1) / parts) * TT_PANEL;
}

void tt_matmul_part(float *out, const float *x, const float *w, int n, int d, int part, int parts) {
  int rlo, rhi;
  tt_part_rows(d, part, parts, &rlo, &rhi);
  int lo = rlo / TT_PANEL, hi = (rhi < d ? rhi : d - d % TT_PANEL) / TT_PANEL, p = lo;
#if TT_STREAMS > 1
  /* This part's panels in TT_STREAMS equal runs read side by side; what does not divide evenly, one by one. */
  int q = (hi - lo) / TT_STREAMS;
  for (int i = 0; i < q; i++)
    panel_dots(out + (size_t)(lo + i) * TT_PANEL, w + (size_t)(lo + i) * TT_PANEL * (size_t)n, x, n, (size_t)q);
  p = lo + q * TT_STREAMS;
#endif
  for (; p < hi; p++) panel_dots1(out + (size_t)p * TT_PANEL, w + (size_t)p * TT_PANEL * (size_t)n, x, n);
  /* The rows after the last whole panel, stored row by row (the last part's). */
  for (int r = hi * TT_PANEL; r < rhi; r++) out[r] = tt_dot(w + (size_t)r * (size_t)n, x, n);
}

#ifdef TT_SIMD
/*
 * For the host's self-check at load (src/selfcheck.ts): prod[i] = a[i] * b[i] and sum[i] = a[i] + b[i] with the
 * f32x4 instructions the kernels above use, n a multiple of 4. The host compares them with correctly rounded
 * scalar arithmetic and refuses SIMD that differs: V8 on riscv64 CPUs with the vector extension, for one, rounds
 * f32x4 arithmetic toward zero.
 */
TT_EXPORT(tt_simd_check)
void tt_simd_check(const float *a, const float *b, float *prod, float *sum, int32_t n) {
  for (int32_t i = 0; i + 4 <= n; i += 4) {
    v4f va = *(const v4f *)(a + i), vb = *(const v4f *)(b + i);
    *(v4f *)(prod + i) = va * vb;
    *(v4f *)(sum + i) = va + vb;
  }
}
#endif
