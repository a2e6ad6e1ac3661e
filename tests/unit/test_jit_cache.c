/* The JIT block cache and exit protocol: exit reasons through the trampoline, chaining and
 * unchaining, invalidation by guest writes (byte-precise, page bits kept for surviving blocks),
 * the budget prologue, a block that overwrites its own source from a helper call, flushes
 * when the block table or the arena fills up, and the fault-site table (lookup by host
 * address, kept in order across blocks, emptied by a flush, a real host fault redirected). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <cmocka.h>

#include "jit/jit_cache.h"

typedef struct guest {
    uint64_t a, b;
    uint64_t cycles, stop_at;
    vt_jit_cache *cache;
    uint64_t write_addr;
} guest;

#define G(f) vt_x64_at(VT_JIT_STATE, (int32_t)offsetof(guest, f))

static vt_jit_cache *new_cache(size_t bytes, unsigned blocks) {
    vt_error err;
    vt_jit_cache *c = vt_jit_cache_create(bytes, blocks, 1ull << 32, 12, &err);
    assert_non_null(c);
    return c;
}

/* A block at guest `pc` (4 guest bytes) that adds 1 to a or b and leaves by `how`:
 * a reason, or VT_JIT_EXIT_REASONS for a chainable exit. */
static vt_jit_block *make(vt_jit_cache *c, uint64_t pc, bool to_b, unsigned how) {
    vt_jit_builder bld;
    vt_jit_begin(c, &bld, (vt_jit_key){pc, 0}, pc, 4);
    vt_x64_alu_mi(&bld.e, VT_X64_ADD, 8, to_b ? G(b) : G(a), 1);
    if (how == VT_JIT_EXIT_REASONS)
        assert_true(vt_jit_emit_chain_exit(&bld));
    else
        vt_jit_emit_exit(&bld, (vt_jit_exit_reason)how);
    vt_jit_block *b = vt_jit_commit(&bld);
    assert_non_null(b);
    return b;
}

static void test_exit_reasons(void **state) {
    (void)state;
    vt_jit_cache *c = new_cache(1 << 20, 64);
    for (unsigned r = 0; r < VT_JIT_EXIT_REASONS; r++) {
        vt_jit_block *b = make(c, 0x1000 + 4 * r, false, r);
        guest g = {0};
        vt_jit_result res = vt_jit_run(c, b, &g);
        assert_int_equal(res.reason, r);
        assert_null(res.exit);
        assert_int_equal(g.a, 1);
        assert_ptr_equal(vt_jit_lookup(c, (vt_jit_key){0x1000 + 4 * r, 0}), b);
    }
    assert_null(vt_jit_lookup(c, (vt_jit_key){0x1000, 1})); /* mode is part of the key */
    vt_jit_cache_destroy(c);
}

static void test_chain_and_invalidate(void **state) {
    (void)state;
    vt_jit_cache *c = new_cache(1 << 20, 64);
    vt_jit_block *a = make(c, 0x1000, false, VT_JIT_EXIT_REASONS);
    vt_jit_block *b = make(c, 0x2000, true, VT_JIT_EXIT_END);
    guest g = {0};
    vt_jit_result res = vt_jit_run(c, a, &g);
    assert_int_equal(res.reason, VT_JIT_EXIT_END);
    assert_ptr_equal(res.exit, &a->exits[0]);
    vt_jit_chain(c, res.exit, b);
    res = vt_jit_run(c, a, &g); /* now runs a then b without returning in between */
    assert_int_equal(res.reason, VT_JIT_EXIT_END);
    assert_null(res.exit);
    assert_int_equal(g.a, 2);
    assert_int_equal(g.b, 1);
    assert_ptr_equal(b->incoming, &a->exits[0]);

    /* a write just after b's bytes leaves it; a write into them invalidates and unchains */
    assert_int_equal(vt_jit_cache_write(c, 0x2004, 4), 0);
    assert_true(vt_jit_write_hits_code(c, 0x2ff0, 1)); /* same page: still tracked */
    assert_int_equal(vt_jit_cache_write(c, 0x2003, 2), 1);
    assert_false(b->valid);
    assert_null(vt_jit_lookup(c, (vt_jit_key){0x2000, 0}));
    assert_false(vt_jit_write_hits_code(c, 0x2000, 4)); /* no live block left on that page */
    assert_true(vt_jit_write_hits_code(c, 0x1000, 4));
    assert_null(a->exits[0].to);
    res = vt_jit_run(c, a, &g); /* back through a's own stub */
    assert_ptr_equal(res.exit, &a->exits[0]);
    assert_int_equal(g.b, 1);
    /* a write elsewhere costs a bitmap test and invalidates nothing */
    assert_int_equal(vt_jit_cache_write(c, 0x5000, 0x1000), 0);
    assert_int_equal(c->invalidations, 1);
    vt_jit_cache_destroy(c);
}

