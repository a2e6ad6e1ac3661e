/* Translated-code cache (see jit_cache.h). The arena starts with the entry trampoline and the
 * shared epilogue; blocks follow, 16-byte aligned, bump-allocated until a flush resets the
 * arena. A chained exit is a rel32 `jmp` patched between the block's own stub and the target's
 * entry; the target keeps a list of exits chained into it so invalidation can undo them. */
#include <stdlib.h>
#include <sys/mman.h>

#include "jit/jit_cache.h"

/* A new block needs at least this much free arena, else the cache is flushed first. */
#define VT_JIT_MIN_ROOM (64u * 1024u)

static const vt_x64_reg saved_regs[] = {VT_X64_RBX, VT_X64_RBP, VT_X64_R12,
                                        VT_X64_R13, VT_X64_R14, VT_X64_R15};

/* enter(state, code): save the callee-saved registers, align RSP to 16 (6 pushes + 8 over the
 * return address), load the state register and jump into the block. The epilogue undoes it;
 * every exit jumps there with the result already in RAX:RDX. */
static size_t emit_trampoline(vt_jit_cache *c) {
    vt_x64_emitter e;
    vt_x64_init(&e, c->arena, c->arena_size);
    for (size_t i = 0; i < VT_ARRAY_LEN(saved_regs); i++)
        vt_x64_push(&e, saved_regs[i]);
    vt_x64_alu_ri(&e, VT_X64_SUB, 8, VT_X64_RSP, 8);
    vt_x64_mov_rr(&e, 8, VT_JIT_STATE, VT_X64_RDI);
    vt_x64_jmp_r(&e, VT_X64_RSI);
    vt_x64_align(&e, 16);
    c->epilogue = c->arena + e.len;
    vt_x64_alu_ri(&e, VT_X64_ADD, 8, VT_X64_RSP, 8);
    for (size_t i = VT_ARRAY_LEN(saved_regs); i-- > 0;)
        vt_x64_pop(&e, saved_regs[i]);
    vt_x64_ret(&e);
    vt_x64_align(&e, 16);
    c->enter = (vt_jit_result(*)(void *, const uint8_t *))(void *)c->arena;
    return e.len;
}

vt_jit_cache *vt_jit_cache_create(size_t code_bytes, unsigned max_blocks, uint64_t guest_space,
                                  unsigned page_bits, vt_error *err) {
    if (code_bytes < 2 * VT_JIT_MIN_ROOM || code_bytes > (1ull << 30) || max_blocks < 2) {
        vt_fail(err, "jit: cache of %zu bytes / %u blocks out of range", code_bytes, max_blocks);
        return NULL;
    }
    vt_jit_cache *c = calloc(1, sizeof *c);
    if (!c) {
        vt_fail(err, "jit: out of memory");
        return NULL;
    }
    c->blocks = calloc(max_blocks, sizeof *c->blocks);
    c->max_sites = 8 * max_blocks + VT_JIT_MAX_SITES;
    c->sites = calloc(c->max_sites, sizeof *c->sites);
    if (!c->blocks || !c->sites || vt_jit_pages_init(&c->pages, guest_space, page_bits, err) < 0) {
        if (!c->blocks || !c->sites) vt_fail(err, "jit: out of memory for %u blocks", max_blocks);
        free(c->sites);
        free(c->blocks);
        free(c);
        return NULL;
    }
    void *m = mmap(NULL, code_bytes, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) {
        vt_fail(err, "jit: cannot map %zu bytes of executable memory (run with --jit off)",
                code_bytes);
        vt_jit_pages_free(&c->pages);
        free(c->sites);
        free(c->blocks);
        free(c);
        return NULL;
    }
    c->arena = m;
    c->arena_size = code_bytes;
    c->max_blocks = max_blocks;
    c->code_start = emit_trampoline(c);
    c->used = c->code_start;
    return c;
}

void vt_jit_cache_destroy(vt_jit_cache *c) {
    if (!c) return;
    munmap(c->arena, c->arena_size);
    vt_jit_pages_free(&c->pages);
    free(c->sites);
    free(c->blocks);
    free(c);
}

static unsigned key_hash(vt_jit_key k) {
    uint64_t h = (k.pc >> 1) ^ (k.pc >> 13) ^ ((uint64_t)k.mode * 0x9e3779b1u);
    return (unsigned)(h & ((1u << VT_JIT_HASH_BITS) - 1));
}

vt_jit_block *vt_jit_lookup(vt_jit_cache *c, vt_jit_key key) {
    for (vt_jit_block *b = c->hash[key_hash(key)]; b; b = b->hash_next)
        if (b->key.pc == key.pc && b->key.mode == key.mode) return b;
    return NULL;
}

void vt_jit_flush(vt_jit_cache *c) {
    memset(c->hash, 0, sizeof c->hash);
    memset(c->blocks, 0, (size_t)c->n_blocks * sizeof *c->blocks);
    c->n_blocks = 0;
    c->n_sites = 0;
    c->used = c->code_start;
    vt_jit_pages_clear_all(&c->pages);
    c->flushes++;
}

