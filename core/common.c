/* Error formatting, generic byte-order access and number parsing used across Vitrine. */
#include "core/common.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int vt_fail(vt_error *err, const char *fmt, ...) {
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return -1;
}

uint64_t vt_load(const void *p, unsigned size, vt_endian e) {
    switch (size) {
    case 1:
        return *(const uint8_t *)p;
    case 2:
        return e == VT_BIG_ENDIAN ? load_be16(p) : load_le16(p);
    case 4:
        return e == VT_BIG_ENDIAN ? load_be32(p) : load_le32(p);
    default:
        return e == VT_BIG_ENDIAN ? load_be64(p) : load_le64(p);
    }
}

void vt_store(void *p, unsigned size, vt_endian e, uint64_t v) {
    switch (size) {
    case 1:
        *(uint8_t *)p = (uint8_t)v;
        break;
    case 2:
        e == VT_BIG_ENDIAN ? store_be16(p, (uint16_t)v) : store_le16(p, (uint16_t)v);
        break;
    case 4:
        e == VT_BIG_ENDIAN ? store_be32(p, (uint32_t)v) : store_le32(p, (uint32_t)v);
        break;
    default:
        e == VT_BIG_ENDIAN ? store_be64(p, v) : store_le64(p, v);
        break;
    }
}

uint64_t vt_bswap(uint64_t v, unsigned size) {
    switch (size) {
    case 2:
        return __builtin_bswap16((uint16_t)v);
    case 4:
        return __builtin_bswap32((uint32_t)v);
    case 8:
        return __builtin_bswap64(v);
    default:
        return v & 0xff;
    }
}

int vt_parse_u64(const char *s, uint64_t *out) {
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || *s == '-' || *s == '+') return -1;
    char *end;
    errno = 0;
    int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || end == s) return -1;
    unsigned shift = 0;
    switch (*end) {
    case 'K':
    case 'k':
        shift = 10;
        end++;
        break;
    case 'M':
    case 'm':
        shift = 20;
        end++;
        break;
    case 'G':
    case 'g':
        shift = 30;
        end++;
        break;
    default:
        break;
    }
    while (isspace((unsigned char)*end))
        end++;
    if (*end) return -1;
    if (shift && v > (UINT64_MAX >> shift)) return -1;
    *out = (uint64_t)v << shift;
    return 0;
}

int vt_read_file(const char *what, const char *path, uint64_t limit, uint8_t **data, size_t *len,
                 vt_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return vt_fail(err, "cannot open %s %s: %s", what, path, strerror(errno));
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) break;
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0 || n > limit) break;
    }
    bool bad = ferror(f) || n > limit;
    fclose(f);
    if (bad || !buf) {
        free(buf);
        return vt_fail(err, "%s %s: %s", what, path,
                       n > limit ? "larger than its region" : "read error");
    }
    *data = buf;
    *len = n;
    return 0;
}
