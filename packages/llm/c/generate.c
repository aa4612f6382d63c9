/*
 * The generation loop, as llama2.c's generate(): run the prompt through the model one position at a time, then
 * sample, until `steps` positions ran or a BOS was sampled (llama2.c's end of text). Both hosts drive this one loop:
 * native_main.c calls tt_generate; the TypeScript side calls tt_step itself, so that it can hand every position's
 * logits and every token to its callbacks between steps (the WebAssembly build imports nothing, so C cannot call
 * back into JavaScript).
 */
#include "tt.h"

/* Buffers that grow by doubling: the bump allocator never frees, so repeated calls must not take new memory each time. */
static int reserve_prompt(TTContext *c, int32_t len) {
  TTGen *g = &c->gen;
  if (len + 3 <= g->cap) return TT_OK;
  int32_t cap = g->cap > 0 ? g->cap : 1024;
  while (cap < len + 3) cap *= 2;
  int32_t *p = (int32_t *)tt_alloc((uint32_t)cap * 4u);
  if (!p) return TT_ERR_OOM;
  g->prompt = p;
  g->cap = cap;
  return TT_OK;
}

/* Tokens and decoded bytes: at most seq_len + 1 ids, each adding at most max_piece_len bytes; taken once. */
static int reserve_output(TTContext *c) {
  TTGen *g = &c->gen;
  if (g->tokens) return TT_OK;
  uint32_t n = (uint32_t)c->cfg.seq_len + 1u;
  g->tokens = (int32_t *)tt_alloc(n * 4u);
  g->out = (uint8_t *)tt_alloc(n * (uint32_t)(c->tok.max_len + 1));
  return g->tokens && g->out ? TT_OK : TT_ERR_OOM;
}

/*
 * Encodes the prompt (BOS first), checks it and steps against the context, and seeds the sampler. Returns an error
 * code; on TT_ERR_PROMPT_TOO_LONG and TT_ERR_STEPS_BELOW_PROMPT, gen.n_prompt tells how long the prompt was.
 */
TT_EXPORT(tt_generate_begin)
int tt_generate_begin(TTContext *c, const uint8_t *text, int32_t len, int32_t steps, float temperature, float topp,
                      uint32_t seed_lo, uint32_t seed_hi) {
  TTGen *g = &c->gen;
  g->done = 1;
  if (!c->loaded || !c->tok.loaded) return TT_ERR_NOT_LOADED;
  if (len < 0) return TT_ERR_ARG;
  int rc = reserve_prompt(c, len);
  if (rc == TT_OK) rc = reserve_output(c);
  if (rc != TT_OK) return rc;
  int32_t n = tt_encode(c, text, len, 1, 0, g->prompt);
  if (n < 0) return -n;
  g->n_prompt = n;
  if (n > c->cfg.seq_len) return TT_ERR_PROMPT_TOO_LONG;
  if (steps < 1 || steps > c->cfg.seq_len) return TT_ERR_STEPS_RANGE;
  if (steps < n) return TT_ERR_STEPS_BELOW_PROMPT;
  g->steps = steps;
  g->temperature = temperature;
  g->topp = topp;
  g->pos = 0;
  g->tokens[0] = g->prompt[0];
  g->n_tokens = 1;
  g->out_len = 0;
  g->last_len = 0;
  g->done = 0;
  tt_seed(c, seed_lo, seed_hi);
  return TT_OK;
}

/*
 * Runs one position: the forward pass of the last fixed token, then the next token (the prompt's while it lasts,
 * then a sample), decoded into out[]. Returns 1 when a position ran (its logits stay in tt_logits until the next
 * step), 0 when the generation is over, or a negative error code.
 */
TT_EXPORT(tt_step)
int tt_step(TTContext *c) {
  TTGen *g = &c->gen;
  if (g->done) return 0;
  int32_t token = g->tokens[g->n_tokens - 1];
  if (!tt_forward(c, token, g->pos)) return -c->last_error;
  int32_t next = g->pos < g->n_prompt - 1 ? g->prompt[g->pos + 1] : tt_sample(c, g->temperature, g->topp);
  if (next < 0) return next;
  g->pos++;
  g->last_len = 0;
  /* A sampled BOS starts the next story: llama2.c's end of text. (A BOS inside the prompt is just a prompt token.) */
  if (next == TT_BOS && g->pos >= g->n_prompt) {
    g->done = 1;
    return 1;
  }
  g->tokens[g->n_tokens++] = next;
  if (g->pos >= g->n_prompt) {
    int32_t k = tt_decode(c, token, next, g->out + g->out_len);
    if (k < 0) return k;
    g->out_len += k;
    g->last_len = k;
  }
  if (g->pos >= g->steps) g->done = 1;
  return 1;
}

/* For the TypeScript side: the int32 fields of TTGen, the ids so far, and the decoded bytes. */
TT_EXPORT(tt_gen)
TTGen *tt_gen(TTContext *c) { return &c->gen; }

TT_EXPORT(tt_gen_tokens)
int32_t *tt_gen_tokens(TTContext *c) { return c->gen.tokens; }

TT_EXPORT(tt_gen_out)
uint8_t *tt_gen_out(TTContext *c) { return c->gen.out; }

/* The whole loop, for hosts that can pass a C callback (native_main.c). Returns an error code. */
int tt_generate(TTContext *c, const uint8_t *text, int32_t len, int32_t steps, float temperature, float topp,
                uint64_t seed, TTStepHook hook, void *user) {
  int rc = tt_generate_begin(c, text, len, steps, temperature, topp, (uint32_t)seed, (uint32_t)(seed >> 32));
  if (rc != TT_OK) return rc;
  for (;;) {
    int r = tt_step(c);
    if (r < 0) return -r;
    if (r == 0) return TT_OK;
    if (hook) hook(c, c->s.logits, c->gen.pos - 1, user);
  }
}
