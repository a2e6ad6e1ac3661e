/* ARM system mode on a 4 MiB RAM bus: v4/v5 sections, coarse/fine tables with large, small
 * (subpage) and tiny pages, domains (no access, client, manager), permission faults with
 * FSR/FAR as guest code sees them, high vectors, alignment faults, VMSAv6 XN prefetch aborts,
 * ASID-tagged TLB entries across a context switch, TLB invalidation by MVA and ASID, TTBCR,
 * WFI, and the TI925T c15 registers. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/bus.h"
#include "core/cpu/arm/arm_mmu.h"
#include "core/savestate.h"

#define RAM_SIZE (4u << 20)
#define TTB 0x4000u /* first-level table */

typedef struct rig {
    vt_bus bus;
    vt_region *ram;
    vt_arm_cpu *c;
} rig;

static rig *make(const char *model) {
    rig *r = calloc(1, sizeof *r);
    vt_error err;
    assert_int_equal(vt_bus_init(&r->bus, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&r->bus, "ram", 0, RAM_SIZE, false, &r->ram, &err), 0);
    vt_cpu_config cfg = {.model = model, .hz = 1000000, .bus = &r->bus};
    r->c = vt_arm_create(&cfg, &err);
    assert_non_null(r->c);
    assert_true(r->c->sysmode);
    return r;
}

static void destroy(rig *r) {
    vt_cpu_destroy(&r->c->base);
    vt_bus_free(&r->bus);
    free(r);
}

static void poke(rig *r, uint32_t pa, uint32_t v) {
    store_le32(r->ram->host + pa, v);
}
static uint32_t peek(rig *r, uint32_t pa) {
    return load_le32(r->ram->host + pa);
}

static void cp15w(rig *r, unsigned crn, unsigned crm, unsigned op2, uint32_t v) {
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, crn, crm, op2, v), 0);
}
static uint32_t cp15r(rig *r, unsigned crn, unsigned crm, unsigned op2) {
    uint32_t v = 0;
    assert_int_equal(vt_arm_cp15_read(NULL, r->c, 15, 0, crn, crm, op2, &v), 0);
    return v;
}

/* First-level section descriptor: AP, domain, and (v6) XN / nG. */
static uint32_t section(uint32_t pa, unsigned ap, unsigned domain) {
    return (pa & 0xfff00000u) | ap << 10 | domain << 5 | 0x2;
}
static void map_section(rig *r, uint32_t va, uint32_t desc) {
    poke(r, TTB + (va >> 20) * 4, desc);
}

/* Identity section over the low 1 MiB (code, tables, vectors), client domain 0, then MMU on. */
static void mmu_on(rig *r, uint32_t extra_sctlr) {
    map_section(r, 0, section(0, 3, 0));
    cp15w(r, 2, 0, 0, TTB);
    cp15w(r, 3, 0, 0, 0x55555555u); /* every domain client */
    cp15w(r, 1, 0, 0, VT_SCTLR_M | extra_sctlr);
}

static uint32_t xlat(rig *r, uint32_t va, vt_access a, bool user, uint32_t *fsr) {
    vt_arm_xlat x;
    *fsr = vt_arm_mmu_translate(r->c, va, a, user, &x);
    return *fsr ? 0xdeadbeefu : (uint32_t)x.pa;
}

static void test_section_map(void **state) {
    (void)state;
    rig *r = make("arm925t");
    uint32_t fsr;
    /* MMU off: flat */
    assert_int_equal(xlat(r, 0x123456, VT_ACCESS_READ, false, &fsr), 0x123456);
    mmu_on(r, 0);
    map_section(r, 0xc0000000u, section(0x200000, 3, 0));
    assert_int_equal(xlat(r, 0xc0012344u, VT_ACCESS_WRITE, true, &fsr), 0x212344);
    /* unmapped section: translation fault, section code */
    xlat(r, 0xd0000000u, VT_ACCESS_READ, false, &fsr);
    assert_int_equal(fsr, VT_FSR_TRANS_SECTION);
    /* guest code: LDR through the section */
    poke(r, 0x212344, 0xcafef00d);
    poke(r, 0x1000, 0xe5910000); /* ldr r0, [r1] */
    poke(r, 0x1004, 0xeafffffe); /* b . */
    r->c->r[1] = 0xc0012344u;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(r->c->r[0], 0xcafef00d);
    destroy(r);
}