static void test_invalidating_the_target_of_a_running_chain(void **state) {
    (void)state;
    vt_jit_cache *c = new_cache(1 << 20, 64);
    vt_jit_block *a = make(c, 0x1000, false, VT_JIT_EXIT_REASONS);
    vt_jit_block *b = make(c, 0x2000, true, VT_JIT_EXIT_REASONS);
    guest g = {0};
    vt_jit_chain(c, &a->exits[0], b);
    vt_jit_chain(c, &b->exits[0], a); /* a loop a -> b -> a ... */
    vt_jit_invalidate_block(c, a);    /* a's own exits and b's exit into a are undone */
    assert_null(b->exits[0].to);
    assert_null(a->exits[0].to);
    assert_null(b->incoming);
    vt_jit_result res = vt_jit_run(c, b, &g);
    assert_ptr_equal(res.exit, &b->exits[0]);
    assert_int_equal(g.b, 1);
    assert_int_equal(g.a, 0);
    vt_jit_cache_destroy(c);
}

static void test_budget_check(void **state) {
    (void)state;
    vt_jit_cache *c = new_cache(1 << 20, 64);
    vt_jit_builder bld;
    vt_jit_begin(c, &bld, (vt_jit_key){0x3000, 0}, 0x3000, 8);
    vt_jit_emit_budget_check(&bld, offsetof(guest, cycles), offsetof(guest, stop_at), 10);
    vt_x64_alu_mi(&bld.e, VT_X64_ADD, 8, G(cycles), 12);
    vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
    vt_jit_block *b = vt_jit_commit(&bld);
    assert_non_null(b);
    /* runs while cycles + 10 < stop_at (the interpreter starts an instruction while
     * cycles < stop_at, so k is the block's cycles before its last instruction) */
    guest g = {.cycles = 100, .stop_at = 111};
    assert_int_equal(vt_jit_run(c, b, &g).reason, VT_JIT_EXIT_END);
    assert_int_equal(g.cycles, 112);
    g = (guest){.cycles = 101, .stop_at = 111};
    assert_int_equal(vt_jit_run(c, b, &g).reason, VT_JIT_EXIT_STOP);
    assert_int_equal(g.cycles, 101);
    g = (guest){.cycles = UINT64_C(1) << 40, .stop_at = 0};
    assert_int_equal(vt_jit_run(c, b, &g).reason, VT_JIT_EXIT_STOP);
    vt_jit_cache_destroy(c);
}

/* A "store helper" the block calls: it writes guest code, which may be its own block. */
static void store_helper(guest *g) {
    g->b += vt_jit_cache_write(g->cache, g->write_addr, 4);
}

static void test_block_overwrites_itself(void **state) {
    (void)state;
    vt_jit_cache *c = new_cache(1 << 20, 64);
    vt_jit_builder bld;
    vt_jit_begin(c, &bld, (vt_jit_key){0x4000, 0}, 0x4000, 16);
    vt_x64_mov_rr(&bld.e, 8, VT_X64_RDI, VT_JIT_STATE);
    vt_x64_call(&bld.e, (const void *)store_helper);
    vt_jit_emit_stale_check(&bld);
    vt_x64_alu_mi(&bld.e, VT_X64_ADD, 8, G(a), 1);
    vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
    vt_jit_block *b = vt_jit_commit(&bld);
    assert_non_null(b);
    guest g = {.cache = c, .write_addr = 0x8000}; /* elsewhere: carries on */
    assert_int_equal(vt_jit_run(c, b, &g).reason, VT_JIT_EXIT_END);
    assert_int_equal(g.a, 1);
    g.write_addr = 0x400c; /* its own last word: leaves right after the store */
    assert_int_equal(vt_jit_run(c, b, &g).reason, VT_JIT_EXIT_INVALIDATED);
    assert_int_equal(g.a, 1);
    assert_int_equal(g.b, 1);
    assert_false(b->valid);
    vt_jit_cache_destroy(c);
}

