/*
 * Deterministic DPO fine-tuning of a llama2.c checkpoint: the interface shared by the training C files and their
 * hosts (src/trainer.ts through the training WebAssembly module, train_native_main.c for the gcc build).
 *
 * All state lives in one TTTrainer, made by tt_tr_new: no file-level statics, so the code can run beside the
 * inference engine in one process and a host can hold several trainers. Memory comes from tt_alloc (heap.c) and is
 * never freed: a trainer lives as long as its WebAssembly instance or process.
 *
 * Determinism: the same rules as inference (c/model.c). Every floating-point sum has an order written here:
 * - attention scores and RMSNorm use the 16-lane tt_trk_dot (lane j sums i = j mod 16 in order, a fixed tree,
 *   then the leftovers); matmuls sum each output in increasing index order (train_kernels.c);
 * - every backward reduction (over rows of a matrix, over positions, over the pairs of a step) is a plain running
 *   sum in increasing index order, one per output element; the SIMD build computes four output elements at once,
 *   each with exactly the scalar build's additions;
 * - scalar reductions of the loss and the gradient norm are in double, in index order;
 * - no FMA contraction, no fast-math, our own exp (float) and log (double).
 */
#ifndef TT_TRAIN_H
#define TT_TRAIN_H

#include "tt.h"

/* Training errors, numbered apart from tt.h's so the two lists can grow independently (src/errors.ts maps both). */
enum {
  TT_ERR_TRAIN_NONFINITE = 20, /* NaN or Inf in the loss, the gradients or the update: the step was refused */
  TT_ERR_TRAIN_STATE = 21,     /* a step file that does not belong to this run or is damaged (tt_tr_error_detail) */
  TT_ERR_TRAIN_PAIRS = 22,     /* the pair list is malformed (tt_tr_error_detail = index of the pair) */
  TT_ERR_TRAIN_PARAMS = 23,    /* a hyper-parameter out of range (tt_tr_error_detail = field number) */
  TT_ERR_TRAIN_ORDER = 24      /* a call out of order: training finished, no step open, reference not ready */
};

/* Details of TT_ERR_TRAIN_STATE. */
enum {
  TT_STATE_MAGIC = 1,
  TT_STATE_VERSION = 2,
  TT_STATE_BASE = 3,   /* made from another base checkpoint */
  TT_STATE_PAIRS = 4,  /* made from other pairs */
  TT_STATE_PARAMS = 5, /* made with other hyper-parameters */
  TT_STATE_SIZE = 6,   /* wrong length */
  TT_STATE_CHECKSUM = 7
};

/* Hyper-parameters; their wire form is TT_PARAMS_BYTES little-endian bytes (tt_tr_new, step files, native args). */
typedef struct {
  double learning_rate; /* peak learning rate */
  double beta;          /* DPO temperature */
  double weight_decay;  /* AdamW decoupled decay, applied to matrices (embedding, projections, classifier) */
  double adam_beta1, adam_beta2, adam_eps;
  double max_grad_norm; /* clip the step's gradient to this global L2 norm; 0 = no clipping */
  double min_lr_ratio;  /* cosine schedule ends at learning_rate * min_lr_ratio */
  int32_t epochs, batch_size, warmup_steps;
  int32_t schedule;     /* TT_SCHEDULE_* */
  uint64_t seed;        /* shuffle order */
} TTTrainParams;

#define TT_PARAMS_BYTES 88 /* 8 doubles, 4 int32, 1 uint64 */
enum { TT_SCHEDULE_COSINE = 0, TT_SCHEDULE_CONSTANT = 1 };