static void test_coarse_small_subpages(void **state) {
    (void)state;
    rig *r = make("arm925t");
    uint32_t fsr;
    mmu_on(r, 0);
    /* coarse table at 0x8000 for VA 0x10000000, domain 2 */
    map_section(r, 0x10000000u, 0x8000u | 2 << 5 | 0x11);
    /* small page 0x10003000 -> 0x300000; subpage APs 3, 1, 2, 0 */
    poke(r, 0x8000 + 3 * 4, 0x300000u | (0u << 10 | 2u << 8 | 1u << 6 | 3u << 4) | 2);
    /* large page 0x10010000 -> 0x310000: 16 replicated entries, APs all 3 */
    for (unsigned i = 0; i < 16; i++)
        poke(r, 0x8000 + (0x10 + i) * 4, 0x310000u | 0xff0 | 1);
    assert_int_equal(xlat(r, 0x10003010u, VT_ACCESS_WRITE, true, &fsr), 0x300010);
    assert_int_equal(xlat(r, 0x10003410u, VT_ACCESS_WRITE, false, &fsr), 0x300410);
    xlat(r, 0x10003410u, VT_ACCESS_READ, true, &fsr); /* AP=1: privileged only */
    assert_int_equal(fsr, VT_FSR_PERM_PAGE | 2 << 4);
    assert_int_equal(xlat(r, 0x10003810u, VT_ACCESS_READ, true, &fsr), 0x300810);
    xlat(r, 0x10003810u, VT_ACCESS_WRITE, true, &fsr); /* AP=2: user read-only */
    assert_int_equal(fsr, VT_FSR_PERM_PAGE | 2 << 4);
    xlat(r, 0x10003c10u, VT_ACCESS_READ, false, &fsr); /* AP=0, S=R=0: no access */
    assert_int_equal(fsr, VT_FSR_PERM_PAGE | 2 << 4);
    cp15w(r, 1, 0, 0, VT_SCTLR_M | VT_SCTLR_S); /* S: AP=0 is privileged read-only */
    assert_int_equal(xlat(r, 0x10003c10u, VT_ACCESS_READ, false, &fsr), 0x300c10);
    xlat(r, 0x10003c10u, VT_ACCESS_READ, true, &fsr);
    assert_int_equal(fsr, VT_FSR_PERM_PAGE | 2 << 4);
    assert_int_equal(xlat(r, 0x1001abcdu, VT_ACCESS_WRITE, true, &fsr), 0x31abcd);
    /* no page at 0x10004000: translation fault, page code, with the domain */
    xlat(r, 0x10004000u, VT_ACCESS_READ, false, &fsr);
    assert_int_equal(fsr, VT_FSR_TRANS_PAGE | 2 << 4);
    destroy(r);
}

