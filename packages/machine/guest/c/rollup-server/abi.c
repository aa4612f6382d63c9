#include "abi.h"
#include <string.h>

size_t tt_abi_padded(size_t len) { return (len + 31) / 32 * 32; }

static void put_word_u64(uint8_t *w, uint64_t v) {
    memset(w, 0, 32);
    for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t)(v >> (8 * i));
}

size_t tt_abi_encode_bytes(uint8_t *out, size_t cap, const uint8_t *payload, size_t len) {
    size_t total = 64 + tt_abi_padded(len);
    if (total > cap) return 0;
    put_word_u64(out, 0x20);
    put_word_u64(out + 32, len);
    memcpy(out + 64, payload, len);
    memset(out + 64 + len, 0, total - 64 - len);
    return total;
}

size_t tt_abi_encode_voucher(uint8_t *out, size_t cap, const uint8_t address[20], const uint8_t *payload, size_t len) {
    size_t total = 96 + tt_abi_padded(len);
    if (total > cap) return 0;
    memset(out, 0, 12);
    memcpy(out + 12, address, 20);
    put_word_u64(out + 32, 0x40);
    put_word_u64(out + 64, len);
    memcpy(out + 96, payload, len);
    memset(out + 96 + len, 0, total - 96 - len);
    return total;
}

int tt_abi_word_u64(const uint8_t word[32], uint64_t *out) {
    for (int i = 0; i < 24; i++)
        if (word[i]) return -1;
    uint64_t v = 0;
    for (int i = 24; i < 32; i++) v = v << 8 | word[i];
    *out = v;
    return 0;
}

int tt_abi_decode_bytes(const uint8_t *in, size_t cap, const uint8_t **payload, size_t *len) {
    uint64_t offset, n;
    if (cap < 64 || tt_abi_word_u64(in, &offset) != 0 || offset > cap - 32) return -1;
    if (tt_abi_word_u64(in + offset, &n) != 0 || n > cap - offset - 32) return -1;
    *payload = in + offset + 32;
    *len = (size_t)n;
    return 0;
}
