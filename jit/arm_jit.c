/* The ARM JIT's dispatcher and its hooks into the core: runs translated blocks until stop_at
 * (the interpreter takes the instructions the JIT does not: big-endian data,
 * the last few cycles before stop_at, code it cannot translate), chains blocks, keeps the
 * pages translated code came from write-protected in the TLB so every guest store to them
 * reaches vt_jit_cache_write, and flushes when the owner changes mappings. On a machine
 * (system mode) blocks are keyed by virtual PC and physical page, code pages are tracked by
 * physical address through the bus's write watch (stores, DMA, loaders); jit/README.md. */
#include <stdio.h>
#include <stdlib.h>

#include "core/bus.h"
#include "jit/arm_jit_int.h"

/* 32 MiB of code and 64 Ki blocks: busybox's hot paths use well under a tenth. */
#define ARM_JIT_ARENA (32u << 20)
#define ARM_JIT_BLOCKS 65536u
#define CPSR_E 0x200u

/* System mode: withholds slot i's write permission, remembering it for hook_store. */
static void withhold_write(vt_arm_cpu *c, unsigned i) {
    vt_tlb_entry *e = &c->tlb.e[i];
    if (e->tag[VT_ACCESS_WRITE] == VT_TLB_INVALID) return;
    c->jit->wprot[i] = (struct vt_arm_jit_wprot){e->tag[VT_ACCESS_WRITE], e->host};
    e->tag[VT_ACCESS_WRITE] = VT_TLB_INVALID;
}

void vt_arm_jit_protect_page(vt_arm_cpu *c, uint32_t va) {
    vt_tlb_entry *e = vt_tlb_slot(&c->tlb, va);
    if (!c->sysmode) {
        if (e->tag[VT_ACCESS_WRITE] == va >> VT_TLB_PAGE_BITS)
            e->tag[VT_ACCESS_WRITE] = VT_TLB_INVALID;
        return;
    }
    /* every virtual page that maps the same physical page (the kernel's linear map too) */
    const uint8_t *host = e->host;
    for (unsigned i = 0; i < VT_TLB_SIZE; i++)
        if (c->tlb.e[i].host == host) withhold_write(c, i);
}

static void hook_tlb_filled(vt_arm_cpu *c, uint32_t va, uint64_t pa) {
    unsigned i = (va >> VT_TLB_PAGE_BITS) & (VT_TLB_SIZE - 1);
    c->jit->wprot[i].vpn = VT_TLB_INVALID;
    if (c->jit->mode == VT_JIT_LOCKSTEP ||
        vt_jit_write_hits_code(c->jit->cache, pa, VT_TLB_PAGE_MASK + 1))
        withhold_write(c, i);
}

/* A store that missed only because the JIT withholds write permission: done here as the TLB
 * hit would have done it (the MMU, and so the architectural TLB, is not consulted), then the
 * translated code from those bytes is invalidated. */
static bool hook_store(vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t v) {
    if (!c->sysmode) return false;
    vt_arm_jit *j = c->jit;
    unsigned i = (va >> VT_TLB_PAGE_BITS) & (VT_TLB_SIZE - 1);
    const vt_tlb_entry *e = &c->tlb.e[i];
    uint64_t vpn = va >> VT_TLB_PAGE_BITS;
    if (j->wprot[i].vpn != vpn || e->tag[VT_ACCESS_READ] != vpn || e->host != j->wprot[i].host)
        return false;
    if (j->log) c->jit_hooks->before_write(c, va, size, v);
    uint8_t *p = e->host + (va & VT_TLB_PAGE_MASK);
    if (size == 4)
        store_le32(p, v);
    else if (size == 2)
        store_le16(p, (uint16_t)v);
    else
        *p = (uint8_t)v;
    vt_paddr pa;
    if (!vt_bus_host_to_phys(c->base.bus, p, &pa)) return true;
    vt_jit_cache_write(j->cache, pa, size);
    /* no translated code left on the page: the slot gets its write permission back */
    if (j->mode != VT_JIT_LOCKSTEP &&
        !vt_jit_write_hits_code(j->cache, pa & ~(uint64_t)VT_TLB_PAGE_MASK, VT_TLB_PAGE_MASK + 1)) {
        c->tlb.e[i].tag[VT_ACCESS_WRITE] = vpn;
        j->wprot[i].vpn = VT_TLB_INVALID;
    }
    return true;
}

