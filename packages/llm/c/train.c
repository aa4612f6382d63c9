/*
 * The DPO trainer: checks the base checkpoint, the pairs and the hyper-parameters, computes the frozen reference
 * model's log-probabilities, then runs optimizer steps (DPO loss, gradient accumulation over the pairs of a step in
 * order, global-norm clipping, AdamW on a warmup + cosine schedule), and saves or restores its whole state as a step
 * file. The trained model is always available as a complete llama2.c checkpoint (tt_tr_file).
 *
 * A step is three calls, so a host can report progress and stay responsive between pairs:
 * tt_tr_step_begin, then tt_tr_step_pair once per pair of the step, then tt_tr_step_end. Splitting the work this way
 * changes no bit: the order of every sum is fixed by the data, never by the calls.
 *
 * Pair block (int32 little-endian): n_pairs, then per pair P, C, R and the P prompt tokens, C chosen-response tokens,
 * R rejected-response tokens. The prompt should start with BOS, as generation did.
 */
#include "train.h"

#define STATE_MAGIC0 0x52545454u /* "TTTR" */
#define STATE_MAGIC1 0x314e4941u /* "AIN1" */
#define STATE_VERSION 1u
#define STATE_HEADER 160u

static int32_t rd_i32(const uint8_t *p) {
  return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}
static uint32_t rd_u32(const uint8_t *p) { return (uint32_t)rd_i32(p); }
static uint64_t rd_u64(const uint8_t *p) { return (uint64_t)rd_u32(p) | ((uint64_t)rd_u32(p + 4) << 32); }
static double rd_f64(const uint8_t *p) {
  uint64_t u = rd_u64(p);
  double d;
  __builtin_memcpy(&d, &u, 8);
  return d;
}
static void wr_u32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
static void wr_u64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static int finite_d(double x) { return x - x == 0.0; }
static int finite_f(float x) {
  uint32_t u;
  __builtin_memcpy(&u, &x, 4);
  return (u & 0x7f800000u) != 0x7f800000u;
}

/*
 * A 64-bit fingerprint of bytes (FNV-1a over little-endian 32-bit words, then the odd bytes, then the length):
 * it tells a step file which base, pairs and contents it belongs to. Not cryptographic; the trained model's identity
 * is the sha256 the host computes.
 */
typedef struct {
  uint64_t h;
  uint64_t len;
} Hash64;
static void h64_init(Hash64 *s) {
  s->h = 0xcbf29ce484222325ull;
  s->len = 0;
}
static void h64_words(Hash64 *s, const uint8_t *p, uint32_t n) { /* n must be a multiple of 4 except at the end */
  uint64_t h = s->h;
  uint32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t w;
    __builtin_memcpy(&w, p + i, 4); /* the hosts are little-endian, as the file formats are */
    h = (h ^ w) * 0x100000001b3ull;
  }
  for (; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  s->h = h;
  s->len += n;
}
static uint64_t h64_final(const Hash64 *s) { return (s->h ^ s->len) * 0x100000001b3ull; }
static uint64_t hash_bytes(const uint8_t *p, uint32_t n) {
  Hash64 s;
  h64_init(&s);
  h64_words(&s, p, n);
  return h64_final(&s);
}

static float *falloc(uint64_t n) {
  if (n * 4u > 0xF0000000ull) return 0;
  return (float *)tt_alloc((uint32_t)(n * 4u));
}

static int fail(TTTrainer *tr, int code, int detail) {
  tr->error = code;
  tr->error_detail = detail;
  return code;
}

void tt_tr_decode_params(const uint8_t *wire, TTTrainParams *p) {
  p->learning_rate = rd_f64(wire + 0);
  p->beta = rd_f64(wire + 8);
  p->weight_decay = rd_f64(wire + 16);
  p->adam_beta1 = rd_f64(wire + 24);
  p->adam_beta2 = rd_f64(wire + 32);
  p->adam_eps = rd_f64(wire + 40);
  p->max_grad_norm = rd_f64(wire + 48);
  p->min_lr_ratio = rd_f64(wire + 56);
  p->epochs = rd_i32(wire + 64);
  p->batch_size = rd_i32(wire + 68);
  p->warmup_steps = rd_i32(wire + 72);
  p->schedule = rd_i32(wire + 76);
  p->seed = rd_u64(wire + 80);
}

/* 0 when the hyper-parameters are usable, else 1 + the field's index in the wire order. */
static int check_params(const TTTrainParams *p) {
  if (!(p->learning_rate > 0.0 && p->learning_rate <= 1.0)) return 1;
  if (!(p->beta > 0.0 && p->beta <= 1000.0)) return 2;
  if (!(p->weight_decay >= 0.0 && p->weight_decay <= 1.0)) return 3;
  if (!(p->adam_beta1 >= 0.0 && p->adam_beta1 < 1.0)) return 4;
  if (!(p->adam_beta2 >= 0.0 && p->adam_beta2 < 1.0)) return 5;
  if (!(p->adam_eps > 0.0 && p->adam_eps <= 1.0)) return 6;
  if (!(p->max_grad_norm >= 0.0 && finite_d(p->max_grad_norm))) return 7;
  if (!(p->min_lr_ratio >= 0.0 && p->min_lr_ratio <= 1.0)) return 8;
  if (p->epochs < 1 || p->epochs > 100000) return 9;
  if (p->batch_size < 1 || p->batch_size > 1000000) return 10;
  if (p->warmup_steps < 0) return 11;
  if (p->schedule != TT_SCHEDULE_COSINE && p->schedule != TT_SCHEDULE_CONSTANT) return 12;
  return 0;
}

