/* The ARM JIT's dispatcher and its hooks into the core: runs translated blocks until stop_at
 * (the interpreter takes the instructions the JIT does not: big-endian data,
 * the last few cycles before stop_at, code it cannot translate), chains blocks, keeps the
 * pages translated code came from write-protected in the TLB so every guest store to them
 * reaches vt_jit_cache_write, and flushes when the owner changes mappings. */
#include <stdio.h>
#include <stdlib.h>

#include "jit/arm_jit_int.h"

/* 32 MiB of code and 64 Ki blocks: busybox's hot paths use well under a tenth. */
#define ARM_JIT_ARENA (32u << 20)
#define ARM_JIT_BLOCKS 65536u
#define CPSR_E 0x200u

void vt_arm_jit_protect_page(vt_arm_cpu *c, uint32_t va) {
    vt_tlb_entry *e = vt_tlb_slot(&c->tlb, va);
    if (e->tag[VT_ACCESS_WRITE] == va >> VT_TLB_PAGE_BITS) e->tag[VT_ACCESS_WRITE] = VT_TLB_INVALID;
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
    /* the bytes it replaces, so lockstep can undo the JIT's writes before the re-run */
    w->old_known = c->hooks.read(c->base.env, c, va, size, VT_ACCESS_READ, &w->old) == 0;
}

static void hook_after_access(vt_arm_cpu *c, uint32_t va, unsigned size, bool write) {
    vt_arm_jit *j = c->jit;
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
}

static void hook_destroy(vt_arm_cpu *c) {
    vt_jit_cache_destroy(c->jit->cache);
    free(c->jit);
    c->jit = NULL;
    c->jit_hooks = NULL;
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
        if (c->lines || (c->cpsr_ctl & CPSR_E) || j->diverged) {
            vt_arm_interp_step(c);
            j->stats.interp_steps++;
            last = NULL;
            continue;
        }
        vt_jit_block *blk = vt_jit_lookup(j->cache, (vt_jit_key){c->r[15], c->thumb});
        if (!blk) {
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
        vt_jit_result res = vt_jit_run(j->cache, blk, c);
        last = NULL;
        if (res.reason == VT_JIT_EXIT_END) {
            last = res.exit;
        } else if (res.reason == VT_JIT_EXIT_STOP && b->cycles < b->stop_at) {
            vt_arm_interp_step(c); /* the last instructions before stop_at, one by one */
            j->stats.interp_steps++;
        }
    }
}

static const vt_arm_jit_hooks arm_jit_hooks = {
    .run = dispatch,
    .before_write = hook_before_write,
    .after_access = hook_after_access,
    .flush = hook_flush,
    .destroy = hook_destroy,
};

int vt_arm_jit_enable(vt_cpu *cpu, vt_jit_mode mode, vt_error *err) {
    if (mode == VT_JIT_OFF) return 0;
    if (strcmp(cpu->ops->isa, "arm")) return vt_fail(err, "--jit: not an ARM core");
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    if (c->sysmode)
        return vt_fail(err,
                       "--jit %s: the ARM JIT runs Linux user mode only so far (use "
                       "--jit off on machines)",
                       vt_jit_mode_name(mode));
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
    c->jit = j;
    c->jit_hooks = &arm_jit_hooks;
    return 0;
}

void vt_arm_jit_invalidate_range(vt_cpu *cpu, uint32_t start, uint32_t end) {
    if (strcmp(cpu->ops->isa, "arm")) return;
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    if (!c->jit || end <= start) return;
    vt_jit_cache_write(c->jit->cache, start, end - start);
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