/* The bus's write watch: RAM that translated code came from was written (a store through the
 * MMU's slow path, DMA, a loader). */
static void on_bus_write(void *opaque, vt_paddr pa, uint64_t len) {
    vt_arm_cpu *c = opaque;
    vt_jit_cache_write(c->jit->cache, pa, len);
}

static void protect_range(vt_arm_cpu *c, uint32_t va, unsigned size) {
    vt_arm_jit_protect_page(c, va);
    vt_arm_jit_protect_page(c, va + size - 1);
}

static void hook_before_write(vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t v) {
    vt_arm_jit_log *log = c->jit->log;
    if (!log) return;
    if (log->n == VT_ARM_JIT_LOG_MAX) {
        log->overflow = true;
        return;
    }
    vt_arm_jit_write *w = &log->w[log->n++];
    *w = (vt_arm_jit_write){.va = va, .size = size, .value = v};
    /* the bytes it replaces, so lockstep can undo the JIT's writes before the re-run (in
     * system mode the JIT's half never stores, and reading a device register has effects) */
    w->old_known =
        !c->sysmode && c->hooks.read(c->base.env, c, va, size, VT_ACCESS_READ, &w->old) == 0;
}

static void hook_after_access(vt_arm_cpu *c, uint32_t va, unsigned size, bool write) {
    vt_arm_jit *j = c->jit;
    if (c->sysmode) {
        /* the interpreter fetches the next instruction through the TLB after a slow access:
         * when the access evicted the code page, leave so that fetch happens (it may walk
         * the tables, which changes the architectural TLB) */
        if (!vt_tlb_lookup(&c->tlb, c->cur_pc, VT_ACCESS_EXEC)) c->base.jit_exit = 1;
        return;
    }
    if (write) vt_jit_cache_write(j->cache, va, size);
    /* the owner may have cached the page with write permission again */
    if (j->mode == VT_JIT_LOCKSTEP || vt_jit_write_hits_code(j->cache, va, size))
        protect_range(c, va, size);
}

static void invalidate_all(vt_arm_jit *j) {
    for (unsigned i = 0; i < j->cache->n_blocks; i++)
        vt_jit_invalidate_block(j->cache, &j->cache->blocks[i]);
}

static void hook_flush(vt_arm_cpu *c) {
    /* a hook may be running inside a block: invalidate now (blocks still on the stack leave
     * at their next check), reuse the arena at the next dispatch */
    invalidate_all(c->jit);
    c->jit->flush_pending = true;
    memset(c->jit->phys, 0, sizeof c->jit->phys); /* the bus may have moved RAM */
}

void vt_arm_jit_withhold_all_writes(vt_arm_cpu *c) {
    /* system mode: the TLB was empty at enable and hook_tlb_filled withholds every fill */
    if (c->sysmode) return;
    for (unsigned i = 0; i < VT_TLB_SIZE; i++)
        c->tlb.e[i].tag[VT_ACCESS_WRITE] = VT_TLB_INVALID;
}

static void hook_destroy(vt_arm_cpu *c) {
    if (c->sysmode) vt_bus_set_write_watch(c->base.bus, NULL, 0, NULL, NULL);
    vt_jit_cache_destroy(c->jit->cache);
    free(c->jit);
    c->jit = NULL;
    c->jit_hooks = NULL;
}

/* The key of the block at the PC and its first byte's address in the tracked space; false
 * when the PC's page is not in the TLB for execution (the interpreter fetches it). The mode
 * holds the Thumb bit (bit 0); in system mode also the physical page (above it), so a block
 * is found again only where the same bytes are mapped at the same address, whatever happened
 * to the MMU in between. */