/* The same header rules as model.c's loader. */
static int parse_header(TTTrainer *tr, const uint8_t *bytes, uint32_t nbytes) {
  TTConfig *c = &tr->cfg;
  if (nbytes < 28) return TT_ERR_CKPT_HEADER;
  int32_t h[7];
  for (int i = 0; i < 7; i++) h[i] = rd_i32(bytes + 4 * i);
  c->dim = h[0];
  c->hidden_dim = h[1];
  c->n_layers = h[2];
  c->n_heads = h[3];
  c->n_kv_heads = h[4];
  c->shared_classifier = h[5] > 0 ? 1 : 0;
  c->vocab_size = h[5] > 0 ? h[5] : (h[5] == INT32_MIN ? 0 : -h[5]);
  c->seq_len = h[6];
  if (c->dim <= 0 || c->dim > 65536 || c->hidden_dim <= 0 || c->hidden_dim > 262144 || c->n_layers <= 0 ||
      c->n_layers > 4096 || c->n_heads <= 0 || c->n_kv_heads <= 0 || c->vocab_size <= 0 || c->vocab_size > 1048576 ||
      c->seq_len <= 0 || c->seq_len > 65536 || c->dim % c->n_heads != 0 || c->n_heads % c->n_kv_heads != 0 ||
      (c->dim / c->n_heads) % 2 != 0)
    return TT_ERR_CKPT_CONFIG;
  tr->head_size = c->dim / c->n_heads;
  tr->kv_dim = tr->head_size * c->n_kv_heads;
  tr->kv_mul = c->n_heads / c->n_kv_heads;
  uint64_t dim = (uint64_t)c->dim, hid = (uint64_t)c->hidden_dim, L = (uint64_t)c->n_layers;
  uint64_t vocab = (uint64_t)c->vocab_size, seq = (uint64_t)c->seq_len, kvd = (uint64_t)tr->kv_dim;
  uint64_t o = 0;
  TTLayout *y = &tr->lay;
  y->emb = (uint32_t)o;       o += vocab * dim;
  y->rms_att = (uint32_t)o;   o += L * dim;
  y->wq = (uint32_t)o;        o += L * dim * dim;
  y->wk = (uint32_t)o;        o += L * dim * kvd;
  y->wv = (uint32_t)o;        o += L * dim * kvd;
  y->wo = (uint32_t)o;        o += L * dim * dim;
  y->rms_ffn = (uint32_t)o;   o += L * dim;
  y->w1 = (uint32_t)o;        o += L * dim * hid;
  y->w2 = (uint32_t)o;        o += L * hid * dim;
  y->w3 = (uint32_t)o;        o += L * dim * hid;
  y->rms_final = (uint32_t)o; o += dim;
  y->rope = (uint32_t)o;      o += seq * (uint64_t)tr->head_size;
  y->cls = c->shared_classifier ? y->emb : (uint32_t)o;
  if (!c->shared_classifier) o += vocab * dim;
  if (28u + 4u * o != (uint64_t)nbytes) return TT_ERR_CKPT_SIZE;
  y->nfloats = (uint32_t)o;
  return TT_OK;
}

/* Indexes the pair block; 0 or the index of the first bad pair + 1 (n_pairs + 1 for a bad block length). */
static int parse_pairs(TTTrainer *tr, const int32_t *pairs, uint32_t n_ints) {
  if (n_ints < 1) return 1;
  int32_t n = pairs[0];
  if (n < 1 || (uint32_t)n > n_ints) return 1;
  tr->pair_at = (uint32_t *)tt_alloc((uint32_t)n * 4u);
  if (!tr->pair_at) return -1;
  uint32_t at = 1;
  int32_t V = tr->cfg.vocab_size, S = tr->cfg.seq_len;
  for (int32_t i = 0; i < n; i++) {
    if (at + 3 > n_ints) return n + 1;
    int32_t P = pairs[at], C = pairs[at + 1], R = pairs[at + 2];
    if (P < 1 || C < 1 || R < 1 || P > S || C > S || R > S || P + C - 1 > S || P + R - 1 > S) return i + 1;
    uint32_t len = 3u + (uint32_t)P + (uint32_t)C + (uint32_t)R;
    if (at + len > n_ints) return n + 1;
    for (uint32_t k = at + 3; k < at + len; k++)
      if (pairs[k] < 0 || pairs[k] >= V) return i + 1;
    tr->pair_at[i] = at;
    at += len;
  }
  if (at != n_ints) return n + 1;
  tr->n_pairs = n;
  tr->pairs = pairs;
  return 0;
}