static void test_fine_tiny_pages(void **state) {
    (void)state;
    rig *r = make("arm925t");
    uint32_t fsr;
    mmu_on(r, 0);
    /* fine table (4 KiB aligned, 1024 entries) at 0x9000 for VA 0x20000000, domain 1 */
    map_section(r, 0x20000000u, 0x9000u | 1 << 5 | 0x13);
    poke(r, 0x9000 + 1 * 4, 0x301400u | 3 << 4 | 3); /* tiny 0x20000400 -> 0x301400, RW */
    poke(r, 0x9000 + 2 * 4, 0x302800u | 2 << 4 | 3); /* tiny 0x20000800 -> 0x302800, user RO */
    assert_int_equal(xlat(r, 0x200004ffu, VT_ACCESS_WRITE, true, &fsr), 0x3014ff);
    assert_int_equal(xlat(r, 0x20000804u, VT_ACCESS_READ, true, &fsr), 0x302804);
    xlat(r, 0x20000804u, VT_ACCESS_WRITE, true, &fsr);
    assert_int_equal(fsr, VT_FSR_PERM_PAGE | 1 << 4);
    xlat(r, 0x20000000u, VT_ACCESS_READ, false, &fsr);
    assert_int_equal(fsr, VT_FSR_TRANS_PAGE | 1 << 4);
    /* guest stores to both tiny pages of one 4 KiB page land 1 KiB apart in memory */
    poke(r, 0x1000, 0xe5810000); /* str r0, [r1] */
    poke(r, 0x1004, 0xe5812400); /* str r2, [r1, #0x400] */
    poke(r, 0x1008, 0xeafffffe);
    r->c->r[0] = 0x11111111;
    r->c->r[1] = 0x20000400u;
    r->c->r[2] = 0x22222222;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 2);
    assert_int_equal(peek(r, 0x301400), 0x11111111);
    assert_int_equal(peek(r, 0x302800), 0x22222222);
    destroy(r);
}

static void test_domains(void **state) {
    (void)state;
    rig *r = make("arm925t");
    uint32_t fsr;
    mmu_on(r, 0);
    map_section(r, 0x30000000u, section(0x200000, 0, 5)); /* AP=0: no access for clients */
    cp15w(r, 3, 0, 0, 0x55555555u & ~(3u << 10));         /* domain 5: no access */
    xlat(r, 0x30000000u, VT_ACCESS_READ, false, &fsr);
    assert_int_equal(fsr, VT_FSR_DOMAIN_SECTION | 5 << 4);
    cp15w(r, 3, 0, 0, 0x55555555u); /* client: AP decides */
    xlat(r, 0x30000000u, VT_ACCESS_READ, false, &fsr);
    assert_int_equal(fsr, VT_FSR_PERM_SECTION | 5 << 4);
    cp15w(r, 3, 0, 0, 0x55555555u | 3u << 10); /* manager: no permission checks */
    assert_int_equal(xlat(r, 0x30000004u, VT_ACCESS_WRITE, true, &fsr), 0x200004);
    destroy(r);
}

/* A user-mode store to a read-only section aborts into ABT at the high vector with the
 * fault recorded in FSR (status, domain) and FAR. */
static void test_permission_fault_guest(void **state) {
    (void)state;
    rig *r = make("arm925t");
    mmu_on(r, VT_SCTLR_V);
    map_section(r, 0xfff00000u, section(0x100000, 1, 0)); /* vectors page, privileged */
    map_section(r, 0x40000000u, section(0x200000, 2, 3)); /* user read-only, domain 3 */
    poke(r, 0x1f0010, 0xeafffffe);                        /* 0xffff0010: b . */
    poke(r, 0x1000, 0xe5810000);                          /* str r0, [r1] */
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_USR);
    r->c->r[1] = 0x40000abcu;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(r->c->r[15], 0xffff0010u);
    assert_int_equal(r->c->r[14], 0x1008);
    assert_int_equal(cp15r(r, 5, 0, 0), VT_FSR_PERM_SECTION | 3 << 4);
    assert_int_equal(cp15r(r, 6, 0, 0), 0x40000abcu);
    assert_int_equal(peek(r, 0x200abc), 0);
    /* the same store from SVC succeeds; back in user mode the page must fault again, so
     * the privileged software-TLB entry cannot leak */
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_SVC);
    r->c->r[0] = 0x5a5a5a5a;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(peek(r, 0x200abc), 0x5a5a5a5a);
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_USR);
    r->c->r[0] = 0;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(peek(r, 0x200abc), 0x5a5a5a5a);
    destroy(r);
}

