/* Host test driver for the rollup server's encodings and JSON reading, one command per input line:
 *   voucher <address hex> <payload hex>   keccak256 of the voucher encoding, then the encoding
 *   notice <payload hex>                  keccak256 of the notice encoding, then the encoding
 *   json <key> <json text>                the key's string value, or "-" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/keccak.h"
#include "../rollup-server/abi.h"
#include "../rollup-server/http.h"

static size_t unhex(const char *s, uint8_t *out) {
    size_t n = strlen(s) / 2;
    for (size_t i = 0; i < n; i++) sscanf(s + 2 * i, "%2hhx", &out[i]);
    return n;
}

static void print_hex(const uint8_t *b, size_t n) {
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
}

int main(void) {
    static char line[1 << 20];
    static uint8_t a[32], p[1 << 18], enc[1 << 19];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        uint8_t h[32];
        size_t n = 0;
        if (!strncmp(line, "voucher ", 8)) {
            char *sp = strchr(line + 8, ' ');
            *sp = 0;
            unhex(line + 8, a);
            n = tt_abi_encode_voucher(enc, sizeof enc, a, p, unhex(sp + 1, p));
        } else if (!strncmp(line, "notice ", 7)) {
            n = tt_abi_encode_bytes(enc, sizeof enc, p, unhex(line + 7, p));
        } else if (!strncmp(line, "json ", 5)) {
            char *sp = strchr(line + 5, ' ');
            *sp = 0;
            const char *v;
            size_t vl;
            if (tt_json_string(sp + 1, strlen(sp + 1), line + 5, &v, &vl) == 0) printf("%.*s\n", (int)vl, v);
            else printf("-\n");
            continue;
        }
        tt_keccak256(enc, n, h);
        print_hex(h, 32);
        printf(" ");
        print_hex(enc, n);
        printf("\n");
    }
    return 0;
}
