/* SPARC V8 core tests (microSPARC-II model): condition codes, delayed branches with annul,
 * multiply/divide, register windows and their traps, LDSTUB/SWAP, Ticc and illegal-
 * instruction traps, the SRMMU table walk and fault registers, FPU arithmetic, compares,
 * FBfcc and the unimplemented quad trap, self-modifying code, and the disassembler.
 * Programs are hand-assembled into RAM and run through the core/cpu.h interface (mostly one
 * instruction at a time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/bus.h"
#include "core/cpu.h"
#include "core/cpu/sparc/sparc.h"

enum { R_PC = 32, R_NPC, R_PSR, R_WIM, R_TBR, R_Y, R_FSR, R_F0 };
enum { G1 = 1, G2, G3, G4, O0 = 8, O1, L1 = 17, L2, I0 = 24 };
#define PSR_S 0x80u
#define PSR_PS 0x40u
#define PSR_ET 0x20u
#define PSR_EF 0x1000u

#define F3(op, rd, op3, rs1, rs2)                                                                  \
    ((uint32_t)(op) << 30 | (uint32_t)(rd) << 25 | (uint32_t)(op3) << 19 | (uint32_t)(rs1) << 14 | \
     (uint32_t)(rs2))
#define F3I(op, rd, op3, rs1, imm) (F3(op, rd, op3, rs1, 0) | 1u << 13 | ((uint32_t)(imm)&0x1fff))
#define F3A(rd, op3, rs1, asi, rs2) (F3(3, rd, op3, rs1, rs2) | (uint32_t)(asi) << 5)
#define BICC(a, cond, disp)                                                                        \
    ((uint32_t)(a) << 29 | (uint32_t)(cond) << 25 | 2u << 22 | ((uint32_t)(disp)&0x3fffff))
#define FBFCC(a, cond, disp)                                                                       \
    ((uint32_t)(a) << 29 | (uint32_t)(cond) << 25 | 6u << 22 | ((uint32_t)(disp)&0x3fffff))
#define FPOP(op3, rd, rs1, opf, rs2) (F3(2, rd, op3, rs1, rs2) | (uint32_t)(opf) << 5)
#define NOP 0x01000000u

typedef struct fixture {
    vt_bus bus;
    vt_region *ram;
    vt_cpu *cpu;
} fixture;

static int setup(void **state) {
    static fixture f;
    vt_error err;
    memset(&f, 0, sizeof f);
    assert_int_equal(vt_bus_init(&f.bus, VT_BIG_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&f.bus, "ram", 0, 0x100000, false, &f.ram, &err), 0);
    vt_cpu_config cc = {.model = "microsparc2", .hz = 110000000, .bus = &f.bus};
    f.cpu = vt_cpu_create(&cc, &err);
    assert_non_null(f.cpu);
    /* boot-mode fetches from "PROM" physical 0 = our RAM */
    assert_int_equal(vt_sparc_set_boot_prom(f.cpu, 0), 0);
    f.cpu->ops->set_reg(f.cpu, R_TBR, 0x4000);
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    vt_cpu_destroy(f->cpu);
    vt_bus_free(&f->bus);
    return 0;
}

static void load(fixture *f, uint32_t addr, const uint32_t *code, size_t n) {
    for (size_t i = 0; i < n; i++)
        store_be32(f->ram->host + addr + 4 * i, code[i]);
}
static uint64_t R(fixture *f, int n) {
    return f->cpu->ops->get_reg(f->cpu, n);
}
static void W(fixture *f, int n, uint64_t v) {
    f->cpu->ops->set_reg(f->cpu, n, v);
}
static void step(fixture *f, int n) {
    while (n--)
        f->cpu->ops->run(f->cpu, 1);
}
static void start(fixture *f, uint32_t pc, uint32_t psr) {
    W(f, R_PC, pc);
    W(f, R_NPC, pc + 4);
    W(f, R_PSR, psr);
    W(f, R_WIM, 0);
}
static unsigned icc(fixture *f) {
    return (unsigned)(R(f, R_PSR) >> 20) & 15;
} /* NZVC */