/* LDRT/STRT in a privileged mode use the user permissions (ARM ARM A4.1.24). */
static void test_ldrt_user_permissions(void **state) {
    (void)state;
    rig *r = make("arm925t");
    mmu_on(r, 0);
    map_section(r, 0x40000000u, section(0x200000, 1, 0)); /* privileged only */
    map_section(r, 0x50000000u, section(0x200000, 2, 0)); /* user read-only */
    poke(r, 0x200010, 0x600d600d);
    poke(r, 0x1000, 0xe4b10000); /* ldrt r0, [r1] */
    poke(r, 0x1004, 0xe4a12000); /* strt r2, [r1] */
    r->c->r[1] = 0x50000010u;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(r->c->r[0], 0x600d600d); /* user may read */
    r->c->r[1] = 0x50000010u;
    r->c->r[15] = 0x1004;
    r->c->base.ops->run(&r->c->base, 1); /* but not write, even from SVC */
    assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(cp15r(r, 5, 0, 0), VT_FSR_PERM_SECTION);
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_SVC);
    r->c->r[1] = 0x40000010u;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(cp15r(r, 6, 0, 0), 0x40000010u);
    destroy(r);
}

static void test_alignment_fault(void **state) {
    (void)state;
    rig *r = make("arm925t");
    mmu_on(r, 0);
    poke(r, 0x2000, 0x44332211);
    poke(r, 0x1000, 0xe5910000); /* ldr r0, [r1] */
    r->c->r[1] = 0x2001;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(r->c->r[0], 0x11443322); /* A=0: rotated (ARMv4T) */
    cp15w(r, 1, 0, 0, VT_SCTLR_M | VT_SCTLR_A);
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(r->c->r[15], 0x10);
    assert_int_equal(cp15r(r, 5, 0, 0), VT_FSR_ALIGNMENT);
    assert_int_equal(cp15r(r, 6, 0, 0), 0x2001);
    destroy(r);
}

/* VMSAv6: an XN section aborts the fetch (prefetch abort, IFSR/IFAR), a normal one runs. */
static void test_v6_xn_prefetch_abort(void **state) {
    (void)state;
    rig *r = make("arm1136");
    mmu_on(r, VT_SCTLR_XP);
    map_section(r, 0x50000000u, section(0x200000, 3, 0) | 1u << 4); /* XN */
    map_section(r, 0x60000000u, section(0x200000, 3, 0));
    poke(r, 0x200000, 0xe3a00007); /* mov r0, #7 */
    poke(r, 0x200004, 0xeafffffe);
    r->c->r[15] = 0x60000000u;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(r->c->r[0], 7);
    r->c->r[15] = 0x50000000u;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(r->c->r[15], 0x0c);
    assert_int_equal(r->c->r[14], 0x50000004u);
    assert_int_equal(cp15r(r, 5, 0, 1), VT_FSR_PERM_SECTION);
    assert_int_equal(cp15r(r, 6, 0, 2), 0x50000000u);
    assert_int_equal(cp15r(r, 5, 0, 0), 0); /* data FSR untouched */
    destroy(r);
}

