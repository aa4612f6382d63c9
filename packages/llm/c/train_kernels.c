/*
 * The operations of training, forward and backward, over a whole sequence of T positions at once. Each is a pure
 * function of its arguments (no state), exported so the tests can check every one against finite differences of a
 * float64 reference (test/train-reference.ts).
 *
 * Summation orders (see train.h): forward dot products use the 16-lane order below (the one inference used until
 * it moved to a sequential sum; training keeps its own); every backward reduction
 * is a running sum per output element in increasing index order. The SIMD build (TT_SIMD) computes four or sixteen
 * neighbouring output elements at once, each with exactly the additions of the scalar build, so both builds give
 * the same bits.
 *
 * Matrices are stored row by row, as in the checkpoint: W of shape (d, n) maps an n-vector to a d-vector.
 * Activations are (T, n) row by row. Batched matmuls are written for the memory system, never by changing the
 * arithmetic: a block of W small enough for the cache is used for every position before the next block is read,
 * so a matrix is read from memory once per sequence instead of once per position.
 */
#include "train.h"

#ifdef TT_SIMD
/* aligned(4): rows start at 4-byte offsets in the checkpoint, so loads must not assume 16. */
typedef float v4 __attribute__((vector_size(16), aligned(4)));
#define LD(p) (*(const v4 *)(p))
#define ST(p, x) (*(v4 *)(p) = (x))
static inline v4 splat(float a) {
  v4 r = {a, a, a, a};
  return r;
}
typedef int32_t v4i __attribute__((vector_size(16)));
typedef uint32_t v4u __attribute__((vector_size(16)));

static inline v4 sel(v4i mask, v4 a, v4 b) { return (v4)((mask & (v4i)a) | (~mask & (v4i)b)); }
static inline v4 pow2v(v4i k) { return (v4)(((v4u)k + 127u) << 23); } /* 2^k for -126 <= k <= 127 */

/*
 * tt_expf (tt_expf_with in tt.h) on four lanes: every lane does exactly the scalar function's IEEE operations, its
 * branches becoming selects (the lanes a branch would skip compute values that are then dropped), so the bits are the
 * same.
 */
static v4 expf4(v4 x) {
  v4 t = x * splat(1.44269502f);
  v4 half = sel(t >= splat(0.0f), splat(0.5f), splat(-0.5f));
  v4i k = __builtin_convertvector(t + half, v4i);
  v4 kf = __builtin_convertvector(k, v4);
  v4 r = (x - kf * splat(0.693145751953125f)) - kf * splat(1.42860677e-06f);
  v4 p = splat(1.0f / 5040.0f);
  p = p * r + splat(1.0f / 720.0f);
  p = p * r + splat(1.0f / 120.0f);
  p = p * r + splat(1.0f / 24.0f);
  p = p * r + splat(1.0f / 6.0f);
  p = p * r + splat(0.5f);
  p = p * r + splat(1.0f);
  p = p * r + splat(1.0f);
  v4i k127 = {127, 127, 127, 127}, k64 = {64, 64, 64, 64};
  v4 big = (p * pow2v(k127)) * pow2v(k - k127);
  v4 small = (p * pow2v(k + k64)) * pow2v(-k64);
  v4 e = sel(k > k127, big, sel(k < -(k127 - 1), small, p * pow2v(k)));
  e = sel(x < splat(-103.972084f), splat(0.0f), e);
  e = sel(x > splat(88.7228394f), splat(__builtin_inff()), e);
  return sel(x != x, x + x, e);
}
#endif

/* out[i] = tt_expf(in[i]) (four lanes at a time in the SIMD build, same bits); exported for the exactness test. */
TT_EXPORT(tt_trk_exp)
void tt_trk_exp(float *out, const float *in, int32_t n) {
  int32_t i = 0;
#ifdef TT_SIMD
  for (; i + 4 <= n; i += 4) ST(out + i, expf4(LD(in + i)));
#endif
  for (; i < n; i++) out[i] = tt_expf(in[i]);
}

