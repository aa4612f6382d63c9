/*
 * Splitting the forward pass across threads, as llama2.c does with OpenMP, for the threaded WebAssembly build
 * (TT_THREADS): the caller's thread and pool.n - 1 workers, each a WebAssembly instance on the same shared memory,
 * started by the host (src/threads.ts) and parked in tt_worker. A task (a function of (context, chunk, chunks)) is
 * cut into CHUNKS_PER_THREAD chunks per thread; every thread, the caller's included, claims chunks from one atomic
 * counter until none is left. One chunk per thread is measured fastest (bench:llm, 2 threads on 2 idle cores: 1.66-1.96x
 * one thread against 1.52-1.54x with 4 and 1.26x with 16): the SIMD matmul reads a part's panels as four long
 * sequential streams, and smaller parts cut those streams short. A task only splits work whose outputs are independent (rows of a matrix, attention
 * heads), so who computes which chunk, and how many threads there are, changes no bit.
 *
 * Claiming rather than assigning parts matters on a machine shared with other work: a worker the OS has not
 * scheduled claims nothing, and the caller does its chunks instead of waiting for it; the caller only ever waits
 * for chunks already claimed. Workers poll for the next task for a while (it follows within microseconds during a
 * forward pass), then sleep on memory.atomic.wait32. The caller never sleeps (a browser's main thread may not).
 *
 * Single-thread builds compile none of this: tt_parallel runs the whole task on the caller's thread.
 */
#include "tt.h"

#ifndef TT_THREADS

void tt_parallel(TTContext *c, TTTask task) { task(c, 0, 1); }

#else

#define SPINS (1 << 16)      /* a worker's polls for a new task before it sleeps */
#define CHUNKS_PER_THREAD 1 /* see above */

static int32_t load(int32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

TT_EXPORT(tt_threads_init)
int tt_threads_init(TTContext *c, int32_t n) {
  if (n < 1 || n > TT_MAX_THREADS) return TT_ERR_ARG;
  c->pool.n = n;
  return TT_OK;
}

/* Claims and runs chunks of task generation gen while any is left. */
static void run_chunks(TTContext *c, int32_t gen) {
  TTPool *pl = &c->pool;
  for (;;) {
    int32_t w = load(&pl->claim);
    if ((w >> 24) != gen || (w & 0xFFFFFF) >= pl->chunks) return;
    if (!__atomic_compare_exchange_n(&pl->claim, &w, w + 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) continue;
    pl->task(c, w & 0xFFFFFF, pl->chunks);
    __atomic_fetch_add(&pl->done, 1, __ATOMIC_SEQ_CST);
  }
}

void tt_parallel(TTContext *c, TTTask task) {
  TTPool *pl = &c->pool;
  if (pl->n <= 1) {
    task(c, 0, 1);
    return;
  }
  int32_t gen = (load(&pl->claim) >> 24) % 127 + 1; /* 1..127: a claim word of 0 means no task yet */
  pl->task = task;
  pl->chunks = pl->n * CHUNKS_PER_THREAD;
  __atomic_store_n(&pl->done, 0, __ATOMIC_SEQ_CST);
  __atomic_store_n(&pl->claim, gen << 24, __ATOMIC_SEQ_CST); /* publishes the task and its arguments */
  __atomic_fetch_add(&pl->seq, 1, __ATOMIC_SEQ_CST);
  /* Seen after the bump above in the one order of sequentially consistent atomics: a worker that counted itself
   * as sleeping either sees the new seq before waiting, or is woken here. */
  if (load(&pl->sleepers) > 0) __builtin_wasm_memory_atomic_notify(&pl->seq, (uint32_t)pl->n);
  run_chunks(c, gen);
  while (load(&pl->done) != pl->chunks) {
  }
}

/* A worker's life: wait for a task, claim chunks of it, repeat, until tt_threads_stop. Returns then. */
TT_EXPORT(tt_worker)
void tt_worker(TTContext *c, int32_t index) {
  (void)index;
  TTPool *pl = &c->pool;
  for (;;) {
    int spins = 0;
    int32_t w;
    /* Wait for a task with chunks left to claim (every task has pool.n * CHUNKS_PER_THREAD). */
    while ((w = load(&pl->claim)) == 0 || (w & 0xFFFFFF) >= load(&pl->chunks)) {
      if (load(&pl->quit)) return;
      if (++spins < SPINS) continue;
      int32_t s = load(&pl->seq);
      __atomic_fetch_add(&pl->sleepers, 1, __ATOMIC_SEQ_CST);
      __atomic_fetch_add(&pl->naps, 1, __ATOMIC_RELAXED);
      if (load(&pl->claim) == w && !load(&pl->quit)) __builtin_wasm_memory_atomic_wait32(&pl->seq, s, -1);
      __atomic_fetch_sub(&pl->sleepers, 1, __ATOMIC_SEQ_CST);
      spins = 0;
    }
    run_chunks(c, w >> 24);
  }
}

/* Tells the workers to return from tt_worker (the host then ends them); the caller's thread goes on alone. */
TT_EXPORT(tt_threads_stop)
void tt_threads_stop(TTContext *c) {
  TTPool *pl = &c->pool;
  __atomic_store_n(&pl->quit, 1, __ATOMIC_SEQ_CST);
  __atomic_fetch_add(&pl->seq, 1, __ATOMIC_SEQ_CST);
  __builtin_wasm_memory_atomic_notify(&pl->seq, (uint32_t)TT_MAX_THREADS);
  pl->n = 1;
}

#endif