static void test_flush_when_full(void **state) {
    (void)state;
    /* block table full */
    vt_jit_cache *c = new_cache(1 << 20, 4);
    for (unsigned i = 0; i < 4; i++)
        make(c, 0x1000 * (i + 1), false, VT_JIT_EXIT_END);
    assert_int_equal(c->flushes, 0);
    vt_jit_block *b = make(c, 0x9000, false, VT_JIT_EXIT_END);
    assert_int_equal(c->flushes, 1);
    assert_null(vt_jit_lookup(c, (vt_jit_key){0x1000, 0}));
    assert_ptr_equal(vt_jit_lookup(c, (vt_jit_key){0x9000, 0}), b);
    assert_false(vt_jit_write_hits_code(c, 0x1000, 4));
    guest g = {0};
    assert_int_equal(vt_jit_run(c, b, &g).reason, VT_JIT_EXIT_END);
    vt_jit_cache_destroy(c);

    /* arena full: a block that does not fit comes back NULL after a flush, then fits */
    c = new_cache(256 * 1024, 64);
    unsigned committed = 0, overflowed = 0;
    for (unsigned i = 0; i < 8; i++) {
        for (int attempt = 0; attempt < 2; attempt++) {
            vt_jit_builder bld;
            vt_jit_begin(c, &bld, (vt_jit_key){i, 0}, 0x100 * i, 4);
            for (unsigned k = 0; k < 30720; k++)
                vt_x64_alu_mi(&bld.e, VT_X64_ADD, 4, G(a), 1); /* 3 bytes: 90 KiB */
            vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
            vt_jit_block *nb = vt_jit_commit(&bld);
            if (nb) {
                committed++;
                g = (guest){0};
                assert_int_equal(vt_jit_run(c, nb, &g).reason, VT_JIT_EXIT_END);
                assert_int_equal(g.a, 30720);
                break;
            }
            overflowed++;
        }
    }
    assert_int_equal(committed, 8);
    assert_true(overflowed > 0);
    assert_true(c->flushes >= overflowed);
    vt_jit_cache_destroy(c);
}

/* A block with `n` fault sites: each reads 8 bytes at [RSI] into RAX (RSI = g.b), then
 * stores RAX in g.a; its slow path adds 100 to g.a and leaves with END. *sites gets each
 * site's (start, end, slow) host addresses. */
static vt_jit_block *make_sites(vt_jit_cache *c, uint64_t pc, unsigned n, vt_jit_site *sites) {
    vt_jit_builder bld;
    vt_jit_begin(c, &bld, (vt_jit_key){pc, 0}, pc, 4);
    vt_x64_emitter *e = &bld.e;
    uint32_t off[VT_JIT_MAX_SITES][3];
    for (unsigned k = 0; k < n; k++) {
        vt_x64_label slow = vt_x64_label_new(), done = vt_x64_label_new();
        vt_x64_load(e, 8, VT_X64_RSI, G(b));
        assert_true(vt_jit_site_begin(&bld));
        off[k][0] = (uint32_t)e->len;
        vt_x64_load(e, 8, VT_X64_RAX, vt_x64_at(VT_X64_RSI, 0));
        vt_x64_store(e, 8, G(a), VT_X64_RAX);
        off[k][1] = (uint32_t)e->len;
        int site = vt_jit_site_end(&bld);
        assert_int_equal(site, (int)k);
        assert_int_equal(vt_jit_site_end(&bld), -1); /* none open any more */
        vt_x64_jmp(e, &done);
        vt_x64_bind(e, &slow);
        vt_jit_site_slow(&bld, site);
        off[k][2] = (uint32_t)e->len;
        vt_x64_alu_mi(e, VT_X64_ADD, 8, G(a), 100);
        vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
        vt_x64_bind(e, &done);
    }
    vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
    vt_jit_block *b = vt_jit_commit(&bld);
    assert_non_null(b);
    for (unsigned k = 0; k < n; k++)
        sites[k] = (vt_jit_site){(uintptr_t)(b->code + off[k][0]), (uintptr_t)(b->code + off[k][1]),
                                 b->code + off[k][2]};
    return b;
}

