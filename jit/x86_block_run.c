/* The x86 JIT's dispatcher: looks the block at CS:EIP up in a direct-mapped table (valid while
 * its validity token -- page write generation or machine epoch -- is current, else while its
 * bytes equal the guest's), translates it on first use, runs the translation and chains the exit
 * it left through to the next block; or, when the block does not fit the cycle budget, runs its
 * instructions through the interpreter's handlers with the interpreter's bookkeeping, stopping
 * exactly where the interpreter's loop would (stop_at, TF, a taken branch, a store into a code
 * page, an interrupt line). Also the outside-writer hook and the indirect-target lookup. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "jit/x86_jit.h"

#define BLOCKS_BYTES ((X86_JIT_BLOCKS + 1) * sizeof(x86_block))

/* Marks the block's page so stores to it take the slow path (x86_jit_page_perms; a direct
 * store faults on the host protection). Code is readable (i386: X is R). */
static void mark_code_page(x86_cpu *c, x86_jit *j, uint32_t la) {
    j->code_pages[la >> 12] = 1;
    vt_tlb_flush_page(&c->tlb, la);
    if (j->direct_base) x86_jit_host_protect(j, la & ~0xFFFu, VT_PERM_R, true);
}

void x86_jit_host_protect(x86_jit *j, uint32_t page, unsigned perms, bool code) {
    int prot = !(perms & VT_PERM_R)           ? PROT_NONE
               : (perms & VT_PERM_W) && !code ? PROT_READ | PROT_WRITE
                                              : PROT_READ;
    /* a page inside the guest's own reservation: mprotect cannot fail there */
    (void)mprotect(j->direct_base + page, 0x1000, prot);
}

/* Empties the indirect-jump cache: some translation it may point to is being dropped. */
static void drop_jumps(x86_jit *j) {
    memset(j->jumps, 0, X86_JIT_JUMPS * sizeof *j->jumps);
}

void x86_jit_page_written(x86_jit *j, uint32_t page) {
    j->code_pages[page >> 12] = 0;
    j->page_gen[page >> 12]++;
    j->epoch++; /* a machine's page is physical: its blocks are found by the epoch */
    /* later stores to the page are not seen: no translation from it may survive */
    if (j->cache && vt_jit_cache_write(j->cache, page, 0x1000)) drop_jumps(j);
}

void vt_x86_jit_code_written(vt_cpu *cpu, uint32_t la, uint32_t len) {
    x86_jit *j = X86(cpu)->jit;
    if (!j || !len) return;
    uint64_t end = (uint64_t)la + len;
    for (uint64_t page = la & ~0xFFFull; page < end; page += 0x1000) {
        j->page_gen[page >> 12]++; /* its blocks compare their bytes again */
        /* with direct stores the writer needs the host page writable: unmarked (a block
           entered there marks it again), the host protection the guest's */
        unsigned perms = 0;
        if (j->direct_base && j->code_pages[page >> 12]) {
            x86_cpu *c = X86(cpu);
            j->code_pages[page >> 12] = 0;
            vt_tlb_flush_page(&c->tlb, (uint32_t)page);
            if (c->page_fn(c->page_opaque, (uint32_t)page, &perms))
                x86_jit_host_protect(j, (uint32_t)page, perms, false);
        }
    }
    /* otherwise the pages stay marked: later guest stores to them must still be seen */
    if (j->cache && vt_jit_cache_write(j->cache, la, len)) drop_jumps(j);
}

/* A machine marks the physical page (translate()'s hook sees stores through every mapping of
 * it) and takes write permission from every TLB entry that reaches it. */
static void mark_physical_page(x86_cpu *c, x86_jit *j, uint32_t la, const uint8_t *host_page) {
    uint32_t ppn = j->tlb_ppn[(la >> 12) & (VT_TLB_SIZE - 1)];
    if (j->code_pages[ppn]) return;
    j->code_pages[ppn] = 1;
    for (unsigned k = 0; k < VT_TLB_SIZE; k++)
        if (c->tlb.e[k].host == host_page) c->tlb.e[k].tag[VT_ACCESS_WRITE] = VT_TLB_INVALID;
}