/* v6 coarse table entries (XP=1): small page with nG under ASIDs. */
static void test_v6_asid_context_switch(void **state) {
    (void)state;
    rig *r = make("arm1136");
    uint32_t fsr;
    mmu_on(r, VT_SCTLR_XP);
    map_section(r, 0x70000000u, 0xa000u | 0x01);                     /* coarse table at 0xa000 */
    map_section(r, 0x80000000u, section(0x300000, 3, 0) | 1u << 17); /* nG section */
    uint32_t small_ng = 3 << 4 | 1u << 11 | 2;                       /* AP=3, nG, small page */
    poke(r, 0xa000, 0x200000u | small_ng);
    poke(r, 0xa004, 0x201000u | 3 << 4 | 2); /* global */
    cp15w(r, 13, 0, 1, 1);                   /* ASID 1 */
    assert_int_equal(xlat(r, 0x70000010u, VT_ACCESS_READ, false, &fsr), 0x200010);
    assert_int_equal(xlat(r, 0x70001010u, VT_ACCESS_READ, false, &fsr), 0x201010);
    /* process 2's tables differ; context switch without any TLB maintenance */
    poke(r, 0xa000, 0x250000u | small_ng);
    poke(r, 0xa004, 0x251000u | 3 << 4 | 2);
    cp15w(r, 13, 0, 1, 2);
    assert_int_equal(xlat(r, 0x70000010u, VT_ACCESS_READ, false, &fsr), 0x250010);
    assert_int_equal(xlat(r, 0x70001010u, VT_ACCESS_READ, false, &fsr), 0x201010); /* global */
    /* back to ASID 1: its entry survived the switch */
    cp15w(r, 13, 0, 1, 1);
    assert_int_equal(xlat(r, 0x70000010u, VT_ACCESS_READ, false, &fsr), 0x200010);
    /* invalidate ASID 1: the walk now sees the current tables; global entries stay */
    cp15w(r, 8, 7, 2, 1);
    assert_int_equal(xlat(r, 0x70000010u, VT_ACCESS_READ, false, &fsr), 0x250010);
    assert_int_equal(xlat(r, 0x70001010u, VT_ACCESS_READ, false, &fsr), 0x201010);
    /* invalidate by MVA: removes the global entry too */
    cp15w(r, 8, 7, 1, 0x70001000u | 1);
    assert_int_equal(xlat(r, 0x70001010u, VT_ACCESS_READ, false, &fsr), 0x251010);
    /* an nG section under ASID 1, not visible as ASID 1's after ASID 2 maps it elsewhere */
    assert_int_equal(xlat(r, 0x80000000u, VT_ACCESS_READ, false, &fsr), 0x300000);
    map_section(r, 0x80000000u, section(0x200000, 3, 0) | 1u << 17);
    cp15w(r, 13, 0, 1, 2);
    assert_int_equal(xlat(r, 0x80000000u, VT_ACCESS_READ, false, &fsr), 0x200000);
    cp15w(r, 13, 0, 1, 1);
    assert_int_equal(xlat(r, 0x80000000u, VT_ACCESS_READ, false, &fsr), 0x300000);
    cp15w(r, 8, 7, 0, 0); /* invalidate all */
    assert_int_equal(xlat(r, 0x80000000u, VT_ACCESS_READ, false, &fsr), 0x200000);
    destroy(r);
}

/* v6 cache maintenance by MVA aborts on an unmapped address, but not on a read-only one. */
static void test_v6_cache_op_by_mva_aborts(void **state) {
    (void)state;
    rig *r = make("arm1136");
    mmu_on(r, VT_SCTLR_XP);
    map_section(r, 0x40000000u, section(0x200000, 1, 0) | 1u << 15); /* privileged RO */
    poke(r, 0x1000, 0xee070f3a); /* mcr p15, 0, r0, c7, c10, 1 (clean D line by MVA) */
    r->c->r[0] = 0x40000040u;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(r->c->r[15], 0x1004);
    r->c->r[0] = 0x90000040u;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(cp15r(r, 5, 0, 0), VT_FSR_TRANS_SECTION);
    assert_int_equal(cp15r(r, 6, 0, 0), 0x90000040u);
    destroy(r);
}

/* Save/load keeps the architectural TLB: a stale entry (tables changed, no invalidation)
 * still translates after the round trip, with its domain (regression: the domain byte was
 * read back as a word). */
static void test_tlb_survives_save_load(void **state) {
    (void)state;
    rig *r = make("arm925t");
    uint32_t fsr;
    mmu_on(r, 0);
    map_section(r, 0x30000000u, section(0x200000, 3, 7));
    assert_int_equal(xlat(r, 0x30000010u, VT_ACCESS_READ, false, &fsr), 0x200010);
    map_section(r, 0x30000000u, section(0x300000, 3, 7)); /* no TLB maintenance */
    vt_state_writer w;
    vt_state_writer_init(&w);
    r->c->base.ops->save(&r->c->base, &w);
    rig *r2 = make("arm925t");
    vt_state_reader rd;
    vt_state_reader_init(&rd, w.buf, w.len);
    assert_int_equal(r2->c->base.ops->load(&r2->c->base, &rd), 0);
    assert_int_equal(xlat(r2, 0x30000010u, VT_ACCESS_READ, false, &fsr), 0x200010);
    cp15w(r2, 3, 0, 0, 0x55555555u & ~(3u << 14)); /* domain 7: no access */
    xlat(r2, 0x30000010u, VT_ACCESS_READ, false, &fsr);
    assert_int_equal(fsr, VT_FSR_DOMAIN_SECTION | 7 << 4);
    vt_state_writer_free(&w);
    destroy(r2);
    destroy(r);
}