static int alloc_seq(TTTrainer *tr, TTSeq *s) {
  uint64_t T = (uint64_t)tr->cfg.seq_len, dim = (uint64_t)tr->cfg.dim, hid = (uint64_t)tr->cfg.hidden_dim;
  uint64_t L = (uint64_t)tr->cfg.n_layers, kv = (uint64_t)tr->kv_dim, nh = (uint64_t)tr->cfg.n_heads;
  s->tokens = (const int32_t *)tt_alloc((uint32_t)(T + 1) * 4u);
  s->x = falloc((L + 1) * T * dim);
  s->xn1 = falloc(L * T * dim);
  s->q = falloc(L * T * dim);
  s->k = falloc(L * T * kv);
  s->v = falloc(L * T * kv);
  s->att = falloc(L * nh * T * T);
  s->ao = falloc(L * T * dim);
  s->xmid = falloc(L * T * dim);
  s->xn2 = falloc(L * T * dim);
  s->h1 = falloc(L * T * hid);
  s->h3 = falloc(L * T * hid);
  s->g = falloc(L * T * hid);
  s->r1 = falloc(L * T);
  s->r2 = falloc(L * T);
  s->rf = falloc(T);
  s->xf = falloc(T * dim);
  s->probs = falloc(T * (uint64_t)tr->cfg.vocab_size);
  return s->tokens && s->x && s->xn1 && s->q && s->k && s->v && s->att && s->ao && s->xmid && s->xn2 && s->h1 &&
         s->h3 && s->g && s->r1 && s->r2 && s->rf && s->xf && s->probs;
}

/*
 * Makes a trainer for the base checkpoint (bytes stay the caller's and must not change while the trainer lives;
 * placed so the floats after the 28-byte header are 4-byte aligned), the hyper-parameters' wire bytes and the pair
 * block. Returns 0 only when not even the trainer struct fits in memory; otherwise check tt_tr_error.
 */
TT_EXPORT(tt_tr_new)
TTTrainer *tt_tr_new(const uint8_t *base, uint32_t base_bytes, const uint8_t *params, const int32_t *pairs,
                     uint32_t pairs_ints) {
  TTTrainer *tr = (TTTrainer *)tt_alloc((uint32_t)sizeof(TTTrainer));
  if (!tr) return 0;
  __builtin_memset(tr, 0, sizeof(TTTrainer));
  tr->order_epoch = -1;
  int rc = parse_header(tr, base, base_bytes);
  if (rc) return fail(tr, rc, 0), tr;
  for (int i = 0; i < TT_PARAMS_BYTES; i++) tr->params_wire[i] = params[i];
  tt_tr_decode_params(params, &tr->hp);
  rc = check_params(&tr->hp);
  if (rc) return fail(tr, TT_ERR_TRAIN_PARAMS, rc), tr;
  rc = parse_pairs(tr, pairs, pairs_ints);
  if (rc < 0) return fail(tr, TT_ERR_OOM, 0), tr;
  if (rc) return fail(tr, TT_ERR_TRAIN_PAIRS, rc - 1), tr;
  tr->steps_per_epoch = (tr->n_pairs + tr->hp.batch_size - 1) / tr->hp.batch_size;
  if ((int64_t)tr->steps_per_epoch * tr->hp.epochs > 10000000) return fail(tr, TT_ERR_TRAIN_PARAMS, 9), tr;
  tr->total_steps = tr->steps_per_epoch * tr->hp.epochs;

  const TTConfig *c = &tr->cfg;
  tr->base = base;
  tr->base_bytes = base_bytes;
  tr->att_scale = __builtin_sqrtf((float)tr->head_size);
  uint64_t T = (uint64_t)c->seq_len, dim = (uint64_t)c->dim, hid = (uint64_t)c->hidden_dim, kv = (uint64_t)tr->kv_dim;
  uint64_t nf = tr->lay.nfloats;
  /* The policy file sits 36 bytes past a 64-byte boundary, so its floats start on a cache line (as in inference). */
  uint8_t *file = (uint8_t *)tt_alloc(base_bytes + 64u);
  if (file) file += (36u - ((uintptr_t)file & 63u) + 64u) & 63u;
  tr->file = file;
  tr->grad = falloc(nf);
  tr->m = falloc(nf);
  tr->v = falloc(nf);
  tr->rope_cos = falloc(T * (uint64_t)tr->head_size / 2);
  tr->rope_sin = falloc(T * (uint64_t)tr->head_size / 2);
  uint64_t row = T > dim ? T : dim;
  tr->d_x = falloc(T * dim);
  tr->d_xn = falloc(T * dim);
  tr->d_q = falloc(T * dim);
  tr->d_k = falloc(T * kv);
  tr->d_v = falloc(T * kv);
  tr->d_ao = falloc(T * dim);
  tr->d_h1 = falloc(T * hid);
  tr->d_h3 = falloc(T * hid);
  tr->d_xf = falloc(T * dim);
  tr->d_row = falloc(row);
  tr->d_tr = falloc(32u * T);
  tr->d_wt = falloc(16u * (dim > hid ? dim : hid));
  tr->d_att = falloc((uint64_t)tt_trk_attention_scratch(c->seq_len, tr->head_size));
  tr->ref_logp = (double *)tt_alloc((uint32_t)tr->n_pairs * 16u);
  tr->order = (int32_t *)tt_alloc((uint32_t)tr->n_pairs * 4u);
  uint64_t hist = (uint64_t)tr->total_steps * TT_METRICS * 8u;
  tr->history = hist < 0xF0000000ull ? (double *)tt_alloc((uint32_t)hist) : 0;
  if (!file || !tr->grad || !tr->m || !tr->v || !tr->rope_cos || !tr->rope_sin || !tr->d_x || !tr->d_xn ||
      !tr->d_q || !tr->d_k || !tr->d_v || !tr->d_ao || !tr->d_h1 || !tr->d_h3 || !tr->d_xf || !tr->d_row ||
      !tr->d_tr || !tr->d_wt || !tr->d_att || !tr->ref_logp || !tr->order || !tr->history || !alloc_seq(tr, &tr->seq[0]) ||
      !alloc_seq(tr, &tr->seq[1]))
    return fail(tr, TT_ERR_OOM, 0), tr;
  __builtin_memcpy(file, base, base_bytes);
  tr->w = (float *)(file + 28);
  for (uint64_t i = 0; i < nf; i++) tr->m[i] = tr->v[i] = 0.0f;
  tt_trk_rope_tables(tr->rope_cos, tr->rope_sin, c->seq_len, tr->head_size);
  tr->base_hash = hash_bytes(base, base_bytes);
  tr->pairs_hash = hash_bytes((const uint8_t *)pairs, pairs_ints * 4u);
  return tr;
}

