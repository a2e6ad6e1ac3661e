/* The translated-code cache shared by every guest translator: an executable arena (one RWX
 * mapping), blocks keyed by (guest PC, mode bits), the entry trampoline and the exit protocol
 * (a block returns a reason to the dispatcher), block chaining by patching a block's rel32 exit
 * jump with unchaining on invalidation, invalidation of blocks whose guest code is written
 * (with jit_pages.h), and a full flush when the arena or block table is full. hwdocs/jit.md. */
#ifndef VT_JIT_CACHE_H
#define VT_JIT_CACHE_H

#include "jit/jit_pages.h"
#include "jit/x64_emit.h"

/* Host register conventions inside translated code. RBX holds the guest-state pointer for the
 * whole run; RBP and R12-R15 are free for the translator and survive helper calls; everything
 * else is clobbered by calls. RSP is 16-byte aligned at every block entry, so a block calls C
 * helpers directly. */
#define VT_JIT_STATE VT_X64_RBX

/* Why translated code returned to the dispatcher. */
typedef enum vt_jit_exit_reason {
    VT_JIT_EXIT_END = 0,     /* block ended; the guest PC is in the guest state */
    VT_JIT_EXIT_STOP,        /* the next block would run past stop_at: interpret up to it */
    VT_JIT_EXIT_EXCEPTION,   /* a helper raised a guest exception; state is already taken */
    VT_JIT_EXIT_INTERRUPT,   /* an interrupt line changed: the dispatcher delivers it */
    VT_JIT_EXIT_INVALIDATED, /* a store overwrote translated code of this block */
    VT_JIT_EXIT_REASONS
} vt_jit_exit_reason;

struct vt_jit_block;

/* A chainable exit: a `jmp rel32` in the block body that first leads to the block's own exit
 * stub (END, with this record in the result) and, once the dispatcher finds the target block,
 * is patched to jump straight to it. */
typedef struct vt_jit_exit {
    struct vt_jit_block *from;
    uint32_t field;              /* offset in from->code of the jump's rel32 field */
    uint32_t stub;               /* offset in from->code of the exit stub */
    struct vt_jit_block *to;     /* chained target, or NULL */
    struct vt_jit_exit *next_in; /* next exit chained into the same target */
} vt_jit_exit;

#define VT_JIT_MAX_EXITS 4

typedef struct vt_jit_key {
    uint64_t pc;
    uint32_t mode; /* translator-defined: e.g. ARM/Thumb, privilege, endianness */
} vt_jit_key;

typedef struct vt_jit_block {
    vt_jit_key key;
    uint8_t *code;
    uint32_t code_len;
    bool valid;
    uint64_t src_addr, src_len; /* guest bytes the block was translated from (page-tracked) */
    vt_jit_exit exits[VT_JIT_MAX_EXITS];
    unsigned n_exits;
    vt_jit_exit *incoming; /* exits of other blocks chained into this one */
    struct vt_jit_block *hash_next;
    void *front; /* the translator's own per-block data, if any */
} vt_jit_block;

/* What the trampoline returns (RAX:RDX under the SysV ABI). */
typedef struct vt_jit_result {
    uint64_t reason;   /* vt_jit_exit_reason */
    vt_jit_exit *exit; /* the chainable exit taken (END through a stub), else NULL */
} vt_jit_result;

#define VT_JIT_HASH_BITS 12

/* A fault site: translated code in [start, end) that accesses guest memory directly (a host
 * base plus the guest address, no software-TLB probe) before it changes any guest state, so
 * a host fault there is handled by resuming at `slow`, the access's slow path, which repeats
 * the access through the interpreter (and so raises exactly the guest's fault). */
typedef struct vt_jit_site {
    uintptr_t start, end;
    const uint8_t *slow;
} vt_jit_site;

#define VT_JIT_MAX_SITES 64 /* per block */

/* A site of the block being built: offsets in its code. */
typedef struct vt_jit_site_off {
    uint32_t start, end, slow;
} vt_jit_site_off;

typedef struct vt_jit_cache {
    uint8_t *arena;
    size_t arena_size;
    size_t code_start; /* first byte after the trampoline and shared stubs */
    size_t used;
    vt_jit_block *blocks;
    unsigned max_blocks, n_blocks;
    vt_jit_block *hash[1u << VT_JIT_HASH_BITS];
    vt_jit_pages pages;
    vt_jit_result (*enter)(void *state, const uint8_t *code);
    uint8_t *epilogue;
    uint64_t flushes, translations, invalidations; /* statistics */
    /* every live fault site, sorted by start (blocks are bump-allocated and so are their
     * sites); emptied by a flush */
    vt_jit_site *sites;
    unsigned max_sites, n_sites;
} vt_jit_cache;

