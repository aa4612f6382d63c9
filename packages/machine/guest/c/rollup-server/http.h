/* Just enough HTTP/1.1 and JSON for the rollup API: one request per connection (the backend opens a fresh one for
 * each call), a Content-Length body, flat JSON objects whose values the API needs are plain strings. */
#ifndef TT_HTTP_H
#define TT_HTTP_H
#include <stddef.h>

struct tt_http_request {
    char method[16];
    char path[256];
    char *body;
    size_t body_len;
};

/* 0 on a complete request; -1 (after answering 400 when it can) otherwise. */
int tt_http_read(int fd, struct tt_http_request *req);
void tt_http_free(struct tt_http_request *req);
/* fd < 0: nobody to answer (an exception raised by the server itself) */
void tt_http_reply(int fd, int status, const char *type, const char *body);

/* The string value of a top-level key of a JSON object, without its quotes; -1 when absent, not a string, or the
 * object is malformed. Escapes are refused: no value of this API needs one. */
int tt_json_string(const char *json, size_t n, const char *key, const char **value, size_t *len);

#endif
