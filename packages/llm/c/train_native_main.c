/*
 * llm-train-native: the gcc build of the trainer, driven by src/train-native.ts for the benchmark's baseline and the
 * cross-build bit-exactness tests. Arguments are machine-made: the hyper-parameters come as the hex of their
 * 88 wire bytes, the pairs as a file holding the pair block (see train.c), so nothing is parsed differently from
 * the WebAssembly side. Output: one JSON line per event on stdout (numbers with 17 significant digits, so doubles
 * read back exactly).
 *
 * usage: llm-train-native --base PATH --pairs PATH --params HEX --out PATH
 *                         [--state-in PATH] [--state-out PATH] [--stop-after STEPS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "train.h"

enum { ERR_IO = 103, ERR_USAGE = 104 };

static int fail(int code, int detail, const char *what) {
  printf("{\"error\":%d,\"detail\":%d,\"what\":\"%s\"}\n", code, detail, what);
  return 2;
}

static uint8_t *read_file(const char *path, uint32_t *len, uint32_t skew) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  if (n < 0 || n > 0xF0000000L) { fclose(f); return 0; }
  uint8_t *buf = (uint8_t *)tt_alloc((uint32_t)n + 64u);
  if (buf) buf += skew;
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fclose(f); return 0; }
  fclose(f);
  *len = (uint32_t)n;
  return buf;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3 + (double)ru.ru_stime.tv_sec * 1e3 +
         (double)ru.ru_stime.tv_usec / 1e3;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Streams the state through a 1 MiB buffer, as the WebAssembly host does. */
static int save_state(TTTrainer *tr, const char *path) {
  int rc = tt_tr_state_save_begin(tr);
  if (rc) return rc;
  uint32_t total = tt_tr_state_bytes(tr), chunk = 1u << 20;
  static uint8_t buf[1u << 20];
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "wb");
  if (!f) return ERR_IO;
  for (uint32_t at = 0; at < total; at += chunk) {
    uint32_t n = total - at < chunk ? total - at : chunk;
    tt_tr_state_read(tr, at, buf, n);
    if (fwrite(buf, 1, n, f) != n) { fclose(f); return ERR_IO; }
  }
  if (fclose(f) != 0 || rename(tmp, path) != 0) return ERR_IO;
  return 0;
}

static int load_state(TTTrainer *tr, const char *path) {
  uint32_t len = 0;
  uint8_t *bytes = read_file(path, &len, 0);
  if (!bytes) return ERR_IO;
  if (len != tt_tr_state_bytes(tr)) return TT_ERR_TRAIN_STATE;
  int rc = tt_tr_state_load_begin(tr, bytes, len);
  if (!rc) rc = tt_tr_state_write(tr, 0, bytes, len);
  if (!rc) rc = tt_tr_state_load_end(tr);
  return rc;
}

static void print_metrics(const double *m) {
  for (int i = 0; i < TT_METRICS; i++) printf(i ? ",%.17g" : "%.17g", m[i]);
}