/* a·b in a fixed 16-lane order: lane j sums i = j mod 16 in order, a fixed tree, then the leftovers. */
TT_EXPORT(tt_trk_dot)
float tt_trk_dot(const float *a, const float *b, int32_t n) {
  int32_t n16 = n & ~15;
  float r;
#ifdef TT_SIMD
  v4 acc0 = {0.0f, 0.0f, 0.0f, 0.0f}, acc1 = acc0, acc2 = acc0, acc3 = acc0;
  for (int32_t i = 0; i < n16; i += 16) {
    acc0 += LD(a + i) * LD(b + i);
    acc1 += LD(a + i + 4) * LD(b + i + 4);
    acc2 += LD(a + i + 8) * LD(b + i + 8);
    acc3 += LD(a + i + 12) * LD(b + i + 12);
  }
  v4 t = (acc0 + acc1) + (acc2 + acc3);
  r = (t[0] + t[1]) + (t[2] + t[3]);
#else
  float lane[16];
  for (int j = 0; j < 16; j++) lane[j] = 0.0f;
  for (int32_t i = 0; i < n16; i += 16)
    for (int j = 0; j < 16; j++) lane[j] += a[i + j] * b[i + j];
  float t[4];
  for (int k = 0; k < 4; k++) t[k] = (lane[k] + lane[4 + k]) + (lane[8 + k] + lane[12 + k]);
  r = (t[0] + t[1]) + (t[2] + t[3]);
#endif
  for (int32_t i = n16; i < n; i++) r += a[i] * b[i];
  return r;
}

#define dot tt_trk_dot

static inline int32_t min_i(int32_t a, int32_t b) { return a < b ? a : b; }

/*
 * The inner step of every matmul below: for two outputs of 16 floats each, o0[c] += sum over k = 0 .. K-1 of
 * g0[k] * row_k[c] (o1 with g1 likewise), row_k = rows + k * stride: one running sum per element in increasing k.
 * The SIMD build keeps the 32 sums in eight vectors. o1 may be o0 with g1 = g0 (a single output): both then compute
 * the same bits, so storing either is right.
 */
static inline void acc2x16(float *o0, float *o1, const float *g0, const float *g1, const float *rows, size_t stride,
                           int32_t K) {
#ifdef TT_SIMD
  v4 a0 = LD(o0), a1 = LD(o0 + 4), a2 = LD(o0 + 8), a3 = LD(o0 + 12);
  v4 b0 = LD(o1), b1 = LD(o1 + 4), b2 = LD(o1 + 8), b3 = LD(o1 + 12);
  for (int32_t k = 0; k < K; k++) {
    const float *r = rows + (size_t)k * stride;
    v4 w0 = LD(r), w1 = LD(r + 4), w2 = LD(r + 8), w3 = LD(r + 12);
    v4 s0 = splat(g0[k]), s1 = splat(g1[k]);
    a0 += s0 * w0;
    a1 += s0 * w1;
    a2 += s0 * w2;
    a3 += s0 * w3;
    b0 += s1 * w0;
    b1 += s1 * w1;
    b2 += s1 * w2;
    b3 += s1 * w3;
  }
  ST(o0, a0);
  ST(o0 + 4, a1);
  ST(o0 + 8, a2);
  ST(o0 + 12, a3);
  ST(o1, b0);
  ST(o1 + 4, b1);
  ST(o1 + 8, b2);
  ST(o1 + 12, b3);
#else
  float a[16], b[16];
  for (int c = 0; c < 16; c++) {
    a[c] = o0[c];
    b[c] = o1[c];
  }
  for (int32_t k = 0; k < K; k++) {
    const float *r = rows + (size_t)k * stride;
    float s0 = g0[k], s1 = g1[k];
    for (int c = 0; c < 16; c++) {
      a[c] += s0 * r[c];
      b[c] += s1 * r[c];
    }
  }
  for (int c = 0; c < 16; c++) {
    o0[c] = a[c];
    o1[c] = b[c];
  }
#endif
}