void vt_jit_begin(vt_jit_cache *c, vt_jit_builder *bld, vt_jit_key key, uint64_t src_addr,
                  uint64_t src_len) {
    if (c->n_blocks >= c->max_blocks || c->arena_size - c->used < VT_JIT_MIN_ROOM ||
        c->max_sites - c->n_sites < VT_JIT_MAX_SITES)
        vt_jit_flush(c);
    memset(bld, 0, sizeof *bld);
    bld->c = c;
    bld->b = &c->blocks[c->n_blocks];
    memset(bld->b, 0, sizeof *bld->b);
    bld->b->key = key;
    bld->b->src_addr = src_addr;
    bld->b->src_len = src_len;
    bld->b->code = c->arena + c->used;
    vt_x64_init(&bld->e, bld->b->code, c->arena_size - c->used);
    for (unsigned i = 0; i < VT_JIT_MAX_EXITS; i++)
        bld->chain[i] = vt_x64_label_new();
    for (unsigned i = 0; i < VT_JIT_EXIT_REASONS; i++)
        bld->reason[i] = vt_x64_label_new();
}

/* RAX:RDX = (reason, exit record); jump to the epilogue. */
static void emit_leave(vt_jit_builder *bld, vt_jit_exit_reason reason, vt_jit_exit *x) {
    vt_x64_mov_ri(&bld->e, 4, VT_X64_RAX, reason);
    vt_x64_mov_ri(&bld->e, 8, VT_X64_RDX, (uint64_t)(uintptr_t)x);
    (void)vt_x64_jmp_abs(&bld->e, bld->c->epilogue);
}

void vt_jit_emit_exit(vt_jit_builder *bld, vt_jit_exit_reason reason) {
    emit_leave(bld, reason, NULL);
}

void vt_jit_emit_exit_cc(vt_jit_builder *bld, vt_x64_cond cc, vt_jit_exit_reason reason) {
    bld->reason_used[reason] = true;
    vt_x64_jcc(&bld->e, cc, &bld->reason[reason]);
}

bool vt_jit_emit_chain_exit(vt_jit_builder *bld) {
    vt_jit_block *b = bld->b;
    if (b->n_exits >= VT_JIT_MAX_EXITS) return false;
    unsigned i = b->n_exits++;
    b->exits[i].from = b;
    vt_x64_jmp(&bld->e, &bld->chain[i]);
    b->exits[i].field = (uint32_t)(bld->e.len - 4);
    return true;
}

void vt_jit_emit_budget_check(vt_jit_builder *bld, int32_t counter_off, int32_t limit_off,
                              uint32_t k) {
    vt_x64_emitter *e = &bld->e;
    vt_x64_load(e, 8, VT_X64_RAX, vt_x64_at(VT_JIT_STATE, counter_off));
    if (k) vt_x64_alu_ri(e, VT_X64_ADD, 8, VT_X64_RAX, (int32_t)k);
    vt_x64_alu_rm(e, VT_X64_CMP, 8, VT_X64_RAX, vt_x64_at(VT_JIT_STATE, limit_off));
    vt_jit_emit_exit_cc(bld, VT_X64_CC_AE, VT_JIT_EXIT_STOP);
}

void vt_jit_emit_stale_check(vt_jit_builder *bld) {
    vt_x64_emitter *e = &bld->e;
    vt_x64_mov_ri(e, 8, VT_X64_RAX, (uint64_t)(uintptr_t)&bld->b->valid);
    vt_x64_load_zx(e, 1, VT_X64_RAX, vt_x64_at(VT_X64_RAX, 0));
    vt_x64_test_rr(e, 4, VT_X64_RAX, VT_X64_RAX);
    vt_jit_emit_exit_cc(bld, VT_X64_CC_E, VT_JIT_EXIT_INVALIDATED);
}

bool vt_jit_site_begin(vt_jit_builder *bld) {
    if (bld->site_open || bld->n_sites >= VT_JIT_MAX_SITES) return false;
    bld->sites[bld->n_sites].start = (uint32_t)bld->e.len;
    bld->site_open = true;
    return true;
}

int vt_jit_site_end(vt_jit_builder *bld) {
    if (!bld->site_open) return -1;
    bld->sites[bld->n_sites].end = (uint32_t)bld->e.len;
    bld->site_open = false;
    return (int)bld->n_sites++;
}

void vt_jit_site_slow(vt_jit_builder *bld, int site) {
    if (site >= 0 && (unsigned)site < bld->n_sites) bld->sites[site].slow = (uint32_t)bld->e.len;
}

/* Appends the block's sites to the cache's table in start order (the block lies above every
 * earlier one in the arena; within it the translator may close sites out of order). Room was
 * made by vt_jit_begin. */