/* Creates a cache with `code_bytes` of executable arena and room for `max_blocks` blocks,
 * tracking code pages (2^page_bits bytes) over `guest_space` bytes of guest addresses. */
vt_jit_cache *vt_jit_cache_create(size_t code_bytes, unsigned max_blocks, uint64_t guest_space,
                                  unsigned page_bits, vt_error *err) VT_MUST_CHECK;
void vt_jit_cache_destroy(vt_jit_cache *c);

vt_jit_block *vt_jit_lookup(vt_jit_cache *c, vt_jit_key key);
/* Drops every block (the arena is reused from the start). Never call it while translated code
 * runs; the dispatcher does it between blocks. */
void vt_jit_flush(vt_jit_cache *c);

/* Building one block. vt_jit_begin flushes first when the arena or block table is nearly full
 * and hands out an emitter over the free arena. */
typedef struct vt_jit_builder {
    vt_jit_cache *c;
    vt_jit_block *b;
    vt_x64_emitter e;
    vt_x64_label chain[VT_JIT_MAX_EXITS];
    vt_x64_label reason[VT_JIT_EXIT_REASONS];
    bool reason_used[VT_JIT_EXIT_REASONS];
    vt_jit_site_off sites[VT_JIT_MAX_SITES];
    unsigned n_sites;
    bool site_open; /* sites[n_sites] has its start only */
} vt_jit_builder;

void vt_jit_begin(vt_jit_cache *c, vt_jit_builder *bld, vt_jit_key key, uint64_t src_addr,
                  uint64_t src_len);
/* Leaves the block with `reason` (unconditionally / when cc holds). */
void vt_jit_emit_exit(vt_jit_builder *bld, vt_jit_exit_reason reason);
void vt_jit_emit_exit_cc(vt_jit_builder *bld, vt_x64_cond cc, vt_jit_exit_reason reason);
/* A chainable END exit (at most VT_JIT_MAX_EXITS per block); the translator stores the next
 * guest PC in the state before it. False when the block already has the maximum. */
bool vt_jit_emit_chain_exit(vt_jit_builder *bld) VT_MUST_CHECK;
/* Block prologue for exact budgets: leaves with STOP unless *counter + k < *limit (unsigned
 * 64-bit fields of the guest state at the given offsets). */
void vt_jit_emit_budget_check(vt_jit_builder *bld, int32_t counter_off, int32_t limit_off,
                              uint32_t k);
/* Leaves with INVALIDATED when this block was invalidated while it ran (after a store helper
 * that may have written its code): tests the block's own `valid` flag. */
void vt_jit_emit_stale_check(vt_jit_builder *bld);
/* Finishes the block: stubs, overflow check, insertion. NULL when the arena overflowed (the
 * cache was flushed: translate again, the block then starts on an empty arena). */
vt_jit_block *vt_jit_commit(vt_jit_builder *bld) VT_MUST_CHECK;

/* Fault sites of the block being built. vt_jit_site_begin opens one at the current position
 * (false, nothing opened, when the block has VT_JIT_MAX_SITES already: the translator then
 * emits its checked path); vt_jit_site_end closes the open one here and returns its number
 * (-1 when none is open); vt_jit_site_slow makes the current position the slow path of site
 * `site` (nothing for -1). Every closed site needs its slow path before vt_jit_commit. */
bool vt_jit_site_begin(vt_jit_builder *bld) VT_MUST_CHECK;
int vt_jit_site_end(vt_jit_builder *bld);
void vt_jit_site_slow(vt_jit_builder *bld, int site);
/* The slow path of the fault site holding host code address pc, or NULL when pc is in none.
 * Async-signal-safe (reads only; the table changes only while no translated code runs), for a
 * host SIGSEGV/SIGBUS handler. */
const uint8_t *vt_jit_fault_target(const vt_jit_cache *c, uintptr_t pc);

/* Runs translated code from block b until it returns to the dispatcher. */
vt_jit_result vt_jit_run(vt_jit_cache *c, vt_jit_block *b, void *state);
/* Patches exit x (taken to reach `to`) so it jumps straight there from now on. */
void vt_jit_chain(vt_jit_cache *c, vt_jit_exit *x, vt_jit_block *to);
void vt_jit_invalidate_block(vt_jit_cache *c, vt_jit_block *b);
/* A write of [addr, addr+len) to guest code space (store, DMA, Linux layer): invalidates every
 * block translated from those bytes. Returns how many blocks it invalidated. */
unsigned vt_jit_cache_write(vt_jit_cache *c, uint64_t addr, uint64_t len);
static inline bool vt_jit_write_hits_code(const vt_jit_cache *c, uint64_t addr, uint64_t len) {
    return vt_jit_pages_any(&c->pages, addr, len);
}

#endif
