/*
 * Choosing the next token from the logits: greedy at temperature 0, otherwise softmax(logits / temperature)
 * then either plain sampling or top-p (nucleus) sampling, following llama2.c's rules. Randomness comes from
 * our own 64-bit-seeded generator (splitmix64), so the same seed gives the same tokens on every build.
 */
#include "tt.h"

/* Buckets of the top-p candidates by probability (see nucleus): 2^15 counts, 128 KiB. */
#define BUCKET_BITS 15
#define BUCKETS (1u << BUCKET_BITS)

int tt_sampler_alloc(TTSampler *sp, int32_t vocab) {
  sp->cand = (TTCandidate *)tt_alloc((uint32_t)vocab * (uint32_t)sizeof(TTCandidate));
  sp->cand_tmp = (TTCandidate *)tt_alloc((uint32_t)vocab * (uint32_t)sizeof(TTCandidate));
  sp->bucket = (uint32_t *)tt_alloc(BUCKETS * (uint32_t)sizeof(uint32_t));
  return sp->cand && sp->cand_tmp && sp->bucket ? TT_OK : TT_ERR_OOM;
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

/* A non-negative float's bits order as its values do: the sort key of a probability. */
static uint32_t key_of(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, sizeof u);
  return u;
}

static float float_of(uint32_t u) {
  float f;
  __builtin_memcpy(&f, &u, sizeof f);
  return f;
}

/*
 * A top-p candidate in one 64-bit number: its probability's bits above, its id complemented below, so that larger
 * numbers come first in exactly the sampler's order, higher probability first and equal probabilities by lower id
 * (a total order). Sorting plain integers needs one load and one compare per step, where a (prob, id) pair needed
 * two loads and a float compare, each load bounds-checked in V8 on riscv64.
 */
static TTCandidate candidate(float p, int32_t id) { return (uint64_t)key_of(p) << 32 | (uint32_t)~(uint32_t)id; }
static float candidate_prob(TTCandidate c) { return float_of((uint32_t)(c >> 32)); }
static int32_t candidate_id(TTCandidate c) { return (int32_t)~(uint32_t)c; }

