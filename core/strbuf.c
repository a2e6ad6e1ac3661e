/* Bounded text buffer; see strbuf.h. */
#include "core/strbuf.h"

#include <stdio.h>

void vt_strbuf_put(vt_strbuf *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->p, o->left, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t k = (size_t)n < o->left ? (size_t)n : (o->left ? o->left - 1 : 0);
    o->p += k;
    o->left -= k;
}
