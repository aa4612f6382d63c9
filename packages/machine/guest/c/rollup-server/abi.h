/* The Rollups v1 encodings the machine's tx buffer and hash ranges hold (docs: ../../../README.md, issue 18). */
#ifndef TT_ABI_H
#define TT_ABI_H
#include <stddef.h>
#include <stdint.h>

/* Bytes a payload of `len` takes once padded to whole 32-byte words. */
size_t tt_abi_padded(size_t len);

/* notice and report: [0x20][len][payload][zero pad]. Returns the bytes written, or 0 when `cap` is too small. */
size_t tt_abi_encode_bytes(uint8_t *out, size_t cap, const uint8_t *payload, size_t len);

/* voucher: [address word][0x40][len][payload][zero pad]. Returns the bytes written, or 0 when `cap` is too small. */
size_t tt_abi_encode_voucher(uint8_t *out, size_t cap, const uint8_t address[20], const uint8_t *payload, size_t len);

/* rx: abi.encode(bytes) = [0x20][len][payload]. Sets *payload and *len; -1 when it is not well formed. */
int tt_abi_decode_bytes(const uint8_t *in, size_t cap, const uint8_t **payload, size_t *len);

/* A big-endian 256-bit word that must fit 64 bits; -1 when it does not. */
int tt_abi_word_u64(const uint8_t word[32], uint64_t *out);

#endif
