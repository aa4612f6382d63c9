/*
 * Trust-and-Teach deterministic llama2 engine: the interface shared by the C files and by the hosts
 * (the TypeScript side through WebAssembly exports, and native_main.c for the gcc build).
 *
 * All engine state lives in one TTContext that every call receives: the model's configuration and weights, the
 * buffers of the forward pass, the tokenizer, the sampler and the generation in progress. A WebAssembly instance
 * holds one context (the host makes a fresh instance per model); nothing else is kept between calls except the
 * memory allocator's top (heap.c), which is the instance's memory itself.
 */
#ifndef TT_H
#define TT_H

#include <stdint.h>
#include <stddef.h>

#ifdef __wasm__
#define TT_EXPORT(name) __attribute__((export_name(#name)))
#else
#define TT_EXPORT(name)
#endif

/* Error codes. The TypeScript side turns each into a message that says what to do (src/errors.ts). */
enum {
  TT_OK = 0,
  TT_ERR_CKPT_HEADER = 1,    /* checkpoint shorter than its 28-byte header */
  TT_ERR_CKPT_CONFIG = 2,    /* header values impossible (non-positive, dim not divisible by heads, ...) */
  TT_ERR_CKPT_SIZE = 3,      /* file size differs from what the header implies */
  TT_ERR_TOK_HEADER = 4,     /* tokenizer shorter than its 4-byte header or max_token_length <= 0 */
  TT_ERR_TOK_TRUNCATED = 5,  /* tokenizer ends before the model's vocab_size pieces were read */
  TT_ERR_TOK_PIECE = 6,      /* a piece with a negative length */
  TT_ERR_OOM = 7,            /* memory could not be grown */
  TT_ERR_NOT_LOADED = 8,     /* model or tokenizer not loaded yet */
  TT_ERR_TOKEN_RANGE = 9,    /* token id outside [0, vocab_size) */
  TT_ERR_POS_RANGE = 10,     /* position outside [0, seq_len) */
  TT_ERR_NO_BYTE_PIECE = 11, /* byte fallback needs ids 3..258 but the vocabulary is smaller */
  TT_ERR_ARG = 12,           /* an argument out of its range (e.g. negative length) */
  /* Errors of the generation loop (generate.c). */
  TT_ERR_PROMPT_TOO_LONG = 100, /* BOS + prompt tokens exceed seq_len */
  TT_ERR_STEPS_RANGE = 101,     /* steps outside 1..seq_len */
  TT_ERR_STEPS_BELOW_PROMPT = 102 /* steps smaller than BOS + prompt tokens */
};

#define TT_BOS 1
#define TT_EOS 2

/* The checkpoint header, as read. Laid out as 8 int32 on every build: the TypeScript side reads it from memory. */
typedef struct {
  int32_t dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
  int32_t shared_classifier; /* 1 when vocab_size was positive in the header */
} TTConfig;

/* Rows per panel of a packed weight matrix (below): what one pass of matmul.c's kernel keeps in registers. */
#ifndef TT_PANEL
#define TT_PANEL 8 /* two f32x4 accumulators per panel; eight scalar ones fit the float registers V8 uses on riscv64 */
#endif

/*
 * The weights, pointing into the checkpoint bytes (no copy). Each matrix W of `rows` x `cols` is used as
 * out = W x. The checkpoint stores it row by row; tt_load_model packs it in place into panels of TT_PANEL rows:
 * panel p holds rows p*TT_PANEL .. p*TT_PANEL+TT_PANEL-1, interleaved column by column, so element (r, c) of a
 * packed row sits at [p*TT_PANEL*cols + c*TT_PANEL + r%TT_PANEL]; the last rows % TT_PANEL rows stay row by row
 * after the panels. Read elements with tt_weight or whole rows with tt_matrix_row. The layout changes no sum
 * (matmul.c): it only decides where the numbers are. The vectors (rms_*) are not packed.
 */
