/* Common definitions shared by every part of Vitrine: error reporting, attributes and
 * byte-order helpers. Guest RAM keeps guest byte order, so cores load through these
 * helpers (load_be32 for SPARC/PowerPC, load_le32 for ARM/x86). */
#ifndef VT_COMMON_H
#define VT_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define VT_MUST_CHECK __attribute__((warn_unused_result))
#define VT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define VT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define VT_UNUSED(x) ((void)(x))

/* An error message filled by fallible functions; the CLI prints it and picks the exit code.
 * By convention messages about a file start with "file:line: ". */
typedef struct vt_error {
    char msg[1024];
} vt_error;

/* Formats into err (when err is non-NULL) and returns -1, so callers can `return vt_fail(...)`. */
int vt_fail(vt_error *err, const char *fmt, ...) VT_PRINTF(2, 3);

/* Exit codes of the CLI (GUIDE §2). */
enum { VT_EXIT_OK = 0, VT_EXIT_RUNTIME = 1, VT_EXIT_USAGE = 2 };

typedef enum vt_endian { VT_LITTLE_ENDIAN = 0, VT_BIG_ENDIAN = 1 } vt_endian;

static inline uint16_t load_le16(const void *p) {
    const uint8_t *b = p;
    return (uint16_t)(b[0] | b[1] << 8);
}
static inline uint32_t load_le32(const void *p) {
    const uint8_t *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
static inline uint64_t load_le64(const void *p) {
    return load_le32(p) | (uint64_t)load_le32((const uint8_t *)p + 4) << 32;
}
static inline uint16_t load_be16(const void *p) {
    const uint8_t *b = p;
    return (uint16_t)(b[0] << 8 | b[1]);
}
static inline uint32_t load_be32(const void *p) {
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | (uint32_t)b[3];
}
static inline uint64_t load_be64(const void *p) {
    return (uint64_t)load_be32(p) << 32 | load_be32((const uint8_t *)p + 4);
}
static inline void store_le16(void *p, uint16_t v) {
    uint8_t *b = p;
    b[0] = (uint8_t)v;
    b[1] = (uint8_t)(v >> 8);
}
static inline void store_le32(void *p, uint32_t v) {
    store_le16(p, (uint16_t)v);
    store_le16((uint8_t *)p + 2, (uint16_t)(v >> 16));
}
static inline void store_le64(void *p, uint64_t v) {
    store_le32(p, (uint32_t)v);
    store_le32((uint8_t *)p + 4, (uint32_t)(v >> 32));
}
static inline void store_be16(void *p, uint16_t v) {
    uint8_t *b = p;
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}
static inline void store_be32(void *p, uint32_t v) {
    store_be16(p, (uint16_t)(v >> 16));
    store_be16((uint8_t *)p + 2, (uint16_t)v);
}
static inline void store_be64(void *p, uint64_t v) {
    store_be32(p, (uint32_t)(v >> 32));
    store_be32((uint8_t *)p + 4, (uint32_t)v);
}
/* Big-endian access of 1, 2, 4 or 8 bytes (guest RAM order of the big-endian cores' hot paths);
 * with a constant size the switch folds away. */
static inline uint64_t load_be(const void *p, unsigned size) {
    switch (size) {
    case 4:
        return load_be32(p);
    case 1:
        return *(const uint8_t *)p;
    case 2:
        return load_be16(p);
    default:
        return load_be64(p);
    }
}
static inline void store_be(void *p, unsigned size, uint64_t v) {
    switch (size) {
    case 4:
        store_be32(p, (uint32_t)v);
        break;
    case 1:
        *(uint8_t *)p = (uint8_t)v;
        break;
    case 2:
        store_be16(p, (uint16_t)v);
        break;
    default:
        store_be64(p, v);
        break;
    }
}

/* Loads/stores an n-byte (1, 2, 4, 8) value in the given byte order. */
uint64_t vt_load(const void *p, unsigned size, vt_endian e);
void vt_store(void *p, unsigned size, vt_endian e, uint64_t v);
/* Reverses the low `size` bytes of v. */
uint64_t vt_bswap(uint64_t v, unsigned size);

/* Parses an INI-style number: decimal, 0x hex, optional K/M/G (binary) suffix. */
int vt_parse_u64(const char *s, uint64_t *out) VT_MUST_CHECK;

/* Reads the whole file at `path` (at most `limit` bytes) into a malloc'd buffer. Errors name
 * the file as "<what> <path>" (e.g. "ROM file x.bin", "kernel zImage"). */
int vt_read_file(const char *what, const char *path, uint64_t limit, uint8_t **data, size_t *len,
                 vt_error *err) VT_MUST_CHECK;

#endif