/* Fills slot `which` (0 chosen, 1 rejected) with pair i's prompt and that response. */
static TTSeq *load_seq(TTTrainer *tr, int32_t i, int which) {
  const int32_t *rec = tr->pairs + tr->pair_at[i];
  int32_t P = rec[0], C = rec[1], R = rec[2];
  const int32_t *resp = rec + 3 + P + (which ? C : 0);
  int32_t len = which ? R : C;
  TTSeq *s = &tr->seq[which];
  int32_t *tok = (int32_t *)s->tokens;
  for (int32_t k = 0; k < P; k++) tok[k] = rec[3 + k];
  for (int32_t k = 0; k < len; k++) tok[P + k] = resp[k];
  s->n = P + len - 1;
  s->first = P - 1;
  return s;
}

static const float *base_floats(const TTTrainer *tr) { return (const float *)(tr->base + 28); }

/* The reference model's log-probabilities of pair i (pairs must be done in order 0, 1, ...). */
TT_EXPORT(tt_tr_reference)
int tt_tr_reference(TTTrainer *tr, int32_t i) {
  if (tr->error == TT_ERR_TRAIN_STATE || tr->error == TT_ERR_OOM) return tr->error;
  if (i != tr->ref_done || i >= tr->n_pairs || tr->open) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  TTSeq *a = load_seq(tr, i, 0);
  tt_tr_forward_seq(tr, a, base_floats(tr));
  TTSeq *b = load_seq(tr, i, 1);
  tt_tr_forward_seq(tr, b, base_floats(tr));
  if (!finite_d(a->logp) || !finite_d(b->logp)) return fail(tr, TT_ERR_TRAIN_NONFINITE, i);
  tr->ref_logp[2 * i] = a->logp;
  tr->ref_logp[2 * i + 1] = b->logp;
  tr->ref_done++;
  tr->error = TT_OK;
  return TT_OK;
}