typedef struct {
  float *token_embedding; /* (vocab, dim), packed (it is also the classifier when shared) */
  float *rms_att;         /* (layer, dim) */
  float *wq;              /* (layer, dim rows, dim cols) */
  float *wk;              /* (layer, kv_dim rows, dim cols) */
  float *wv;              /* (layer, kv_dim rows, dim cols) */
  float *wo;              /* (layer, dim rows, dim cols) */
  float *rms_ffn;         /* (layer, dim) */
  float *w1;              /* (layer, hidden rows, dim cols) */
  float *w2;              /* (layer, dim rows, hidden cols) */
  float *w3;              /* (layer, hidden rows, dim cols) */
  float *rms_final;       /* (dim) */
  float *wcls;            /* (vocab rows, dim cols): the embedding table when the classifier is shared */
} TTWeights;

/* Element (r, c) of a packed matrix of `rows` x `cols` (see TTWeights). */
static inline float tt_weight(const float *m, int32_t rows, int32_t cols, int32_t r, int32_t c) {
  int32_t whole = rows - rows % TT_PANEL;
  if (r >= whole) return m[(size_t)r * (size_t)cols + (size_t)c];
  return m[(size_t)(r - r % TT_PANEL) * (size_t)cols + (size_t)c * TT_PANEL + (size_t)(r % TT_PANEL)];
}

/* Buffers of the forward pass, all taken at load. */
typedef struct {
  float *x, *xb, *xb2, *hb, *hb2, *q, *k, *att, *logits;
  float *probs;                   /* the sampler's scratch: logits stay as the forward pass left them */
  /*
   * The keys in blocks of TT_KBLOCK positions interleaved element by element, (layer, seq_len/TT_KBLOCK rounded up,
   * kv_dim, TT_KBLOCK), so that TT_KBLOCK attention scores advance together; the values (layer, seq_len, kv_dim).
   */
  float *key_cache, *value_cache;
  float *rope_cos, *rope_sin;     /* (seq_len, head_size/2), computed here: the tables in the file are unused */
} TTRunState;

/* The tokenizer: pieces point into the caller's tokenizer bytes. */
typedef struct {
  const uint8_t *bytes;
  uint32_t *piece_off; /* offset of each piece's bytes in `bytes` */
  int32_t *piece_len;
  float *score;
  int32_t *by_bytes; /* piece ids ordered by (bytes, id), for binary search */
  uint8_t *concat;   /* room for two pieces joined */
  int32_t n_vocab, max_len, pieces_read;
  int loaded;
} TTTokenizer;

/* A top-p candidate: probability bits and complemented id in one number (sampler.c, candidate()). */
typedef uint64_t TTCandidate;

typedef struct {
  uint64_t rng_state;
  TTCandidate *cand, *cand_tmp; /* top-p candidates and merge-sort scratch, vocab_size each */
  uint32_t *bucket;             /* top-p: candidates per probability bucket (sampler.c) */
} TTSampler;

/*
 * A generation in progress (generate.c). Read by the hosts after every tt_step: the int32 fields come first so the
 * TypeScript side can read them as an Int32Array at the address tt_gen returns.
 */
typedef struct {
  int32_t steps;     /* positions to run, BOS and prompt included */
  int32_t n_prompt;  /* BOS + prompt tokens */
  int32_t pos;       /* positions run so far */
  int32_t n_tokens;  /* ids in tokens[]: BOS, the prompt, then the generated ids */
  int32_t out_len;   /* bytes in out[]: what the generated ids decode to */
  int32_t last_len;  /* bytes the last tt_step added to out[] */
  int32_t done;      /* 1 once steps positions ran or a BOS was sampled */
  int32_t cap;       /* ids the prompt buffer holds */
  float temperature, topp;
  int32_t *prompt, *tokens;
  uint8_t *out;
} TTGen;

struct TTContext;
/* A share of the work of a forward pass: part `part` of `parts` (threads.c runs the parts on the pool's threads). */
typedef void (*TTTask)(struct TTContext *c, int part, int parts);

#define TT_MAX_THREADS 64

/* out = W x for one packed matrix W of d rows of n columns. */
typedef struct {
  float *out;
  const float *x, *w;
  int32_t n, d;
} TTMatmul;