static bool block_key(vt_arm_cpu *c, uint32_t pc) {
    vt_arm_jit *j = c->jit;
    if (!c->sysmode) {
        j->key = (vt_jit_key){pc, c->thumb};
        j->src = pc;
        return true;
    }
    const uint8_t *host = vt_tlb_lookup(&c->tlb, pc, VT_ACCESS_EXEC);
    if (!host) return false;
    const uint8_t *page = host - (pc & VT_TLB_PAGE_MASK);
    struct vt_arm_jit_phys *p =
        &j->phys[((uintptr_t)page >> VT_TLB_PAGE_BITS) & (VT_ARM_JIT_PHYS_CACHE - 1)];
    if (p->host != page) {
        vt_paddr pa;
        if (!vt_bus_host_to_phys(c->base.bus, page, &pa)) return false;
        *p = (struct vt_arm_jit_phys){page, pa};
    }
    j->src = p->pa | (pc & VT_TLB_PAGE_MASK);
    j->key = (vt_jit_key){pc, (uint32_t)(p->pa >> VT_TLB_PAGE_BITS) << 1 | c->thumb};
    return true;
}

/* The block for j->key: the recent-lookup slot, else the cache's table. */
static vt_jit_block *lookup(vt_arm_jit *j) {
    vt_jit_block **r = &j->recent[(j->key.pc >> 2) & (VT_ARM_JIT_RECENT - 1)];
    vt_jit_block *b = *r;
    if (b && b->valid && b->key.pc == j->key.pc && b->key.mode == j->key.mode) return b;
    b = vt_jit_lookup(j->cache, j->key);
    if (b) *r = b;
    return b;
}

/* An interrupt line the CPSR does not mask: the interpreter takes it before the next
 * instruction. Masked lines do not stop translated code: every instruction that can unmask
 * them (MSR, CPS, exception returns) ends its block unchained. */
static bool interrupt_pending(const vt_arm_cpu *c) {
    unsigned masked =
        (c->cpsr_ctl & 0x80 ? VT_ARM_LINE_IRQ : 0u) | (c->cpsr_ctl & 0x40 ? VT_ARM_LINE_FIQ : 0u);
    return (c->lines & ~masked) != 0;
}

/* Chains only in plain mode: lockstep runs one block at a time. */
static void dispatch(vt_arm_cpu *c) {
    vt_arm_jit *j = c->jit;
    vt_cpu *b = &c->base;
    vt_jit_exit *last = NULL;
    j->log = NULL; /* an abort may have unwound a lockstep run */
    vt_arm_forget_code_page(c);
    while (b->cycles < b->stop_at) {
        if (j->flush_pending) {
            vt_jit_flush(j->cache);
            j->flush_pending = false;
            last = NULL;
        }
        if (interrupt_pending(c) || (c->cpsr_ctl & CPSR_E) || j->diverged) {
            vt_arm_interp_step(c);
            j->stats.interp_steps++;
            last = NULL;
            continue;
        }
        bool keyed = block_key(c, c->r[15]);
        vt_jit_block *blk = keyed ? lookup(j) : NULL;
        if (!blk && keyed) {
            uint64_t flushes = j->cache->flushes;
            blk = vt_arm_jit_translate(c, c->r[15]);
            if (j->cache->flushes != flushes) last = NULL;
        }
        if (!blk) {
            vt_arm_interp_step(c);
            j->stats.interp_steps++;
            last = NULL;
            continue;
        }
        j->stats.blocks_run++;
        if (j->mode == VT_JIT_LOCKSTEP) {
            vt_arm_jit_lockstep_block(c, blk);
            continue;
        }
        if (last) vt_jit_chain(j->cache, last, blk);
        b->jit_exit = 0;
        vt_jit_result res = vt_jit_run(j->cache, blk, c);
        last = NULL;
        if (res.reason == VT_JIT_EXIT_END) {
            last = res.exit;
        } else if (res.reason == VT_JIT_EXIT_STOP && b->cycles < b->stop_at) {
            vt_arm_interp_step(c); /* the last instructions before stop_at, one by one */
            j->stats.interp_steps++;
        }
    }
    /* between instructions the interpreter keeps next_pc equal to the PC; translated code
     * moves only r15, and the owner (a signal frame between slices) reads next_pc */
    c->next_pc = c->r[15];
}

