/*
 * tt-rollup-server <command>: the Rollups v1 rollup HTTP API (/finish, /voucher, /notice, /report, /exception on
 * 127.0.0.1:5004, the JSON of Cartesi's rollup-http-server) inside our Cartesi machine, without Cartesi's kernel
 * driver: the rollup memory ranges and the HTIF registers are mapped through /dev/mem (CONFIG_DEVMEM=y) and the yields
 * are made here. Like rollup-init, it starts the backend (`sh -c <command>` as the dapp user, with
 * ROLLUP_HTTP_SERVER_URL set) and raises a rollup exception when the backend exits.
 *
 * Memory map and protocol: packages/machine/README.md and ../shared/docs/cartesi-machine-here.md. Two traps of a
 * user-space yield are handled in htif_yield(): a system call after every yield (the host's replace_memory_range does
 * not flush the emulator's TLB; a privilege change does), and the tohost store and fromhost load made early enough in
 * a timer tick that no interrupt (hence no console write into fromhost) can fall between them.
 * Needs root for /dev/mem; the backend runs as dapp.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../lib/keccak.h"
#include "abi.h"
#include "http.h"

enum { YIELD_AUTOMATIC = 0, YIELD_MANUAL = 1 }; /* HTIF yield commands */
enum { RX_ACCEPTED = 1, RX_REJECTED = 2, TX_VOUCHER = 3, TX_NOTICE = 4, TX_REPORT = 5, TX_EXCEPTION = 6 };
#define HTIF_DEVICE_YIELD 2ULL
#define TICK 8192 /* the emulator raises interrupts only when mcycle crosses a multiple of this */
#define TICK_MARGIN 1024

struct range {
    const char *name;
    uint64_t start, length;
    uint8_t *p;
};

static struct range rx = {"rx_buffer"}, tx = {"tx_buffer"}, meta = {"input_metadata"}, vhash = {"voucher_hashes"},
                    nhash = {"notice_hashes"};
static volatile uint64_t *htif;
static unsigned vouchers, notices;
static int have_request; /* a /finish has handed out a request that is not finished yet */
static volatile sig_atomic_t child_exited;

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tt-rollup-server: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

/* Reads <start length> (two big-endian 64-bit cells) of the device-tree node under `dir` whose name starts with name@. */
static int dt_reg(const char *dir, const char *name, uint64_t *start, uint64_t *length) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    struct dirent *e;
    int found = -1;
    size_t n = strlen(name);
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, name, n) != 0 || e->d_name[n] != '@') continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s/reg", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        uint8_t b[16];
        if (f && fread(b, 1, 16, f) == 16) {
            *start = *length = 0;
            for (int i = 0; i < 8; i++) *start = *start << 8 | b[i], *length = *length << 8 | b[8 + i];
            found = 0;
        }
        if (f) fclose(f);
        break;
    }
    closedir(d);
    return found;
}

static void *map(int fd, uint64_t start, uint64_t length, const char *what) {
    void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)start);
    if (p == MAP_FAILED) die("cannot map %s at 0x%llx through /dev/mem: %s", what, (unsigned long long)start, strerror(errno));
    return p;
}

static void map_ranges(void) {
    int fd = open("/dev/mem", O_RDWR | O_SYNC);
    if (fd < 0) die("cannot open /dev/mem (run as root, kernel CONFIG_DEVMEM=y): %s", strerror(errno));
    struct range *all[] = {&rx, &tx, &meta, &vhash, &nhash};
    for (unsigned i = 0; i < 5; i++) {
        if (dt_reg("/proc/device-tree/rollup", all[i]->name, &all[i]->start, &all[i]->length) != 0)
            die("the device tree has no /rollup/%s: start the machine with the rollup memory ranges", all[i]->name);
        all[i]->p = map(fd, all[i]->start, all[i]->length, all[i]->name);
    }
    uint64_t hs, hl;
    if (dt_reg("/proc/device-tree/soc", "htif", &hs, &hl) != 0) die("the device tree has no /soc/htif");
    htif = map(fd, hs, 4096, "the HTIF registers");
}