/* Bottom-up merge sort, largest first (stable; never qsort, whose order of equal keys differs between libcs). */
static void merge_sort(TTCandidate *a, TTCandidate *tmp, int32_t n) {
  for (int32_t width = 1; width < n; width *= 2) {
    for (int32_t lo = 0; lo < n; lo += 2 * width) {
      int32_t mid = lo + width < n ? lo + width : n;
      int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      int32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = a[j] > a[i] ? a[j++] : a[i++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    for (int32_t i = 0; i < n; i++) a[i] = tmp[i];
  }
}

/* Largest first. */
static void insertion_sort(TTCandidate *a, int32_t n) {
  for (int32_t i = 1; i < n; i++) {
    TTCandidate v = a[i];
    int32_t j = i;
    for (; j > 0 && v > a[j - 1]; j--) a[j] = a[j - 1];
    a[j] = v;
  }
}

/*
 * The candidates' keys, from the cutoff's up to `top`, cut into BUCKETS equal runs: bucket 0 holds the highest
 * keys (and any above top), so a lower bucket never holds a smaller probability than a higher one.
 */
typedef struct {
  uint32_t top, low;
  int shift;
} Buckets;

static Buckets buckets_for(float cutoff, float hint) {
  Buckets b;
  b.low = key_of(cutoff);
  b.top = key_of(hint) > b.low ? key_of(hint) : b.low;
  uint32_t range = b.top - b.low;
  int bits = range ? 32 - __builtin_clz(range) : 0;
  b.shift = bits > BUCKET_BITS ? bits - BUCKET_BITS : 0;
  return b;
}

static uint32_t bucket_of(const Buckets *b, uint32_t key) { return key >= b->top ? 0 : (b->top - key) >> b->shift; }

/* The smallest probability bucket j can hold. */
static float bucket_floor(const Buckets *b, uint32_t j) {
  uint32_t below = ((j + 1) << b->shift) - 1; /* the largest top - key in bucket j */
  return float_of(below >= b->top - b->low ? b->low : b->top - below);
}

/*
 * Top-p: keep the smallest set of most likely tokens whose probabilities, added in order of (probability desc,
 * id asc), exceed topp, then sample within it. Tokens below (1 - topp) / (n - 1) cannot be in that set and are
 * dropped first. Leaves the nucleus in sp->cand[0..size) in that order and returns size (0: no candidate at all).
 *
 * The nucleus is the one a full sort of the candidates by that order gives (test/sampler.test.ts compares them),
 * but only the buckets that hold the nucleus are ordered: with a flat distribution (a random model, a high
 * temperature) a full merge sort of ~30 000 candidates cost more than the rest of sampling and a fifth of a
 * forward pass in the Cartesi machine. The candidates are counted into buckets by key; walking down from the
 * top bucket, a lower bound of the probability mass (each bucket's count times its smallest probability, shrunk by
 * the worst rounding error of a float sum of m terms) tells when the buckets so far surely hold the nucleus. Only
 * those are gathered (in id order, a counting sort) and sorted within each bucket: few elements each, by
 * insertion; a crowded bucket by the merge sort. If the bound is never reached, every candidate is ordered.
 * `hint` is about the largest probability: any value gives the same result, a close one even buckets.
 * With divisor other than 1, p holds exponentials, each divided by divisor here first (and stored).
 */
static int32_t nucleus(TTSampler *sp, float *p, int32_t n, float topp, float hint, float divisor, float *cum_out) {
  TTCandidate *cand = sp->cand;
  uint32_t *count = sp->bucket;
  float cutoff = (1.0f - topp) / (float)(n - 1);
  Buckets b = buckets_for(cutoff, hint);
  __builtin_memset(count, 0, BUCKETS * sizeof *count);
  int32_t m = 0;
  for (int32_t i = 0; i < n; i++) {
    float pi = p[i];
    /* The softmax's last step, in this pass rather than a pass of its own: one load of p[i] fewer. */
    if (divisor != 1.0f) p[i] = pi = pi / divisor;
    if (pi >= cutoff) {
      count[bucket_of(&b, key_of(pi))]++;
      m++;
    }
  }
  if (m == 0) return 0;

  /* gamma_m = m u / (1 - m u), u = 2^-24: a float sum of m terms is within gamma_m of its exact value (relative). */
  double mu = (double)m / 16777216.0, keep = 1.0 - mu / (1.0 - mu) - 1e-9;
  uint32_t used = BUCKETS;
  double mass = 0.0;
  for (uint32_t j = 0; j < BUCKETS; j++) {
    if (!count[j]) continue;
    mass += (double)count[j] * (double)bucket_floor(&b, j);
    if (mass * keep > (double)topp) {
      used = j + 1;
      break;
    }
  }
  /* count[j] becomes the end of bucket j in cand[]; gathering from the last id down moves it to the start. */
  uint32_t s = 0;
  for (uint32_t j = 0; j < used; j++) s = count[j] += s;
  for (int32_t i = n - 1; i >= 0; i--)
    if (p[i] >= cutoff) {
      uint32_t j = bucket_of(&b, key_of(p[i]));
      if (j < used) cand[--count[j]] = candidate(p[i], i);
    }
  for (uint32_t j = 0; j < used; j++) {
    uint32_t start = count[j], end = j + 1 < used ? count[j + 1] : s;
    if (end - start > 32) merge_sort(cand + start, sp->cand_tmp, (int32_t)(end - start));
    else if (end - start > 1) insertion_sort(cand + start, (int32_t)(end - start));
  }

  float cum = 0.0f;
  int32_t size = (int32_t)s; /* stays when even all candidates do not exceed topp (and then s == m) */
  for (int32_t i = 0; i < (int32_t)s; i++) {
    cum += candidate_prob(cand[i]);
    if (cum > topp) {
      size = i + 1;
      break;
    }
  }
  *cum_out = cum;
  return size;
}

/* Samples within the nucleus cand[0..size), whose probabilities add up to cum. */
static int32_t pick(const TTCandidate *cand, int32_t size, float cum, float coin) {
  float r = coin * cum;
  float cdf = 0.0f;
  for (int32_t i = 0; i < size; i++) {
    cdf += candidate_prob(cand[i]);
    if (r < cdf) return candidate_id(cand[i]);
  }
  return candidate_id(cand[size - 1]);
}

static int32_t sample_topp(TTSampler *sp, float *p, int32_t n, float topp, float coin, float hint, float divisor) {
  float cum;
  int32_t size = nucleus(sp, p, n, topp, hint, divisor, &cum);
  /* No candidate only when topp rounds the cutoff above every probability. */
  return size ? pick(sp->cand, size, cum, coin) : argmax(p, n);
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
  float coin = random_f32(&c->sampler);
  if (topp <= 0.0f || topp >= 1.0f || n < 2) {
    tt_softmax(p, logits, n, temperature);
    return sample_mult(p, n, coin);
  }
  /* The softmax's division by the sum happens in the nucleus's first pass. The largest probability is
   * exp(0) / sum = 1 / sum. A sum of exactly 1 (one token holds it all) leaves the probabilities as they are. */
  float sum = tt_softmax_exps(p, logits, n, temperature);
  return sample_topp(&c->sampler, p, n, topp, coin, 1.0f / sum, sum);
}

/*
 * For test/sampler.test.ts: the token top-p sampling picks from the probabilities p[0..n) with this coin (n at most
 * the model's vocabulary; hint as nucleus takes it), with the nucleus's size in *size and its ids in order in ids.
 */
TT_EXPORT(tt_sample_topp)
int32_t tt_sample_topp(TTContext *c, const float *p, int32_t n, float topp, float coin, float hint, int32_t *ids,
                       int32_t *size) {
  if (!c->loaded) return -TT_ERR_NOT_LOADED;
  if (n < 2 || n > c->cfg.vocab_size || !(topp > 0.0f && topp < 1.0f)) return -TT_ERR_ARG;
  float cum;
  *size = nucleus(&c->sampler, (float *)p, n, topp, hint, 1.0f, &cum); /* divisor 1: p is left as it is */
  for (int32_t i = 0; i < *size; i++) ids[i] = candidate_id(c->sampler.cand[i]);
  return *size ? pick(c->sampler.cand, *size, cum, coin) : argmax(p, n);
}