/* Metrics of one step, as doubles (tt_tr_metrics). Computed from the forward passes, before the update. */
enum {
  TT_M_LOSS = 0,        /* mean DPO loss over the pairs of the step */
  TT_M_ACCURACY,        /* fraction of pairs whose chosen reward is above the rejected one */
  TT_M_REWARD_CHOSEN,   /* mean beta * (log pi(chosen) - log ref(chosen)) */
  TT_M_REWARD_REJECTED, /* mean beta * (log pi(rejected) - log ref(rejected)) */
  TT_M_MARGIN,          /* mean chosen minus rejected reward */
  TT_M_LOGP_CHOSEN,     /* mean sequence log-probability of the chosen responses */
  TT_M_LOGP_REJECTED,
  TT_M_GRAD_NORM,       /* global L2 norm of the gradient before clipping */
  TT_M_LR,              /* learning rate of this step */
  TT_M_TOKENS,          /* positions run forward and backward */
  TT_M_PAIRS,           /* pairs in the step */
  TT_M_EPOCH,
  TT_METRICS
};

/* Offsets (in floats after the 28-byte header) of each tensor in a llama2.c version-0 file. */
typedef struct {
  uint32_t emb, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final, rope, cls;
  uint32_t nfloats; /* floats after the header */
} TTLayout;

/* The activations of one teacher-forced sequence, kept for its backward pass. Arrays are sized for seq_len. */
typedef struct {
  int32_t n;             /* positions run: prompt + response - 1 (the last token is only a target) */
  int32_t first;         /* first position whose logits are used: prompt length - 1 */
  const int32_t *tokens; /* n + 1 tokens */
  float *x;              /* (n_layers + 1, T, dim): the residual stream entering each layer, then the final norm */
  float *xn1, *q, *k, *v, *att, *ao, *xmid, *xn2, *h1, *h3, *g; /* per layer */
  float *r1, *r2, *rf;   /* inverse RMS of each norm, per position */
  float *xf;             /* (T, dim): final-norm output */
  float *probs;          /* (T, vocab): softmax of the used logits, rows from `first` on */
  double logp;           /* sum of the log-probabilities of the response tokens */
} TTSeq;

typedef struct TTTrainer {
  TTConfig cfg;
  int32_t head_size, kv_dim, kv_mul;
  float att_scale;
  TTLayout lay;
  const uint8_t *base; /* the caller's base checkpoint: the frozen reference model */
  uint32_t base_bytes;
  uint8_t *file;       /* the policy as a whole checkpoint file: the base's header and RoPE tables, trained weights */
  float *w, *grad, *m, *v; /* file-shaped: same offsets as the checkpoint's floats */
  float *rope_cos, *rope_sin;
  TTSeq seq[2];        /* chosen, rejected */
  /* backward scratch, sized for seq_len */
  float *d_x, *d_xn, *d_q, *d_k, *d_v, *d_ao, *d_h1, *d_h3, *d_xf, *d_row, *d_tr, *d_wt, *d_att;
  /* data */
  int32_t n_pairs;
  const int32_t *pairs; /* the caller's pair block (see tt_tr_new) */
  uint32_t *pair_at;    /* index into pairs of each pair's record */
  double *ref_logp;     /* (n_pairs, 2): the reference model's log-probabilities of chosen and rejected */
  int32_t ref_done;
  uint8_t params_wire[TT_PARAMS_BYTES];
  TTTrainParams hp;
  uint64_t base_hash, pairs_hash;
  int32_t steps_per_epoch, total_steps, step;
  int32_t *order, order_epoch;
  double *history;      /* (total_steps, TT_METRICS) */
  /* the open step */
  int32_t open, batch_start, batch_n, batch_done, step_failed;
  double acc[TT_METRICS];
  /* step files */
  uint64_t state_checksum;
  int32_t loading;
  int32_t error, error_detail;
} TTTrainer;

/* train.c: the trainer */
TTTrainer *tt_tr_new(const uint8_t *base, uint32_t base_bytes, const uint8_t *params, const int32_t *pairs,
                     uint32_t pairs_ints);