/* v6 APX and TTBCR.N: VAs above 2^(32-N) walk TTBR1's table. */
static void test_v6_apx_ttbcr(void **state) {
    (void)state;
    rig *r = make("arm1136");
    uint32_t fsr;
    mmu_on(r, VT_SCTLR_XP);
    map_section(r, 0x00100000u, section(0x100000, 1, 0) | 1u << 15); /* APX=1 AP=1: priv RO */
    assert_int_equal(xlat(r, 0x00100004u, VT_ACCESS_READ, false, &fsr), 0x100004);
    xlat(r, 0x00100004u, VT_ACCESS_WRITE, false, &fsr);
    assert_int_equal(fsr, VT_FSR_PERM_SECTION);
    xlat(r, 0x00100004u, VT_ACCESS_READ, true, &fsr);
    assert_int_equal(fsr, VT_FSR_PERM_SECTION);
    poke(r, 0xc000 + (0xc0000000u >> 20) * 4, section(0x300000, 3, 0)); /* TTBR1 table */
    cp15w(r, 2, 0, 1, 0xc000);
    cp15w(r, 2, 0, 2, 1); /* N=1: 0x80000000 and up use TTBR1 */
    assert_int_equal(xlat(r, 0xc0000008u, VT_ACCESS_READ, false, &fsr), 0x300008);
    assert_int_equal(cp15r(r, 2, 0, 2), 1);
    destroy(r);
}

/* Wait for interrupt ends the slice and idles until a line rises, masked or not. */
static void test_wfi(void **state) {
    (void)state;
    rig *r = make("arm1136");
    poke(r, 0x1000, 0xee070f90); /* mcr p15, 0, r0, c7, c0, 4 */
    poke(r, 0x1004, 0xe3a01001); /* mov r1, #1 */
    poke(r, 0x1008, 0xeafffffe);
    r->c->r[15] = 0x1000;
    uint64_t done = r->c->base.ops->run(&r->c->base, 1000);
    assert_true(r->c->base.halted);
    assert_true(done < 1000);
    assert_int_equal(r->c->r[15], 0x1004);
    assert_int_equal(r->c->base.ops->run(&r->c->base, 500), 500); /* idle slice */
    assert_int_equal(r->c->r[1], 0);
    r->c->base.ops->set_irq(&r->c->base, 0, true); /* CPSR.I is set after reset */
    r->c->base.ops->run(&r->c->base, 2);
    assert_false(r->c->base.halted);
    assert_int_equal(r->c->r[1], 1);
    destroy(r);
}

static void test_ids_and_ti925t_c15(void **state) {
    (void)state;
    rig *r = make("arm925t");
    assert_int_equal(cp15r(r, 0, 0, 0), 0x54029252);
    assert_int_equal(cp15r(r, 1, 0, 0), 0x70);
    /* Linux 6.1 __arm925_setup: TI config c15,c1,0 and op1=7 c15,c0,0 */
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 15, 1, 0, 2), 0);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 7, 15, 0, 0, 4), 0);
    uint32_t v;
    assert_int_equal(vt_arm_cp15_read(NULL, r->c, 15, 7, 15, 0, 0, &v), 0);
    assert_int_equal(v, 4);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 15, 2, 0, 4), -1);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 8, 7, 2, 0), -1); /* v6 only */
    /* user mode has no CP15 */
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_USR);
    assert_int_equal(vt_arm_cp15_read(NULL, r->c, 15, 0, 0, 0, 0, &v), -1);
    destroy(r);
    r = make("arm1136");
    assert_int_equal(cp15r(r, 0, 0, 0), 0x4107b362);
    assert_int_equal(cp15r(r, 1, 0, 0), 0x00050078);
    assert_int_equal(cp15r(r, 0, 1, 4), 0x01130003); /* ID_MMFR0 */
    destroy(r);
}