/* acc2x16 for one column: the leftover columns (n mod 16) of the backward matmuls. */
static inline void acc2x1(float *o0, float *o1, const float *g0, const float *g1, const float *rows, size_t stride,
                          int32_t K) {
  float a = *o0, b = *o1;
  for (int32_t k = 0; k < K; k++) {
    float r = rows[(size_t)k * stride];
    a += g0[k] * r;
    b += g1[k] * r;
  }
  *o0 = a;
  *o1 = b;
}

#define MM_ROWS 16 /* outputs per block of the forward matmul; scratch holds the block transposed, (n, MM_ROWS) */

/*
 * y (T, d) = x (T, n) W^T: y[t][i] = sum over j = 0, 1, ..., n-1 of W[i][j] * x[t][j], a running sum per output in
 * increasing j (not tt_trk_dot's 16 lanes: training needs its own forward and backward to agree, not inference's bits).
 * Sixteen rows of W are first copied into scratch as columns (a read of W once per sequence); then the block serves
 * every position, two at a time, sixteen outputs each: the shape of the backward kernels, which V8 compiles well
 * (the dot-per-output shape ran at a third of native speed there).
 */
TT_EXPORT(tt_trk_matmul)
void tt_trk_matmul(float *y, const float *x, const float *w, int32_t T, int32_t n, int32_t d, float *scratch) {
  for (int32_t i0 = 0; i0 < d; i0 += MM_ROWS) {
    int32_t nb = min_i(d - i0, MM_ROWS);
    for (int32_t j = 0; j < n; j++)
      for (int32_t r = 0; r < MM_ROWS; r++)
        scratch[(size_t)j * MM_ROWS + r] = r < nb ? w[(size_t)(i0 + r) * n + j] : 0.0f;
    for (int32_t t = 0; t < T; t += 2) {
      int two = t + 1 < T;
      const float *x0 = x + (size_t)t * n, *x1 = two ? x0 + n : x0;
      float a[MM_ROWS], b[MM_ROWS];
      for (int r = 0; r < MM_ROWS; r++) a[r] = b[r] = 0.0f;
      acc2x16(a, b, x0, x1, scratch, MM_ROWS, n);
      float *y0 = y + (size_t)t * d + i0;
      for (int32_t r = 0; r < nb; r++) y0[r] = a[r];
      if (two)
        for (int32_t r = 0; r < nb; r++) y0[d + r] = b[r];
    }
  }
}

/*
 * dx (T, n) (+)= dy (T, d) W: dx[t][j] = sum over i = 0, 1, ..., d-1 of dy[t][i] * W[i][j], a running sum per element
 * (added to dx's old value when add is set, else started from zero). Rows of W are taken in blocks of about
 * 128 KiB (they stay in L2) that serve every position, two at a time, sixteen columns at a time.
 */
TT_EXPORT(tt_trk_matmul_dx)
void tt_trk_matmul_dx(float *dx, const float *dy, const float *w, int32_t T, int32_t n, int32_t d, int32_t add) {
  if (!add)
    for (size_t e = 0; e < (size_t)T * n; e++) dx[e] = 0.0f;
  int32_t ib = 32768 / n;
  if (ib < 8) ib = 8;
  int32_t n16 = n & ~15;
  for (int32_t i0 = 0; i0 < d; i0 += ib) {
    int32_t K = min_i(d, i0 + ib) - i0;
    for (int32_t t = 0; t < T; t += 2) {
      int two = t + 1 < T;
      float *o0 = dx + (size_t)t * n, *o1 = two ? o0 + n : o0;
      const float *g0 = dy + (size_t)t * d + i0, *g1 = two ? g0 + d : g0;
      const float *rows = w + (size_t)i0 * n;
      for (int32_t j = 0; j < n16; j += 16) acc2x16(o0 + j, o1 + j, g0, g1, rows + j, (size_t)n, K);
      for (int32_t j = n16; j < n; j++) acc2x1(o0 + j, o1 + j, g0, g1, rows + j, (size_t)n, K);
    }
  }
}