int tt_tr_reference(TTTrainer *tr, int32_t pair);
int tt_tr_step_begin(TTTrainer *tr);
int tt_tr_step_pair(TTTrainer *tr);
int tt_tr_step_end(TTTrainer *tr);
int tt_tr_eval_pair(TTTrainer *tr, int32_t pair, double *out);
int tt_tr_grad_pair(TTTrainer *tr, int32_t pair, double *out);
int tt_tr_error(const TTTrainer *tr);
int tt_tr_error_detail(const TTTrainer *tr);
int32_t tt_tr_step(const TTTrainer *tr);
int32_t tt_tr_total_steps(const TTTrainer *tr);
int32_t tt_tr_reference_done(const TTTrainer *tr);
int32_t tt_tr_batch_pairs(const TTTrainer *tr);
const double *tt_tr_metrics(const TTTrainer *tr);
const uint8_t *tt_tr_file(const TTTrainer *tr);
uint32_t tt_tr_file_bytes(const TTTrainer *tr);
uint32_t tt_tr_state_bytes(const TTTrainer *tr);
int tt_tr_state_save_begin(TTTrainer *tr);
int tt_tr_state_read(TTTrainer *tr, uint32_t offset, uint8_t *out, uint32_t len);
int tt_tr_state_load_begin(TTTrainer *tr, const uint8_t *header, uint32_t len);
int tt_tr_state_write(TTTrainer *tr, uint32_t offset, const uint8_t *in, uint32_t len);
int tt_tr_state_load_end(TTTrainer *tr);
void tt_tr_decode_params(const uint8_t *wire, TTTrainParams *p);

/* train_model.c: one sequence forward and backward */
void tt_tr_forward_seq(TTTrainer *tr, TTSeq *s, const float *weights);
void tt_tr_backward_seq(TTTrainer *tr, TTSeq *s, float coef);

/* train_kernels.c: the operations, each a pure function of its arguments (exported for the gradient tests) */
void tt_trk_matmul(float *y, const float *x, const float *w, int32_t T, int32_t n, int32_t d, float *scratch);
void tt_trk_matmul_dx(float *dx, const float *dy, const float *w, int32_t T, int32_t n, int32_t d, int32_t add);
void tt_trk_matmul_dw(float *dw, const float *dy, const float *x, int32_t T, int32_t n, int32_t d, float *scratch);
void tt_trk_rmsnorm(float *y, float *rinv, const float *x, const float *w, int32_t T, int32_t n);
void tt_trk_rmsnorm_bwd(float *dx, float *dw, const float *dy, const float *x, const float *w, const float *rinv,
                        int32_t T, int32_t n, float *scratch);
void tt_trk_rope_tables(float *cos_t, float *sin_t, int32_t seq_len, int32_t head_size);
void tt_trk_rope(float *v, int32_t T, int32_t n, int32_t head_size, const float *cos_t, const float *sin_t);
void tt_trk_rope_bwd(float *dv, int32_t T, int32_t n, int32_t head_size, const float *cos_t, const float *sin_t);
int32_t tt_trk_attention_scratch(int32_t T, int32_t head_size);
void tt_trk_attention(float *out, float *att, const float *q, const float *k, const float *v, int32_t T,
                      int32_t n_heads, int32_t n_kv_heads, int32_t head_size, float scale, float *scratch);
void tt_trk_attention_bwd(float *dq, float *dk, float *dv, const float *dout, const float *att, const float *q,
                          const float *k, const float *v, int32_t T, int32_t n_heads, int32_t n_kv_heads,
                          int32_t head_size, float scale, float *scratch);
void tt_trk_swiglu(float *g, const float *h1, const float *h3, int32_t n);
void tt_trk_swiglu_bwd(float *dh1, float *dh3, const float *dg, const float *h1, const float *h3, int32_t n);
double tt_trk_logprob(float *probs, const float *logits, const int32_t *targets, int32_t R, int32_t V);
void tt_trk_logprob_bwd(float *probs, const int32_t *targets, int32_t R, int32_t V, float coef);
float tt_trk_dot(const float *a, const float *b, int32_t n);
void tt_trk_exp(float *out, const float *in, int32_t n);

#endif