/* ARM1136 performance monitor as Linux's armv6 perf driver uses it: reset and enable with
 * PMN0 counting instructions (event 7) and PMN1 cycles (0xff); the counters follow the
 * core's own counts (MCR/MRC cost 2 cycles, MOV 1). */
static void test_v6_pmu(void **state) {
    (void)state;
    rig *r = make("arm1136");
    poke(r, 0x1000, 0xee0f0f1c); /* mcr p15, 0, r0, c15, c12, 0 */
    for (unsigned i = 0; i < 8; i++)
        poke(r, 0x1004 + 4 * i, 0xe1a00000); /* nop */
    poke(r, 0x1024, 0xee1f1f3c);             /* mrc p15, 0, r1, c15, c12, 1 (CCNT) */
    poke(r, 0x1028, 0xee1f2f5c);             /* mrc p15, 0, r2, c15, c12, 2 (PMN0) */
    poke(r, 0x102c, 0xeafffffe);
    r->c->r[0] = 0x07u << 20 | 0xffu << 12 | 7; /* events, C, P, E */
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 2 + 8 + 2 + 2);
    assert_int_equal(r->c->r[1], 8 + 2);     /* nops + the MRC */
    assert_int_equal(r->c->r[2], 1 + 8 + 1); /* MCR, nops, first MRC retired */
    assert_int_equal(cp15r(r, 15, 12, 0), 0x07u << 20 | 0xffu << 12 | 1);
    /* overflow flag, write-one-to-clear */
    cp15w(r, 15, 12, 1, 0xfffffffe);
    r->c->r[15] = 0x1004;
    r->c->base.ops->run(&r->c->base, 4);
    assert_true(cp15r(r, 15, 12, 0) & 1u << 10);
    cp15w(r, 15, 12, 0, 1u << 10 | 1);
    assert_false(cp15r(r, 15, 12, 0) & 1u << 10);
    destroy(r);
}

/* CP14 debug registers as Linux's hw_breakpoint probes them on the ARM1136: DIDR says v6
 * debug with 6 breakpoints and 2 watchpoints; monitor mode can be enabled in DSCR. */
static void test_v6_debug_registers(void **state) {
    (void)state;
    rig *r = make("arm1136");
    uint32_t v;
    assert_int_equal(vt_arm_cp15_read(NULL, r->c, 14, 0, 0, 0, 0, &v), 0);
    assert_int_equal(v >> 16 & 0xf, 1);       /* ARM_DEBUG_ARCH_V6 */
    assert_int_equal((v >> 24 & 0xf) + 1, 6); /* breakpoints */
    assert_int_equal((v >> 28 & 0xf) + 1, 2); /* watchpoints */
    assert_int_equal(v & 0xff, 0x02);         /* r0p2 */
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 14, 0, 0, 1, 0, 1u << 15), 0);
    assert_int_equal(vt_arm_cp15_read(NULL, r->c, 14, 0, 0, 1, 0, &v), 0);
    assert_int_equal(v & 1u << 15, 1u << 15);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 14, 0, 0, 5, 5, 0x1e5), 0); /* BCR5 */
    assert_int_equal(vt_arm_cp15_read(NULL, r->c, 14, 0, 0, 5, 5, &v), 0);
    assert_int_equal(v, 0x1e5);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 14, 0, 0, 6, 5, 0), -1); /* no BCR6 */
    destroy(r);
    r = make("arm925t"); /* ARMv4T: no CP14 */
    assert_int_equal(vt_arm_cp15_read(NULL, r->c, 14, 0, 0, 0, 0, &v), -1);
    destroy(r);
}

/* Random words as code and as page tables, MMU on, every mode reachable, 16 seeds per model:
 * whatever the guest does, the host survives (run under ASan/UBSan by make SAN=1) and time
 * advances. */
