/*
 * The llama2 transformer over one whole teacher-forced sequence: the forward pass keeps every activation the
 * backward pass needs (in a TTSeq), and the backward pass adds the gradient of coef * log p(response | prompt)
 * into the trainer's gradient buffer, operation by operation in reverse.
 *
 * A sequence of prompt length P and response length R runs positions 0 .. P+R-2 (its last token is only a target);
 * the logits of positions P-1 .. P+R-2 predict the R response tokens. Gradients reach the prompt positions through
 * attention.
 */
#include "train.h"

/* The tensors of one layer inside a file-shaped float array (weights or gradients: same offsets). */
typedef struct {
  float *rms_att, *wq, *wk, *wv, *wo, *rms_ffn, *w1, *w2, *w3;
} LayerView;

static LayerView layer_view(const TTTrainer *tr, const float *base, int32_t l) {
  const TTLayout *y = &tr->lay;
  size_t dim = (size_t)tr->cfg.dim, hid = (size_t)tr->cfg.hidden_dim, kv = (size_t)tr->kv_dim;
  float *b = (float *)base;
  LayerView v;
  v.rms_att = b + y->rms_att + l * dim;
  v.wq = b + y->wq + l * dim * dim;
  v.wk = b + y->wk + l * kv * dim;
  v.wv = b + y->wv + l * kv * dim;
  v.wo = b + y->wo + l * dim * dim;
  v.rms_ffn = b + y->rms_ffn + l * dim;
  v.w1 = b + y->w1 + l * hid * dim;
  v.w2 = b + y->w2 + l * dim * hid;
  v.w3 = b + y->w3 + l * hid * dim;
  return v;
}

/* The activations of layer l inside a sequence's buffers (sized for seq_len positions). */
typedef struct {
  float *x, *xn1, *q, *k, *v, *att, *ao, *xmid, *xn2, *h1, *h3, *g, *r1, *r2;
} LayerActs;

static LayerActs layer_acts(const TTTrainer *tr, const TTSeq *s, int32_t l) {
  size_t T = (size_t)tr->cfg.seq_len, dim = (size_t)tr->cfg.dim, hid = (size_t)tr->cfg.hidden_dim;
  size_t kv = (size_t)tr->kv_dim, nh = (size_t)tr->cfg.n_heads;
  LayerActs a;
  a.x = s->x + l * T * dim;
  a.xn1 = s->xn1 + l * T * dim;
  a.q = s->q + l * T * dim;
  a.k = s->k + l * T * kv;
  a.v = s->v + l * T * kv;
  a.att = s->att + l * nh * T * T;
  a.ao = s->ao + l * T * dim;
  a.xmid = s->xmid + l * T * dim;
  a.xn2 = s->xn2 + l * T * dim;
  a.h1 = s->h1 + l * T * hid;
  a.h3 = s->h3 + l * T * hid;
  a.g = s->g + l * T * hid;
  a.r1 = s->r1 + l * T;
  a.r2 = s->r2 + l * T;
  return a;
}

/* Runs s->tokens through the model whose file-shaped floats are `weights`; sets s->logp. */
void tt_tr_forward_seq(TTTrainer *tr, TTSeq *s, const float *weights) {
  const TTConfig *c = &tr->cfg;
  int32_t n = s->n, dim = c->dim, hid = c->hidden_dim, kv = tr->kv_dim, hs = tr->head_size;
  size_t T = (size_t)c->seq_len;
  const float *emb = weights + tr->lay.emb;
  for (int32_t t = 0; t < n; t++) {
    const float *e = emb + (size_t)s->tokens[t] * dim;
    float *x = s->x + (size_t)t * dim;
    for (int32_t j = 0; j < dim; j++) x[j] = e[j];
  }
  for (int32_t l = 0; l < c->n_layers; l++) {
    LayerView w = layer_view(tr, weights, l);
    LayerActs a = layer_acts(tr, s, l);
    tt_trk_rmsnorm(a.xn1, a.r1, a.x, w.rms_att, n, dim);
    tt_trk_matmul(a.q, a.xn1, w.wq, n, dim, dim, tr->d_wt);
    tt_trk_matmul(a.k, a.xn1, w.wk, n, dim, kv, tr->d_wt);
    tt_trk_matmul(a.v, a.xn1, w.wv, n, dim, kv, tr->d_wt);
    tt_trk_rope(a.q, n, dim, hs, tr->rope_cos, tr->rope_sin);
    tt_trk_rope(a.k, n, kv, hs, tr->rope_cos, tr->rope_sin);
    tt_trk_attention(a.ao, a.att, a.q, a.k, a.v, n, c->n_heads, c->n_kv_heads, hs, tr->att_scale, tr->d_att);
    tt_trk_matmul(a.xmid, a.ao, w.wo, n, dim, dim, tr->d_wt);
    for (size_t e = 0; e < (size_t)n * dim; e++) a.xmid[e] = a.x[e] + a.xmid[e];
    tt_trk_rmsnorm(a.xn2, a.r2, a.xmid, w.rms_ffn, n, dim);
    tt_trk_matmul(a.h1, a.xn2, w.w1, n, dim, hid, tr->d_wt);
    tt_trk_matmul(a.h3, a.xn2, w.w3, n, dim, hid, tr->d_wt);
    tt_trk_swiglu(a.g, a.h1, a.h3, n * hid);
    float *next = s->x + (size_t)(l + 1) * T * dim;
    tt_trk_matmul(next, a.g, w.w2, n, hid, dim, tr->d_wt);
    for (size_t e = 0; e < (size_t)n * dim; e++) next[e] = a.xmid[e] + next[e];
  }
  /* Only the positions that predict a response token go through the final norm and the classifier. */
  int32_t first = s->first, R = n - first;
  const float *xl = s->x + (size_t)c->n_layers * T * dim + (size_t)first * dim;
  float *xf = s->xf + (size_t)first * dim;
  tt_trk_rmsnorm(xf, s->rf + first, xl, weights + tr->lay.rms_final, R, dim);
  tt_trk_matmul(s->probs, xf, weights + tr->lay.cls, R, dim, c->vocab_size, tr->d_wt);
  s->logp = tt_trk_logprob(s->probs, s->probs, s->tokens + first + 1, R, c->vocab_size);
}

