/*
 * llm-native: the gcc build of the engine, driven by the TypeScript side (src/native.ts) for the benchmark
 * baseline and the cross-backend bit-exactness tests. Arguments are machine-made, so they are exact rather than
 * friendly: the prompt comes as hex bytes and temperature / top-p as the hex bits of a float32, so no decimal
 * parsing can differ from the WebAssembly side. Output: one JSON line on stdout.
 *
 * The generation loop itself is the engine's (generate.c): this file only reads files and arguments and prints.
 *
 * usage: llm-native --checkpoint PATH --tokenizer PATH --steps N [--prompt-hex HEX] [--temp-bits XXXXXXXX]
 *                   [--topp-bits XXXXXXXX] [--seed U64] [--logits-hash]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "tt.h"

/* Errors of this driver, beyond the engine's own codes (kept in step with src/errors.ts). */
enum { ERR_IO = 103, ERR_USAGE = 104 };

static int fail(int code, const char *detail) {
  printf("{\"error\":%d,\"detail\":\"%s\"}\n", code, detail);
  return 2;
}

/* skew: where the data starts past a 64-byte boundary (36 for a checkpoint puts its weights, after the 28-byte
 * header, on cache-line boundaries, as the WebAssembly host does too). */
static uint8_t *read_file(const char *path, uint32_t *len, uint32_t skew) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (n < 0 || n > 0xF0000000L) { fclose(f); return 0; }
  uint8_t *buf = (uint8_t *)tt_alloc((uint32_t)n + 64u); /* tt_alloc is 64-byte aligned natively */
  if (buf) buf += skew;
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); return 0; }
  fclose(f);
  *len = (uint32_t)n;
  return buf;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static float float_from_bits(const char *hex) {
  uint32_t u = (uint32_t)strtoul(hex, 0, 16);
  float f;
  memcpy(&f, &u, 4);
  return f;
}

/* CPU time of this process: with other work on the machine, wall time alone says little about the engine. */
static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3 + (double)ru.ru_stime.tv_sec * 1e3 +
         (double)ru.ru_stime.tv_usec / 1e3;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Two 32-bit FNV-1a style hashes over the logits' bit patterns; the TypeScript side computes the same. */
static void hash_logits(const float *x, int n, uint32_t *h1, uint32_t *h2) {
  uint32_t a = 2166136261u, b = 0x9747b28cu;
  for (int i = 0; i < n; i++) {
    uint32_t u;
    memcpy(&u, &x[i], 4);
    a = (a ^ u) * 16777619u;
    b = (b ^ u) * 0x9E3779B1u;
  }
  *h1 = a;
  *h2 = b;
}

typedef struct {
  uint32_t *h; /* two words per position */
  int n;
} Hashes;

static void hash_step(TTContext *c, const float *logits, int32_t pos, void *user) {
  (void)c;
  Hashes *hs = (Hashes *)user;
  hash_logits(logits, hs->n, &hs->h[2 * pos], &hs->h[2 * pos + 1]);
}

int main(int argc, char **argv) {
  const char *ckpt_path = 0, *tok_path = 0, *prompt_hex = "";
  int steps = -1, want_hash = 0;
  float temperature = 0.0f, topp = 0.9f;
  unsigned long long seed = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : 0;
    if (!strcmp(a, "--logits-hash")) { want_hash = 1; continue; }
    if (!v) return fail(ERR_USAGE, "missing value after an option");
    if (!strcmp(a, "--checkpoint")) ckpt_path = v;
    else if (!strcmp(a, "--tokenizer")) tok_path = v;
    else if (!strcmp(a, "--prompt-hex")) prompt_hex = v;
    else if (!strcmp(a, "--steps")) steps = atoi(v);
    else if (!strcmp(a, "--temp-bits")) temperature = float_from_bits(v);
    else if (!strcmp(a, "--topp-bits")) topp = float_from_bits(v);
    else if (!strcmp(a, "--seed")) seed = strtoull(v, 0, 10);
    else return fail(ERR_USAGE, "unknown option");
    i++;
  }
  if (!ckpt_path || !tok_path) return fail(ERR_USAGE, "--checkpoint and --tokenizer are required");

  double t0 = now_ms();
  uint32_t ckpt_len = 0, tok_len = 0;
  uint8_t *ckpt = read_file(ckpt_path, &ckpt_len, 36);
  if (!ckpt) return fail(ERR_IO, "cannot read the checkpoint");
  uint8_t *tokbytes = read_file(tok_path, &tok_len, 0);
  if (!tokbytes) return fail(ERR_IO, "cannot read the tokenizer");
  TTContext *ctx = tt_context_new();
  if (!ctx) return fail(TT_ERR_OOM, "context");
  int rc = tt_load_model(ctx, ckpt, ckpt_len);
  if (rc) return fail(rc, "checkpoint");
  rc = tt_load_tokenizer(ctx, tokbytes, tok_len);
  if (rc) return fail(rc, "tokenizer");
  double load_ms = now_ms() - t0;

  size_t hex_len = strlen(prompt_hex);
  if (hex_len % 2) return fail(ERR_USAGE, "odd --prompt-hex");
  int32_t text_len = (int32_t)(hex_len / 2);
  uint8_t *text = (uint8_t *)tt_alloc((uint32_t)text_len + 1);
  for (int32_t i = 0; i < text_len; i++) {
    int hi = hexval(prompt_hex[2 * i]), lo = hexval(prompt_hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return fail(ERR_USAGE, "bad --prompt-hex");
    text[i] = (uint8_t)(hi * 16 + lo);
  }

  Hashes hashes = {want_hash ? (uint32_t *)tt_alloc((uint32_t)ctx->cfg.seq_len * 8u) : 0, ctx->cfg.vocab_size};
  double t1 = now_ms(), c1 = cpu_ms();
  rc = tt_generate(ctx, text, text_len, steps, temperature, topp, seed, want_hash ? hash_step : 0, &hashes);
  if (rc) return fail(rc, "generate");
  double gen_ms = now_ms() - t1, gen_cpu_ms = cpu_ms() - c1;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);

  const TTGen *g = &ctx->gen;
  printf("{\"promptTokens\":%d,\"forwards\":%d,\"loadMs\":%.3f,\"genMs\":%.3f,\"genCpuMs\":%.3f,\"maxRssKb\":%ld,\"tokens\":[",
         g->n_prompt, g->pos, load_ms, gen_ms, gen_cpu_ms, ru.ru_maxrss);
  for (int i = 0; i < g->n_tokens; i++) printf(i ? ",%d" : "%d", g->tokens[i]);
  printf("],\"bytesHex\":\"");
  for (int i = 0; i < g->out_len; i++) printf("%02x", g->out[i]);
  printf("\",\"logitsHash\":[");
  if (want_hash)
    for (int i = 0; i < g->pos; i++)
      printf(i ? ",\"%08x%08x\"" : "\"%08x%08x\"", hashes.h[2 * i], hashes.h[2 * i + 1]);
  printf("]}\n");
  return 0;
}