static void test_condition_codes(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3I(2, G3, 0x10, G2, 1), /* addcc %g2, 1, %g3 */
        F3I(2, G3, 0x14, 0, 1),  /* subcc %g0, 1, %g3 */
        F3I(2, G4, 0x18, 0, 0),  /* addxcc %g0, 0, %g4: carry in */
        F3(2, G3, 0x13, G2, G2), /* xorcc %g2, %g2, %g3 */
    };
    load(f, 0, prog, 4);
    start(f, 0, PSR_S);
    W(f, G2, 0x7fffffff);
    step(f, 1);
    assert_int_equal(R(f, G3), 0x80000000u);
    assert_int_equal(icc(f), 0xa); /* N V */
    step(f, 1);
    assert_int_equal(R(f, G3), 0xffffffffu);
    assert_int_equal(icc(f), 0x9); /* N C (borrow) */
    step(f, 1);
    assert_int_equal(R(f, G4), 1);
    step(f, 1);
    assert_int_equal(icc(f), 0x4); /* Z */
}

static void test_branch_annul(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3(2, 0, 0x14, 0, 0),   /* 0: subcc %g0, %g0, %g0 -> Z */
        BICC(1, 9, 3),          /* 4: bne,a 16 (not taken: delay slot annulled) */
        F3I(2, G1, 0x02, 0, 1), /* 8: or 1, %g1 (annulled) */
        F3I(2, G2, 0x02, 0, 2), /* 12: or 2, %g2 */
        BICC(0, 1, 3),          /* 16: be 28 (taken: delay slot runs) */
        F3I(2, G3, 0x02, 0, 3), /* 20: or 3, %g3 */
        F3I(2, G1, 0x02, 0, 9), /* 24: skipped */
        BICC(1, 8, 2),          /* 28: ba,a 36: delay slot annulled */
        F3I(2, G1, 0x02, 0, 7), /* 32: annulled */
        NOP,                    /* 36 */
    };
    load(f, 0, prog, VT_ARRAY_LEN(prog));
    start(f, 0, PSR_S);
    W(f, G1, 0);
    step(f, 3);
    assert_int_equal(R(f, G1), 0);
    assert_int_equal(R(f, G2), 2);
    assert_int_equal(R(f, R_PC), 16);
    step(f, 2);
    assert_int_equal(R(f, G3), 3);
    assert_int_equal(R(f, R_PC), 28);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 36);
    assert_int_equal(R(f, G1), 0);
}

static void test_mul_div(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3I(2, G3, 0x0a, G1, 2), /* umul %g1, 2, %g3 */
        F3I(2, G3, 0x0f, G2, 7), /* sdiv %g2, 7, %g3 (Y:g2 = -100) */
        F3I(2, G3, 0x1e, 0, 1),  /* udivcc %g0, 1, %g3 with Y = 1: overflow */
        F3(2, G3, 0x0e, G1, 0),  /* udiv %g1, %g0: division by zero */
    };
    load(f, 0, prog, 4);
    start(f, 0, PSR_S | PSR_ET);
    W(f, G1, 0xffffffff);
    W(f, G2, (uint32_t)-100);
    step(f, 1);
    assert_int_equal(R(f, G3), 0xfffffffeu);
    assert_int_equal(R(f, R_Y), 1);
    W(f, R_Y, 0xffffffff);
    step(f, 1);
    assert_int_equal(R(f, G3), (uint32_t)-14);
    W(f, R_Y, 1);
    step(f, 1);
    assert_int_equal(R(f, G3), 0xffffffffu);
    assert_int_equal(icc(f) & 2, 2); /* V */
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x2a * 16);
    assert_int_equal(R(f, R_TBR) & 0xff0, 0x2a0);
}

