/*
 * Trust-and-Teach deterministic llama2 engine: the interface shared by the C files and by the hosts
 * (the TypeScript side through WebAssembly exports, and native_main.c for the gcc build).
 *
 * One engine instance holds one model: the WebAssembly host makes a fresh instance per model, the
 * native host is a process per run, so global state is the simplest honest design.
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
  TT_ERR_ARG = 12            /* an argument out of its range (e.g. negative length) */
};

#define TT_BOS 1
#define TT_EOS 2

typedef struct {
  int32_t dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len;
  int32_t shared_classifier; /* 1 when vocab_size was positive in the header */
} TTConfig;

/* heap.c: memory is taken once, while loading; nothing is freed (an instance lives as long as its model). */
void *tt_alloc(uint32_t nbytes);

/* tt_math.c: the project's own elementary functions, identical on every build. */
float tt_expf(float x);
double tt_exp(double x);
double tt_sin(double x);
double tt_cos(double x);
double tt_log(double x); /* training: log-sum-exp and the DPO loss */

/* model.c */
int tt_load_model(const uint8_t *bytes, uint32_t nbytes);
const TTConfig *tt_config_ptr(void);
float *tt_forward(int32_t token, int32_t pos);
float *tt_logits(void);
int tt_last_error(void);
void tt_softmax(float *x, int n);
void tt_set_error(int code);

/* tokenizer.c */
int tt_load_tokenizer(const uint8_t *bytes, uint32_t nbytes);
int32_t tt_encode(const uint8_t *text, int32_t len, int32_t bos, int32_t eos, int32_t *out);
int32_t tt_decode(int32_t prev, int32_t token, uint8_t *out);
int32_t tt_max_piece_len(void);

/* sampler.c */
int tt_sampler_alloc(int32_t vocab);
void tt_seed(uint32_t lo, uint32_t hi);
int32_t tt_sample(float temperature, float topp);

#endif
