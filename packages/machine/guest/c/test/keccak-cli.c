/* Host test driver: one hex-encoded message per input line, its Keccak-256 in hex per output line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/keccak.h"

static int nibble(char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; }

int main(void) {
    static char line[1 << 20];
    static uint8_t msg[1 << 19];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strcspn(line, "\r\n"), len = n / 2;
        for (size_t i = 0; i < len; i++) msg[i] = (uint8_t)(nibble(line[2 * i]) << 4 | nibble(line[2 * i + 1]));
        uint8_t h[32];
        tt_keccak256(msg, len, h);
        for (int i = 0; i < 32; i++) printf("%02x", h[i]);
        printf("\n");
    }
    return 0;
}