static const vt_arm_jit_hooks arm_jit_hooks = {
    .run = dispatch,
    .before_write = hook_before_write,
    .after_access = hook_after_access,
    .flush = hook_flush,
    .tlb_filled = hook_tlb_filled,
    .store = hook_store,
    .destroy = hook_destroy,
};

int vt_arm_jit_enable(vt_cpu *cpu, vt_jit_mode mode, vt_error *err) {
    if (mode == VT_JIT_OFF) return 0;
    if (strcmp(cpu->ops->isa, "arm")) return vt_fail(err, "--jit: not an ARM core");
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    if (c->jit) return 0;
    vt_arm_jit *j = calloc(1, sizeof *j);
    if (!j) return vt_fail(err, "out of memory for the JIT");
    j->cache =
        vt_jit_cache_create(ARM_JIT_ARENA, ARM_JIT_BLOCKS, 1ull << 32, VT_TLB_PAGE_BITS, err);
    if (!j->cache) {
        free(j);
        return -1;
    }
    j->mode = mode;
    for (unsigned i = 0; i < VT_TLB_SIZE; i++)
        j->wprot[i].vpn = VT_TLB_INVALID;
    c->jit = j;
    c->jit_hooks = &arm_jit_hooks;
    if (c->sysmode) {
        /* pages filled before now may be writable: translated code needs them not to be */
        vt_tlb_flush(&c->tlb);
        vt_arm_forget_code_page(c);
        vt_bus_set_write_watch(c->base.bus, j->cache->pages.bits, j->cache->pages.n_pages,
                               on_bus_write, c);
    }
    return 0;
}

void vt_arm_jit_invalidate_range(vt_cpu *cpu, uint32_t start, uint32_t end) {
    if (strcmp(cpu->ops->isa, "arm")) return;
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    if (!c->jit || end <= start) return;
    vt_jit_cache_write(c->jit->cache, start, end - start);
}

const vt_jit_cache *vt_arm_jit_set_direct_base(vt_cpu *cpu, uint8_t *base) {
    if (strcmp(cpu->ops->isa, "arm")) return NULL;
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    /* lockstep compares with the interpreter through the access hooks: no direct reads */
    if (!c->jit || c->jit->mode != VT_JIT_ON || c->sysmode) return NULL;
    c->jit->direct_base = base;
    c->jit->flush_pending = true; /* nothing translated under the other rule may run */
    return base ? c->jit->cache : NULL;
}

bool vt_arm_jit_diverged(const vt_cpu *cpu, char *msg, size_t len) {
    const vt_arm_cpu *c = (const vt_arm_cpu *)cpu;
    if (strcmp(cpu->ops->isa, "arm") || !c->jit || !c->jit->diverged) return false;
    snprintf(msg, len, "%s", c->jit->divergence);
    return true;
}

bool vt_arm_jit_get_stats(const vt_cpu *cpu, vt_arm_jit_stats *out) {
    const vt_arm_cpu *c = (const vt_arm_cpu *)cpu;
    if (strcmp(cpu->ops->isa, "arm") || !c->jit) return false;
    *out = c->jit->stats;
    out->translations = c->jit->cache->translations;
    out->flushes = c->jit->cache->flushes;
    out->invalidations = c->jit->cache->invalidations;
    return true;
}

void vt_arm_jit_plant_bug_for_test(vt_cpu *cpu, bool on) {
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    if (!strcmp(cpu->ops->isa, "arm") && c->jit) {
        c->jit->plant_bug = on;
        invalidate_all(c->jit);
    }
}
