/*
 * The llama2.c tokenizer.bin format and its encoding rules.
 *
 * File: int32 max_token_length, then for each piece: float score, int32 len, len bytes (no terminator).
 * Only the first vocab_size pieces are read (as llama2.c does), so a larger tokenizer works with a smaller model;
 * a file with fewer pieces than the model's vocabulary is an error.
 *
 * Encoding: optional BOS; a dummy-prefix space before non-empty text; the text is cut into UTF-8 code points
 * (a lead byte plus at most three continuation bytes, no validation), each looked up as a piece or, if absent,
 * emitted as byte tokens <0xXX> = byte + 3; then the adjacent pair whose concatenation is the piece with the
 * highest score is merged, leftmost first on equal scores, until no pair merges; optional EOS.
 * Invalid UTF-8 needs no special case: the odd bytes are simply not pieces, so they fall back to byte tokens.
 */
#include "tt.h"

TT_EXPORT(tt_max_piece_len)
int32_t tt_max_piece_len(TTContext *c) { return c->tok.max_len; }

TT_EXPORT(tt_tokenizer_pieces)
int32_t tt_tokenizer_pieces(TTContext *c) { return c->tok.pieces_read; }

static int32_t read_i32(const uint8_t *p) {
  return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

/* Byte-wise comparison, shorter first on a common prefix (strcmp's order); equal bytes fall back to lower id. */
static int cmp_bytes(const uint8_t *a, int32_t alen, const uint8_t *b, int32_t blen) {
  int32_t n = alen < blen ? alen : blen;
  for (int32_t i = 0; i < n; i++)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return alen == blen ? 0 : (alen < blen ? -1 : 1);
}

static int cmp_ids(const TTTokenizer *t, int32_t x, int32_t y) {
  int c = cmp_bytes(t->bytes + t->piece_off[x], t->piece_len[x], t->bytes + t->piece_off[y], t->piece_len[y]);
  if (c != 0) return c;
  return x < y ? -1 : (x > y ? 1 : 0);
}

/* Bottom-up merge sort: a total order, so the result never depends on the sort's stability or platform. */
static void sort_ids(const TTTokenizer *t, int32_t *a, int32_t *tmp, int32_t n) {
  for (int32_t width = 1; width < n; width *= 2) {
    for (int32_t lo = 0; lo < n; lo += 2 * width) {
      int32_t mid = lo + width < n ? lo + width : n;
      int32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      int32_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = cmp_ids(t, a[i], a[j]) <= 0 ? a[i++] : a[j++];
      while (i < mid) tmp[k++] = a[i++];
      while (j < hi) tmp[k++] = a[j++];
    }
    for (int32_t i = 0; i < n; i++) a[i] = tmp[i];
  }
}

/* Counts the complete pieces in a tokenizer file (for loading a tokenizer without a model). */
static int32_t count_pieces(const uint8_t *bytes, uint32_t nbytes) {
  uint64_t off = 4;
  int32_t n = 0;
  while (off + 8 <= nbytes && n < 16777216) {
    int32_t len = read_i32(bytes + off + 4);
    if (len < 0 || off + 8 + (uint64_t)len > nbytes) break;
    off += 8 + (uint64_t)len;
    n++;
  }
  return n;
}

static int load_tokenizer(TTTokenizer *t, const uint8_t *bytes, uint32_t nbytes, int32_t vocab);

TT_EXPORT(tt_load_tokenizer)
int tt_load_tokenizer(TTContext *c, const uint8_t *bytes, uint32_t nbytes) {
  if (!c->loaded) return TT_ERR_NOT_LOADED;
  return load_tokenizer(&c->tok, bytes, nbytes, c->cfg.vocab_size);
}

/* A tokenizer on its own (no model): every complete piece in the file is part of the vocabulary. */
TT_EXPORT(tt_load_tokenizer_only)
int tt_load_tokenizer_only(TTContext *c, const uint8_t *bytes, uint32_t nbytes) {
  if (nbytes < 4 || read_i32(bytes) <= 0) return TT_ERR_TOK_HEADER;
  int32_t n = count_pieces(bytes, nbytes);
  if (n <= 0) return TT_ERR_TOK_TRUNCATED;
  return load_tokenizer(&c->tok, bytes, nbytes, n);
}

TT_EXPORT(tt_vocab_size)
int32_t tt_vocab_size(TTContext *c) { return c->tok.n_vocab; }

static int load_tokenizer(TTTokenizer *t, const uint8_t *bytes, uint32_t nbytes, int32_t vocab) {
  if (t->loaded) return TT_ERR_ARG;
  if (nbytes < 4 || read_i32(bytes) <= 0) return TT_ERR_TOK_HEADER;
  t->n_vocab = vocab;
  t->piece_off = (uint32_t *)tt_alloc((uint32_t)t->n_vocab * 4u);
  t->piece_len = (int32_t *)tt_alloc((uint32_t)t->n_vocab * 4u);
  t->score = (float *)tt_alloc((uint32_t)t->n_vocab * 4u);
  t->by_bytes = (int32_t *)tt_alloc((uint32_t)t->n_vocab * 4u);
  int32_t *tmp = (int32_t *)tt_alloc((uint32_t)t->n_vocab * 4u);
  if (!t->piece_off || !t->piece_len || !t->score || !t->by_bytes || !tmp) return TT_ERR_OOM;
  uint64_t off = 4;
  t->max_len = 1;
  t->pieces_read = 0;
  for (int32_t i = 0; i < t->n_vocab; i++) {
    if (off + 8 > nbytes) return TT_ERR_TOK_TRUNCATED;
    uint32_t sbits = (uint32_t)read_i32(bytes + off);
    __builtin_memcpy(&t->score[i], &sbits, 4);
    int32_t len = read_i32(bytes + off + 4);
    if (len < 0) return TT_ERR_TOK_PIECE;
    if (off + 8 + (uint64_t)len > nbytes) return TT_ERR_TOK_TRUNCATED;
    t->piece_off[i] = (uint32_t)(off + 8);
    t->piece_len[i] = len;
    if (len > t->max_len) t->max_len = len;
    off += 8 + (uint64_t)len;
    t->pieces_read = i + 1;
  }
  t->bytes = bytes;
  for (int32_t i = 0; i < t->n_vocab; i++) t->by_bytes[i] = i;
  sort_ids(t, t->by_bytes, tmp, t->n_vocab);
  t->concat = (uint8_t *)tt_alloc((uint32_t)t->max_len);
  if (!t->concat) return TT_ERR_OOM;
  t->loaded = 1;
  return TT_OK;
}

/* The lowest id whose piece equals str, or -1. */
static int32_t lookup(const TTTokenizer *t, const uint8_t *str, int32_t len) {
  int32_t lo = 0, hi = t->n_vocab; /* first index whose piece is >= str */
  while (lo < hi) {
    int32_t mid = lo + (hi - lo) / 2;
    int32_t id = t->by_bytes[mid];
    if (cmp_bytes(t->bytes + t->piece_off[id], t->piece_len[id], str, len) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo < t->n_vocab) {
    int32_t id = t->by_bytes[lo];
    if (cmp_bytes(t->bytes + t->piece_off[id], t->piece_len[id], str, len) == 0) return id;
  }
  return -1;
}

/* Appends the piece for str, or its bytes as byte tokens. Returns the new count or a negative error. */
static int32_t push_piece_or_bytes(const TTTokenizer *t, int32_t *out, int32_t n, const uint8_t *str, int32_t len) {
  int32_t id = lookup(t, str, len);
  if (id >= 0) {
    out[n++] = id;
    return n;
  }
  for (int32_t i = 0; i < len; i++) {
    int32_t b = (int32_t)str[i] + 3;
    if (b >= t->n_vocab) return -TT_ERR_NO_BYTE_PIECE;
    out[n++] = b;
  }
  return n;
}

/*
 * Encodes len bytes of text into out, which must hold len + 3 ids. Returns the number of ids, or a negative
 * error code.
 */
TT_EXPORT(tt_encode)
int32_t tt_encode(TTContext *c, const uint8_t *text, int32_t len, int32_t bos, int32_t eos, int32_t *out) {
  const TTTokenizer *t = &c->tok;
  if (!t->loaded) return -TT_ERR_NOT_LOADED;
  if (len < 0) return -TT_ERR_ARG;
  int32_t n = 0;
  if (bos) out[n++] = TT_BOS;
  if (len > 0) {
    static const uint8_t space[1] = {' '};
    n = push_piece_or_bytes(t, out, n, space, 1);
    if (n < 0) return n;
  }
  uint8_t cp[4];
  int32_t cp_len = 0;
  for (int32_t i = 0; i < len; i++) {
    uint8_t ch = text[i];
    if ((ch & 0xC0) != 0x80) cp_len = 0; /* a lead byte (or ASCII) starts a new code point */
    cp[cp_len++] = ch;
    int next_is_continuation = i + 1 < len && (text[i + 1] & 0xC0) == 0x80;
    if (next_is_continuation && cp_len < 4) continue;
    n = push_piece_or_bytes(t, out, n, cp, cp_len);
    if (n < 0) return n;
    cp_len = 0;
  }

  for (;;) {
    float best_score = -1e10f;
    int32_t best_id = -1, best_at = -1;
    for (int32_t i = 0; i + 1 < n; i++) {
      int32_t a = out[i], b = out[i + 1];
      int32_t la = t->piece_len[a], lb = t->piece_len[b];
      if (la + lb > t->max_len) continue; /* longer than any piece: cannot be one */
      __builtin_memcpy(t->concat, t->bytes + t->piece_off[a], (size_t)la);
      __builtin_memcpy(t->concat + la, t->bytes + t->piece_off[b], (size_t)lb);
      int32_t id = lookup(t, t->concat, la + lb);
      if (id >= 0 && t->score[id] > best_score) {
        best_score = t->score[id];
        best_id = id;
        best_at = i;
      }
    }
    if (best_at < 0) break;
    out[best_at] = best_id;
    for (int32_t i = best_at + 1; i + 1 < n; i++) out[i] = out[i + 1];
    n--;
  }
  if (eos) out[n++] = TT_EOS;
  return n;
}

static int hex_digit(uint8_t ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  return -1;
}

/*
 * Writes the bytes that token contributes after prev into out (room for max_piece_len bytes) and returns their
 * count, or a negative error. After BOS the piece's leading space (the dummy prefix) is dropped; a byte piece
 * <0xXX> stands for that raw byte.
 */
TT_EXPORT(tt_decode)
int32_t tt_decode(TTContext *c, int32_t prev, int32_t token, uint8_t *out) {
  const TTTokenizer *t = &c->tok;
  if (!t->loaded) return -TT_ERR_NOT_LOADED;
  if (token < 0 || token >= t->n_vocab) return -TT_ERR_TOKEN_RANGE;
  const uint8_t *p = t->bytes + t->piece_off[token];
  int32_t len = t->piece_len[token];
  if (prev == TT_BOS && len > 0 && p[0] == ' ') {
    p++;
    len--;
  }
  if (len == 6 && p[0] == '<' && p[1] == '0' && p[2] == 'x' && p[5] == '>') {
    int hi = hex_digit(p[3]), lo = hex_digit(p[4]);
    if (hi >= 0 && lo >= 0) {
      out[0] = (uint8_t)(hi * 16 + lo);
      return 1;
    }
  }
  for (int32_t i = 0; i < len; i++) out[i] = p[i];
  return len;
}