int main(int argc, char **argv) {
  const char *base_path = 0, *pairs_path = 0, *params_hex = 0, *out_path = 0, *state_in = 0, *state_out = 0;
  int stop_after = -1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : 0;
    if (!v) return fail(ERR_USAGE, 0, "missing value after an option");
    if (!strcmp(a, "--base")) base_path = v;
    else if (!strcmp(a, "--pairs")) pairs_path = v;
    else if (!strcmp(a, "--params")) params_hex = v;
    else if (!strcmp(a, "--out")) out_path = v;
    else if (!strcmp(a, "--state-in")) state_in = v;
    else if (!strcmp(a, "--state-out")) state_out = v;
    else if (!strcmp(a, "--stop-after")) stop_after = atoi(v);
    else return fail(ERR_USAGE, 0, "unknown option");
    i++;
  }
  if (!base_path || !pairs_path || !params_hex || !out_path)
    return fail(ERR_USAGE, 0, "--base, --pairs, --params and --out are required");
  if (strlen(params_hex) != 2 * TT_PARAMS_BYTES) return fail(ERR_USAGE, 0, "--params must be 176 hex digits");
  uint8_t params[TT_PARAMS_BYTES];
  for (int i = 0; i < TT_PARAMS_BYTES; i++) {
    int hi = hexval(params_hex[2 * i]), lo = hexval(params_hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return fail(ERR_USAGE, 0, "bad --params");
    params[i] = (uint8_t)(hi * 16 + lo);
  }
  uint32_t base_len = 0, pairs_len = 0;
  uint8_t *base = read_file(base_path, &base_len, 36);
  if (!base) return fail(ERR_IO, 0, "cannot read the base checkpoint");
  uint8_t *pairs = read_file(pairs_path, &pairs_len, 0);
  if (!pairs || pairs_len % 4) return fail(ERR_IO, 0, "cannot read the pairs");

  double t0 = now_ms();
  TTTrainer *tr = tt_tr_new(base, base_len, params, (const int32_t *)pairs, pairs_len / 4);
  if (!tr) return fail(TT_ERR_OOM, 0, "trainer");
  if (tt_tr_error(tr)) return fail(tt_tr_error(tr), tt_tr_error_detail(tr), "init");
  double init_ms = now_ms() - t0;
  if (state_in) {
    int rc = load_state(tr, state_in);
    if (rc) return fail(rc, tt_tr_error_detail(tr), "state-in");
  }
  int32_t n_pairs = ((const int32_t *)pairs)[0];
  double t1 = now_ms(), c1 = cpu_ms();
  for (int32_t i = tt_tr_reference_done(tr); i < n_pairs; i++) {
    int rc = tt_tr_reference(tr, i);
    if (rc) return fail(rc, tt_tr_error_detail(tr), "reference");
  }
  double ref_ms = now_ms() - t1, ref_cpu = cpu_ms() - c1;
  printf("{\"event\":\"reference\",\"pairs\":%d,\"ms\":%.3f,\"cpuMs\":%.3f,\"initMs\":%.3f}\n", n_pairs, ref_ms,
         ref_cpu, init_ms);
  int32_t total = tt_tr_total_steps(tr);
  double pair_ms = 0, update_ms = 0, train_cpu = 0, tokens = 0;
  while (tt_tr_step(tr) < total && (stop_after < 0 || tt_tr_step(tr) < stop_after)) {
    double s0 = now_ms(), sc = cpu_ms();
    int rc = tt_tr_step_begin(tr);
    if (rc) return fail(rc, tt_tr_error_detail(tr), "step");
    int32_t n = tt_tr_batch_pairs(tr);
    for (int32_t k = 0; k < n; k++) {
      rc = tt_tr_step_pair(tr);
      if (rc) return fail(rc, tt_tr_error_detail(tr), "step");
    }
    double s1 = now_ms();
    rc = tt_tr_step_end(tr);
    if (rc) return fail(rc, tt_tr_error_detail(tr), "step");
    double s2 = now_ms();
    pair_ms += s1 - s0;
    update_ms += s2 - s1;
    double step_cpu = cpu_ms() - sc;
    train_cpu += step_cpu;
    int32_t step = tt_tr_step(tr) - 1;
    const double *m = tt_tr_metrics(tr) + (size_t)step * TT_METRICS;
    tokens += m[TT_M_TOKENS];
    printf("{\"event\":\"step\",\"step\":%d,\"pairMs\":%.3f,\"updateMs\":%.3f,\"cpuMs\":%.3f,\"metrics\":[", step,
           s1 - s0, s2 - s1, step_cpu);
    print_metrics(m);
    printf("]}\n");
    fflush(stdout);
  }
  if (state_out) {
    int rc = save_state(tr, state_out);
    if (rc) return fail(rc, tt_tr_error_detail(tr), "state-out");
  }
  int32_t done = tt_tr_step(tr);
  if (done == total) {
    FILE *f = fopen(out_path, "wb");
    if (!f || fwrite(tt_tr_file(tr), 1, tt_tr_file_bytes(tr), f) != tt_tr_file_bytes(tr) || fclose(f) != 0)
      return fail(ERR_IO, 0, "cannot write --out");
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("{\"event\":\"done\",\"steps\":%d,\"totalSteps\":%d,\"written\":%s,\"pairMs\":%.3f,\"updateMs\":%.3f,"
         "\"trainCpuMs\":%.3f,\"tokens\":%.0f,\"maxRssKb\":%ld,\"metrics\":[",
         done, total, done == total ? "true" : "false", pair_ms, update_ms, train_cpu, tokens, ru.ru_maxrss);
  for (int32_t s = 0; s < done; s++) {
    printf(s ? ",[" : "[");
    print_metrics(tt_tr_metrics(tr) + (size_t)s * TT_METRICS);
    printf("]");
  }
  printf("]}\n");
  return 0;
}