static uint64_t splitmix64(uint64_t *state) {
  *state += 0x9E3779B97F4A7C15ull;
  uint64_t z = *state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/*
 * The order of the pairs in epoch e: Fisher-Yates from the last index down, j = floor(u * (i + 1) / 2^32) with u the
 * top 32 bits of splitmix64 started at seed + (e + 1) * 0x9E3779B97F4A7C15.
 */
static void shuffle_for(TTTrainer *tr, int32_t epoch) {
  if (tr->order_epoch == epoch) return;
  int32_t n = tr->n_pairs;
  for (int32_t i = 0; i < n; i++) tr->order[i] = i;
  uint64_t st = tr->hp.seed + (uint64_t)(epoch + 1) * 0x9E3779B97F4A7C15ull;
  for (int32_t i = n - 1; i > 0; i--) {
    uint64_t u = splitmix64(&st) >> 32;
    int32_t j = (int32_t)((u * (uint64_t)(i + 1)) >> 32);
    int32_t t = tr->order[i];
    tr->order[i] = tr->order[j];
    tr->order[j] = t;
  }
  tr->order_epoch = epoch;
}

/* Linear warmup over warmup_steps (from lr/warmup to lr), then constant or a half cosine down to lr*min_lr_ratio. */
static double lr_at(const TTTrainer *tr, int32_t step) {
  const TTTrainParams *p = &tr->hp;
  int32_t W = p->warmup_steps < tr->total_steps ? p->warmup_steps : tr->total_steps;
  if (step < W) return p->learning_rate * (double)(step + 1) / (double)W;
  if (p->schedule == TT_SCHEDULE_CONSTANT) return p->learning_rate;
  const double PI = 3.14159265358979323846;
  double progress = (double)(step - W) / (double)(tr->total_steps - W);
  double lo = p->learning_rate * p->min_lr_ratio;
  return lo + (p->learning_rate - lo) * 0.5 * (1.0 + tt_cos(PI * progress));
}

static int usable(TTTrainer *tr) {
  if (tr->error == TT_ERR_OOM || tr->error == TT_ERR_CKPT_HEADER || tr->error == TT_ERR_CKPT_CONFIG ||
      tr->error == TT_ERR_CKPT_SIZE || tr->error == TT_ERR_TRAIN_PAIRS || tr->error == TT_ERR_TRAIN_PARAMS ||
      tr->error == TT_ERR_TRAIN_STATE || tr->loading)
    return 0;
  return 1;
}

TT_EXPORT(tt_tr_step_begin)
int tt_tr_step_begin(TTTrainer *tr) {
  if (!usable(tr)) return tr->error ? tr->error : fail(tr, TT_ERR_TRAIN_ORDER, 0);
  if (tr->ref_done != tr->n_pairs || tr->step >= tr->total_steps || tr->open) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  int32_t epoch = tr->step / tr->steps_per_epoch, k = tr->step % tr->steps_per_epoch;
  shuffle_for(tr, epoch);
  tr->batch_start = k * tr->hp.batch_size;
  tr->batch_n = tr->n_pairs - tr->batch_start < tr->hp.batch_size ? tr->n_pairs - tr->batch_start : tr->hp.batch_size;
  tr->batch_done = 0;
  for (uint32_t i = 0; i < tr->lay.nfloats; i++) tr->grad[i] = 0.0f;
  for (int i = 0; i < TT_METRICS; i++) tr->acc[i] = 0.0;
  tr->open = 1;
  tr->error = TT_OK;
  return TT_OK;
}

/*
 * One pair: both forward passes, the DPO loss -log sigmoid(m), m = beta ((pi_c - ref_c) - (pi_r - ref_r)), and both
 * backward passes with d loss / d pi_c = -beta sigmoid(-m) / batch (the step's loss is the mean over its pairs).
 */
static int run_pair(TTTrainer *tr, int32_t i, int32_t batch_n) {
  double beta = tr->hp.beta;
  TTSeq *a = load_seq(tr, i, 0);
  tt_tr_forward_seq(tr, a, tr->w);
  TTSeq *b = load_seq(tr, i, 1);
  tt_tr_forward_seq(tr, b, tr->w);
  double rc = beta * (a->logp - tr->ref_logp[2 * i]);
  double rr = beta * (b->logp - tr->ref_logp[2 * i + 1]);
  double m = rc - rr;
  /* softplus(-m) and sigmoid(-m), each in the form that cannot overflow */
  double e = tt_exp(m < 0.0 ? m : -m); /* exp(-|m|) */
  double loss = (m < 0.0 ? -m : 0.0) + tt_log(1.0 + e);
  double sig_neg = m >= 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
  if (!finite_d(loss) || !finite_d(m)) return TT_ERR_TRAIN_NONFINITE;
  float coef = (float)(-beta * sig_neg / (double)batch_n);
  tt_tr_backward_seq(tr, a, coef);
  tt_tr_backward_seq(tr, b, -coef);
  double *acc = tr->acc;
  acc[TT_M_LOSS] += loss;
  acc[TT_M_ACCURACY] += rc > rr ? 1.0 : 0.0;
  acc[TT_M_REWARD_CHOSEN] += rc;
  acc[TT_M_REWARD_REJECTED] += rr;
  acc[TT_M_MARGIN] += m;
  acc[TT_M_LOGP_CHOSEN] += a->logp;
  acc[TT_M_LOGP_REJECTED] += b->logp;
  acc[TT_M_TOKENS] += (double)(a->n + b->n);
  acc[TT_M_PAIRS] += 1.0;
  return TT_OK;
}

TT_EXPORT(tt_tr_step_pair)
int tt_tr_step_pair(TTTrainer *tr) {
  if (!tr->open || tr->batch_done >= tr->batch_n) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  int32_t i = tr->order[tr->batch_start + tr->batch_done];
  int rc = run_pair(tr, i, tr->batch_n);
  if (rc) {
    tr->open = 0; /* the step is refused: weights and optimizer state are untouched */
    return fail(tr, rc, i);
  }
  tr->batch_done++;
  return TT_OK;
}

/* Segments of learned floats (everything but the RoPE tables), and whether AdamW's weight decay applies. */
typedef struct {
  uint32_t start, count;
  int decay;
} Segment;

static int segments(const TTTrainer *tr, Segment *out) {
  const TTLayout *y = &tr->lay;
  int n = 0;
  out[n++] = (Segment){y->emb, y->rms_att - y->emb, 1};
  out[n++] = (Segment){y->rms_att, y->wq - y->rms_att, 0};
  out[n++] = (Segment){y->wq, y->rms_ffn - y->wq, 1}; /* wq, wk, wv, wo */
  out[n++] = (Segment){y->rms_ffn, y->w1 - y->rms_ffn, 0};
  out[n++] = (Segment){y->w1, y->rms_final - y->w1, 1}; /* w1, w2, w3 */
  out[n++] = (Segment){y->rms_final, y->rope - y->rms_final, 0};
  if (!tr->cfg.shared_classifier) out[n++] = (Segment){y->cls, y->nfloats - y->cls, 1};
  return n;
}

typedef struct {
  float clip, b1, omb1, b2, omb2, eps, step_size, inv_sqrt_bc2, decay;
} AdamStep;

/*
 * AdamW on one segment, PyTorch's formulation: m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
 * w = w (1 - lr wd) - (lr / bc1) m / (sqrt(v) / sqrt(bc2) + eps). With commit 0 it only checks that every new
 * value is finite (returns 1 if not), so a step whose update would overflow is refused before anything changes.
 */
static int adam_segment(TTTrainer *tr, const Segment *sg, const AdamStep *k, float decay, int commit) {
  float *w = tr->w + sg->start, *g = tr->grad + sg->start, *m = tr->m + sg->start, *v = tr->v + sg->start;
  uint32_t bad = 0;
  for (uint32_t i = 0; i < sg->count; i++) {
    float gi = g[i] * k->clip;
    float mi = k->b1 * m[i] + k->omb1 * gi;
    float vi = k->b2 * v[i] + k->omb2 * (gi * gi);
    float denom = __builtin_sqrtf(vi) * k->inv_sqrt_bc2 + k->eps;
    float wi = w[i] * decay - k->step_size * (mi / denom);
    if (commit) {
      m[i] = mi;
      v[i] = vi;
      w[i] = wi;
    } else {
      uint32_t um, uv, uw;
      __builtin_memcpy(&um, &mi, 4);
      __builtin_memcpy(&uv, &vi, 4);
      __builtin_memcpy(&uw, &wi, 4);
      bad |= ((um & 0x7f800000u) == 0x7f800000u) | ((uv & 0x7f800000u) == 0x7f800000u) |
             ((uw & 0x7f800000u) == 0x7f800000u);
    }
  }
  return (int)bad;
}

TT_EXPORT(tt_tr_step_end)
int tt_tr_step_end(TTTrainer *tr) {
  if (!tr->open || tr->batch_done != tr->batch_n) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  Segment seg[8];
  int ns = segments(tr, seg);
  double ss = 0.0; /* the global gradient norm: squares summed in double, in file order */
  for (int s = 0; s < ns; s++) {
    const float *g = tr->grad + seg[s].start;
    for (uint32_t i = 0; i < seg[s].count; i++) ss += (double)g[i] * (double)g[i];
  }
  double norm = __builtin_sqrt(ss);
  tr->open = 0;
  if (!finite_d(norm)) return fail(tr, TT_ERR_TRAIN_NONFINITE, -1);
  const TTTrainParams *p = &tr->hp;
  double lr = lr_at(tr, tr->step);
  double b1t = 1.0, b2t = 1.0;
  for (int32_t s = 0; s <= tr->step; s++) {
    b1t *= p->adam_beta1;
    b2t *= p->adam_beta2;
  }
  AdamStep k;
  k.clip = p->max_grad_norm > 0.0 && norm > p->max_grad_norm ? (float)(p->max_grad_norm / (norm + 1e-6)) : 1.0f;
  k.b1 = (float)p->adam_beta1;
  k.omb1 = (float)(1.0 - p->adam_beta1);
  k.b2 = (float)p->adam_beta2;
  k.omb2 = (float)(1.0 - p->adam_beta2);
  k.eps = (float)p->adam_eps;
  k.step_size = (float)(lr / (1.0 - b1t));
  k.inv_sqrt_bc2 = (float)(1.0 / __builtin_sqrt(1.0 - b2t));
  float decay = (float)(1.0 - lr * p->weight_decay);
  if (!finite_f(k.step_size) || !finite_f(k.inv_sqrt_bc2)) return fail(tr, TT_ERR_TRAIN_NONFINITE, -2);
  for (int s = 0; s < ns; s++)
    if (adam_segment(tr, &seg[s], &k, seg[s].decay ? decay : 1.0f, 0)) return fail(tr, TT_ERR_TRAIN_NONFINITE, -2);
  for (int s = 0; s < ns; s++) adam_segment(tr, &seg[s], &k, seg[s].decay ? decay : 1.0f, 1);

  double *h = tr->history + (size_t)tr->step * TT_METRICS, np = tr->acc[TT_M_PAIRS];
  for (int i = 0; i < TT_METRICS; i++) h[i] = tr->acc[i];
  for (int i = TT_M_LOSS; i <= TT_M_LOGP_REJECTED; i++) h[i] /= np;
  h[TT_M_GRAD_NORM] = norm;
  h[TT_M_LR] = lr;
  h[TT_M_EPOCH] = (double)(tr->step / tr->steps_per_epoch);
  tr->step++;
  tr->error = TT_OK;
  return TT_OK;
}

/*
 * For tests: the gradient of pair i's DPO loss alone (as a step of one pair) left in tt_tr_grad, without an update;
 * out gets the loss.
 */
TT_EXPORT(tt_tr_grad_pair)
int tt_tr_grad_pair(TTTrainer *tr, int32_t i, double *out) {
  if (!usable(tr) || tr->open || i < 0 || i >= tr->ref_done) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  for (uint32_t k = 0; k < tr->lay.nfloats; k++) tr->grad[k] = 0.0f;
  for (int k = 0; k < TT_METRICS; k++) tr->acc[k] = 0.0;
  int rc = run_pair(tr, i, 1);
  if (rc) return fail(tr, rc, i);
  *out = tr->acc[TT_M_LOSS];
  return TT_OK;
}

/* The policy's log-probabilities of pair i's chosen and rejected responses, then the reference's (NaN if not yet). */
TT_EXPORT(tt_tr_eval_pair)
int tt_tr_eval_pair(TTTrainer *tr, int32_t i, double *out) {
  if (!usable(tr) || tr->open || i < 0 || i >= tr->n_pairs) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  TTSeq *a = load_seq(tr, i, 0);
  tt_tr_forward_seq(tr, a, tr->w);
  TTSeq *b = load_seq(tr, i, 1);
  tt_tr_forward_seq(tr, b, tr->w);
  double nan = 0.0 / 0.0;
  out[0] = a->logp;
  out[1] = b->logp;
  out[2] = i < tr->ref_done ? tr->ref_logp[2 * i] : nan;
  out[3] = i < tr->ref_done ? tr->ref_logp[2 * i + 1] : nan;
  return TT_OK;
}

/*
 * Step files. Layout (little-endian): a 160-byte header, then the body: the reference log-probabilities (n_pairs x 2
 * doubles), the metrics of every step (total_steps x TT_METRICS doubles), the policy's floats, Adam's m and v (the
 * checkpoint's float count each). Header: 0 magic "TTTRAIN1", 8 version, 12 header size, 16 base fingerprint,
 * 24 pairs fingerprint, 32 hyper-parameters (88 bytes), 120 step, 124 reference pairs done, 128 n_pairs,
 * 132 float count, 136 total steps, 140 zero, 144 body fingerprint, 152 fingerprint of bytes 0..151.
 * Hosts stream it in chunks (no second copy of the state in memory).
 */
typedef struct {
  uint8_t *p;
  uint32_t len;
} Part;

static int body_parts(TTTrainer *tr, Part *parts) {
  uint32_t nf = tr->lay.nfloats;
  parts[0] = (Part){(uint8_t *)tr->ref_logp, (uint32_t)tr->n_pairs * 16u};
  parts[1] = (Part){(uint8_t *)tr->history, (uint32_t)tr->total_steps * TT_METRICS * 8u};
  parts[2] = (Part){(uint8_t *)tr->w, nf * 4u};
  parts[3] = (Part){(uint8_t *)tr->m, nf * 4u};
  parts[4] = (Part){(uint8_t *)tr->v, nf * 4u};
  return 5;
}

TT_EXPORT(tt_tr_state_bytes)
uint32_t tt_tr_state_bytes(const TTTrainer *tr) {
  uint64_t n = STATE_HEADER + (uint64_t)tr->n_pairs * 16u + (uint64_t)tr->total_steps * TT_METRICS * 8u +
               (uint64_t)tr->lay.nfloats * 12u;
  return n > 0xFFFFFFFFull ? 0 : (uint32_t)n;
}

static uint64_t body_hash(TTTrainer *tr) {
  Part parts[5];
  int np = body_parts(tr, parts);
  Hash64 s;
  h64_init(&s);
  for (int i = 0; i < np; i++) h64_words(&s, parts[i].p, parts[i].len);
  return h64_final(&s);
}

static void write_header(TTTrainer *tr, uint8_t *h) {
  for (uint32_t i = 0; i < STATE_HEADER; i++) h[i] = 0;
  wr_u32(h, STATE_MAGIC0);
  wr_u32(h + 4, STATE_MAGIC1);
  wr_u32(h + 8, STATE_VERSION);
  wr_u32(h + 12, STATE_HEADER);
  wr_u64(h + 16, tr->base_hash);
  wr_u64(h + 24, tr->pairs_hash);
  for (int i = 0; i < TT_PARAMS_BYTES; i++) h[32 + i] = tr->params_wire[i];
  wr_u32(h + 120, (uint32_t)tr->step);
  wr_u32(h + 124, (uint32_t)tr->ref_done);
  wr_u32(h + 128, (uint32_t)tr->n_pairs);
  wr_u32(h + 132, tr->lay.nfloats);
  wr_u32(h + 136, (uint32_t)tr->total_steps);
  wr_u64(h + 144, tr->state_checksum);
  wr_u64(h + 152, hash_bytes(h, 152));
}

/* Fixes the body fingerprint of the current state; then tt_tr_state_read can stream it. */
TT_EXPORT(tt_tr_state_save_begin)
int tt_tr_state_save_begin(TTTrainer *tr) {
  if (!usable(tr) || tr->open || tt_tr_state_bytes(tr) == 0) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  tr->state_checksum = body_hash(tr);
  tr->error = TT_OK;
  return TT_OK;
}

/* Copies bytes [offset, offset + len) of the step file into out. */
TT_EXPORT(tt_tr_state_read)
int tt_tr_state_read(TTTrainer *tr, uint32_t offset, uint8_t *out, uint32_t len) {
  uint64_t end = (uint64_t)offset + len;
  if (end > tt_tr_state_bytes(tr)) return fail(tr, TT_ERR_ARG, 0);
  if (offset < STATE_HEADER) {
    uint8_t h[STATE_HEADER];
    write_header(tr, h);
    for (uint32_t i = offset; i < STATE_HEADER && i < end; i++) out[i - offset] = h[i];
  }
  Part parts[5];
  int np = body_parts(tr, parts);
  uint64_t at = STATE_HEADER;
  for (int k = 0; k < np; k++) {
    uint64_t a = at > offset ? at : offset, b = at + parts[k].len < end ? at + parts[k].len : end;
    if (a < b) __builtin_memcpy(out + (a - offset), parts[k].p + (a - at), (size_t)(b - a));
    at += parts[k].len;
  }
  return TT_OK;
}

/* Checks a step file's header against this trainer (fresh: no reference pass or step done yet). */
TT_EXPORT(tt_tr_state_load_begin)
int tt_tr_state_load_begin(TTTrainer *tr, const uint8_t *h, uint32_t len) {
  if (!usable(tr) || tr->open || tr->step != 0 || tr->ref_done != 0) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  if (len < STATE_HEADER || rd_u32(h) != STATE_MAGIC0 || rd_u32(h + 4) != STATE_MAGIC1)
    return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_MAGIC);
  if (rd_u32(h + 8) != STATE_VERSION || rd_u32(h + 12) != STATE_HEADER)
    return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_VERSION);
  if (rd_u64(h + 152) != hash_bytes(h, 152)) return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_CHECKSUM);
  if (rd_u64(h + 16) != tr->base_hash || rd_u32(h + 132) != tr->lay.nfloats)
    return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_BASE);
  if (rd_u64(h + 24) != tr->pairs_hash || rd_u32(h + 128) != (uint32_t)tr->n_pairs)
    return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_PAIRS);
  for (int i = 0; i < TT_PARAMS_BYTES; i++)
    if (h[32 + i] != tr->params_wire[i]) return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_PARAMS);
  int32_t step = rd_i32(h + 120), ref = rd_i32(h + 124);
  if (rd_u32(h + 136) != (uint32_t)tr->total_steps || step < 0 || step > tr->total_steps || ref < 0 ||
      ref > tr->n_pairs || (step > 0 && ref != tr->n_pairs))
    return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_SIZE);
  tr->state_checksum = rd_u64(h + 144);
  tr->step = step;
  tr->ref_done = ref;
  tr->loading = 1;
  tr->error = TT_OK;
  return TT_OK;
}