static void test_fault_sites(void **state) {
    (void)state;
    vt_jit_cache *c = new_cache(1 << 20, 64);
    vt_jit_site s1[3], s2[2];
    make_sites(c, 0x1000, 3, s1);
    make_sites(c, 0x2000, 2, s2);
    assert_int_equal(c->n_sites, 5);
    for (unsigned k = 0; k < 3; k++) {
        assert_ptr_equal(vt_jit_fault_target(c, s1[k].start), s1[k].slow);
        assert_ptr_equal(vt_jit_fault_target(c, s1[k].end - 1), s1[k].slow);
        assert_null(vt_jit_fault_target(c, s1[k].end)); /* the jump after the site */
        assert_null(vt_jit_fault_target(c, s1[k].start - 1));
    }
    for (unsigned k = 0; k < 2; k++)
        assert_ptr_equal(vt_jit_fault_target(c, s2[k].start + 1), s2[k].slow);
    assert_null(vt_jit_fault_target(c, 0));
    assert_null(vt_jit_fault_target(c, UINTPTR_MAX));
    vt_jit_flush(c);
    assert_int_equal(c->n_sites, 0);
    assert_null(vt_jit_fault_target(c, s1[0].start));

    /* a block has room for VT_JIT_MAX_SITES: the next begin is refused, nothing opened */
    vt_jit_builder bld;
    vt_jit_begin(c, &bld, (vt_jit_key){0x3000, 0}, 0x3000, 4);
    for (unsigned k = 0; k < VT_JIT_MAX_SITES; k++) {
        assert_true(vt_jit_site_begin(&bld));
        assert_false(vt_jit_site_begin(&bld)); /* one open at a time */
        vt_x64_byte(&bld.e, 0x90);
        vt_jit_site_slow(&bld, vt_jit_site_end(&bld));
    }
    assert_false(vt_jit_site_begin(&bld));
    assert_int_equal(vt_jit_site_end(&bld), -1);
    vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
    assert_non_null(vt_jit_commit(&bld));
    assert_int_equal(c->n_sites, VT_JIT_MAX_SITES);

    /* the table never overflows: vt_jit_begin flushes when a block's worth of room is gone */
    unsigned blocks = 0;
    while (c->flushes == 1) {
        vt_jit_site s[VT_JIT_MAX_SITES];
        make_sites(c, 0x4000 + blocks++, VT_JIT_MAX_SITES, s);
        assert_true(c->n_sites <= c->max_sites);
    }
    assert_true(blocks > 1);
    vt_jit_cache_destroy(c);
}

/* What a host fault handler does with the table (machines/linux_user/lx_fault.c). */
static vt_jit_cache *fault_cache;
static void redirect(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)si;
    ucontext_t *u = uc;
    const uint8_t *to = vt_jit_fault_target(fault_cache, (uintptr_t)u->uc_mcontext.gregs[REG_RIP]);
    if (!to) abort();
    u->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)to;
}

static void test_fault_site_redirect(void **state) {
    (void)state;
    uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(page != MAP_FAILED);
    memcpy(page, "\x11\x22\x33\x44\x55\x66\x77\x08", 8);
    fault_cache = new_cache(1 << 20, 64);
    vt_jit_site s[1];
    vt_jit_block *b = make_sites(fault_cache, 0x1000, 1, s);
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = redirect;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, &old);
    guest g = {.b = (uint64_t)(uintptr_t)page};
    assert_int_equal(vt_jit_run(fault_cache, b, &g).reason, VT_JIT_EXIT_END);
    assert_int_equal(g.a, 0x0877665544332211ull); /* the direct read */
    assert_int_equal(mprotect(page, 4096, PROT_NONE), 0);
    g.a = 7;
    assert_int_equal(vt_jit_run(fault_cache, b, &g).reason, VT_JIT_EXIT_END);
    assert_int_equal(g.a, 107); /* the slow path ran; nothing of the site did */
    sigaction(SIGSEGV, &old, NULL);
    vt_jit_cache_destroy(fault_cache);
    munmap(page, 4096);
}

static void test_bad_sizes(void **state) {
    (void)state;
    vt_error err;
    assert_null(vt_jit_cache_create(4096, 64, 1ull << 32, 12, &err));
    assert_non_null(strstr(err.msg, "out of range"));
    assert_null(vt_jit_cache_create(1 << 20, 64, 1ull << 32, 2, &err));
    assert_non_null(strstr(err.msg, "page size"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_reasons),
        cmocka_unit_test(test_chain_and_invalidate),
        cmocka_unit_test(test_invalidating_the_target_of_a_running_chain),
        cmocka_unit_test(test_budget_check),
        cmocka_unit_test(test_block_overwrites_itself),
        cmocka_unit_test(test_flush_when_full),
        cmocka_unit_test(test_fault_sites),
        cmocka_unit_test(test_fault_site_redirect),
        cmocka_unit_test(test_bad_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