static void add_sites(vt_jit_cache *c, const vt_jit_builder *bld) {
    const vt_jit_block *b = bld->b;
    for (unsigned k = 0; k < bld->n_sites; k++) {
        const vt_jit_site_off *o = &bld->sites[k];
        vt_jit_site s = {(uintptr_t)(b->code + o->start), (uintptr_t)(b->code + o->end),
                         b->code + o->slow};
        unsigned at = c->n_sites++;
        for (; at > 0 && c->sites[at - 1].start > s.start; at--)
            c->sites[at] = c->sites[at - 1];
        c->sites[at] = s;
    }
}

const uint8_t *vt_jit_fault_target(const vt_jit_cache *c, uintptr_t pc) {
    unsigned lo = 0, hi = c->n_sites; /* the last site starting at or before pc */
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (c->sites[mid].start <= pc)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0) return NULL;
    const vt_jit_site *s = &c->sites[lo - 1];
    return pc < s->end ? s->slow : NULL;
}

vt_jit_block *vt_jit_commit(vt_jit_builder *bld) {
    vt_jit_cache *c = bld->c;
    vt_jit_block *b = bld->b;
    vt_x64_emitter *e = &bld->e;
    for (unsigned r = 0; r < VT_JIT_EXIT_REASONS; r++) {
        if (!bld->reason_used[r]) continue;
        vt_x64_bind(e, &bld->reason[r]);
        emit_leave(bld, (vt_jit_exit_reason)r, NULL);
    }
    for (unsigned i = 0; i < b->n_exits; i++) {
        vt_x64_bind(e, &bld->chain[i]);
        b->exits[i].stub = (uint32_t)e->len;
        emit_leave(bld, VT_JIT_EXIT_END, &b->exits[i]);
    }
    if (e->overflow) {
        vt_jit_flush(c);
        return NULL;
    }
    b->code_len = (uint32_t)e->len;
    b->valid = true;
    add_sites(c, bld);
    c->used += (e->len + 15) & ~(size_t)15;
    c->n_blocks++;
    unsigned h = key_hash(b->key);
    b->hash_next = c->hash[h];
    c->hash[h] = b;
    vt_jit_pages_mark(&c->pages, b->src_addr, b->src_len);
    c->translations++;
    return b;
}

vt_jit_result vt_jit_run(vt_jit_cache *c, vt_jit_block *b, void *state) {
    return c->enter(state, b->code);
}

static void patch(vt_jit_exit *x, const uint8_t *target) {
    /* both ends lie in one arena of at most 1 GiB, so rel32 always reaches */
    bool ok = vt_x64_patch_rel32(x->from->code + x->field, target);
    (void)ok;
}

void vt_jit_chain(vt_jit_cache *c, vt_jit_exit *x, vt_jit_block *to) {
    (void)c;
    if (x->to || !x->from->valid || !to->valid) return;
    patch(x, to->code);
    x->to = to;
    x->next_in = to->incoming;
    to->incoming = x;
}

/* Points x back at its own stub and takes it off its target's incoming list. */
static void unchain(vt_jit_exit *x) {
    vt_jit_block *to = x->to;
    if (!to) return;
    for (vt_jit_exit **p = &to->incoming; *p; p = &(*p)->next_in) {
        if (*p == x) {
            *p = x->next_in;
            break;
        }
    }
    patch(x, x->from->code + x->stub);
    x->to = NULL;
    x->next_in = NULL;
}

void vt_jit_invalidate_block(vt_jit_cache *c, vt_jit_block *b) {
    if (!b->valid) return;
    b->valid = false;
    for (vt_jit_block **p = &c->hash[key_hash(b->key)]; *p; p = &(*p)->hash_next) {
        if (*p == b) {
            *p = b->hash_next;
            break;
        }
    }
    while (b->incoming)
        unchain(b->incoming);
    /* its own exits too: if b is still running, it must come back to the dispatcher */
    for (unsigned i = 0; i < b->n_exits; i++)
        unchain(&b->exits[i]);
    c->invalidations++;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen) {
    return a < b + blen && b < a + alen;
}

unsigned vt_jit_cache_write(vt_jit_cache *c, uint64_t addr, uint64_t len) {
    if (len == 0 || !vt_jit_write_hits_code(c, addr, len)) return 0;
    unsigned n = 0;
    for (unsigned i = 0; i < c->n_blocks; i++) {
        vt_jit_block *b = &c->blocks[i];
        if (b->valid && overlaps(b->src_addr, b->src_len, addr, len)) {
            vt_jit_invalidate_block(c, b);
            n++;
        }
    }
    /* the written pages keep their bit only while a live block still comes from them */
    unsigned pb = c->pages.page_bits;
    uint64_t first = addr >> pb, last = (addr + len - 1) >> pb;
    for (uint64_t pg = first; pg <= last; pg++)
        vt_jit_pages_clear_page(&c->pages, pg);
    uint64_t lo = first << pb, span = (last - first + 1) << pb;
    for (unsigned i = 0; i < c->n_blocks; i++) {
        vt_jit_block *b = &c->blocks[i];
        if (b->valid && overlaps(b->src_addr, b->src_len, lo, span))
            vt_jit_pages_mark(&c->pages, b->src_addr, b->src_len);
    }
    return n;
}