static void test_windows(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3I(2, O0, 0x3c, 0, 0),  /* save %g0, 0, %o0 -> new window's %o0 = 0 */
        F3I(2, O0, 0x3d, I0, 1), /* restore %i0, 1, %o0 */
        F3I(2, 0, 0x3c, 0, 0),   /* save: window 7 invalid -> overflow */
    };
    load(f, 0, prog, 3);
    start(f, 0, PSR_S | PSR_ET);
    W(f, O0, 0x1234);
    step(f, 1);
    assert_int_equal(R(f, R_PSR) & 31, 7);
    assert_int_equal(R(f, I0), 0x1234); /* the caller's outs are our ins */
    step(f, 1);
    assert_int_equal(R(f, R_PSR) & 31, 0);
    assert_int_equal(R(f, O0), 0x1235);
    W(f, R_WIM, 1u << 7);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x05 * 16);
    /* trap entry: CWP decremented, traps off, PS = old S, pc/npc in %l1/%l2 */
    assert_int_equal(R(f, R_PSR) & 31, 7);
    assert_int_equal(R(f, R_PSR) & (PSR_ET | PSR_PS | PSR_S), PSR_PS | PSR_S);
    assert_int_equal(R(f, L1), 8);
    assert_int_equal(R(f, L2), 12);
}

static void test_ldstub_swap_ticc_illegal(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3(3, G2, 0x0d, G1, 0),   /* ldstub [%g1], %g2 */
        F3(3, G3, 0x0f, G1, 0),   /* swap [%g1], %g3 */
        F3I(2, 8, 0x3a, 0, 0x10), /* ta 0x10 */
    };
    load(f, 0, prog, 3);
    store_be32(f->ram->host + 0x2000, 0x11223344);
    start(f, 0, PSR_S | PSR_ET);
    W(f, G1, 0x2000);
    W(f, G3, 0xcafef00d);
    step(f, 1);
    assert_int_equal(R(f, G2), 0x11);
    assert_int_equal(load_be32(f->ram->host + 0x2000), 0xff223344u);
    step(f, 1);
    assert_int_equal(R(f, G3), 0xff223344u);
    assert_int_equal(load_be32(f->ram->host + 0x2000), 0xcafef00du);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x90 * 16);
    assert_int_equal(R(f, L1), 8); /* the Ticc itself */
    /* UNIMP is illegal_instruction */
    store_be32(f->ram->host + 0x100, 0);
    start(f, 0x100, PSR_S | PSR_ET);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x02 * 16);
    /* a trap with ET = 0 stops the processor (error mode) */
    start(f, 0x100, PSR_S);
    step(f, 1);
    assert_true(f->cpu->halted);
}

static void test_srmmu(void **state) {
    fixture *f = *state;
    uint8_t *m = f->ram->host;
    /* context table at 0x10000: context 0 -> level-1 table at 0x10400 */
    store_be32(m + 0x10000, (0x10400 >> 4) | 1);
    /* va 0x40000000 (L1 index 0x40): a 16 MiB PTE -> pa 0, ACC 3 (RWX), cacheable */
    store_be32(m + 0x10400 + 0x40 * 4, (0u >> 4) | 3u << 2 | 2);
    store_be32(m + 0x2000, 0x5a5a1234);
    uint32_t code[] = {
        F3A(G4, 0x14, G3, 4, 0), /* sta %g4, [%g3] 4: CTPR */
        F3A(0, 0x14, G2, 4, 0),  /* sta %g0, [%g2] 4: context 0 (g2 = 0x200) */
        F3A(G1, 0x14, 0, 4, 0),  /* sta %g1, [%g0] 4: enable (g1 = 1) */
        F3I(3, O0, 0x00, O1, 0), /* ld [%o1], %o0 (o1 = 0x40002000) */
        F3I(3, O0, 0x00, O1, 0), /* ld [%o1] again with o1 = 0x50000000: invalid */
    };
    /* code must stay reachable with the MMU on: run it at va 0x40000100 after enabling */
    load(f, 0x100, code, 5);
    start(f, 0x100, PSR_S | PSR_ET);
    W(f, G1, 1);
    W(f, G2, 0x200);
    W(f, G3, 0x100);
    W(f, G4, 0x10000 >> 4);
    step(f, 3);
    W(f, R_PC, 0x4000010c);
    W(f, R_NPC, 0x40000110);
    W(f, O1, 0x40002000);
    step(f, 1);
    assert_int_equal(R(f, O0), 0x5a5a1234u);
    /* referenced bit set in the PTE */
    assert_int_equal(load_be32(m + 0x10400 + 0x40 * 4) & 0x20, 0x20);
    W(f, O1, 0x50000000);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x09 * 16);
    /* read SFSR / SFAR through ASI 4 with a tiny program at the trap vector */
    uint32_t rd[] = {
        F3A(G2, 0x10, G3, 4, 0), /* lda [%g3] 4, %g2: SFSR (g3 = 0x300) */
        F3A(G4, 0x10, G1, 4, 0), /* lda [%g1] 4, %g4: SFAR (g1 = 0x400) */
    };
    /* the trap vector is reached through the MMU: map it with the same PTE at va 0x4000 */
    store_be32(m + 0x10400, (0u >> 4) | 3u << 2 | 2);
    load(f, 0x4000 + 0x09 * 16, rd, 2);
    W(f, G3, 0x300);
    W(f, G1, 0x400);
    step(f, 2);
    /* level 1, AT 1 (supervisor data load), FT 1 (invalid), FAV */
    assert_int_equal(R(f, G2) & 0x3fe, 1u << 8 | 1u << 5 | 1u << 2 | 2);
    assert_int_equal(R(f, G4), 0x50000000u);
}

