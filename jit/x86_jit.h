/* The x86 JIT's state and the hooks the x86 core calls (only when the JIT is switched on with
 * vt_x86_set_jit): the block cache in front of the run loops (Linux user mode and machines),
 * and the code-page marks that make a guest store into a page holding blocks end the running
 * block (self-modifying code). A block is entered without comparing its bytes while its
 * validity token is current: in user mode its page's write generation (every store to a marked
 * page, every write by an outside writer -- vt_x86_jit_code_written: the Linux layer's syscalls
 * and mappings -- bumps it), on a machine the epoch (any device access, run() slice or store to
 * a code page moves it). Design and what is compiled: jit/README.md and hwdocs/x86_jit.md. */
#ifndef VT_JIT_X86_JIT_H
#define VT_JIT_X86_JIT_H

#include "jit/jit_cache.h"
#include "jit/x86_block.h"

#define X86_JIT_BLOCKS 16384      /* direct-mapped by linear address (a kernel's working set) */
#define X86_JIT_PAGES (1u << 20)  /* 4 KiB pages of the 32-bit linear space */
#define X86_JIT_ARENA (32u << 20) /* bytes of translated code before a flush */
#define X86_JIT_JUMPS 1024        /* indirect-jump cache entries, direct-mapped */

/* An indirect-jump cache entry: translated code jumps to `code` when the target's block tag
 * (x86_block_tag) is `tag`, without a call. Emptied whenever any translation is dropped. */
typedef struct x86_jit_jump {
    uint64_t tag;
    const uint8_t *code;
} x86_jit_jump;

static inline unsigned x86_jit_jump_index(uint32_t la) {
    return (la ^ (la >> 10)) & (X86_JIT_JUMPS - 1);
}

typedef struct vt_x86_jit_stats {
    uint64_t blocks_run;    /* block entries */
    uint64_t formed;        /* blocks decoded (first use, or the bytes changed) */
    uint64_t code_writes;   /* guest stores that hit a page holding blocks */
    uint64_t native_runs;   /* block entries that ran translated code */
    uint64_t chained;       /* exits patched to jump straight to their target block */
    uint64_t indirect_hits; /* RET targets found by translated code without the dispatcher */
} vt_x86_jit_stats;

typedef struct x86_jit {
    x86_block *blocks;   /* X86_JIT_BLOCKS */
    vt_jit_cache *cache; /* translated code; NULL where the host refuses executable memory */
    uint8_t *code_pages; /* per linear page: 1 = blocks were checked there since its last write */
    uint64_t *page_gen;  /* per linear page: bumped by every write that may change its code */
    x86_jit_jump *jumps; /* X86_JIT_JUMPS */
    /* machines: bumped by everything that may change code or its mapping without a store to a
     * marked page being seen (a run() slice starts after the devices ran, a device access,
     * an interrupt line, a page-table A/D update, a store to a marked page); a block is entered
     * through a chain only while it was checked in the current epoch */
    uint64_t epoch;
    uint32_t tlb_ppn[VT_TLB_SIZE]; /* machines: the physical page each TLB slot was filled with */
    bool code_written;        /* a store hit a marked page: the running block ends after the insn */
    vt_jit_exit *pending;     /* the chainable exit the last translated run left through */
    uint64_t pending_tag;     /* the block tag (x86_block_tag) that exit leads to */
    uint64_t pending_flushes; /* cache->flushes then: after a flush the record is gone */
    vt_x86_jit_stats stats;
    uint8_t *direct_base; /* vt_x86_jit_set_direct_base: host address of linear 0, or NULL */
    struct x86_lockstep *lockstep; /* lockstep checking (x86_lockstep.c), NULL when off */
} x86_jit;

/* The valid block at CS:EIP (formed now if needed) and the host pointer to its first byte, or
 * NULL when none applies there (see x86_jit_run_block). */
x86_block *x86_jit_block_at(x86_cpu *c, const uint8_t **code);