#define DW_ROWS 32 /* rows of dW per block; scratch holds their column of dy, (DW_ROWS, T) */

/*
 * dW (d, n) += dy^T (d, T) x (T, n): dW[i][j] += sum over t = 0, 1, ..., T-1 of dy[t][i] * x[t][j], a running sum
 * per element starting from dW's old value (so the gradients of a step's sequences add up in their order). dy's
 * columns for a block of rows are first copied into scratch as rows (a strided read once, not once per column
 * chunk); then two rows of dW, sixteen columns at a time, run over every position.
 */
TT_EXPORT(tt_trk_matmul_dw)
void tt_trk_matmul_dw(float *dw, const float *dy, const float *x, int32_t T, int32_t n, int32_t d, float *scratch) {
  int32_t n16 = n & ~15;
  for (int32_t i0 = 0; i0 < d; i0 += DW_ROWS) {
    int32_t nb = min_i(d - i0, DW_ROWS);
    for (int32_t t = 0; t < T; t++)
      for (int32_t r = 0; r < nb; r++) scratch[(size_t)r * T + t] = dy[(size_t)t * d + i0 + r];
    for (int32_t r = 0; r < nb; r += 2) {
      int two = r + 1 < nb;
      float *o0 = dw + (size_t)(i0 + r) * n, *o1 = two ? o0 + n : o0;
      const float *g0 = scratch + (size_t)r * T, *g1 = two ? g0 + T : g0;
      for (int32_t j = 0; j < n16; j += 16) acc2x16(o0 + j, o1 + j, g0, g1, x + j, (size_t)n, T);
      for (int32_t j = n16; j < n; j++) acc2x1(o0 + j, o1 + j, g0, g1, x + j, (size_t)n, T);
    }
  }
}

/* y = w * (x / rms(x)) per position, exactly as model.c's rmsnorm; rinv keeps 1/rms for the backward pass. */
TT_EXPORT(tt_trk_rmsnorm)
void tt_trk_rmsnorm(float *y, float *rinv, const float *x, const float *w, int32_t T, int32_t n) {
  for (int32_t t = 0; t < T; t++) {
    const float *xt = x + (size_t)t * n;
    float *yt = y + (size_t)t * n;
    float ss = dot(xt, xt, n);
    ss /= (float)n;
    ss += 1e-5f;
    float r = 1.0f / __builtin_sqrtf(ss);
    rinv[t] = r;
    for (int32_t j = 0; j < n; j++) yt[j] = w[j] * (r * xt[j]);
  }
}

/*
 * With u = dy * w and r = 1/rms(x): dx += r u - (r^3 / n) (u·x) x, dw += dy * (r x), positions in order.
 * scratch: n floats.
 */
TT_EXPORT(tt_trk_rmsnorm_bwd)
void tt_trk_rmsnorm_bwd(float *dx, float *dw, const float *dy, const float *x, const float *w, const float *rinv,
                        int32_t T, int32_t n, float *scratch) {
  for (int32_t t = 0; t < T; t++) {
    const float *xt = x + (size_t)t * n, *gt = dy + (size_t)t * n;
    float *ot = dx + (size_t)t * n;
    float r = rinv[t];
    for (int32_t j = 0; j < n; j++) scratch[j] = gt[j] * w[j];
    float s = dot(scratch, xt, n);
    float c = ((r * r) * r) * s / (float)n;
    for (int32_t j = 0; j < n; j++) {
      ot[j] += r * scratch[j] - c * xt[j];
      dw[j] += gt[j] * (r * xt[j]);
    }
  }
}