static void test_fpu(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        FPOP(0x34, 2, 0, 0x41, 1), /* fadds %f0, %f1, %f2 */
        FPOP(0x35, 0, 0, 0x51, 1), /* fcmps %f0, %f1 */
        NOP,
        FBFCC(0, 4, 4), /* fbl +16 */
        NOP,
        0,
        0,
        FPOP(0x34, 4, 0, 0x43, 4), /* faddq: not on the MB86904 */
    };
    load(f, 0, prog, VT_ARRAY_LEN(prog));
    start(f, 0, PSR_S | PSR_ET | PSR_EF);
    float a = 1.5f, b = 2.25f, c;
    uint32_t u;
    memcpy(&u, &a, 4);
    W(f, R_F0, u);
    memcpy(&u, &b, 4);
    W(f, R_F0 + 1, u);
    step(f, 1);
    u = (uint32_t)R(f, R_F0 + 2);
    memcpy(&c, &u, 4);
    assert_true(c == 3.75f);
    step(f, 3);
    assert_int_equal((R(f, R_FSR) >> 10) & 3, 1); /* fcc = L */
    step(f, 1);
    assert_int_equal(R(f, R_PC), 28);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x08 * 16);
    assert_int_equal((R(f, R_FSR) >> 14) & 7, 3); /* ftt = unimplemented_FPop */
    /* FP disabled */
    start(f, 0, PSR_S | PSR_ET);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x04 * 16);
}

static void test_tagged_and_mulscc(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3I(2, G3, 0x20, G1, 4), /* taddcc %g1 (=5, tag 01), 4: V from the tag */
        F3I(2, G3, 0x22, G1, 4), /* taddcctv: tag overflow trap */
    };
    load(f, 0, prog, 2);
    start(f, 0, PSR_S | PSR_ET);
    W(f, G1, 5);
    step(f, 1);
    assert_int_equal(R(f, G3), 9);
    assert_int_equal(icc(f) & 2, 2);
    W(f, G3, 0);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x0a * 16);
    assert_int_equal(R(f, G3), 0); /* not written */
    /* 32 MULScc steps + final shift compute a 32x32 product (V8 appendix E algorithm) */
    uint32_t mul[40];
    int n = 0;
    mul[n++] = F3(2, 0, 0x30, G1, 0); /* wr %g1, %y (multiplier) */
    mul[n++] = F3(2, G4, 0x12, 0, 0); /* orcc %g0, %g0, %g4: clear N, V */
    for (int i = 0; i < 32; i++)
        mul[n++] = F3(2, G4, 0x24, G4, G2); /* mulscc %g4, %g2, %g4 */
    mul[n++] = F3(2, G4, 0x24, G4, 0);      /* mulscc %g4, %g0, %g4 */
    load(f, 0x200, mul, (size_t)n);
    start(f, 0x200, PSR_S);
    W(f, G1, 1234);
    W(f, G2, 5678);
    step(f, n);
    /* high word in %g4, low word in %y (positive operands) */
    assert_int_equal(R(f, G4), 0);
    assert_int_equal(R(f, R_Y), 1234u * 5678u);
}

