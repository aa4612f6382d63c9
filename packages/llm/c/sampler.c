/*
 * Choosing the next token from the logits: greedy at temperature 0, otherwise softmax(logits / temperature)
 * then either plain sampling or top-p (nucleus) sampling, following llama2.c's rules. Randomness comes from
 * our own 64-bit-seeded generator (splitmix64), so the same seed gives the same tokens on every build.
 */
#include "tt.h"

typedef TTProbIndex ProbIndex;

int tt_sampler_alloc(TTSampler *sp, int32_t vocab) {
  sp->cand = (ProbIndex *)tt_alloc((uint32_t)vocab * (uint32_t)sizeof(ProbIndex));
  sp->cand_tmp = (ProbIndex *)tt_alloc((uint32_t)vocab * (uint32_t)sizeof(ProbIndex));
  return sp->cand && sp->cand_tmp ? TT_OK : TT_ERR_OOM;
}

/* The seed arrives as two 32-bit halves: plain wasm numbers, no BigInt at the boundary. */
TT_EXPORT(tt_seed)
void tt_seed(TTContext *c, uint32_t lo, uint32_t hi) { c->sampler.rng_state = ((uint64_t)hi << 32) | (uint64_t)lo; }

static uint64_t next_u64(TTSampler *sp) {
  sp->rng_state += 0x9E3779B97F4A7C15ull;
  uint64_t z = sp->rng_state;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Uniform in [0, 1): the top 24 bits, exactly representable as a float. */
static float random_f32(TTSampler *sp) { return (float)(uint32_t)(next_u64(sp) >> 40) * (1.0f / 16777216.0f); }

static int32_t argmax(const float *p, int32_t n) {
  int32_t best = 0;
  for (int32_t i = 1; i < n; i++)
    if (p[i] > p[best]) best = i; /* strict: the lowest id wins a tie */
  return best;
}

static int32_t sample_mult(const float *p, int32_t n, float coin) {
  float cdf = 0.0f;
  for (int32_t i = 0; i < n; i++) {
    cdf += p[i];
    if (coin < cdf) return i;
  }
  return n - 1; /* rounding left the cdf just below 1 */
}

/* Higher probability first; equal probabilities by lower token id, so the order is total. */
static int before(const ProbIndex *a, const ProbIndex *b) {
  if (a->prob != b->prob) return a->prob > b->prob;
  return a->index < b->index;
}

static void sort_candidates(ProbIndex *a, ProbIndex *tmp, int32_t n) {
  for (int32_t width = 1; width < n; width *= 2) {
    for (int32_t lo = 0; lo < n; lo += 2 * width) {
      int32_t mid = lo + width < n ? lo + width : n;
      int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      int32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = before(&a[j], &a[i]) ? a[j++] : a[i++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    for (int32_t i = 0; i < n; i++) a[i] = tmp[i];
  }
}

/*
 * Top-p: keep the smallest set of most likely tokens whose probabilities add up to more than topp, then sample
 * within it. Tokens below (1 - topp) / (n - 1) cannot be in that set and are dropped before sorting.
 */
static int32_t sample_topp(TTSampler *sp, const float *p, int32_t n, float topp, float coin) {
  ProbIndex *cand = sp->cand;
  float cutoff = (1.0f - topp) / (float)(n - 1);
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++)
    if (p[i] >= cutoff) {
      cand[m].prob = p[i];
      cand[m].index = i;
      m++;
    }
  if (m == 0) return argmax(p, n); /* only when topp rounds the cutoff above every probability */
  sort_candidates(cand, sp->cand_tmp, m);
  float cum = 0.0f;
  int32_t last = m - 1;
  for (int32_t i = 0; i < m; i++) {
    cum += cand[i].prob;
    if (cum > topp) {
      last = i;
      break;
    }
  }
  float r = coin * cum;
  float cdf = 0.0f;
  for (int32_t i = 0; i <= last; i++) {
    cdf += cand[i].prob;
    if (r < cdf) return cand[i].index;
  }
  return cand[last].index;
}

/*
 * Picks the next token from the current logits. Sampling works on a copy (probs), so the logits stay as the
 * forward pass left them for the host to read.
 */
TT_EXPORT(tt_sample)
int32_t tt_sample(TTContext *c, float temperature, float topp) {
  const float *logits = c->s.logits;
  float *p = c->s.probs;
  int32_t n = c->cfg.vocab_size;
  if (!c->loaded) return -TT_ERR_NOT_LOADED;
  if (temperature == 0.0f) return argmax(logits, n);
  for (int32_t i = 0; i < n; i++) p[i] = logits[i] / temperature;
  tt_softmax(p, n);
  float coin = random_f32(&c->sampler);
  if (topp <= 0.0f || topp >= 1.0f || n < 2) return sample_mult(p, n, coin);
  return sample_topp(&c->sampler, p, n, topp, coin);
}
