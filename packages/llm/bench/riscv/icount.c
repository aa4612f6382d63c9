/*
 * A QEMU TCG plugin that counts the guest instructions executed by every thread of a qemu-user process and prints
 * the total at exit ("icount N" on stderr, or to the file named by the plugin argument out=PATH).
 *
 * Debian ships no qemu-plugin.h, so the few declarations used are written here from QEMU's plugin API (version 1,
 * as in QEMU 7.2): a translation callback learns each translated block's instruction count, and an execution
 * callback adds it when the block runs. Guest threads run in parallel under qemu-user, so the sum is atomic.
 * Optionally (profile=PATH) it also writes each block's count, for a profile by function.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct {
  const char *target_name;
  struct {
    int min, cur;
  } version;
  bool system_emulation;
  union {
    struct {
      int smp_vcpus, max_vcpus;
    } system;
  };
} qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t total;
static char out_path[4096], profile_path[4096];

/*
 * With profile=PATH, every translated block also keeps its own count, written at exit as "address instructions
 * executions" lines in hex, decimal, decimal (a block translated twice has two lines). To see where a WebAssembly
 * build spends them, run node with --perf-basic-prof (and --predictable --no-liftoff for counts that repeat): the
 * /tmp/perf-<pid>.map it writes names the code at each address, wasm functions included.
 */
typedef struct Block {
  uint64_t vaddr, n, runs;
  struct Block *next;
} Block;
static Block *blocks;
static int block_lock;

static void on_exec(unsigned int vcpu, void *n) {
  (void)vcpu;
  __atomic_fetch_add(&total, (uint64_t)(uintptr_t)n, __ATOMIC_RELAXED);
}

static void on_exec_profiled(unsigned int vcpu, void *b) {
  (void)vcpu;
  Block *block = b;
  __atomic_fetch_add(&total, block->n, __ATOMIC_RELAXED);
  __atomic_fetch_add(&block->runs, 1, __ATOMIC_RELAXED);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  if (!profile_path[0]) {
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec, QEMU_PLUGIN_CB_NO_REGS,
                                         (void *)(uintptr_t)qemu_plugin_tb_n_insns(tb));
    return;
  }
  Block *b = calloc(1, sizeof *b);
  if (!b) abort();
  b->vaddr = qemu_plugin_tb_vaddr(tb);
  b->n = qemu_plugin_tb_n_insns(tb);
  while (__atomic_exchange_n(&block_lock, 1, __ATOMIC_ACQUIRE)) {
  }
  b->next = blocks;
  blocks = b;
  __atomic_store_n(&block_lock, 0, __ATOMIC_RELEASE);
  qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec_profiled, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void write_profile(void) {
  FILE *f = fopen(profile_path, "w");
  if (!f) return;
  for (Block *b = blocks; b; b = b->next)
    if (b->runs) fprintf(f, "%llx %llu %llu\n", (unsigned long long)b->vaddr, (unsigned long long)b->n,
                         (unsigned long long)b->runs);
  fclose(f);
}

static void at_exit(qemu_plugin_id_t id, void *p) {
  (void)id;
  (void)p;
  uint64_t n = __atomic_load_n(&total, __ATOMIC_RELAXED);
  if (profile_path[0]) write_profile();
  FILE *f = out_path[0] ? fopen(out_path, "w") : 0;
  fprintf(f ? f : stderr, "icount %llu\n", (unsigned long long)n);
  if (f) fclose(f);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                                               int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++)
    if (!strncmp(argv[i], "out=", 4)) snprintf(out_path, sizeof out_path, "%s", argv[i] + 4);
    else if (!strncmp(argv[i], "profile=", 8)) snprintf(profile_path, sizeof profile_path, "%s", argv[i] + 8);
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, at_exit, 0);
  return 0;
}