static void test_rett_privilege_alignment(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3I(2, 0, 0x38, L2, 0), /* trap vector of "ta 0": jmpl %l2, %g0 */
        F3I(2, 0, 0x39, L2, 4), /* rett %l2 + 4: resume after the Ticc */
    };
    load(f, 0x4000 + 0x80 * 16, prog, 2); /* vector of "ta 0" */
    const uint32_t user[] = {
        F3I(2, 0, 0x3a, 0, 0) | 8u << 25, /* 0x100: ta 0 (cond 8 = always) */
        F3I(2, G1, 0x02, 0, 7),           /* 0x104: or 7, %g1  (the handler returns here) */
        F3(2, G2, 0x29, 0, 0),            /* 0x108: rd %psr in user mode: privileged */
    };
    load(f, 0x100, user, 3);
    start(f, 0x100, PSR_ET); /* user mode, CWP 0 */
    step(f, 1);
    assert_int_equal(R(f, R_PSR) & (PSR_S | PSR_ET), PSR_S);
    step(f, 2); /* jmpl + rett: back in user mode, window restored, traps on */
    assert_int_equal(R(f, R_PC), 0x104);
    assert_int_equal(R(f, R_PSR) & (PSR_S | PSR_ET | 31), PSR_ET);
    step(f, 2);
    print_message("ram %08x pc %08x g3 %u\n", load_be32(f->ram->host + 0x1014),
                  (unsigned)R(f, R_PC), (unsigned)R(f, G3));
    assert_int_equal(R(f, G1), 7);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x03 * 16);
    /* misaligned word load */
    const uint32_t ld[] = {F3I(3, G3, 0x00, G1, 2)};
    load(f, 0x300, ld, 1);
    start(f, 0x300, PSR_S | PSR_ET);
    W(f, G1, 0x2000);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x07 * 16);
    /* LDD/STD move register pairs */
    const uint32_t dbl[] = {F3I(3, G2, 0x03, G1, 0), F3I(3, G2, 0x07, G1, 8)};
    load(f, 0x300, dbl, 2);
    store_be32(f->ram->host + 0x2000, 0x01020304);
    store_be32(f->ram->host + 0x2004, 0x05060708);
    start(f, 0x300, PSR_S | PSR_ET);
    step(f, 2);
    assert_int_equal(R(f, G2), 0x01020304);
    assert_int_equal(R(f, G3), 0x05060708);
    assert_int_equal(load_be32(f->ram->host + 0x200c), 0x05060708);
}

static void test_interrupts(void **state) {
    fixture *f = *state;
    const uint32_t loop[] = {BICC(0, 8, 0), NOP}; /* ba . */
    load(f, 0x100, loop, 2);
    start(f, 0x100, PSR_S | PSR_ET | 5u << 8); /* PIL 5 */
    f->cpu->ops->set_irq(f->cpu, 5, true);     /* not above PIL: ignored */
    step(f, 4);
    assert_true(R(f, R_PC) >= 0x100 && R(f, R_PC) < 0x108);
    f->cpu->ops->set_irq(f->cpu, 6, true);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x16 * 16);
    f->cpu->ops->set_irq(f->cpu, 5, false);
    f->cpu->ops->set_irq(f->cpu, 6, false);
    /* level 15 is taken even at PIL 15 */
    start(f, 0x100, PSR_S | PSR_ET | 15u << 8);
    f->cpu->ops->set_irq(f->cpu, 15, true);
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x1f * 16);
    f->cpu->ops->set_irq(f->cpu, 15, false);
}