/* RoPE tables as model.c builds them: pair i of a head at position pos turns by pos * 10000^(-2i/head_size). */
TT_EXPORT(tt_trk_rope_tables)
void tt_trk_rope_tables(float *cos_t, float *sin_t, int32_t seq_len, int32_t head_size) {
  const double LN_10000 = 9.21034037197618273607;
  int32_t half = head_size / 2;
  for (int32_t i = 0; i < half; i++) {
    double freq = tt_exp(-((double)(2 * i) / (double)head_size) * LN_10000);
    for (int32_t pos = 0; pos < seq_len; pos++) {
      double angle = (double)pos * freq;
      cos_t[(size_t)pos * half + i] = (float)tt_cos(angle);
      sin_t[(size_t)pos * half + i] = (float)tt_sin(angle);
    }
  }
}

/* Rotates the pairs (2i, 2i+1) of every head of row t (n floats) by the angles of position t, in place. */
TT_EXPORT(tt_trk_rope)
void tt_trk_rope(float *v, int32_t T, int32_t n, int32_t head_size, const float *cos_t, const float *sin_t) {
  int32_t half = head_size / 2;
  for (int32_t t = 0; t < T; t++) {
    float *row = v + (size_t)t * n;
    const float *c = cos_t + (size_t)t * half, *s = sin_t + (size_t)t * half;
    for (int32_t i = 0; i < n; i += 2) {
      int32_t pair = (i % head_size) / 2;
      float fcr = c[pair], fci = s[pair];
      float v0 = row[i], v1 = row[i + 1];
      row[i] = v0 * fcr - v1 * fci;
      row[i + 1] = v0 * fci + v1 * fcr;
    }
  }
}

/* The gradient through a rotation is the rotation back: in place on dv. */
TT_EXPORT(tt_trk_rope_bwd)
void tt_trk_rope_bwd(float *dv, int32_t T, int32_t n, int32_t head_size, const float *cos_t, const float *sin_t) {
  int32_t half = head_size / 2;
  for (int32_t t = 0; t < T; t++) {
    float *row = dv + (size_t)t * n;
    const float *c = cos_t + (size_t)t * half, *s = sin_t + (size_t)t * half;
    for (int32_t i = 0; i < n; i += 2) {
      int32_t pair = (i % head_size) / 2;
      float fcr = c[pair], fci = s[pair];
      float d0 = row[i], d1 = row[i + 1];
      row[i] = d0 * fcr + d1 * fci;
      row[i + 1] = d1 * fcr - d0 * fci;
    }
  }
}

/* Copies head columns [off, off + hs) of the (T, stride) rows of src into a (T, hs) block, or back (scatter). */
static void gather_head(float *dst, const float *src, int32_t T, int32_t stride, int32_t off, int32_t hs) {
  for (int32_t t = 0; t < T; t++)
    for (int32_t i = 0; i < hs; i++) dst[(size_t)t * hs + i] = src[(size_t)t * stride + off + i];
}
static void scatter_head(float *dst, const float *src, int32_t T, int32_t stride, int32_t off, int32_t hs) {
  for (int32_t t = 0; t < T; t++)
    for (int32_t i = 0; i < hs; i++) dst[(size_t)t * stride + off + i] = src[(size_t)t * hs + i];
}

/* Floats of scratch tt_trk_attention and tt_trk_attention_bwd need. */
TT_EXPORT(tt_trk_attention_scratch)
int32_t tt_trk_attention_scratch(int32_t T, int32_t head_size) {
  return 7 * T * head_size + T * T + DW_ROWS * T + MM_ROWS * head_size;
}

/*
 * Causal grouped-query attention over T positions: kv_mul query heads share one key/value head. Per head, as the
 * batched matmuls above (so the sums run in their orders, at their speed): S = Q K^T, then per position t the scores
 * S[t][u] / scale for u <= t go through a softmax (max, exps and their sum in order, as model.c) and the rest are
 * exact zeros, then O = P V. att keeps the probabilities, (n_heads, T, T).
 */