/* The threads of a threaded build (threads.c) and the arguments of the task they share. */
typedef struct {
  /* Touched only atomically: */
  int32_t seq;      /* bumped for every task; sleeping workers wait on it */
  int32_t claim;    /* (task generation << 24) | next chunk to claim */
  int32_t done;     /* chunks of the current task finished */
  int32_t sleepers; /* workers asleep on seq */
  int32_t quit;
  int32_t naps; /* times a worker slept between tasks: when high, threads cost more */
  int32_t n;    /* threads taking part, the caller's included; 1 when single-threaded */
  int32_t chunks; /* of the current task */
  TTTask task;
  TTMatmul mm[3]; /* the matrices of a matmul task */
  int32_t n_mm;
  int32_t layer, pos; /* of an attention task */
} TTPool;

typedef struct TTContext {
  TTConfig cfg;
  TTWeights w;
  TTRunState s;
  TTTokenizer tok;
  TTSampler sampler;
  TTGen gen;
  TTPool pool;
  int32_t head_size, kv_dim, kv_mul;
  float att_scale;
  int loaded;
  int last_error;
} TTContext;

/* heap.c: memory is taken while loading and kept for the life of the instance (nothing is freed). */
void *tt_alloc(uint32_t nbytes);

/* tt_math.c: the project's own elementary functions, identical on every build. */
float tt_expf(float x);

/*
 * tt_expf's constants as data, for loops of many exponentials: such a loop copies tt_expf_consts into a local
 * before it starts and calls tt_expf_with, inlined. The compiler cannot fold a const object defined in another
 * file, so the twelve constants stay in registers through the loop, where V8 on riscv64 otherwise builds every
 * float immediate from integer instructions at each use (three each); and the call itself is gone. The operations
 * are tt_expf's, in its order: the same bits.
 */
typedef struct {
  float log2e, ln2_hi, ln2_lo, overflow, underflow, half, c7, c6, c5, c4, c3, one;
} TTExpfConsts;
extern const TTExpfConsts tt_expf_consts;

static inline float tt_pow2f(int k) { /* 2^k for -126 <= k <= 127 */
  uint32_t u = (uint32_t)(k + 127) << 23;
  float f;
  __builtin_memcpy(&f, &u, sizeof f);
  return f;
}

/*
 * exp(x) in float: x = k*ln2 + r with |r| <= ln2/2, exp(r) by its Taylor series to degree 7 (truncation error
 * < 1e-8 relative, below half an ulp), then scaled by 2^k. ln2 is split in two so that k*LN2_HI is exact for
 * |k| < 512.
 */
/* exp(r) for r = x - k*ln2 (ln2 in two parts), by the series: the part of tt_expf_with after k is chosen. */
static inline float tt_expf_reduced(TTExpfConsts c, float x, int k) {
  float kf = (float)k;
  float r = (x - kf * c.ln2_hi) - kf * c.ln2_lo;
  float p = c.c7;
  p = p * r + c.c6;
  p = p * r + c.c5;
  p = p * r + c.c4;
  p = p * r + c.c3;
  p = p * r + c.half;
  p = p * r + c.one;
  p = p * r + c.one;
  return p;
}

static inline float tt_expf_with(TTExpfConsts c, float x) {
  if (x != x) return x + x; /* NaN stays NaN */
  if (x > c.overflow) return __builtin_inff();
  if (x < c.underflow) return 0.0f;
  float t = x * c.log2e;
  int k = (int)(t + (t >= 0.0f ? c.half : -c.half));
  float p = tt_expf_reduced(c, x, k);
  if (k > 127) return (p * tt_pow2f(127)) * tt_pow2f(k - 127);
  if (k < -126) return (p * tt_pow2f(k + 64)) * tt_pow2f(-64); /* subnormal result: scale in two steps */
  return p * tt_pow2f(k);
}

/*
 * (int)u for -2^23 < u <= -0.5, from u's bits: its significand shifted right by (150 - exponent), which is 1..24
 * here, negated. In WebAssembly clang's (int) is a saturating conversion that V8 on riscv64 spells out in 17
 * instructions (a rounding, a conversion and range checks); these are 10, with the same result.
 */
static inline int tt_trunc_nonpos(float u) {
  uint32_t b;
  __builtin_memcpy(&b, &u, sizeof b);
  uint32_t significand = (b & 0x7FFFFFu) | 0x800000u;
  int shift = 150 - (int)((b >> 23) & 0xFFu);
  return -(int)(significand >> shift);
}

