/* A bounded text buffer that formatted pieces are appended to (disassemblers, traces): never
 * overruns, always NUL-terminated, silently truncates at the end. */
#ifndef VT_STRBUF_H
#define VT_STRBUF_H

#include "core/common.h"

typedef struct vt_strbuf {
    char *p;     /* where the next piece goes */
    size_t left; /* bytes left, including the terminating NUL */
} vt_strbuf;

void vt_strbuf_put(vt_strbuf *o, const char *fmt, ...) VT_PRINTF(2, 3);

#endif