/* Copies bytes [offset, offset + len) of a step file into the state (header bytes are skipped: already checked). */
TT_EXPORT(tt_tr_state_write)
int tt_tr_state_write(TTTrainer *tr, uint32_t offset, const uint8_t *in, uint32_t len) {
  if (!tr->loading) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  uint64_t end = (uint64_t)offset + len;
  if (end > tt_tr_state_bytes(tr)) return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_SIZE);
  Part parts[5];
  int np = body_parts(tr, parts);
  uint64_t at = STATE_HEADER;
  for (int k = 0; k < np; k++) {
    uint64_t a = at > offset ? at : offset, b = at + parts[k].len < end ? at + parts[k].len : end;
    if (a < b) __builtin_memcpy(parts[k].p + (a - at), in + (a - offset), (size_t)(b - a));
    at += parts[k].len;
  }
  return TT_OK;
}

/*
 * Verifies the loaded body against the header's fingerprint. On a mismatch the trainer's weights are already
 * overwritten, so it stays unusable (TT_ERR_TRAIN_STATE from then on): the host makes a fresh one.
 */
TT_EXPORT(tt_tr_state_load_end)
int tt_tr_state_load_end(TTTrainer *tr) {
  if (!tr->loading) return fail(tr, TT_ERR_TRAIN_ORDER, 0);
  tr->loading = 0;
  if (body_hash(tr) != tr->state_checksum) return fail(tr, TT_ERR_TRAIN_STATE, TT_STATE_CHECKSUM);
  tr->order_epoch = -1;
  tr->error = TT_OK;
  return TT_OK;
}