/*
 * tt_expf_with for x <= 0 (or NaN): the same operations, so the same bits, without the branches only x > 0 takes.
 * For t = x * log2e <= 0, t >= 0 holds only at t = 0, where t + half and t - half both truncate to k = 0; k <= 0
 * needs no scaling above 2^127. The softmaxes call it on in[i] - max.
 */
static inline float tt_expf_nonpos_with(TTExpfConsts c, float x) {
  if (x != x) return x + x;
  if (x < c.underflow) return 0.0f;
  float t = x * c.log2e;
  int k = tt_trunc_nonpos(t - c.half);
  float p = tt_expf_reduced(c, x, k);
  if (k < -126) return (p * tt_pow2f(k + 64)) * tt_pow2f(-64);
  return p * tt_pow2f(k);
}
double tt_exp(double x);
double tt_sin(double x);
double tt_cos(double x);
double tt_log(double x); /* training: log-sum-exp and the DPO loss */

#define TT_KBLOCK 4 /* positions per block of the key cache */

/* matmul.c: the one summation order (see there) and the packed layout. */
float tt_dot(const float *a, const float *b, int n);
void tt_pack_matrix(float *m, int rows, int cols, float *scratch); /* scratch: TT_PANEL * cols floats */
void tt_matrix_row(const float *m, int rows, int cols, int r, float *out);
/* out[r] = row r of w (packed, d rows of n) · x, for this part's share of the rows (part of parts). */
void tt_matmul_part(float *out, const float *x, const float *w, int n, int d, int part, int parts);
/* The rows [*lo, *hi) of d that tt_matmul_part computes for a part: whole panels, the last part the rest. */
void tt_part_rows(int d, int part, int parts, int *lo, int *hi);
/* out[j] = q · (key j of the block) for the TT_KBLOCK keys of one key-cache block (n elements, element stride
 * TT_KBLOCK); the same sequential sums as tt_dot. */
void tt_block_dots(float *out, const float *q, const float *block, int n);

/* threads.c: runs task on every thread of the pool (only the caller's in single-thread builds) and returns when all
 * parts are done. */
void tt_parallel(TTContext *c, TTTask task);

/* model.c */
TTContext *tt_context_new(void);
/* Packs the matrices of `bytes` in place (see TTWeights): the caller hands them over for the life of the context. */
int tt_load_model(TTContext *c, uint8_t *bytes, uint32_t nbytes);
float *tt_forward(TTContext *c, int32_t token, int32_t pos);
/* out = softmax(in / divisor) (out may be in); returns the sum of the exponentials. */
float tt_softmax(float *out, const float *in, int n, float divisor);
/* The same without the last step: out = the exponentials, not yet divided by the sum it returns. */
float tt_softmax_exps(float *out, const float *in, int n, float divisor);

/* tokenizer.c */
int tt_load_tokenizer(TTContext *c, const uint8_t *bytes, uint32_t nbytes);
int32_t tt_encode(TTContext *c, const uint8_t *text, int32_t len, int32_t bos, int32_t eos, int32_t *out);
int32_t tt_decode(TTContext *c, int32_t prev, int32_t token, uint8_t *out);

/* sampler.c */
int tt_sampler_alloc(TTSampler *sp, int32_t vocab);
void tt_seed(TTContext *c, uint32_t lo, uint32_t hi);
int32_t tt_sample(TTContext *c, float temperature, float topp);

/* generate.c: the generation loop, as llama2.c's generate(): tt_generate_begin, then tt_step until it returns 0. */
int tt_generate_begin(TTContext *c, const uint8_t *text, int32_t len, int32_t steps, float temperature, float topp,
                      uint32_t seed_lo, uint32_t seed_hi);
int tt_step(TTContext *c);
/* Called after every position with the logits of that position (before sampling), e.g. to hash them. */
typedef void (*TTStepHook)(TTContext *c, const float *logits, int32_t pos, void *user);
int tt_generate(TTContext *c, const uint8_t *text, int32_t len, int32_t steps, float temperature, float topp,
                uint64_t seed, TTStepHook hook, void *user);

#endif