TT_EXPORT(tt_trk_attention)
void tt_trk_attention(float *out, float *att, const float *q, const float *k, const float *v, int32_t T,
                      int32_t n_heads, int32_t n_kv_heads, int32_t head_size, float scale, float *scratch) {
  int32_t dim = n_heads * head_size, kv_dim = n_kv_heads * head_size, kv_mul = n_heads / n_kv_heads;
  size_t blk = (size_t)T * head_size;
  float *qh = scratch, *kg = qh + blk, *vg = kg + blk, *oh = vg + blk, *mm = oh + blk;
  for (int32_t h = 0; h < n_heads; h++) {
    int32_t kvoff = (h / kv_mul) * head_size;
    float *a = att + (size_t)h * T * T;
    gather_head(qh, q, T, dim, h * head_size, head_size);
    gather_head(kg, k, T, kv_dim, kvoff, head_size);
    gather_head(vg, v, T, kv_dim, kvoff, head_size);
    tt_trk_matmul(a, qh, kg, T, head_size, T, mm); /* a[t][u] = q_t . k_u */
    for (int32_t t = 0; t < T; t++) {
      float *row = a + (size_t)t * T;
      for (int32_t u = 0; u <= t; u++) row[u] /= scale;
      float max = row[0];
      for (int32_t u = 1; u <= t; u++)
        if (row[u] > max) max = row[u];
      float sum = 0.0f;
      for (int32_t u = 0; u <= t; u++) {
        row[u] = tt_expf(row[u] - max);
        sum += row[u];
      }
      for (int32_t u = 0; u <= t; u++) row[u] /= sum;
      for (int32_t u = t + 1; u < T; u++) row[u] = 0.0f;
    }
    tt_trk_matmul_dx(oh, a, vg, T, head_size, T, 0); /* o_t = sum_u p[t][u] v_u */
    scatter_head(out, oh, T, dim, h * head_size, head_size);
  }
}

/*
 * Backward of tt_trk_attention, per head as batched matmuls: dP = dO V^T; dS[t][u] = p (dP - sum_u p dP) / scale for
 * u <= t (the sum in order), exact zeros after t; dQ = dS K; dK += dS^T Q and dV += P^T dO over the query heads of
 * each key/value head in order. dq, dk and dv are written. scratch: tt_trk_attention_scratch(T, head_size) floats.
 */
TT_EXPORT(tt_trk_attention_bwd)
void tt_trk_attention_bwd(float *dq, float *dk, float *dv, const float *dout, const float *att, const float *q,
                          const float *k, const float *v, int32_t T, int32_t n_heads, int32_t n_kv_heads,
                          int32_t head_size, float scale, float *scratch) {
  int32_t dim = n_heads * head_size, kv_dim = n_kv_heads * head_size, kv_mul = n_heads / n_kv_heads;
  size_t blk = (size_t)T * head_size;
  float *qh = scratch, *kg = qh + blk, *vg = kg + blk, *doh = vg + blk, *dqh = doh + blk, *dkg = dqh + blk;
  float *dvg = dkg + blk, *ds = dvg + blk, *tr = ds + (size_t)T * T, *mm = tr + (size_t)DW_ROWS * T;
  for (int32_t g = 0; g < n_kv_heads; g++) {
    gather_head(kg, k, T, kv_dim, g * head_size, head_size);
    gather_head(vg, v, T, kv_dim, g * head_size, head_size);
    for (size_t e = 0; e < blk; e++) dkg[e] = dvg[e] = 0.0f;
    for (int32_t h = g * kv_mul; h < (g + 1) * kv_mul; h++) {
      const float *a = att + (size_t)h * T * T;
      gather_head(qh, q, T, dim, h * head_size, head_size);
      gather_head(doh, dout, T, dim, h * head_size, head_size);
      tt_trk_matmul(ds, doh, vg, T, head_size, T, mm); /* dP[t][u] = do_t . v_u */
      for (int32_t t = 0; t < T; t++) {
        const float *p = a + (size_t)t * T;
        float *row = ds + (size_t)t * T;
        float sum = 0.0f;
        for (int32_t u = 0; u <= t; u++) sum += p[u] * row[u];
        for (int32_t u = 0; u <= t; u++) row[u] = p[u] * (row[u] - sum) / scale;
        for (int32_t u = t + 1; u < T; u++) row[u] = 0.0f;
      }
      tt_trk_matmul_dx(dqh, ds, kg, T, head_size, T, 0); /* dq_t = sum_u ds[t][u] k_u */
      scatter_head(dq, dqh, T, dim, h * head_size, head_size);
      tt_trk_matmul_dw(dkg, ds, qh, T, head_size, T, tr); /* dk_u += sum_t ds[t][u] q_t */
      tt_trk_matmul_dw(dvg, a, doh, T, head_size, T, tr); /* dv_u += sum_t p[t][u] do_t */
    }
    scatter_head(dk, dkg, T, kv_dim, g * head_size, head_size);
    scatter_head(dv, dvg, T, kv_dim, g * head_size, head_size);
  }
}

