/* Save states: a stream of tagged, versioned, length-prefixed chunks. Each chunk is
 * "TAG4" + u32 version + u64 length + payload, all little-endian, so a reader can check the
 * tag, refuse a version newer than it knows and skip nothing silently. Errors are sticky: after
 * the first failure every read returns zeroes and vt_state_error() reports the first problem.
 * Chunks nest (a machine's "DEV " chunk holds the device's own chunk), up to
 * VT_STATE_MAX_DEPTH deep. */
#ifndef VT_SAVESTATE_H
#define VT_SAVESTATE_H

#include "core/common.h"

#define VT_STATE_MAX_DEPTH 8

typedef struct vt_state_writer {
    uint8_t *buf;
    size_t len, cap;
    size_t open[VT_STATE_MAX_DEPTH]; /* offsets of the open chunks' length fields */
    int depth;
    bool failed;
} vt_state_writer;

typedef struct vt_state_reader {
    const uint8_t *buf;
    size_t len, pos;
    size_t chunk_end;                 /* end of the innermost open chunk (len when none) */
    size_t outer[VT_STATE_MAX_DEPTH]; /* the enclosing chunks' ends */
    int depth;
    bool failed;
    char error[256];
} vt_state_reader;

void vt_state_writer_init(vt_state_writer *w);
void vt_state_writer_free(vt_state_writer *w);
void vt_state_begin(vt_state_writer *w, const char tag[4], uint32_t version);
void vt_state_end(vt_state_writer *w);
void vt_state_put_u8(vt_state_writer *w, uint8_t v);
void vt_state_put_u16(vt_state_writer *w, uint16_t v);
void vt_state_put_u32(vt_state_writer *w, uint32_t v);
void vt_state_put_u64(vt_state_writer *w, uint64_t v);
void vt_state_put_bytes(vt_state_writer *w, const void *p, size_t n);

void vt_state_reader_init(vt_state_reader *r, const void *buf, size_t len);
/* Opens the next chunk; fails unless its tag matches and its version is <= max_version. */
int vt_state_open(vt_state_reader *r, const char tag[4], uint32_t max_version,
                  uint32_t *version) VT_MUST_CHECK;
/* Closes the chunk; fails if the payload was not consumed exactly. */
int vt_state_close(vt_state_reader *r) VT_MUST_CHECK;
uint8_t vt_state_get_u8(vt_state_reader *r);
uint16_t vt_state_get_u16(vt_state_reader *r);
uint32_t vt_state_get_u32(vt_state_reader *r);
uint64_t vt_state_get_u64(vt_state_reader *r);
void vt_state_get_bytes(vt_state_reader *r, void *p, size_t n);
/* Reads a value and fails the stream if it is >= limit (for guest-controlled indexes). */
uint32_t vt_state_get_index(vt_state_reader *r, uint32_t limit);
/* Marks the stream bad with a message (e.g. a device found an inconsistent value). */
void vt_state_fail(vt_state_reader *r, const char *fmt, ...) VT_PRINTF(2, 3);
static inline bool vt_state_ok(const vt_state_reader *r) {
    return !r->failed;
}
static inline const char *vt_state_error(const vt_state_reader *r) {
    return r->error;
}

#endif