/* Adds the gradient of coef * s->logp (with the policy weights) into tr->grad. Needs s's forward pass. */
void tt_tr_backward_seq(TTTrainer *tr, TTSeq *s, float coef) {
  const TTConfig *c = &tr->cfg;
  int32_t n = s->n, dim = c->dim, hid = c->hidden_dim, kv = tr->kv_dim, hs = tr->head_size, V = c->vocab_size;
  int32_t first = s->first, R = n - first;
  size_t T = (size_t)c->seq_len;
  float *G = tr->grad;
  const float *W = tr->w;

  tt_trk_logprob_bwd(s->probs, s->tokens + first + 1, R, V, coef); /* probs now holds d logits */
  const float *xf = s->xf + (size_t)first * dim;
  tt_trk_matmul_dx(tr->d_xf, s->probs, W + tr->lay.cls, R, dim, V, 0);
  tt_trk_matmul_dw(G + tr->lay.cls, s->probs, xf, R, dim, V, tr->d_tr);
  for (size_t e = 0; e < (size_t)n * dim; e++) tr->d_x[e] = 0.0f;
  const float *xl = s->x + (size_t)c->n_layers * T * dim + (size_t)first * dim;
  tt_trk_rmsnorm_bwd(tr->d_x + (size_t)first * dim, G + tr->lay.rms_final, tr->d_xf, xl, W + tr->lay.rms_final,
                     s->rf + first, R, dim, tr->d_row);

  for (int32_t l = c->n_layers - 1; l >= 0; l--) {
    LayerView w = layer_view(tr, W, l), gw = layer_view(tr, G, l);
    LayerActs a = layer_acts(tr, s, l);
    /* x_{l+1} = xmid + W2 g: d_x is the gradient of both x_{l+1} and (through the residual) xmid */
    tt_trk_matmul_dx(tr->d_h1, tr->d_x, w.w2, n, hid, dim, 0);
    tt_trk_matmul_dw(gw.w2, tr->d_x, a.g, n, hid, dim, tr->d_tr);
    tt_trk_swiglu_bwd(tr->d_h1, tr->d_h3, tr->d_h1, a.h1, a.h3, n * hid);
    tt_trk_matmul_dx(tr->d_xn, tr->d_h1, w.w1, n, dim, hid, 0);
    tt_trk_matmul_dx(tr->d_xn, tr->d_h3, w.w3, n, dim, hid, 1);
    tt_trk_matmul_dw(gw.w1, tr->d_h1, a.xn2, n, dim, hid, tr->d_tr);
    tt_trk_matmul_dw(gw.w3, tr->d_h3, a.xn2, n, dim, hid, tr->d_tr);
    tt_trk_rmsnorm_bwd(tr->d_x, gw.rms_ffn, tr->d_xn, a.xmid, w.rms_ffn, a.r2, n, dim, tr->d_row);
    /* xmid = x_l + Wo attention(...): d_x is now the gradient of xmid */
    tt_trk_matmul_dx(tr->d_ao, tr->d_x, w.wo, n, dim, dim, 0);
    tt_trk_matmul_dw(gw.wo, tr->d_x, a.ao, n, dim, dim, tr->d_tr);
    tt_trk_attention_bwd(tr->d_q, tr->d_k, tr->d_v, tr->d_ao, a.att, a.q, a.k, a.v, n, c->n_heads, c->n_kv_heads,
                         hs, tr->att_scale, tr->d_att);
    tt_trk_rope_bwd(tr->d_q, n, dim, hs, tr->rope_cos, tr->rope_sin);
    tt_trk_rope_bwd(tr->d_k, n, kv, hs, tr->rope_cos, tr->rope_sin);
    tt_trk_matmul_dx(tr->d_xn, tr->d_q, w.wq, n, dim, dim, 0);
    tt_trk_matmul_dx(tr->d_xn, tr->d_k, w.wk, n, dim, kv, 1);
    tt_trk_matmul_dx(tr->d_xn, tr->d_v, w.wv, n, dim, kv, 1);
    tt_trk_matmul_dw(gw.wq, tr->d_q, a.xn1, n, dim, dim, tr->d_tr);
    tt_trk_matmul_dw(gw.wk, tr->d_k, a.xn1, n, dim, kv, tr->d_tr);
    tt_trk_matmul_dw(gw.wv, tr->d_v, a.xn1, n, dim, kv, tr->d_tr);
    tt_trk_rmsnorm_bwd(tr->d_x, gw.rms_att, tr->d_xn, a.x, w.rms_att, a.r1, n, dim, tr->d_row);
  }
  float *gemb = G + tr->lay.emb;
  for (int32_t t = 0; t < n; t++) {
    float *ge = gemb + (size_t)s->tokens[t] * dim;
    const float *gx = tr->d_x + (size_t)t * dim;
    for (int32_t j = 0; j < dim; j++) ge[j] += gx[j];
  }
}