static inline uint64_t rdcycle(void) {
    uint64_t c;
    __asm__ volatile("rdcycle %0" : "=r"(c));
    return c;
}

/* One yield. Returns fromhost as the host left it (for a manual yield: the next request's type in its low bits). */
static uint64_t htif_yield(uint64_t cmd, uint64_t reason, uint32_t data) {
    uint64_t request = HTIF_DEVICE_YIELD << 56 | cmd << 48 | reason << 32 | data;
    /* trap 2: no tick boundary (no interrupt, no console write into fromhost) between the store and the load */
    while ((rdcycle() % TICK) > TICK - TICK_MARGIN) {
    }
    htif[0] = request; /* tohost: the machine stops here until the host resumes it */
    uint64_t fromhost = htif[1];
    /* trap 1: a privilege change flushes the emulator's TLB, which still maps the ranges the host replaced */
    (void)getppid();
    return fromhost;
}

static void copy_out(struct range *r, size_t offset, const uint8_t *src, size_t len) {
    memcpy(r->p + offset, src, len);
    __sync_synchronize();
}

static const char HEX[] = "0123456789abcdef";

static char *hex_of(const uint8_t *b, size_t n) {
    char *s = malloc(2 * n + 3);
    if (!s) die("out of memory");
    s[0] = '0', s[1] = 'x';
    for (size_t i = 0; i < n; i++) s[2 + 2 * i] = HEX[b[i] >> 4], s[3 + 2 * i] = HEX[b[i] & 15];
    s[2 + 2 * n] = 0;
    return s;
}

