/*
 * llm-native: the gcc build of the engine, driven by the TypeScript side (src/native.ts) for the benchmark
 * baseline and the cross-backend bit-exactness tests. Arguments are machine-made, so they are exact rather than
 * friendly: the prompt comes as hex bytes and temperature / top-p as the hex bits of a float32, so no decimal
 * parsing can differ from the WebAssembly side. Output: one JSON line on stdout.
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

/* Errors of the generation loop, beyond the engine's own codes (kept in step with src/errors.ts). */
enum { ERR_PROMPT_TOO_LONG = 100, ERR_STEPS_RANGE = 101, ERR_STEPS_BELOW_PROMPT = 102, ERR_IO = 103, ERR_USAGE = 104 };

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
  int rc = tt_load_model(ckpt, ckpt_len);
  if (rc) return fail(rc, "checkpoint");
  rc = tt_load_tokenizer(tokbytes, tok_len);
  if (rc) return fail(rc, "tokenizer");
  double load_ms = now_ms() - t0;
  const TTConfig *c = tt_config_ptr();

  size_t hex_len = strlen(prompt_hex);
  if (hex_len % 2) return fail(ERR_USAGE, "odd --prompt-hex");
  int32_t text_len = (int32_t)(hex_len / 2);
  uint8_t *text = (uint8_t *)tt_alloc((uint32_t)text_len + 1);
  for (int32_t i = 0; i < text_len; i++) {
    int hi = hexval(prompt_hex[2 * i]), lo = hexval(prompt_hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return fail(ERR_USAGE, "bad --prompt-hex");
    text[i] = (uint8_t)(hi * 16 + lo);
  }
  int32_t *prompt = (int32_t *)tt_alloc(((uint32_t)text_len + 3) * 4);
  int32_t n_prompt = tt_encode(text, text_len, 1, 0, prompt);
  if (n_prompt < 0) return fail(-n_prompt, "encode");
  if (n_prompt > c->seq_len) return fail(ERR_PROMPT_TOO_LONG, "prompt");
  if (steps < 1 || steps > c->seq_len) return fail(ERR_STEPS_RANGE, "steps");
  if (steps < n_prompt) return fail(ERR_STEPS_BELOW_PROMPT, "steps");

  int32_t *tokens = (int32_t *)tt_alloc(((uint32_t)steps + 1) * 4);
  uint32_t *hashes = (uint32_t *)tt_alloc((uint32_t)steps * 8);
  uint8_t *out = (uint8_t *)tt_alloc((uint32_t)(steps + 1) * (uint32_t)(tt_max_piece_len() + 1));
  uint8_t *piece = (uint8_t *)tt_alloc((uint32_t)tt_max_piece_len() + 1);
  size_t out_len = 0;
  int n_tokens = 1;
  tokens[0] = prompt[0];
  tt_seed((uint32_t)seed, (uint32_t)(seed >> 32));

  double t1 = now_ms(), c1 = cpu_ms();
  int32_t token = prompt[0];
  int pos = 0;
  while (pos < steps) {
    float *logits = tt_forward(token, pos);
    if (!logits) return fail(tt_last_error(), "forward");
    if (want_hash) hash_logits(logits, c->vocab_size, &hashes[2 * pos], &hashes[2 * pos + 1]);
    int32_t next = pos < n_prompt - 1 ? prompt[pos + 1] : tt_sample(temperature, topp);
    pos++;
    /* A sampled BOS starts the next story: llama2.c's end of text (a BOS inside the prompt is a prompt token). */
    if (next == TT_BOS && pos >= n_prompt) break;
    tokens[n_tokens++] = next;
    if (pos >= n_prompt) {
      int32_t k = tt_decode(token, next, piece);
      if (k < 0) return fail(-k, "decode");
      memcpy(out + out_len, piece, (size_t)k);
      out_len += (size_t)k;
    }
    token = next;
  }
  double gen_ms = now_ms() - t1, gen_cpu_ms = cpu_ms() - c1;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);

  printf("{\"promptTokens\":%d,\"forwards\":%d,\"loadMs\":%.3f,\"genMs\":%.3f,\"genCpuMs\":%.3f,\"maxRssKb\":%ld,\"tokens\":[",
         n_prompt, pos, load_ms, gen_ms, gen_cpu_ms, ru.ru_maxrss);
  for (int i = 0; i < n_tokens; i++) printf(i ? ",%d" : "%d", tokens[i]);
  printf("],\"bytesHex\":\"");
  for (size_t i = 0; i < out_len; i++) printf("%02x", out[i]);
  printf("\",\"logitsHash\":[");
  if (want_hash)
    for (int i = 0; i < pos; i++) printf(i ? ",\"%08x%08x\"" : "\"%08x%08x\"", hashes[2 * i], hashes[2 * i + 1]);
  printf("]}\n");
  return 0;
}