/* g = silu(h1) * h3, exactly as model.c's feed-forward. */
TT_EXPORT(tt_trk_swiglu)
void tt_trk_swiglu(float *g, const float *h1, const float *h3, int32_t n) {
  for (int32_t i = 0; i < n; i++) {
    float val = h1[i];
    val *= 1.0f / (1.0f + tt_expf(-val));
    val *= h3[i];
    g[i] = val;
  }
}

/* dh3 = dg silu(a), dh1 = dg h3 sigma(a) (1 + a (1 - sigma(a))), a = h1. dh1 may be dg (in place). */
TT_EXPORT(tt_trk_swiglu_bwd)
void tt_trk_swiglu_bwd(float *dh1, float *dh3, const float *dg, const float *h1, const float *h3, int32_t n) {
  for (int32_t i = 0; i < n; i++) {
    float a = h1[i], gi = dg[i];
    float sig = 1.0f / (1.0f + tt_expf(-a));
    float silu = a * sig;
    float dsilu = sig * (1.0f + a * (1.0f - sig));
    dh3[i] = gi * silu;
    dh1[i] = (gi * h3[i]) * dsilu;
  }
}

/*
 * Log-softmax of R rows of logits (V each): returns the sum over rows of log p(targets[r]) (in double, rows in
 * order) and leaves the probabilities in probs (which may be logits itself). Per row: max, exps in float, their sum
 * in double in index order, log in double.
 */
TT_EXPORT(tt_trk_logprob)
double tt_trk_logprob(float *probs, const float *logits, const int32_t *targets, int32_t R, int32_t V) {
  double total = 0.0;
  for (int32_t r = 0; r < R; r++) {
    const float *l = logits + (size_t)r * V;
    float *p = probs + (size_t)r * V;
    float max = l[0];
    for (int32_t i = 1; i < V; i++)
      if (l[i] > max) max = l[i];
    float ly = l[targets[r]];
    double sum = 0.0;
    int32_t i = 0;
#ifdef TT_SIMD
    for (; i + 4 <= V; i += 4) {
      v4 e = expf4(LD(l + i) - splat(max));
      ST(p + i, e);
      sum += (double)e[0];
      sum += (double)e[1];
      sum += (double)e[2];
      sum += (double)e[3];
    }
#endif
    for (; i < V; i++) {
      float e = tt_expf(l[i] - max);
      p[i] = e;
      sum += (double)e;
    }
    float inv = (float)(1.0 / sum);
    for (int32_t i = 0; i < V; i++) p[i] *= inv;
    total += (double)(ly - max) - tt_log(sum);
  }
  return total;
}

/* The gradient of coef * (sum of log p(targets)) with respect to the logits, in place: coef (onehot - p). */
TT_EXPORT(tt_trk_logprob_bwd)
void tt_trk_logprob_bwd(float *probs, const int32_t *targets, int32_t R, int32_t V, float coef) {
  for (int32_t r = 0; r < R; r++) {
    float *p = probs + (size_t)r * V;
    float py = p[targets[r]];
    for (int32_t i = 0; i < V; i++) p[i] = -(coef * p[i]);
    p[targets[r]] = coef * (1.0f - py);
  }
}
