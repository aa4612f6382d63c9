/* Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's 0x06). */
#ifndef TT_KECCAK_H
#define TT_KECCAK_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t a[25];
    size_t fill; /* bytes absorbed into the current block */
} tt_keccak;

void tt_keccak_init(tt_keccak *k);
void tt_keccak_update(tt_keccak *k, const void *data, size_t len);
void tt_keccak_final(tt_keccak *k, uint8_t out[32]);
void tt_keccak256(const void *data, size_t len, uint8_t out[32]);

#endif