/* Accessors for the hosts. */
TT_EXPORT(tt_tr_error)
int tt_tr_error(const TTTrainer *tr) { return tr->error; }
TT_EXPORT(tt_tr_error_detail)
int tt_tr_error_detail(const TTTrainer *tr) { return tr->error_detail; }
TT_EXPORT(tt_tr_config)
const TTConfig *tt_tr_config(const TTTrainer *tr) { return &tr->cfg; }
TT_EXPORT(tt_tr_step)
int32_t tt_tr_step(const TTTrainer *tr) { return tr->step; }
TT_EXPORT(tt_tr_total_steps)
int32_t tt_tr_total_steps(const TTTrainer *tr) { return tr->total_steps; }
TT_EXPORT(tt_tr_steps_per_epoch)
int32_t tt_tr_steps_per_epoch(const TTTrainer *tr) { return tr->steps_per_epoch; }
TT_EXPORT(tt_tr_reference_done)
int32_t tt_tr_reference_done(const TTTrainer *tr) { return tr->ref_done; }
TT_EXPORT(tt_tr_batch_pairs)
int32_t tt_tr_batch_pairs(const TTTrainer *tr) { return tr->open ? tr->batch_n : 0; }
TT_EXPORT(tt_tr_metrics)
const double *tt_tr_metrics(const TTTrainer *tr) { return tr->history; }
TT_EXPORT(tt_tr_file)
const uint8_t *tt_tr_file(const TTTrainer *tr) { return tr->file; }
TT_EXPORT(tt_tr_file_bytes)
uint32_t tt_tr_file_bytes(const TTTrainer *tr) { return tr->base_bytes; }
TT_EXPORT(tt_tr_grad)
const float *tt_tr_grad(const TTTrainer *tr) { return tr->grad; }
TT_EXPORT(tt_tr_weights)
const float *tt_tr_weights(const TTTrainer *tr) { return tr->w; }
TT_EXPORT(tt_tr_params_bytes)
int32_t tt_tr_params_bytes(void) { return TT_PARAMS_BYTES; }
TT_EXPORT(tt_tr_metrics_count)
int32_t tt_tr_metrics_count(void) { return TT_METRICS; }