static void test_fpu_modes_and_queue(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        FPOP(0x34, 2, 0, 0x4d, 1),  /* fdivs %f0, %f1, %f2: 1/3 */
        FPOP(0x34, 4, 0, 0x0c8, 6), /* fitod %f6, %f4 */
        FPOP(0x34, 8, 0, 0x0d2, 4), /* fdtoi %f4, %f8 */
        FPOP(0x34, 2, 0, 0x4d, 3),  /* fdivs %f0, %f3 (= 0): division by zero, trap enabled */
    };
    load(f, 0, prog, 4);
    start(f, 0, PSR_S | PSR_ET | PSR_EF);
    float one = 1.0f, three = 3.0f, r;
    uint32_t u;
    memcpy(&u, &one, 4);
    W(f, R_F0, u);
    memcpy(&u, &three, 4);
    W(f, R_F0 + 1, u);
    W(f, R_F0 + 3, 0);
    W(f, R_F0 + 6, (uint32_t)-42);
    W(f, R_FSR, 1u << 30); /* round toward zero */
    step(f, 1);
    u = (uint32_t)R(f, R_F0 + 2);
    memcpy(&r, &u, 4);
    assert_int_equal(u, 0x3eaaaaaa);      /* truncated, nearest would be ...ab */
    assert_int_equal(R(f, R_FSR) & 1, 1); /* cexc: inexact */
    (void)r;
    step(f, 2);
    assert_int_equal(R(f, R_F0 + 8), (uint32_t)-42);
    W(f, R_FSR, 1u << (23 + 1)); /* TEM: division by zero */
    step(f, 1);
    assert_int_equal(R(f, R_PC), 0x4000 + 0x08 * 16);
    assert_int_equal((R(f, R_FSR) >> 14) & 7, 1); /* ftt = IEEE_754_exception */
    assert_int_equal(R(f, R_FSR) & 0x1f, 2);      /* cexc = dz */
    assert_int_equal((R(f, R_FSR) >> 13) & 1, 1); /* qne */
    /* the handler empties the queue with STDFQ */
    const uint32_t q[] = {F3I(3, 0, 0x26, G1, 0)};
    load(f, 0x4000 + 0x08 * 16, q, 1);
    W(f, G1, 0x3000);
    step(f, 1);
    assert_int_equal(load_be32(f->ram->host + 0x3000), 12); /* address of the FPop */
    assert_int_equal(load_be32(f->ram->host + 0x3004), prog[3]);
    assert_int_equal((R(f, R_FSR) >> 13) & 1, 0);
}

/* A store into the code page being executed, in one run() call (the run loop keeps the page's
 * host address across instructions): the next execution of the word sees the new instruction. */
static void test_self_modifying_code(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        F3I(3, G2, 0x04, 0, 0x814), /* st %g2, [0x814] */
        F3I(2, 0, 0x3b, 0, 0x814),  /* flush 0x814 */
        NOP,
        NOP,
        F3I(2, G3, 0x00, G3, 1), /* 0x810: add %g3, 1, %g3 */
        F3I(2, G1, 0x02, 0, 1),  /* 0x814: or %g0, 1, %g1 (overwritten: or %g0, 7, %g1) */
        BICC(0, 8, 0),           /* ba . */
        NOP,
    };
    load(f, 0x800, prog, VT_ARRAY_LEN(prog));
    start(f, 0x800, PSR_S);
    W(f, G2, F3I(2, G1, 0x02, 0, 7));
    f->cpu->ops->run(f->cpu, 60);
    assert_int_equal(R(f, G1), 7);
    assert_int_equal(R(f, G3), 1);
    /* a write from outside the CPU (as DMA would) between runs, no FLUSH */
    store_be32(f->ram->host + 0x818, F3I(2, G1, 0x02, 0, 9)); /* the ba becomes or 9 */
    W(f, R_PC, 0x814);
    W(f, R_NPC, 0x818);
    f->cpu->ops->run(f->cpu, 2);
    assert_int_equal(R(f, G1), 9);
}

static void test_disasm(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {F3I(2, G2, 0x10, G1, 5), BICC(1, 9, 3), F3A(G4, 0x14, G3, 4, 0)};
    load(f, 0, prog, 3);
    start(f, 0, PSR_S);
    char buf[64];
    assert_int_equal(f->cpu->ops->disasm(f->cpu, 0, buf, sizeof buf), 4);
    assert_string_equal(buf, "addcc %g1, 5, %g2");
    f->cpu->ops->disasm(f->cpu, 4, buf, sizeof buf);
    assert_string_equal(buf, "bne,a 0x00000010");
    f->cpu->ops->disasm(f->cpu, 8, buf, sizeof buf);
    assert_string_equal(buf, "sta %g4, [%g3 + %g0] 0x04");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_condition_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_branch_annul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mul_div, setup, teardown),
        cmocka_unit_test_setup_teardown(test_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ldstub_swap_ticc_illegal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_srmmu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fpu, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tagged_and_mulscc, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rett_privilege_alignment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fpu_modes_and_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_self_modifying_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disasm, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