/* Runs the block at CS:EIP (forming it on first use or when its bytes changed) while the
 * cycle budget lasts, EFLAGS.TF is clear and flow stays straight; false when no block applies
 * there (TLB miss, page tail, undecodable bytes): the caller steps the interpreter once. */
bool x86_jit_run_block(x86_cpu *c);

/* A guest store reached marked `page`: its blocks must compare their bytes again, every
 * translation from it is dropped (unchained) and the page unmarked, so the following stores
 * take the fast path until a block is entered there again. */
void x86_jit_page_written(struct x86_jit *j, uint32_t page);

/* Direct stores (user mode, vt_x86_jit_set_direct_base): the host protection of linear page
 * `page` as the guest's permissions `perms` give it, or read-only while it holds blocks
 * (`code`), so a translated store into it faults and takes its slow path. */
void x86_jit_host_protect(struct x86_jit *j, uint32_t page, unsigned perms, bool code);

/* translate()'s hook for a TLB fill of `page` (linear in user mode, physical on a machine): a
 * marked page is filled without write permission so stores reach here; a store unmarks it and
 * ends the running block. */
static inline unsigned x86_jit_page_perms(struct x86_jit *j, uint32_t page, vt_access a,
                                          unsigned perms) {
    /* lockstep: no fill gets write permission, so every store reaches the logging slow path */
    unsigned keep = j->lockstep ? ~(unsigned)VT_PERM_W : ~0u;
    if (!j->code_pages[page >> 12]) return perms & keep;
    if (a != VT_ACCESS_WRITE) return perms & ~(unsigned)VT_PERM_W;
    x86_jit_page_written(j, page);
    if (j->direct_base) x86_jit_host_protect(j, page, perms, false);
    j->code_written = true;
    j->stats.code_writes++;
    return perms & keep;
}

/* The translation of formed block b at CS:EIP (first byte at host pointer code), made on first
 * use; NULL when none can be made (x86_block_run.c). */
vt_jit_block *x86_jit_native_of(x86_cpu *c, x86_block *b, const uint8_t *code);

/* Lockstep (x86_lockstep.c): checks the block at CS:EIP (the JIT, then the interpreter, compared);
 * false when no translated block applies there (the caller steps the interpreter once). A trap
 * of the interpreter's half is raised again (longjmp to c->abort) after the check. */
bool x86_lockstep_run_block(x86_cpu *c);

/* Lockstep: the slow path of a guest store (x86_write_lin) about to write v to la; p is the host
 * address of its first byte, next_page the host page of its bytes past the page end (or NULL). */
void x86_lockstep_note_store(x86_cpu *c, uint32_t la, unsigned size, uint32_t v, uint8_t *p,
                             uint8_t *next_page);

/* A machine's device access (MMIO, port I/O, an interrupt line) or a RAM write the marks do
 * not see: blocks entered through chains must be checked again. */
static inline void x86_jit_device_access(x86_cpu *c) {
    if (c->jit) c->jit->epoch++;
}

/* Translates formed block b (first byte at CS:eip, host pointer code) into j->cache; NULL when
 * the arena overflowed (the cache was flushed: translate again). x86_translate.c. */
vt_jit_block *x86_jit_translate(x86_cpu *c, x86_block *b, uint32_t eip, const uint8_t *code);

/* For translated code leaving through an indirect jump (RET) whose target missed the jump
 * cache: the entry of the translation of the block at CS:EIP when it is formed, unchanged and
 * translated (then cached), else NULL (the dispatcher takes over). Never forms, translates or
 * flushes: translated code is running. */
const uint8_t *x86_jit_indirect_target(x86_cpu *c);

void x86_jit_free(struct x86_jit *j);

/* Counters for tests and benchmarks (zeros while the JIT is off). */
vt_x86_jit_stats vt_x86_jit_stats_of(vt_cpu *cpu);

#endif
