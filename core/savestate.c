/* Tagged, versioned, length-checked save-state chunks; see savestate.h. */
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

void vt_state_writer_init(vt_state_writer *w) {
    memset(w, 0, sizeof *w);
}
void vt_state_writer_free(vt_state_writer *w) {
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static uint8_t *grow(vt_state_writer *w, size_t n) {
    if (w->failed) return NULL;
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap < w->len + n)
            cap *= 2;
        uint8_t *b = realloc(w->buf, cap);
        if (!b) {
            w->failed = true;
            return NULL;
        }
        w->buf = b;
        w->cap = cap;
    }
    uint8_t *p = w->buf + w->len;
    w->len += n;
    return p;
}

void vt_state_put_u8(vt_state_writer *w, uint8_t v) {
    uint8_t *p = grow(w, 1);
    if (p) *p = v;
}
void vt_state_put_u16(vt_state_writer *w, uint16_t v) {
    uint8_t *p = grow(w, 2);
    if (p) store_le16(p, v);
}
void vt_state_put_u32(vt_state_writer *w, uint32_t v) {
    uint8_t *p = grow(w, 4);
    if (p) store_le32(p, v);
}
void vt_state_put_u64(vt_state_writer *w, uint64_t v) {
    uint8_t *p = grow(w, 8);
    if (p) store_le64(p, v);
}
void vt_state_put_bytes(vt_state_writer *w, const void *src, size_t n) {
    uint8_t *p = grow(w, n);
    if (p && n) memcpy(p, src, n);
}

void vt_state_begin(vt_state_writer *w, const char tag[4], uint32_t version) {
    vt_state_put_bytes(w, tag, 4);
    vt_state_put_u32(w, version);
    if (w->depth == VT_STATE_MAX_DEPTH) w->failed = true;
    if (w->failed) return;
    w->open[w->depth++] = w->len;
    vt_state_put_u64(w, 0);
}

void vt_state_end(vt_state_writer *w) {
    if (w->failed || !w->depth) {
        w->failed = true;
        return;
    }
    size_t at = w->open[--w->depth];
    store_le64(w->buf + at, w->len - at - 8);
}

void vt_state_reader_init(vt_state_reader *r, const void *buf, size_t len) {
    memset(r, 0, sizeof *r);
    r->buf = buf;
    r->len = len;
    r->chunk_end = len;
}

void vt_state_fail(vt_state_reader *r, const char *fmt, ...) {
    if (r->failed) return;
    r->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
}

static const uint8_t *take(vt_state_reader *r, size_t n) {
    if (r->failed) return NULL;
    if (n > r->chunk_end - r->pos) {
        vt_state_fail(r, "save state truncated at offset %zu (wanted %zu bytes)", r->pos, n);
        return NULL;
    }
    const uint8_t *p = r->buf + r->pos;
    r->pos += n;
    return p;
}

uint8_t vt_state_get_u8(vt_state_reader *r) {
    const uint8_t *p = take(r, 1);
    return p ? *p : 0;
}
uint16_t vt_state_get_u16(vt_state_reader *r) {
    const uint8_t *p = take(r, 2);
    return p ? load_le16(p) : 0;
}
uint32_t vt_state_get_u32(vt_state_reader *r) {
    const uint8_t *p = take(r, 4);
    return p ? load_le32(p) : 0;
}
uint64_t vt_state_get_u64(vt_state_reader *r) {
    const uint8_t *p = take(r, 8);
    return p ? load_le64(p) : 0;
}
void vt_state_get_bytes(vt_state_reader *r, void *dst, size_t n) {
    const uint8_t *p = take(r, n);
    if (p)
        memcpy(dst, p, n);
    else if (n)
        memset(dst, 0, n);
}

uint32_t vt_state_get_index(vt_state_reader *r, uint32_t limit) {
    uint32_t v = vt_state_get_u32(r);
    if (!r->failed && v >= limit) {
        vt_state_fail(r, "save state value %u out of range (limit %u) at offset %zu", v, limit,
                      r->pos - 4);
        return 0;
    }
    return v;
}

int vt_state_open(vt_state_reader *r, const char tag[4], uint32_t max_version, uint32_t *version) {
    if (!r->failed && r->depth == VT_STATE_MAX_DEPTH)
        vt_state_fail(r, "save state: chunk '%.4s' nested too deep", tag);
    char got[4];
    vt_state_get_bytes(r, got, 4);
    uint32_t ver = vt_state_get_u32(r);
    uint64_t len = vt_state_get_u64(r);
    if (r->failed) return -1;
    if (memcmp(got, tag, 4)) {
        vt_state_fail(r, "save state: expected chunk '%.4s', found '%.4s' at offset %zu", tag, got,
                      r->pos - 16);
        return -1;
    }
    if (ver > max_version) {
        vt_state_fail(r, "save state: chunk '%.4s' version %u is newer than supported (%u)", tag,
                      ver, max_version);
        return -1;
    }
    if (len > r->chunk_end - r->pos) {
        vt_state_fail(r, "save state: chunk '%.4s' length %llu runs past the end", tag,
                      (unsigned long long)len);
        return -1;
    }
    r->outer[r->depth++] = r->chunk_end;
    r->chunk_end = r->pos + (size_t)len;
    if (version) *version = ver;
    return 0;
}

int vt_state_close(vt_state_reader *r) {
    if (r->failed) return -1;
    if (r->pos != r->chunk_end) {
        vt_state_fail(r, "save state: chunk has %zu unread bytes at offset %zu",
                      r->chunk_end - r->pos, r->pos);
        return -1;
    }
    if (!r->depth) {
        vt_state_fail(r, "save state: close without an open chunk at offset %zu", r->pos);
        return -1;
    }
    r->chunk_end = r->outer[--r->depth];
    return 0;
}