static int nibble(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* "0x..." → bytes; -1 when not 0x-prefixed even-length hex (the errors of Cartesi's server, as the node's API says) */
static int bytes_of(const char *s, size_t n, uint8_t **out, size_t *len, const char **why) {
    if (n < 2 || s[0] != '0' || s[1] != 'x') return *why = "hex string must start with 0x", -1;
    if ((n - 2) % 2) return *why = "invalid hex string: odd length", -1;
    *len = (n - 2) / 2;
    *out = malloc(*len + 1);
    if (!*out) die("out of memory");
    for (size_t i = 0; i < *len; i++) {
        int hi = nibble(s[2 + 2 * i]), lo = nibble(s[3 + 2 * i]);
        if (hi < 0 || lo < 0) return free(*out), *why = "invalid hex string", -1;
        (*out)[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

/* ---- the API ---- */

static void finish(int client, const char *body, size_t n) {
    const char *st;
    size_t sl;
    if (tt_json_string(body, n, "status", &st, &sl) != 0 || !((sl == 6 && !memcmp(st, "accept", 6)) || (sl == 6 && !memcmp(st, "reject", 6))))
        return tt_http_reply(client, 400, "text/plain", "status must be 'accept' or 'reject'");
    int accept = st[0] == 'a';
    uint64_t fromhost = htif_yield(YIELD_MANUAL, accept ? RX_ACCEPTED : RX_REJECTED, 0);
    vouchers = notices = 0;
    have_request = 1;
    uint32_t type = (uint32_t)fromhost;
    const uint8_t *payload;
    size_t len;
    if (tt_abi_decode_bytes(rx.p, rx.length, &payload, &len) != 0) return tt_http_reply(client, 400, "text/plain", "the rx buffer does not hold abi-encoded bytes");
    char *hex = hex_of(payload, len);
    char *json;
    if (type == 0) {
        uint64_t block, timestamp, epoch, index;
        const uint8_t *m = meta.p;
        if (tt_abi_word_u64(m + 32, &block) || tt_abi_word_u64(m + 64, &timestamp) || tt_abi_word_u64(m + 96, &epoch) ||
            tt_abi_word_u64(m + 128, &index)) {
            free(hex);
            return tt_http_reply(client, 400, "text/plain", "input metadata out of range");
        }
        char *sender = hex_of(m + 12, 20);
        if (asprintf(&json,
                     "{\"request_type\":\"advance_state\",\"data\":{\"metadata\":{\"msg_sender\":\"%s\",\"epoch_index\":%llu,"
                     "\"input_index\":%llu,\"block_number\":%llu,\"timestamp\":%llu},\"payload\":\"%s\"}}",
                     sender, (unsigned long long)epoch, (unsigned long long)index, (unsigned long long)block,
                     (unsigned long long)timestamp, hex) < 0)
            die("out of memory");
        free(sender);
    } else {
        if (asprintf(&json, "{\"request_type\":\"inspect_state\",\"data\":{\"payload\":\"%s\"}}", hex) < 0) die("out of memory");
    }
    free(hex);
    tt_http_reply(client, 200, "application/json", json);
    free(json);
}

/* voucher, notice, report, exception: encode into tx, hash (vouchers, notices), yield */
static void output(int client, int reason, const char *body, size_t n) {
    const char *pv, *dv = NULL, *why = "";
    size_t pl, dl = 0, len;
    uint8_t *payload, address[20];
    if (tt_json_string(body, n, "payload", &pv, &pl) != 0) return tt_http_reply(client, 400, "text/plain", "missing field `payload`");
    if (reason == TX_VOUCHER) {
        uint8_t *a;
        size_t al;
        if (tt_json_string(body, n, "destination", &dv, &dl) != 0 || dl != 42 || bytes_of(dv, dl, &a, &al, &why) != 0)
            return tt_http_reply(client, 400, "text/plain", "Address not valid");
        memcpy(address, a, 20);
        free(a);
    }
    if (bytes_of(pv, pl, &payload, &len, &why) != 0) {
        char msg[128];
        snprintf(msg, sizeof msg, "failed to decode payload: %s", why);
        return tt_http_reply(client, 400, "text/plain", msg);
    }
    if (reason != TX_EXCEPTION && !have_request) {
        free(payload);
        return tt_http_reply(client, 400, "text/plain", "no request is being processed: call /finish first");
    }
    size_t cap = 96 + tt_abi_padded(len);
    uint8_t *enc = malloc(cap);
    if (!enc) die("out of memory");
    size_t total = reason == TX_VOUCHER ? tt_abi_encode_voucher(enc, cap, address, payload, len) : tt_abi_encode_bytes(enc, cap, payload, len);
    free(payload);
    if (total == 0 || total > tx.length) {
        free(enc);
        return tt_http_reply(client, 400, "text/plain", "the output does not fit the tx buffer (2 MiB)");
    }
    struct range *hashes = reason == TX_VOUCHER ? &vhash : reason == TX_NOTICE ? &nhash : NULL;
    unsigned *count = reason == TX_VOUCHER ? &vouchers : &notices;
    if (hashes && (size_t)(*count + 1) * 32 >= hashes->length) {
        free(enc);
        return tt_http_reply(client, 400, "text/plain", "too many outputs for this input");
    }
    copy_out(&tx, 0, enc, total);
    if (hashes) {
        uint8_t h[32];
        tt_keccak256(enc, total, h);
        copy_out(hashes, (size_t)*count * 32, h, 32);
    }
    free(enc);
    htif_yield(reason == TX_EXCEPTION ? YIELD_MANUAL : YIELD_AUTOMATIC, (uint64_t)reason, 0);
    if (hashes) {
        char json[64];
        snprintf(json, sizeof json, "{\"index\":%u}", (*count)++);
        tt_http_reply(client, 201, "application/json", json);
    } else {
        tt_http_reply(client, 202, "text/plain", "");
    }
}

static void serve(int client) {
    struct tt_http_request req;
    if (tt_http_read(client, &req) != 0) return;
    if (strcmp(req.method, "POST") != 0) tt_http_reply(client, 405, "text/plain", "only POST");
    else if (!strcmp(req.path, "/finish")) finish(client, req.body, req.body_len);
    else if (!strcmp(req.path, "/voucher")) output(client, TX_VOUCHER, req.body, req.body_len);
    else if (!strcmp(req.path, "/notice")) output(client, TX_NOTICE, req.body, req.body_len);
    else if (!strcmp(req.path, "/report")) output(client, TX_REPORT, req.body, req.body_len);
    else if (!strcmp(req.path, "/exception")) output(client, TX_EXCEPTION, req.body, req.body_len);
    else tt_http_reply(client, 404, "text/plain", "unknown endpoint");
    tt_http_free(&req);
}

/* The backend exited: tell the node with a rollup exception, as rollup-init does, and stay stopped. */
static void backend_gone(int status) {
    char msg[128], *json;
    snprintf(msg, sizeof msg, "dapp exited with %s %d", WIFSIGNALED(status) ? "signal" : "status",
             WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    fprintf(stderr, "tt-rollup-server: %s\n", msg);
    char *hex = hex_of((const uint8_t *)msg, strlen(msg));
    if (asprintf(&json, "{\"payload\":\"%s\"}", hex) < 0) die("out of memory");
    output(-1, TX_EXCEPTION, json, strlen(json));
    free(hex);
    free(json);
}

static void on_child(int sig) {
    (void)sig;
    child_exited = 1;
}

/* The dapp user from /etc/passwd, read by hand: a static binary's getpwnam() would need the libc's NSS modules. */
static int dapp_user(uid_t *uid, gid_t *gid, char *home, size_t cap) {
    FILE *f = fopen("/etc/passwd", "r");
    char line[512];
    int found = -1;
    while (f && fgets(line, sizeof line, f)) {
        char *fields[7], *save = NULL, *t = strtok_r(line, ":\n", &save);
        int n = 0;
        while (t && n < 7) fields[n++] = t, t = strtok_r(NULL, ":\n", &save);
        if (n >= 6 && !strcmp(fields[0], "dapp")) {
            *uid = (uid_t)atoi(fields[2]), *gid = (gid_t)atoi(fields[3]);
            snprintf(home, cap, "%s", fields[5]);
            found = 0;
            break;
        }
    }
    if (f) fclose(f);
    return found;
}

static pid_t start_backend(const char *command) {
    uid_t uid;
    gid_t gid;
    char home[256];
    if (dapp_user(&uid, &gid, home, sizeof home) != 0) die("no dapp user in /etc/passwd");
    pid_t pid = fork();
    if (pid < 0) die("fork: %s", strerror(errno));
    if (pid > 0) return pid;
    if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0) die("cannot become dapp: %s", strerror(errno));
    setenv("ROLLUP_HTTP_SERVER_URL", "http://127.0.0.1:5004", 1);
    setenv("HOME", home, 1);
    setenv("USER", "dapp", 1);
    if (chdir(home) != 0 && chdir("/") != 0) die("cannot chdir to %s", home);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    die("cannot run /bin/sh: %s", strerror(errno));
    return -1;
}

int main(int argc, char **argv) {
    if (argc < 2) die("usage: tt-rollup-server <backend command>");
    map_ranges();
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(5004), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 16) != 0) die("cannot listen on 127.0.0.1:5004: %s", strerror(errno));
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, on_child);
    pid_t backend = start_backend(argv[1]);
    for (;;) {
        if (child_exited) {
            int status;
            if (waitpid(backend, &status, WNOHANG) == backend) {
                backend_gone(status);
                return 1;
            }
            child_exited = 0;
        }
        struct pollfd p = {.fd = s, .events = POLLIN};
        if (poll(&p, 1, 1000) <= 0) continue;
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        serve(c);
        close(c);
    }
}
