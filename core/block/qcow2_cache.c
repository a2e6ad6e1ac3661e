/* Direct-mapped caches of cluster-sized metadata tables (L2 tables, refcount blocks). The
 * slot of a table is its index in the L1 / refcount table modulo the slot count, so lookups
 * are one compare; the owners decide how a dirty slot is cleaned before reuse. */
#include "core/block/qcow2_int.h"

#include <stdlib.h>

int qcow2_cache_init(qcow2_cache *c, uint64_t cs, unsigned nslots) {
    c->nslots = nslots;
    c->key = calloc(nslots, sizeof *c->key);
    c->dirty = calloc(nslots, sizeof *c->dirty);
    c->data = malloc(nslots * cs);
    return (c->key && c->dirty && c->data) ? 0 : -1;
}

void qcow2_cache_free(qcow2_cache *c) {
    free(c->key);
    free(c->dirty);
    free(c->data);
    *c = (qcow2_cache){0};
}
