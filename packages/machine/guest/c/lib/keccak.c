/*
 * Keccak-256 (Keccak-f[1600], rate 136 bytes, capacity 512 bits, padding 0x01 ... 0x80), written from the Keccak
 * reference specification: theta, rho+pi, chi, iota over 24 rounds. Little-endian lanes, as the spec defines them.
 */
#include "keccak.h"
#include <string.h>

#define RATE 136

static const uint64_t RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* rotation offsets r[x + 5y] */
static const unsigned ROT[25] = {
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
};

static uint64_t rol(uint64_t v, unsigned n) { return n == 0 ? v : (v << n) | (v >> (64 - n)); }

static void keccak_f(uint64_t a[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], d[5], b[25];
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1);
        for (int i = 0; i < 25; i++) a[i] ^= d[i % 5];
        /* rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y]) */
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rol(a[x + 5 * y], ROT[x + 5 * y]);
        for (int x = 0; x < 5; x++)
            for (int y = 0; y < 5; y++)
                a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        a[0] ^= RC[round];
    }
}

static void absorb_byte(tt_keccak *k, uint8_t byte) {
    k->a[k->fill / 8] ^= (uint64_t)byte << (8 * (k->fill % 8));
    if (++k->fill == RATE) {
        keccak_f(k->a);
        k->fill = 0;
    }
}

void tt_keccak_init(tt_keccak *k) { memset(k, 0, sizeof *k); }

void tt_keccak_update(tt_keccak *k, const void *data, size_t len) {
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) absorb_byte(k, p[i]);
}

void tt_keccak_final(tt_keccak *k, uint8_t out[32]) {
    k->a[k->fill / 8] ^= (uint64_t)0x01 << (8 * (k->fill % 8));
    k->a[(RATE - 1) / 8] ^= (uint64_t)0x80 << (8 * ((RATE - 1) % 8));
    keccak_f(k->a);
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(k->a[i / 8] >> (8 * (i % 8)));
}

void tt_keccak256(const void *data, size_t len, uint8_t out[32]) {
    tt_keccak k;
    tt_keccak_init(&k);
    tt_keccak_update(&k, data, len);
    tt_keccak_final(&k, out);
}
