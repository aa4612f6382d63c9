/*
 * The llama2 transformer as llama2.c checkpoints define it: checkpoint layout → state buffers → the blocks
 * (rmsnorm, softmax, matmul) → forward.
 *
 * Determinism: every floating-point sum has an order written here or in matmul.c. Dot products (matmul rows,
 * attention scores, RMSNorm) are plain sequential sums (matmul.c); softmax sums in index order; the attention's
 * weighted sum of values adds position by position. The builds forbid FMA contraction and fast-math.
 */
#include "tt.h"

TT_EXPORT(tt_context_new)
TTContext *tt_context_new(void) { return (TTContext *)tt_alloc((uint32_t)sizeof(TTContext)); }

TT_EXPORT(tt_last_error)
int tt_last_error(TTContext *c) { return c->last_error; }

TT_EXPORT(tt_config)
const TTConfig *tt_config(TTContext *c) { return &c->cfg; }

TT_EXPORT(tt_logits)
float *tt_logits(TTContext *c) { return c->s.logits; }

static int32_t read_i32(const uint8_t *p) {
  return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

static float *alloc_floats(uint64_t n) {
  if (n * 4u > 0xF0000000ull) return 0;
  return (float *)tt_alloc((uint32_t)(n * 4u));
}

/* Fills the RoPE tables: pair i of a head at position pos turns by pos * 10000^(-2i/head_size). */
static void build_rope_tables(TTContext *c) {
  TTRunState *s = &c->s;
  int head_size = c->head_size;
  const double LN_10000 = 9.21034037197618273607;
  int half = head_size / 2;
  for (int i = 0; i < half; i++) {
    double freq = tt_exp(-((double)(2 * i) / (double)head_size) * LN_10000);
    for (int pos = 0; pos < c->cfg.seq_len; pos++) {
      double angle = (double)pos * freq;
      s->rope_cos[pos * half + i] = (float)tt_cos(angle);
      s->rope_sin[pos * half + i] = (float)tt_sin(angle);
    }
  }
}

/* Packs every matrix in place (see TTWeights in tt.h), with a scratch of one panel of the widest matrix. */
static int pack_weights(TTContext *c) {
  const TTConfig *cfg = &c->cfg;
  TTWeights *w = &c->w;
  int dim = cfg->dim, hid = cfg->hidden_dim, kvd = c->kv_dim;
  float *scratch = alloc_floats((uint64_t)TT_PANEL * (uint64_t)(hid > dim ? hid : dim));
  if (!scratch) return TT_ERR_OOM;
  for (int l = 0; l < cfg->n_layers; l++) {
    tt_pack_matrix(w->wq + (size_t)l * dim * dim, dim, dim, scratch);
    tt_pack_matrix(w->wk + (size_t)l * dim * kvd, kvd, dim, scratch);
    tt_pack_matrix(w->wv + (size_t)l * dim * kvd, kvd, dim, scratch);
    tt_pack_matrix(w->wo + (size_t)l * dim * dim, dim, dim, scratch);
    tt_pack_matrix(w->w1 + (size_t)l * dim * hid, hid, dim, scratch);
    tt_pack_matrix(w->w2 + (size_t)l * hid * dim, dim, hid, scratch);
    tt_pack_matrix(w->w3 + (size_t)l * dim * hid, hid, dim, scratch);
  }
  tt_pack_matrix(w->token_embedding, cfg->vocab_size, dim, scratch);
  if (!cfg->shared_classifier) tt_pack_matrix(w->wcls, cfg->vocab_size, dim, scratch);
  return TT_OK;
}

/*
 * Checks the header and the exact file size, then points the weights into the caller's buffer (no copy), packs
 * its matrices in place and takes all the state memory at once. `bytes` must stay alive for the life of the
 * context and is the engine's from now on.
 */
TT_EXPORT(tt_load_model)
int tt_load_model(TTContext *c, uint8_t *bytes, uint32_t nbytes) {
  TTConfig *cfg = &c->cfg;
  TTWeights *w = &c->w;
  TTRunState *s = &c->s;
  if (c->loaded) return c->last_error = TT_ERR_ARG;
  if (nbytes < 28) return c->last_error = TT_ERR_CKPT_HEADER;
  int32_t h[7];
  for (int i = 0; i < 7; i++) h[i] = read_i32(bytes + 4 * i);
  cfg->dim = h[0];
  cfg->hidden_dim = h[1];
  cfg->n_layers = h[2];
  cfg->n_heads = h[3];
  cfg->n_kv_heads = h[4];
  cfg->shared_classifier = h[5] > 0 ? 1 : 0;
  cfg->vocab_size = h[5] > 0 ? h[5] : (h[5] == INT32_MIN ? 0 : -h[5]);
  cfg->seq_len = h[6];
  /* Limits far above any llama2.c checkpoint that fits in 4 GiB; they keep every index below in 32 bits. */
  if (cfg->dim <= 0 || cfg->dim > 65536 || cfg->hidden_dim <= 0 || cfg->hidden_dim > 262144 || cfg->n_layers <= 0 ||
      cfg->n_layers > 4096 || cfg->n_heads <= 0 || cfg->n_kv_heads <= 0 || cfg->vocab_size <= 0 ||
      cfg->vocab_size > 1048576 || cfg->seq_len <= 0 || cfg->seq_len > 65536 || cfg->dim % cfg->n_heads != 0 ||
      cfg->n_heads % cfg->n_kv_heads != 0 || (cfg->dim / cfg->n_heads) % 2 != 0)
    return c->last_error = TT_ERR_CKPT_CONFIG;
  int head_size = cfg->dim / cfg->n_heads, kv_dim = head_size * cfg->n_kv_heads;
  c->head_size = head_size;
  c->kv_dim = kv_dim;
  c->kv_mul = cfg->n_heads / cfg->n_kv_heads;

  uint64_t dim = (uint64_t)cfg->dim, hid = (uint64_t)cfg->hidden_dim, L = (uint64_t)cfg->n_layers;
  uint64_t vocab = (uint64_t)cfg->vocab_size, seq = (uint64_t)cfg->seq_len, kvd = (uint64_t)kv_dim;
  uint64_t nfloats = vocab * dim + L * dim + L * dim * dim + 2 * L * dim * kvd + L * dim * dim + L * dim +
                     3 * L * dim * hid + dim + seq * (uint64_t)head_size + (cfg->shared_classifier ? 0 : vocab * dim);
  if (28u + 4u * nfloats != (uint64_t)nbytes) return c->last_error = TT_ERR_CKPT_SIZE;

  float *p = (float *)(bytes + 28);
  w->token_embedding = p; p += vocab * dim;
  w->rms_att = p;         p += L * dim;
  w->wq = p;              p += L * dim * dim;
  w->wk = p;              p += L * dim * kvd;
  w->wv = p;              p += L * dim * kvd;
  w->wo = p;              p += L * dim * dim;
  w->rms_ffn = p;         p += L * dim;
  w->w1 = p;              p += L * dim * hid;
  w->w2 = p;              p += L * hid * dim;
  w->w3 = p;              p += L * dim * hid;
  w->rms_final = p;       p += dim;
  p += seq * (uint64_t)head_size; /* the two unused RoPE tables */
  w->wcls = cfg->shared_classifier ? w->token_embedding : p;

  uint64_t cache = L * seq * kvd;
  uint64_t kblocks = (seq + TT_KBLOCK - 1) / TT_KBLOCK;
  s->x = alloc_floats(dim);
  s->xb = alloc_floats(dim);
  s->xb2 = alloc_floats(dim);
  s->hb = alloc_floats(hid);
  s->hb2 = alloc_floats(hid);
  s->q = alloc_floats(dim);
  s->att = alloc_floats((uint64_t)cfg->n_heads * kblocks * TT_KBLOCK);
  s->logits = alloc_floats(vocab);
  s->probs = alloc_floats(vocab);
  s->k = alloc_floats(kvd);
  s->key_cache = alloc_floats(L * kblocks * TT_KBLOCK * kvd);
  s->value_cache = alloc_floats(cache);
  s->rope_cos = alloc_floats(seq * (uint64_t)head_size / 2);
  s->rope_sin = alloc_floats(seq * (uint64_t)head_size / 2);
  if (!s->x || !s->xb || !s->xb2 || !s->hb || !s->hb2 || !s->q || !s->k || !s->att || !s->logits || !s->probs || !s->key_cache || !s->value_cache ||
      !s->rope_cos || !s->rope_sin || tt_sampler_alloc(&c->sampler, cfg->vocab_size) != TT_OK)
    return c->last_error = TT_ERR_OOM;
  if (pack_weights(c) != TT_OK) return c->last_error = TT_ERR_OOM;
  build_rope_tables(c);
  c->att_scale = __builtin_sqrtf((float)head_size);
  c->loaded = 1;
  return c->last_error = TT_OK;
}

/* The matmuls the pool's tasks share out: each part computes its rows of every matrix in pool.mm. */
static void matmul_task(TTContext *c, int part, int parts) {
  const TTPool *pl = &c->pool;
  for (int i = 0; i < pl->n_mm; i++) {
    const TTMatmul *m = &pl->mm[i];
    tt_matmul_part(m->out, m->x, m->w, m->n, m->d, part, parts);
  }
}

static void set_matmul(TTContext *c, int i, float *out, const float *x, const float *w, int n, int d) {
  TTMatmul *m = &c->pool.mm[i];
  m->out = out;
  m->x = x;
  m->w = w;
  m->n = n;
  m->d = d;
  c->pool.n_mm = i + 1;
}

/* xout = W x for a packed W of d rows of n (see TTWeights), shared out among the threads. */
static void matmul(TTContext *c, float *xout, const float *x, const float *wm, int n, int d) {
  set_matmul(c, 0, xout, x, wm, n, d);
  tt_parallel(c, matmul_task);
}

static void rmsnorm(float *o, const float *x, const float *weight, int n) {
  float ss = tt_dot(x, x, n);
  ss /= (float)n;
  ss += 1e-5f;
  ss = 1.0f / __builtin_sqrtf(ss);
  for (int j = 0; j < n; j++) o[j] = weight[j] * (ss * x[j]);
}

/*
 * out = exp(in / divisor - max), out and in may be the same; returns the sum of the exponentials, added in
 * increasing index order. Each in[i] / divisor is rounded once, in the same pass that finds the maximum.
 */
float tt_softmax_exps(float *out, const float *in, int n, float divisor) {
  float max = out[0] = in[0] / divisor;
  for (int i = 1; i < n; i++) {
    out[i] = in[i] / divisor;
    if (out[i] > max) max = out[i];
  }
  float sum = 0.0f;
  const TTExpfConsts e = tt_expf_consts;
  for (int i = 0; i < n; i++) {
    out[i] = tt_expf_nonpos_with(e, out[i] - max); /* out[i] <= max */
    sum += out[i];
  }
  return sum;
}

/* out = softmax(in / divisor): tt_softmax_exps, then each exponential divided by their sum. */
float tt_softmax(float *out, const float *in, int n, float divisor) {
  float sum = tt_softmax_exps(out, in, n, divisor);
  for (int i = 0; i < n; i++) out[i] /= sum;
  return sum;
}

/* Rotates adjacent pairs (2i, 2i+1) of each head of vec (n floats) by the angles of position pos. */
static void rope(const TTContext *ctx, float *vec, int n, int pos) {
  int head_size = ctx->head_size, half = head_size / 2;
  const float *c = ctx->s.rope_cos + (size_t)pos * half, *sn = ctx->s.rope_sin + (size_t)pos * half;
  for (int i = 0; i < n; i += 2) {
    int pair = (i % head_size) / 2;
    float fcr = c[pair], fci = sn[pair];
    float v0 = vec[i], v1 = vec[i + 1];
    vec[i] = v0 * fcr - v1 * fci;
    vec[i + 1] = v0 * fci + v1 * fcr;
  }
}

/* Layer l's key cache: blocks of TT_KBLOCK positions, each kv_dim x TT_KBLOCK (see TTRunState). */
static float *key_block_base(const TTContext *c, int l) {
  size_t blocks = ((size_t)c->cfg.seq_len + TT_KBLOCK - 1) / TT_KBLOCK;
  return c->s.key_cache + (size_t)l * blocks * TT_KBLOCK * (size_t)c->kv_dim;
}

/*
 * Grouped-query attention of the heads of this part, at pool.layer and pool.pos: kv_mul query heads share one
 * key/value head. Each head writes only its own slices of att and xb.
 */
static void attention_task(TTContext *c, int part, int parts) {
  const TTConfig *cfg = &c->cfg;
  TTRunState *s = &c->s;
  int l = c->pool.layer, pos = c->pool.pos, head_size = c->head_size, kv_dim = c->kv_dim;
  size_t att_stride = ((size_t)cfg->seq_len + TT_KBLOCK - 1) / TT_KBLOCK * TT_KBLOCK;
  const float *kcache = key_block_base(c, l);
  const float *vcache = s->value_cache + (size_t)l * cfg->seq_len * kv_dim;
  int h0 = cfg->n_heads * part / parts, h1 = cfg->n_heads * (part + 1) / parts;
  for (int h = h0; h < h1; h++) {
    const float *qh = s->q + (size_t)h * head_size;
    float *att = s->att + (size_t)h * att_stride;
    size_t kvoff = (size_t)(h / c->kv_mul) * head_size;
    /* Scores of whole blocks of positions; the block of pos may run past it into lanes not written yet, whose
     * results land in att beyond pos and are never read. */
    for (int t = 0; t <= pos; t += TT_KBLOCK)
      tt_block_dots(att + t, qh, kcache + (size_t)(t / TT_KBLOCK) * TT_KBLOCK * kv_dim + kvoff * TT_KBLOCK, head_size);
    tt_softmax(att, att, pos + 1, c->att_scale); /* each score divided by sqrt(head_size), then softmax */
    float *xbh = s->xb + (size_t)h * head_size;
    for (int i = 0; i < head_size; i++) xbh[i] = 0.0f;
    for (int t = 0; t <= pos; t++) {
      const float *vt = vcache + (size_t)t * kv_dim + kvoff;
      float a = att[t];
      for (int i = 0; i < head_size; i++) xbh[i] += a * vt[i];
    }
  }
}

/* SwiGLU's first half for this part's rows: hb = silu(w1 x) * (w3 x). */
static void ffn_up_task(TTContext *c, int part, int parts) {
  matmul_task(c, part, parts);
  int lo, hi;
  tt_part_rows(c->cfg.hidden_dim, part, parts, &lo, &hi);
  float *hb = c->s.hb, *hb2 = c->s.hb2;
  const TTExpfConsts e = tt_expf_consts;
  for (int i = lo; i < hi; i++) {
    float val = hb[i];
    val *= 1.0f / (1.0f + tt_expf_with(e, -val));
    val *= hb2[i];
    hb[i] = val;
  }
}

/* Runs token at position pos through the network; returns the logits (vocab floats), or 0 on a bad argument. */
TT_EXPORT(tt_forward)
float *tt_forward(TTContext *c, int32_t token, int32_t pos) {
  const TTConfig *cfg = &c->cfg;
  const TTWeights *w = &c->w;
  TTRunState *s = &c->s;
  if (!c->loaded) { c->last_error = TT_ERR_NOT_LOADED; return 0; }
  if (token < 0 || token >= cfg->vocab_size) { c->last_error = TT_ERR_TOKEN_RANGE; return 0; }
  if (pos < 0 || pos >= cfg->seq_len) { c->last_error = TT_ERR_POS_RANGE; return 0; }
  int dim = cfg->dim, hidden = cfg->hidden_dim, kv_dim = c->kv_dim;
  float *x = s->x;
  tt_matrix_row(w->token_embedding, cfg->vocab_size, dim, token, x);

  for (int l = 0; l < cfg->n_layers; l++) {
    rmsnorm(s->xb, x, w->rms_att + (size_t)l * dim, dim);

    /* q and k for this position; v goes straight into the value cache, k into its block of the key cache. */
    float *kcache = key_block_base(c, l);
    float *k = s->k;
    float *v = s->value_cache + ((size_t)l * cfg->seq_len + (size_t)pos) * kv_dim;
    set_matmul(c, 0, s->q, s->xb, w->wq + (size_t)l * dim * dim, dim, dim);
    set_matmul(c, 1, k, s->xb, w->wk + (size_t)l * dim * kv_dim, dim, kv_dim);
    set_matmul(c, 2, v, s->xb, w->wv + (size_t)l * dim * kv_dim, dim, kv_dim);
    tt_parallel(c, matmul_task);
    rope(c, s->q, dim, pos);
    rope(c, k, kv_dim, pos);
    float *kblock = kcache + (size_t)(pos / TT_KBLOCK) * TT_KBLOCK * kv_dim + pos % TT_KBLOCK;
    for (int i = 0; i < kv_dim; i++) kblock[(size_t)i * TT_KBLOCK] = k[i];

    c->pool.layer = l;
    c->pool.pos = pos;
    tt_parallel(c, attention_task);
    matmul(c, s->xb2, s->xb, w->wo + (size_t)l * dim * dim, dim, dim);
    for (int i = 0; i < dim; i++) x[i] += s->xb2[i];

    /* SwiGLU feed-forward: w2( silu(w1 x) * (w3 x) ). */
    rmsnorm(s->xb, x, w->rms_ffn + (size_t)l * dim, dim);
    set_matmul(c, 0, s->hb, s->xb, w->w1 + (size_t)l * dim * hidden, dim, hidden);
    set_matmul(c, 1, s->hb2, s->xb, w->w3 + (size_t)l * dim * hidden, dim, hidden);
    tt_parallel(c, ffn_up_task);
    matmul(c, s->xb, s->hb, w->w2 + (size_t)l * hidden * dim, hidden, dim);
    for (int i = 0; i < dim; i++) x[i] += s->xb[i];
  }
  rmsnorm(x, x, w->rms_final, dim);
  matmul(c, s->logits, x, w->wcls, dim, cfg->vocab_size);
  c->last_error = TT_OK;
  return s->logits;
}