static void test_random_system_code(void **state) {
    (void)state;
    static const char *const models[2] = {"arm925t", "arm1136"};
    /* random code logs an `unimplemented` line per undefined word: keep them off stderr */
    fflush(stderr);
    int saved = dup(2), devnull = open("/dev/null", O_WRONLY);
    assert_true(saved >= 0 && devnull >= 0);
    dup2(devnull, 2);
    uint64_t x = 0x243f6a8885a308d3ull;
    bool vfp_used = false;
    for (unsigned m = 0; m < 2; m++) {
        rig *r = make(models[m]);
        for (unsigned seed = 0; seed < 16; seed++) {
            for (uint32_t a = 0; a < (1u << 20); a += 4) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                poke(r, a, (uint32_t)x);
            }
            r->c->base.ops->reset(&r->c->base);
            /* vectors that keep the random code running: skip undefined instructions, SWIs
             * and data aborts, restart a prefetch abort at 0x10000 */
            static const uint32_t vectors[8] = {0xe3a0f801, 0xe1b0f00e, 0xe1b0f00e, 0xe3a0f801,
                                                0xe25ef004, 0xe1b0f00e, 0xe25ef004, 0xe25ef004};
            for (unsigned i = 0; i < 8; i++)
                poke(r, 4 * i, vectors[i]);
            /* a table whose first MiB maps the RAM, so the code runs translated */
            map_section(r, 0, section(0, 3, 0));
            cp15w(r, 2, 0, 0, TTB);
            cp15w(r, 3, 0, 0, (uint32_t)x | 3); /* domain 0 manager */
            cp15w(r, 1, 0, 0, VT_SCTLR_M | ((uint32_t)(x >> 32) & (VT_SCTLR_A | VT_SCTLR_S)));
            r->c->r[15] = 0x10000 + ((uint32_t)(x >> 40) & 0xefffcu);
            if (m == 1 && seed % 2) { /* VFP on: random CP10/CP11 encodings run */
                cp15w(r, 1, 0, 2, 0x00f00000);
                r->c->vfp.fpexc = VT_FPEXC_EN;
                r->c->vfp.fpscr = (uint32_t)x & VT_FPSCR_WRITABLE;
                for (unsigned i = 0; i < 32; i++)
                    r->c->vfp.s[i] = 0x3f800000u + i; /* changes show the VFP ran */
            }
            uint64_t before = r->c->base.cycles;
            for (unsigned i = 0; i < 50; i++) {
                r->c->base.ops->set_irq(&r->c->base, 0, i % 7 == 0);
                r->c->base.ops->set_irq(&r->c->base, 1, r->c->base.halted);
                r->c->base.ops->run(&r->c->base, 1000);
            }
            assert_true(r->c->base.cycles >= before + 50 * 1000);
            for (unsigned i = 0; m == 1 && seed % 2 && i < 32; i++)
                vfp_used |= r->c->vfp.s[i] != 0x3f800000u + i;
        }
        destroy(r);
    }
    assert_true(vfp_used); /* the random code did reach the VFP */
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(devnull);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section_map),
        cmocka_unit_test(test_coarse_small_subpages),
        cmocka_unit_test(test_fine_tiny_pages),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_permission_fault_guest),
        cmocka_unit_test(test_ldrt_user_permissions),
        cmocka_unit_test(test_alignment_fault),
        cmocka_unit_test(test_v6_xn_prefetch_abort),
        cmocka_unit_test(test_v6_asid_context_switch),
        cmocka_unit_test(test_v6_cache_op_by_mva_aborts),
        cmocka_unit_test(test_tlb_survives_save_load),
        cmocka_unit_test(test_v6_apx_ttbcr),
        cmocka_unit_test(test_wfi),
        cmocka_unit_test(test_ids_and_ti925t_c15),
        cmocka_unit_test(test_v6_pmu),
        cmocka_unit_test(test_v6_debug_registers),
        cmocka_unit_test(test_random_system_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