x86_block *x86_jit_block_at(x86_cpu *c, const uint8_t **code_out) {
    x86_jit *j = c->jit;
    const x86_seg *cs = &c->seg[SEG_CS];
    uint32_t la = cs->base + c->eip;
    bool code32 = (cs->attr & SEG_ATTR_DB) != 0;
    const uint8_t *code = vt_tlb_lookup(&c->tlb, la, VT_ACCESS_EXEC);
    if (!code) return NULL;
    x86_block *b = &j->blocks[(la ^ (la >> 12)) & (X86_JIT_BLOCKS - 1)];
    /* the bytes are compared only when the page was written (user mode) or the epoch moved
     * (a machine) since they were last checked, or the tag changed */
    uint64_t gen = c->user ? j->page_gen[la >> 12] : j->epoch;
    if (b->tag != x86_block_tag(la, code32) ||
        (b->gen != gen && memcmp(b->bytes, code, b->len) != 0)) {
        /* formed aside first: where no block can start, the slot's block stays */
        x86_block *fresh = &j->blocks[X86_JIT_BLOCKS];
        if (!x86_block_form(c, fresh, c->eip, code)) return NULL;
        if (b->native) { /* its code points into b's records */
            vt_jit_invalidate_block(j->cache, b->native);
            drop_jumps(j);
        }
        memcpy(b, fresh, offsetof(x86_block, insn) + fresh->n * sizeof *fresh->insn);
        b->native = NULL;
        j->stats.formed++;
    }
    b->gen = gen;
    if (c->user) {
        if (!j->code_pages[la >> 12]) mark_code_page(c, j, la);
    } else {
        mark_physical_page(c, j, la, code - (la & 0xFFF));
    }
    *code_out = code;
    return b;
}

/* A translation that flushed the cache drops every other block's pointer into it. */
vt_jit_block *x86_jit_native_of(x86_cpu *c, x86_block *b, const uint8_t *code) {
    x86_jit *j = c->jit;
    if (b->native && !b->native->valid) b->native = NULL; /* its bytes were written */
    if (b->native && (b->flat & c->seg_not_flat)) {       /* a segment it assumed flat is not */
        vt_jit_invalidate_block(j->cache, b->native);
        drop_jumps(j);
        b->native = NULL;
    }
    if (b->native || !j->cache) return b->native;
    for (int attempt = 0; attempt < 2; attempt++) {
        uint64_t flushes = j->cache->flushes;
        vt_jit_block *nb = x86_jit_translate(c, b, c->eip, code);
        if (j->cache->flushes != flushes) {
            for (unsigned k = 0; k < X86_JIT_BLOCKS; k++)
                j->blocks[k].native = NULL;
            drop_jumps(j);
        }
        if (nb) return b->native = nb;
    }
    return NULL;
}

const uint8_t *x86_jit_indirect_target(x86_cpu *c) {
    x86_jit *j = c->jit;
    const x86_seg *cs = &c->seg[SEG_CS];
    uint32_t la = cs->base + c->eip;
    const x86_block *b = &j->blocks[(la ^ (la >> 12)) & (X86_JIT_BLOCKS - 1)];
    if (j->lockstep) return NULL; /* lockstep checks one block at a time */
    if (b->tag != x86_block_tag(la, (cs->attr & SEG_ATTR_DB) != 0) ||
        b->gen != (c->user ? j->page_gen[la >> 12] : j->epoch) || !b->native || !b->native->valid)
        return NULL;
    j->stats.indirect_hits++;
    j->jumps[x86_jit_jump_index(la)] = (x86_jit_jump){b->tag, b->native->code};
    return b->native->code;
}

/* Patches the chainable exit the last translated run left through to block nb, when nb is the
 * block that exit leads to and no flush happened since (the exit record would be gone). */
static void chain_pending(x86_jit *j, const x86_block *b, vt_jit_block *nb) {
    if (j->pending && j->pending_tag == b->tag && j->pending_flushes == j->cache->flushes) {
        vt_jit_chain(j->cache, j->pending, nb);
        j->stats.chained++;
    }
    j->pending = NULL;
}

/* System mode: blocks run in flat protected mode (CS base 0, 4 GiB limit: the key and the
 * translated EIPs need no segment) with no interrupt or NMI waiting (the run loop delivers it,
 * or interprets while it is masked); real and virtual-8086 mode interpret. */
static bool system_block_ok(const x86_cpu *c) {
    const x86_seg *cs = &c->seg[SEG_CS];
    return (c->cr0 & 1) && !(c->eflags & F_VM) && cs->base == 0 && cs->limit == 0xFFFFFFFFu &&
           !c->irq_line && !c->nmi_pending;
}

