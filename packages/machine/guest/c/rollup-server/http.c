#include "http.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_HEADER 16384
#define MAX_BODY (8u << 20) /* a 2 MiB payload as hex, with room */

static const char *reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    default: return "Error";
    }
}

static int write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) return -1;
        p += w, n -= (size_t)w;
    }
    return 0;
}

void tt_http_reply(int fd, int status, const char *type, const char *body) {
    if (fd < 0) return;
    char head[256];
    size_t n = strlen(body);
    int h = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                     status, reason(status), type, n);
    if (write_all(fd, head, (size_t)h) == 0) write_all(fd, body, n);
}

int tt_http_read(int fd, struct tt_http_request *req) {
    static char head[MAX_HEADER + 1];
    size_t have = 0;
    char *end = NULL;
    memset(req, 0, sizeof *req);
    while (!end) {
        if (have == MAX_HEADER) return tt_http_reply(fd, 413, "text/plain", "headers too large"), -1;
        ssize_t r = read(fd, head + have, MAX_HEADER - have);
        if (r <= 0) return -1;
        have += (size_t)r;
        head[have] = 0;
        end = strstr(head, "\r\n\r\n");
    }
    if (sscanf(head, "%15s %255s", req->method, req->path) != 2) return tt_http_reply(fd, 400, "text/plain", "bad request line"), -1;
    size_t length = 0;
    for (char *line = strstr(head, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n")) {
        if (!strncasecmp(line + 2, "content-length:", 15)) length = strtoul(line + 17, NULL, 10);
    }
    if (length > MAX_BODY) return tt_http_reply(fd, 413, "text/plain", "body too large"), -1;
    req->body = malloc(length + 1);
    if (!req->body) return -1;
    size_t start = (size_t)(end + 4 - head), got = have - start < length ? have - start : length;
    memcpy(req->body, end + 4, got);
    while (got < length) {
        ssize_t r = read(fd, req->body + got, length - got);
        if (r <= 0) return tt_http_free(req), -1;
        got += (size_t)r;
    }
    req->body[length] = 0;
    req->body_len = length;
    return 0;
}

void tt_http_free(struct tt_http_request *req) {
    free(req->body);
    req->body = NULL;
}

static const char *skip_ws(const char *p, const char *e) {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++;
    return p;
}

/* a string starting at p (at its quote); sets its contents; returns the position after it, or NULL */
static const char *string_at(const char *p, const char *e, const char **s, size_t *n) {
    if (p >= e || *p != '"') return NULL;
    const char *q = ++p;
    while (q < e && *q != '"') {
        if (*q == '\\' || (unsigned char)*q < 0x20) return NULL;
        q++;
    }
    if (q >= e) return NULL;
    *s = p, *n = (size_t)(q - p);
    return q + 1;
}

/* skips any scalar value (numbers, true, false, null) or a string */
static const char *skip_value(const char *p, const char *e) {
    const char *s;
    size_t n;
    if (p < e && *p == '"') return string_at(p, e, &s, &n);
    const char *q = p;
    while (q < e && *q != ',' && *q != '}' && *q != ' ' && *q != '\n' && *q != '\r' && *q != '\t') {
        if (*q == '{' || *q == '[') return NULL; /* no nested values in this API */
        q++;
    }
    return q > p ? q : NULL;
}

int tt_json_string(const char *json, size_t n, const char *key, const char **value, size_t *len) {
    const char *p = skip_ws(json, json + n), *e = json + n;
    int found = -1;
    if (p >= e || *p++ != '{') return -1;
    p = skip_ws(p, e);
    if (p < e && *p == '}') return -1;
    for (;;) {
        const char *k;
        size_t kl;
        p = string_at(skip_ws(p, e), e, &k, &kl);
        if (!p) return -1;
        p = skip_ws(p, e);
        if (p >= e || *p++ != ':') return -1;
        p = skip_ws(p, e);
        if (kl == strlen(key) && !memcmp(k, key, kl)) {
            const char *v;
            size_t vl;
            const char *after = string_at(p, e, &v, &vl);
            if (!after) return -1;
            *value = v, *len = vl, found = 0;
            p = after;
        } else {
            p = skip_value(p, e);
            if (!p) return -1;
        }
        p = skip_ws(p, e);
        if (p < e && *p == ',') {
            p++;
            continue;
        }
        if (p < e && *p == '}') return skip_ws(p + 1, e) == e ? found : -1;
        return -1;
    }
}