bool x86_jit_run_block(x86_cpu *c) {
    x86_jit *j = c->jit;
    const uint8_t *code;
    if (j->lockstep) return x86_lockstep_run_block(c);
    if (!c->user && !system_block_ok(c)) return false;
    x86_block *b = x86_jit_block_at(c, &code);
    if (!b) {
        j->pending = NULL;
        return false;
    }
    uint32_t eip = c->eip;
    bool code32 = x86_code32(c);
    j->stats.blocks_run++;
    j->code_written = false;
    /* translated code runs whole blocks: only when the interpreter would start the last one */
    vt_jit_block *nb =
        c->cpu.cycles + b->lead_cost < c->cpu.stop_at ? x86_jit_native_of(c, b, code) : NULL;
    if (nb) {
        j->stats.native_runs++;
        chain_pending(j, b, nb);
        vt_jit_result r = vt_jit_run(j->cache, nb, c);
        if (r.reason == VT_JIT_EXIT_END && r.exit) { /* chain it once the next block is known */
            j->pending = r.exit;
            j->pending_tag = x86_block_tag(c->seg[SEG_CS].base + c->eip, code32);
            j->pending_flushes = j->cache->flushes;
        }
        return true;
    }
    j->pending = NULL;
    x86_insn *in = b->insn, *last = b->insn + b->n;
    const uint8_t *p = code;
    for (;;) {
        c->insn_eip = eip;
        c->code = p;
        c->cur = in;
        if (in->mem) x86_calc_ea(c, in);
        eip = code32 ? eip + in->len : (eip + in->len) & 0xFFFF;
        c->eip = eip;
        p += in->len;
        in->fn(c, in);
        c->cpu.cycles += in->cost;
        c->cpu.insns++;
        if (++in == last || c->eip != eip || c->cpu.cycles >= c->cpu.stop_at ||
            (c->eflags & F_TF) || j->code_written || c->irq_line || c->nmi_pending)
            return true;
    }
}

int vt_x86_set_jit(vt_cpu *cpu, bool on) {
    x86_cpu *c = X86(cpu);
    if (!on) {
        x86_jit_free(c->jit);
        c->jit = NULL;
        vt_tlb_flush(&c->tlb); /* drop fills made without write permission */
        return 0;
    }
    if (c->jit) return 0;
    x86_jit *j = calloc(1, sizeof *j);
    if (!j) return -1;
    /* one more record past the table: where blocks are formed (x86_jit_block_at); zero
     * pages from the host, so only the slots in use take memory */
    void *blocks =
        mmap(NULL, BLOCKS_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    j->blocks = blocks == MAP_FAILED ? NULL : blocks;
    j->code_pages = calloc(X86_JIT_PAGES, 1);
    j->page_gen = calloc(X86_JIT_PAGES, sizeof *j->page_gen);
    j->jumps = calloc(X86_JIT_JUMPS, sizeof *j->jumps);
    if (!j->blocks || !j->code_pages || !j->page_gen || !j->jumps) {
        x86_jit_free(j);
        return -1;
    }
    vt_error err;
    j->cache = vt_jit_cache_create(X86_JIT_ARENA, 4 * X86_JIT_BLOCKS, 1ull << 32, 12, &err);
    if (!j->cache)
        vt_log(VT_LOG_CPU, "x86 jit: %s; blocks run on the interpreter's handlers", err.msg);
    c->jit = j;
    return 0;
}

const vt_jit_cache *vt_x86_jit_set_direct_base(vt_cpu *cpu, uint8_t *base) {
    x86_jit *j = X86(cpu)->jit;
    if (!j || !j->cache) return NULL;
    vt_jit_flush(j->cache); /* no translation made under the other rule may survive */
    if (j->stats.formed)    /* else the block slots are still untouched (no host memory yet) */
        for (unsigned k = 0; k < X86_JIT_BLOCKS; k++)
            j->blocks[k].native = NULL;
    drop_jumps(j);
    j->pending = NULL;
    j->direct_base = base;
    return base ? j->cache : NULL;
}

void x86_jit_free(x86_jit *j) {
    if (!j) return;
    const vt_x86_jit_stats *s = &j->stats;
    vt_log(VT_LOG_CPU,
           "x86 jit: %llu dispatches (%llu translated), %llu blocks formed, %llu exits chained, "
           "%llu indirect lookups hit, %llu stores into code pages",
           (unsigned long long)s->blocks_run, (unsigned long long)s->native_runs,
           (unsigned long long)s->formed, (unsigned long long)s->chained,
           (unsigned long long)s->indirect_hits, (unsigned long long)s->code_writes);
    vt_jit_cache_destroy(j->cache);
    if (j->blocks) munmap(j->blocks, BLOCKS_BYTES);
    free(j->code_pages);
    free(j->page_gen);
    free(j->jumps);
    free(j->lockstep);
    free(j);
}

vt_x86_jit_stats vt_x86_jit_stats_of(vt_cpu *cpu) {
    x86_jit *j = X86(cpu)->jit;
    return j ? j->stats : (vt_x86_jit_stats){0};
}
