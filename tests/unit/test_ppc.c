/* PowerPC 750 core tests (ppc750 model): reset state and PVR, exception entry and rfi for sc,
 * program (illegal, privileged, trap, fsqrt absent), FP unavailable, alignment, DSI/ISI and
 * trace, BAT and hashed-page-table translation with R/C updates and protection, the
 * decrementer and external interrupts, time base rate, save/load round trip, and the 750
 * behaviours QEMU does not model (FR, fnmadd rounding order, mffs/fctiw high word, the
 * ISA 3.0 mffscrni encoding, fres/frsqrte precision, divw undefined results, reservation
 * granule), plus dcbz, string instructions and the disassembler. Programs are hand-assembled
 * into RAM and run through the core/cpu.h interface. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "core/bus.h"
#include "core/cpu.h"
#include "core/cpu/ppc/ppc.h"
#include "core/savestate.h"

/* Encodings (MPCFPE32B appendix A). */
#define D(op, rt, ra, imm)                                                                         \
    ((uint32_t)(op) << 26 | (uint32_t)(rt) << 21 | (uint32_t)(ra) << 16 | ((uint32_t)(imm)&0xffffu))
#define X(op, rt, ra, rb, xo, rc)                                                                  \
    ((uint32_t)(op) << 26 | (uint32_t)(rt) << 21 | (uint32_t)(ra) << 16 | (uint32_t)(rb) << 11 |   \
     (uint32_t)(xo) << 1 | (uint32_t)(rc))
#define A(op, t, a, b, c, xo, rc)                                                                  \
    ((uint32_t)(op) << 26 | (uint32_t)(t) << 21 | (uint32_t)(a) << 16 | (uint32_t)(b) << 11 |      \
     (uint32_t)(c) << 6 | (uint32_t)(xo) << 1 | (uint32_t)(rc))
#define MTSPR(spr, rs) X(31, rs, (spr)&31, (spr) >> 5, 467, 0)
#define MFSPR(rt, spr) X(31, rt, (spr)&31, (spr) >> 5, 339, 0)
#define LI(rt, v) D(14, rt, 0, v)
#define LWZ(rt, d, ra) D(32, rt, ra, d)
#define STW(rs, d, ra) D(36, rs, ra, d)
#define SC 0x44000002u
#define RFI 0x4c000064u
#define NOP 0x60000000u

enum {
    PC = VT_PPC_PC,
    MSR = VT_PPC_MSR,
    CR = VT_PPC_CR,
    XER = VT_PPC_XER,
    FPSCR = VT_PPC_FPSCR,
    SRR0 = VT_PPC_SRR0,
    SRR1 = VT_PPC_SRR1,
    DAR = VT_PPC_DAR,
    DSISR = VT_PPC_DSISR
};
#define F(n) (VT_PPC_F0 + (n))
#define MSR_EE 0x8000u
#define MSR_PR 0x4000u
#define MSR_FP 0x2000u
#define MSR_ME 0x1000u
#define MSR_SE 0x0400u
#define MSR_IP 0x0040u
#define MSR_IR 0x0020u
#define MSR_DR 0x0010u

typedef struct fixture {
    vt_bus bus;
    vt_region *ram, *rom;
    vt_cpu *cpu;
} fixture;

static fixture *new_fixture(void) {
    fixture *f = calloc(1, sizeof *f);
    vt_error err;
    assert_non_null(f);
    assert_int_equal(vt_bus_init(&f->bus, VT_BIG_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&f->bus, "ram", 0, 0x1000000, false, &f->ram, &err), 0);
    assert_int_equal(vt_bus_add_ram(&f->bus, "boot", 0xfff00000u, 0x100000, false, &f->rom, &err),
                     0);
    vt_cpu_config cc = {.model = "ppc750", .hz = 400000000, .bus = &f->bus};
    f->cpu = vt_cpu_create(&cc, &err);
    assert_non_null(f->cpu);
    assert_int_equal(vt_ppc_set_timebase_hz(f->cpu, 100000000), 0); /* core / 4 */
    return f;
}

static int setup(void **state) {
    *state = new_fixture();
    return 0;
}

static void free_fixture(fixture *f) {
    vt_cpu_destroy(f->cpu);
    vt_bus_free(&f->bus);
    free(f);
}

static int teardown(void **state) {
    free_fixture(*state);
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
    while (n--) {
        uint64_t i = f->cpu->insns;
        while (f->cpu->insns == i)
            f->cpu->ops->run(f->cpu, 1);
    }
}
/* Supervisor state with FP on, exceptions at 0x0000_0xxx. */
static void start(fixture *f, uint32_t pc, uint32_t msr) {
    W(f, MSR, msr);
    W(f, PC, pc);
}
static double dbl(uint64_t u) {
    double d;
    memcpy(&d, &u, 8);
    return d;
}
static uint64_t bits(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static void test_reset_and_pvr(void **state) {
    fixture *f = *state;
    f->cpu->ops->reset(f->cpu);
    assert_int_equal(R(f, PC), 0xfff00100u);
    assert_int_equal(R(f, MSR), MSR_IP);
    store_be32(f->rom->host + 0x100, MFSPR(3, 287));
    step(f, 1);
    assert_int_equal(R(f, 3), 0x00080202u);
}

static void test_sc_and_rfi(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {SC, LI(4, 7)};
    load(f, 0x1000, prog, 2);
    store_be32(f->ram->host + 0xc00, RFI);
    start(f, 0x1000, MSR_EE | MSR_PR | MSR_FP | MSR_ME);
    step(f, 1);
    assert_int_equal(R(f, PC), 0xc00);
    assert_int_equal(R(f, SRR0), 0x1004);
    assert_int_equal(R(f, SRR1), MSR_EE | MSR_PR | MSR_FP | MSR_ME);
    assert_int_equal(R(f, MSR), MSR_ME); /* everything but ME (and IP) cleared */
    step(f, 1);
    assert_int_equal(R(f, PC), 0x1004);
    assert_int_equal(R(f, MSR), MSR_EE | MSR_PR | MSR_FP | MSR_ME);
    step(f, 1);
    assert_int_equal(R(f, 4), 7);
}

static void test_program_exceptions(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        0x00000000u,              /* 0x1000: illegal */
        A(63, 1, 0, 2, 0, 22, 0), /* 0x1004: fsqrt: not on the 750 */
        X(31, 3, 0, 0, 83, 0),    /* 0x1008: mfmsr in user mode: privileged */
        X(31, 4, 3, 3, 4, 0),     /* 0x100c: tw 4 (equal),r3,r3: traps */
        0xfc17048eu,              /* 0x1010: mffscrni (ISA 3.0) executes as mffs */
    };
    load(f, 0x1000, prog, VT_ARRAY_LEN(prog));
    const uint32_t causes[] = {1u << 19, 1u << 19, 1u << 18, 1u << 17};
    for (unsigned k = 0; k < 4; k++) {
        start(f, 0x1000 + 4 * k, MSR_PR | MSR_FP | MSR_ME);
        step(f, 1);
        assert_int_equal(R(f, PC), 0x700);
        assert_int_equal(R(f, SRR0), 0x1000 + 4 * k);
        assert_int_equal(R(f, SRR1) & 0x001f0000u, causes[k]);
    }
    start(f, 0x1010, MSR_PR | MSR_FP | MSR_ME);
    W(f, FPSCR, 0x82000003u);
    step(f, 1);
    assert_int_equal(R(f, PC), 0x1014);
    assert_int_equal(R(f, F(0)), 0xfff8000082000003ull);
    assert_int_equal(R(f, FPSCR), 0x82000003u); /* RN unchanged: no mffscrn semantics */
}

static void test_fp_unavailable_alignment_trace(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        A(63, 1, 2, 3, 0, 21, 0), /* fadd f1,f2,f3 */
        D(46, 28, 5, 2),          /* lmw r28,2(r5): unaligned */
        LI(6, 1),
        LI(7, 2),
    };
    load(f, 0x2000, prog, 4);
    start(f, 0x2000, MSR_ME);
    step(f, 1);
    assert_int_equal(R(f, PC), 0x800);
    assert_int_equal(R(f, SRR0), 0x2000);
    start(f, 0x2004, MSR_ME);
    W(f, 5, 0x3000);
    step(f, 1);
    assert_int_equal(R(f, PC), 0x600);
    assert_int_equal(R(f, DAR), 0x3002);
    assert_int_equal(R(f, DSISR) & 0x3ff, 28u << 5 | 5); /* rD, rA fields */
    start(f, 0x2008, MSR_ME | MSR_SE);
    step(f, 1);
    assert_int_equal(R(f, 6), 1);
    assert_int_equal(R(f, PC), 0xd00);
    assert_int_equal(R(f, SRR0), 0x200c);
}

/* BATs: DBAT0 maps EA 0x8000_0000 (128 KiB) to PA 0x0010_0000, read/write, supervisor;
 * DBAT1 maps 0x9000_0000 read-only. */
static void test_bat_translation(void **state) {
    fixture *f = *state;
    store_be32(f->ram->host + 0x100010, 0xcafef00du);
    const uint32_t prog[] = {
        LWZ(3, 0x10, 4),
        STW(3, 0x20, 4),
        STW(3, 0, 5),
        NOP,
    };
    load(f, 0x1000, prog, 4);
    start(f, 0x1000, MSR_ME | MSR_DR);
    assert_int_equal(f->cpu->ops->run != NULL, 1);
    W(f, 4, 0x80000000u);
    W(f, 5, 0x90000000u);
    /* mtspr through set_reg is not exposed for BATs: run mtspr instructions */
    const uint32_t setup_code[] = {
        MTSPR(536, 10),
        MTSPR(537, 11),
        MTSPR(538, 12),
        MTSPR(539, 13),
    };
    load(f, 0x800000, setup_code, 4);
    start(f, 0x800000, MSR_ME);
    W(f, 10, 0x80000000u | 0 << 2 | 2); /* BEPI, BL=128K, Vs */
    W(f, 11, 0x00100000u | 2);          /* BRPN, PP=rw */
    W(f, 12, 0x90000000u | 2);
    W(f, 13, 0x00100000u | 1); /* PP = read-only */
    step(f, 4);
    start(f, 0x1000, MSR_ME | MSR_DR);
    step(f, 2);
    assert_int_equal(R(f, 3), 0xcafef00du);
    assert_int_equal(load_be32(f->ram->host + 0x100020), 0xcafef00du);
    step(f, 1); /* store through the read-only BAT */
    assert_int_equal(R(f, PC), 0x300);
    assert_int_equal(R(f, DSISR), 0x0a000000u); /* protection | store */
    assert_int_equal(R(f, DAR), 0x90000000u);
    start(f, 0x1000, MSR_ME | MSR_DR | MSR_PR); /* user: Vp=0, no BAT, no PTE */
    step(f, 1);
    assert_int_equal(R(f, PC), 0x300);
    assert_int_equal(R(f, DSISR), 0x40000000u);
}

/* Hashed page table at 0x0020_0000 (64 KiB, mask 0); SR1 = VSID 0x123, Ks=0 Kp=1. */
static void put_pte(fixture *f, uint32_t ea, uint32_t vsid, uint32_t pa, unsigned pp) {
    uint32_t hash = (vsid & 0x7ffff) ^ ((ea >> 12) & 0xffff);
    uint32_t pteg = 0x200000u | (hash & 0x3ff) << 6;
    store_be32(f->ram->host + pteg, 0x80000000u | vsid << 7 | (ea >> 22 & 0x3f));
    store_be32(f->ram->host + pteg + 4, pa | pp);
}

static void test_htab_translation(void **state) {
    fixture *f = *state;
    put_pte(f, 0x10005000u, 0x123, 0x00300000u, 2);
    put_pte(f, 0x10006000u, 0x123, 0x00301000u, 3); /* read-only */
    put_pte(f, 0x10007000u, 0x123, 0x00302000u, 2); /* code page */
    store_be32(f->ram->host + 0x300040, 0x11223344u);
    const uint32_t code[] = {LI(9, 42), LWZ(3, 0, 3)};
    load(f, 0x302000, code, 2);
    W(f, VT_PPC_SDR1, 0x00200000u);
    W(f, VT_PPC_SR0 + 1, 0x20000123u); /* Kp=1 */
    const uint32_t prog[] = {LWZ(3, 0x40, 4), STW(3, 0x44, 4), STW(3, 0, 5), LWZ(6, 0, 7)};
    load(f, 0x1000, prog, 4);
    start(f, 0x1000, MSR_ME | MSR_DR);
    W(f, 4, 0x10005000u);
    W(f, 5, 0x10006000u);
    W(f, 7, 0x10008000u);
    step(f, 1);
    assert_int_equal(R(f, 3), 0x11223344u);
    uint32_t hash = (0x123 ^ 0x10005) & 0x3ff;
    assert_true(load_be32(f->ram->host + 0x200004 + (hash << 6)) & 0x100); /* R */
    assert_false(load_be32(f->ram->host + 0x200004 + (hash << 6)) & 0x80);
    step(f, 1);
    assert_int_equal(load_be32(f->ram->host + 0x300044), 0x11223344u);
    assert_true(load_be32(f->ram->host + 0x200004 + (hash << 6)) & 0x80); /* C */
    step(f, 1); /* PP=3: read-only for either key */
    assert_int_equal(R(f, PC), 0x300);
    assert_int_equal(R(f, DSISR), 0x0a000000u);
    start(f, 0x100c, MSR_ME | MSR_DR);
    step(f, 1); /* no PTE */
    assert_int_equal(R(f, PC), 0x300);
    assert_int_equal(R(f, DSISR), 0x40000000u);
    assert_int_equal(R(f, DAR), 0x10008000u);
    /* instruction fetch through the page table; then an ISI past the mapped page */
    start(f, 0x10007000u, MSR_ME | MSR_IR);
    step(f, 1);
    assert_int_equal(R(f, 9), 42);
    start(f, 0x10009000u, MSR_ME | MSR_IR);
    step(f, 1);
    assert_int_equal(R(f, PC), 0x400);
    assert_int_equal(R(f, SRR1) & 0x40000000u, 0x40000000u);
    assert_int_equal(R(f, SRR0), 0x10009000u);
}

static void test_decrementer_and_timebase(void **state) {
    fixture *f = *state;
    for (uint32_t a = 0x1000; a < 0x2000; a += 4)
        store_be32(f->ram->host + a, NOP);
    store_be32(f->ram->host + 0x900, 0x48000000u); /* b . */
    store_be32(f->ram->host + 0x500, 0x48000000u);
    start(f, 0x1000, MSR_ME | MSR_EE);
    uint64_t c0 = f->cpu->cycles;
    uint64_t tb0 = R(f, VT_PPC_TBL);
    W(f, VT_PPC_DEC, 10); /* 11 ticks = 44 core cycles until bit 0 goes 0 -> 1 */
    f->cpu->ops->run(f->cpu, 40);
    assert_true(R(f, PC) >= 0x1000 && R(f, PC) < 0x2000);
    f->cpu->ops->run(f->cpu, 8);
    assert_int_equal(R(f, SRR1) & MSR_EE, MSR_EE);
    assert_true(R(f, SRR0) >= 0x1000 && R(f, SRR0) < 0x2000);
    assert_int_equal(R(f, MSR) & MSR_EE, 0);
    assert_int_equal(R(f, PC), 0x900);
    assert_true(f->cpu->cycles - c0 >= 44);
    uint64_t tb1 = R(f, VT_PPC_TBL);
    assert_int_equal(tb1 - tb0, (f->cpu->cycles / 4) - (c0 / 4));
    assert_true(R(f, VT_PPC_DEC) >= 0xfffffff0u); /* keeps counting down past zero */
    /* external interrupt: taken once EE is set */
    f->cpu->ops->set_irq(f->cpu, VT_PPC_IRQ_INT, true);
    start(f, 0x1000, MSR_ME);
    step(f, 2);
    assert_int_equal(R(f, PC), 0x1008);
    start(f, 0x1000, MSR_ME | MSR_EE);
    step(f, 1);
    assert_int_equal(R(f, SRR0), 0x1000);
    assert_int_equal(R(f, PC), 0x500);
    f->cpu->ops->set_irq(f->cpu, VT_PPC_IRQ_INT, false);
}

static void test_save_load_roundtrip(void **state) {
    fixture *f = *state;
    for (int r = 0; r < 32; r++) {
        W(f, r, 0x01010101u * (uint32_t)r);
        W(f, F(r), 0x4000000000000000ull + (uint64_t)r);
    }
    start(f, 0x1234, MSR_ME | MSR_DR | MSR_FP);
    W(f, CR, 0x12345678u);
    W(f, VT_PPC_LR, 0xdeadbeefu);
    W(f, VT_PPC_CTR, 77);
    W(f, XER, 0xa000001fu);
    W(f, FPSCR, 0x000040f2u);
    W(f, VT_PPC_DEC, 0x1000);
    W(f, VT_PPC_TBL, 0x5000);
    W(f, VT_PPC_SR0 + 3, 0x00abcdefu);
    W(f, VT_PPC_SDR1, 0x00200000u);
    for (int n = VT_PPC_SPRG0; n < VT_PPC_NREGS; n++) /* SPRG0-3, HIDs, BATs, ... */
        W(f, n, 0x10000000u + (uint32_t)n * 0x100u);
    assert_int_equal(R(f, VT_PPC_SPRG0 + 6), 0x00080202u); /* PVR is read-only */
    assert_string_equal(f->cpu->ops->reg_name(f->cpu, VT_PPC_NREGS - 1), "dbat3l");
    vt_state_writer w;
    vt_state_writer_init(&w);
    f->cpu->ops->save(f->cpu, &w);
    fixture *g = new_fixture();
    vt_state_reader r;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(g->cpu->ops->load(g->cpu, &r), 0);
    for (int n = 0; n < VT_PPC_NREGS; n++)
        assert_int_equal(R(f, n), g->cpu->ops->get_reg(g->cpu, n));
    assert_int_equal(g->cpu->cycles, f->cpu->cycles);
    /* a truncated chunk is refused */
    vt_state_reader_init(&r, w.buf, w.len - 9);
    assert_int_not_equal(g->cpu->ops->load(g->cpu, &r), 0);
    vt_state_writer_free(&w);
    free_fixture(g);
}

/* 750 FPU behaviours the QEMU comparison cannot check. */
static void test_fpu_750_specifics(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        A(63, 1, 2, 3, 4, 31, 0),    /* fnmadd f1,f2,f4,f3 */
        A(63, 5, 6, 7, 0, 21, 0),    /* fadd f5,f6,f7 */
        A(63, 8, 0, 9, 0, 14, 0),    /* fctiw f8,f9 */
        A(59, 10, 0, 11, 0, 24, 0),  /* fres f10,f11 */
        A(63, 12, 0, 13, 0, 26, 0),  /* frsqrte f12,f13 */
        A(59, 14, 15, 16, 0, 21, 0), /* fadds f14,f15,f16 */
    };
    load(f, 0x1000, prog, VT_ARRAY_LEN(prog));
    start(f, 0x1000, MSR_ME | MSR_FP);
    /* round toward -inf: fnmadd rounds a*c+b first, then negates (MPCFPE32B fnmadd) */
    W(f, FPSCR, 3);
    W(f, F(2), bits(1.0));
    W(f, F(4), bits(1.0 + 0x1p-52));
    W(f, F(3), bits(0x1p-60));
    step(f, 1);
    assert_int_equal(R(f, F(1)), bits(-(1.0 + 0x1p-52))); /* RM(x) rounds down, then -x */
    /* FR: round to nearest increments the fraction */
    W(f, FPSCR, 0);
    W(f, F(6), bits(1.0));
    W(f, F(7), bits(0x1.8p-53));
    step(f, 1);
    assert_int_equal(R(f, F(5)), bits(1.0 + 0x1p-52));
    assert_int_equal(R(f, FPSCR) & 0x00060000u, 0x00060000u); /* FR FI */
    assert_int_equal(R(f, FPSCR) & 0x82000000u, 0x82000000u); /* FX XX */
    W(f, F(9), bits(-3.7));
    step(f, 1);
    assert_int_equal(R(f, F(8)), 0xfff80000fffffffcull);
    W(f, F(11), bits(3.0));
    step(f, 1);
    double est = dbl(R(f, F(10)));
    assert_true(fabs(est - 1.0 / 3.0) <= (1.0 / 3.0) / 4096);
    assert_int_equal(R(f, F(10)) & 0x1fffffffull, 0); /* a single-precision value */
    W(f, F(13), bits(2.0));
    step(f, 1);
    est = dbl(R(f, F(12)));
    assert_true(fabs(est - 1.0 / sqrt(2.0)) <= (1.0 / sqrt(2.0)) / 4096);
    /* single result in the single denormal range: FPRF = +denormal (C=1, FG) */
    W(f, FPSCR, 0);
    W(f, F(15), bits(0x1p-130));
    W(f, F(16), bits(0x1p-131));
    step(f, 1);
    assert_int_equal(R(f, F(14)), bits(0x1.8p-130));
    assert_int_equal((R(f, FPSCR) >> 12) & 0x1f, 0x14);
}

/* Enabled exceptions: VE leaves frD alone and (FE0 set) takes the program exception; OE
 * stores the result with its exponent reduced by 1536; ZE with FE off only sets FEX. */
static void test_fpu_enabled_exceptions(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        A(63, 1, 2, 3, 0, 21, 1), /* fadd. f1,f2,f3 */
        A(63, 4, 5, 0, 6, 25, 0), /* fmul f4,f5,f6 */
        A(63, 7, 8, 9, 0, 18, 0), /* fdiv f7,f8,f9 */
    };
    load(f, 0x1000, prog, 3);
    start(f, 0x1000, MSR_ME | MSR_FP | 0x800u); /* FE0 */
    W(f, FPSCR, 0x80);                          /* VE */
    W(f, F(1), 0x1234);
    W(f, F(2), bits(INFINITY));
    W(f, F(3), bits(-INFINITY));
    step(f, 1);
    assert_int_equal(R(f, F(1)), 0x1234);
    assert_int_equal(R(f, PC), 0x700);
    assert_int_equal(R(f, SRR1) & 0x00100000u, 0x00100000u);
    assert_int_equal(R(f, FPSCR) & 0xe0800000u, 0xe0800000u); /* FX FEX VX VXISI */
    assert_int_equal(R(f, CR) >> 24 & 0xf, 0xe);              /* CR1 = FX FEX VX OX */
    start(f, 0x1004, MSR_ME | MSR_FP);
    W(f, FPSCR, 0x40); /* OE */
    W(f, F(5), bits(0x1p1000));
    W(f, F(6), bits(0x1p100));
    step(f, 1);
    assert_int_equal(R(f, F(4)), bits(0x1p-436));             /* 2^1100 scaled by 2^-1536 */
    assert_int_equal(R(f, FPSCR) & 0xd0000000u, 0xd0000000u); /* FX FEX OX */
    assert_int_equal(R(f, PC), 0x1008);                       /* FE0 = FE1 = 0: no exception */
    W(f, FPSCR, 0x10);                                        /* ZE */
    W(f, F(7), 0x5678);
    W(f, F(8), bits(1.0));
    W(f, F(9), 0);
    step(f, 1);
    assert_int_equal(R(f, F(7)), 0x5678);
    assert_int_equal(R(f, FPSCR) & 0xc4000000u, 0xc4000000u); /* FX FEX ZX */
    /* fctiw of a NaN with VE: VXCVI, frD unchanged, FR FI cleared, FPRF unchanged */
    const uint32_t cvt[] = {A(63, 10, 0, 11, 0, 14, 0)}; /* fctiw f10,f11 */
    load(f, 0x1010, cvt, 1);
    start(f, 0x1010, MSR_ME | MSR_FP);
    W(f, FPSCR, 0x00064080u); /* FR FI, FPRF = +normal, VE */
    W(f, F(10), 0x9abc);
    W(f, F(11), 0x7ff8000000000000ull);
    step(f, 1);
    assert_int_equal(R(f, F(10)), 0x9abc);
    assert_int_equal(R(f, FPSCR), 0xe0004180u); /* FX FEX VX, FPRF kept, VXCVI, VE */
}

/* Regressions found by the QEMU comparison: the sign of an exact zero in single precision
 * under round-to-minus-infinity, underflow detected before rounding, FPSCR bit 20, and stfs
 * of a value below the single denormal range. */
static void test_fpu_regressions(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        A(59, 1, 2, 2, 0, 20, 0),                /* fsubs f1,f2,f2 */
        A(59, 3, 4, 0, 5, 25, 0),                /* fmuls f3,f4,f5 */
        X(63, 5 << 2, 0, 0, 134, 0) | 0xa << 12, /* mtfsfi 5,0b1010 */
        D(52, 6, 7, 0),                          /* stfs f6,0(r7) */
    };
    load(f, 0x1000, prog, 4);
    start(f, 0x1000, MSR_ME | MSR_FP);
    W(f, FPSCR, 3); /* round toward -inf */
    W(f, F(2), bits(1.5));
    step(f, 1);
    assert_int_equal(R(f, F(1)), 0x8000000000000000ull);
    /* (2^-63 - 2^-87) * 2^-63 is below 2^-126 before rounding; toward +inf it rounds up to
     * 2^-126 exactly: the PowerPC still signals underflow (tiny before rounding, inexact) */
    W(f, FPSCR, 2);
    W(f, F(4), bits(0x1p-63 - 0x1p-87));
    W(f, F(5), bits(0x1p-63));
    step(f, 1);
    assert_int_equal(R(f, F(3)), bits(0x1p-126));
    assert_int_equal(R(f, FPSCR) & 0x0a000000u, 0x0a000000u); /* UX XX */
    W(f, FPSCR, 0);
    step(f, 1);
    assert_int_equal(R(f, FPSCR), 0x20000200u); /* VX VXSQRT set, bit 20 stays 0 */
    W(f, F(6), 0x0010000000000000ull);          /* DBL_MIN */
    W(f, 7, 0x3000);
    store_be32(f->ram->host + 0x3000, 0xffffffffu);
    step(f, 1);
    assert_int_equal(load_be32(f->ram->host + 0x3000), 0);
}

/* A store crossing into an unmapped page faults before writing any byte; a load across a
 * mapped page boundary reads both pages. */
static void test_page_crossing(void **state) {
    fixture *f = *state;
    put_pte(f, 0x10005000u, 0x123, 0x00300000u, 2);
    put_pte(f, 0x10006000u, 0x123, 0x00400000u, 2);
    W(f, VT_PPC_SDR1, 0x00200000u);
    W(f, VT_PPC_SR0 + 1, 0x00000123u);
    store_be32(f->ram->host + 0x300ffc, 0x11223344u);
    store_be32(f->ram->host + 0x400000, 0x55667788u);
    const uint32_t prog[] = {LWZ(3, 0xffe, 4), STW(3, 0xffe, 5)};
    load(f, 0x1000, prog, 2);
    start(f, 0x1000, MSR_ME | MSR_DR);
    W(f, 4, 0x10005000u);
    W(f, 5, 0x10006000u);
    step(f, 1);
    assert_int_equal(R(f, 3), 0x33445566u);
    step(f, 1); /* 0x10006ffe..0x10007001: the second page has no PTE */
    assert_int_equal(R(f, PC), 0x300);
    assert_int_equal(R(f, DAR), 0x10007000u);
    assert_int_equal(load_be32(f->ram->host + 0x400ffc), 0);
}

static void test_integer_750_specifics(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        X(31, 3, 4, 5, 491 | 512, 1), /* divwo. r3,r4,r5 */
        X(31, 6, 7, 5, 459, 0),       /* divwu r6,r7,r5 */
        X(31, 8, 0, 9, 20, 0),        /* lwarx r8,0,r9 */
        X(31, 10, 0, 11, 150, 1),     /* stwcx. r10,0,r11 (same granule) */
        X(31, 0, 12, 13, 1014, 0),    /* dcbz r12,r13 */
        X(31, 20, 14, 6, 725, 0),     /* stswi r20,r14,6 */
        X(31, 24, 14, 6, 597, 0),     /* lswi r24,r14,6 */
    };
    load(f, 0x1000, prog, VT_ARRAY_LEN(prog));
    start(f, 0x1000, MSR_ME);
    W(f, 4, 0xfffffff0u);
    W(f, 5, 0);
    W(f, 7, 1234);
    step(f, 2);
    assert_int_equal(R(f, 3), 0xffffffffu); /* negative / 0 */
    assert_int_equal(R(f, 6), 0);
    assert_int_equal(R(f, XER) & 0xc0000000u, 0xc0000000u); /* SO OV */
    assert_int_equal(R(f, CR) >> 28 & 1, 1);                /* CR0[SO] */
    W(f, 9, 0x4000);
    W(f, 11, 0x4018);
    W(f, 10, 0x5a5a5a5a);
    step(f, 2);
    assert_int_equal(R(f, CR) >> 28 & 2, 2); /* stored: one 32-byte granule */
    assert_int_equal(load_be32(f->ram->host + 0x4018), 0x5a5a5a5au);
    memset(f->ram->host + 0x5000, 0xff, 64);
    W(f, 12, 0x5000);
    W(f, 13, 0x25);
    step(f, 1);
    for (int k = 0; k < 64; k++)
        assert_int_equal(f->ram->host[0x5000 + k], k >= 0x20 && k < 0x40 ? 0 : 0xff);
    W(f, 14, 0x6001);
    W(f, 20, 0x41424344);
    W(f, 21, 0x45464748);
    step(f, 2);
    assert_memory_equal(f->ram->host + 0x6001, "ABCDEF", 6);
    assert_int_equal(R(f, 24), 0x41424344u);
    assert_int_equal(R(f, 25), 0x45460000u);
}

/* IABR stops before the instruction (0x1300); DABR turns a matching store into a DSI. */
static void test_breakpoints(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {LI(3, 1), LI(4, 2), STW(4, 0x10, 5), STW(4, 0x18, 5)};
    load(f, 0x1000, prog, 4);
    const uint32_t setup_code[] = {MTSPR(1010, 10), MTSPR(1013, 11)};
    load(f, 0x800000, setup_code, 2);
    start(f, 0x800000, MSR_ME);
    W(f, 10, 0x1004 | 2); /* IABR: CEA, BE, TE=0 */
    W(f, 11, 0x7018 | 2); /* DABR: DW, BT=0 */
    W(f, 5, 0x7000);
    step(f, 2);
    start(f, 0x1000, MSR_ME);
    step(f, 1);
    assert_int_equal(R(f, 3), 1);
    step(f, 1); /* the breakpoint: r4 not written */
    assert_int_equal(R(f, PC), 0x1300);
    assert_int_equal(R(f, SRR0), 0x1004);
    assert_int_equal(R(f, 4), 0);
    start(f, 0x1008, MSR_ME);
    W(f, 4, 2);
    step(f, 1);
    assert_int_equal(load_be32(f->ram->host + 0x7010), 2);
    step(f, 1);
    assert_int_equal(R(f, PC), 0x300);
    assert_int_equal(R(f, DSISR), 0x02400000u); /* store | DABR match */
    assert_int_equal(R(f, DAR), 0x7018);
    assert_int_equal(load_be32(f->ram->host + 0x7018), 0);
}

/* PMC1 counts completed instructions (event 2); its overflow into bit 0 with ENINT and
 * PMC1INTCONTROL raises the performance-monitor exception (0xf00) once EE allows. */
static void test_perfmon(void **state) {
    fixture *f = *state;
    for (uint32_t a = 0x1000; a < 0x1100; a += 4)
        store_be32(f->ram->host + a, NOP);
    store_be32(f->ram->host + 0xf00, 0x48000000u); /* b . */
    const uint32_t setup_code[] = {MTSPR(953, 10), MTSPR(952, 11)};
    load(f, 0x800000, setup_code, 2);
    start(f, 0x800000, MSR_ME);
    W(f, 10, 0x7ffffffcu); /* PMC1: 4 instructions to overflow, the mtspr MMCR0 included */
    W(f, 11, 0x04000000u | 0x8000u | 2u << 6); /* ENINT, PMC1INTCONTROL, PMC1 = insns */
    step(f, 2);
    start(f, 0x1000, MSR_ME | MSR_EE);
    step(f, 3);
    assert_int_equal(R(f, PC), 0x100c);
    step(f, 1); /* the exception is taken before the next instruction, which runs at 0xf00 */
    assert_int_equal(R(f, PC), 0xf00);
    assert_int_equal(R(f, SRR0), 0x100c);
}

/* Thermal assist: THRM1 threshold 30 C below the model's junction with TIE raises 0x1700
 * once EE is set; the SRESET pin's rising edge takes the soft reset (0x100) regardless. */
static void test_thermal_and_soft_reset(void **state) {
    fixture *f = *state;
    for (uint32_t a = 0x1000; a < 0x1100; a += 4)
        store_be32(f->ram->host + a, NOP);
    store_be32(f->ram->host + 0x1700, 0x48000000u); /* b . */
    store_be32(f->ram->host + 0x100, 0x48000000u);
    const uint32_t setup_code[] = {MTSPR(1020, 10), MTSPR(1022, 11), MFSPR(12, 1020)};
    load(f, 0x800000, setup_code, 3);
    start(f, 0x800000, MSR_ME);
    W(f, 10, 30u << 23 | 2 | 1); /* threshold 30, TIE, V */
    W(f, 11, 1);                 /* THRM3[E] */
    step(f, 3);
    assert_int_equal(R(f, 12) & 0xc0000000u, 0xc0000000u); /* TIN TIV */
    assert_int_equal(R(f, PC), 0x80000c);                  /* EE off: still pending */
    start(f, 0x1000, MSR_ME | MSR_EE);
    step(f, 1);
    assert_int_equal(R(f, PC), 0x1700);
    assert_int_equal(R(f, SRR0), 0x1000);
    start(f, 0x1010, MSR_ME);
    f->cpu->ops->set_irq(f->cpu, VT_PPC_IRQ_SRESET, true);
    step(f, 1);
    assert_int_equal(R(f, PC), 0x100);
    assert_int_equal(R(f, SRR0), 0x1010);
    step(f, 1); /* a held pin does not retrigger */
    assert_int_equal(R(f, PC), 0x100);
    assert_int_equal(R(f, SRR0), 0x1010);
    f->cpu->ops->set_irq(f->cpu, VT_PPC_IRQ_SRESET, false);
}

/* Little-endian mode: aligned accesses are munged (address XOR 8 - size) and performed
 * big-endian, so a program sees little-endian data; fetches use address XOR 4; unaligned
 * accesses and lmw raise alignment. */
static void test_little_endian_mode(void **state) {
    fixture *f = *state;
    /* code at 0x1000 in munged order: the word for 0x1000 sits at 0x1004 and vice versa */
    const uint32_t prog[] = {
        D(34, 4, 5, 0), STW(3, 0, 5), LWZ(6, 1, 5), NOP, D(46, 30, 5, 0) /* lmw */, NOP};
    load(f, 0x1000, prog, VT_ARRAY_LEN(prog));
    start(f, 0x1000, MSR_ME | 1u);
    W(f, 3, 0x11223344u);
    W(f, 5, 0x3000);
    step(f, 1); /* the word at 0x1004: stw r3,0(r5) */
    assert_int_equal(load_be32(f->ram->host + 0x3004), 0x11223344u);
    step(f, 1); /* the word at 0x1000: lbz r4,0(r5) reads 0x3007, the low-order byte */
    assert_int_equal(R(f, 4), 0x44);
    start(f, 0x1008, MSR_ME | 1u);
    step(f, 1); /* 0x100c: nop */
    step(f, 1); /* 0x1008: lwz r6,1(r5): unaligned */
    assert_int_equal(R(f, PC), 0x600);
    assert_int_equal(R(f, DAR), 0x3001);
    assert_int_equal(R(f, MSR) & 1u, 0); /* ILE = 0: handlers run big-endian */
    start(f, 0x1014, MSR_ME | 1u);
    step(f, 1); /* 0x1014 -> word at 0x1010: lmw */
    assert_int_equal(R(f, PC), 0x600);
}

static void test_disasm(void **state) {
    fixture *f = *state;
    const uint32_t prog[] = {
        X(31, 3, 4, 5, 266 | 512, 1), D(14, 3, 1, -8), A(63, 1, 2, 3, 4, 29, 0), 0x4182fff8u,
        /* beq -8 */ MFSPR(3, 8),     0x00000000u,
    };
    load(f, 0x1000, prog, VT_ARRAY_LEN(prog));
    const char *want[] = {"addo. r3,r4,r5",     "addi r3,r1,-8", "fmadd f1,f2,f4,f3",
                          "bc 12,2,0x00001004", "mfspr r3,8",    ".long 0x00000000"};
    for (unsigned k = 0; k < VT_ARRAY_LEN(want); k++) {
        char buf[64];
        assert_int_equal(f->cpu->ops->disasm(f->cpu, 0x1000 + 4 * k, buf, sizeof buf), 4);
        assert_string_equal(buf, want[k]);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_reset_and_pvr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sc_and_rfi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_program_exceptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fp_unavailable_alignment_trace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bat_translation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_htab_translation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decrementer_and_timebase, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_load_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fpu_750_specifics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fpu_enabled_exceptions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fpu_regressions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_crossing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_integer_750_specifics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breakpoints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_perfmon, setup, teardown),
        cmocka_unit_test_setup_teardown(test_thermal_and_soft_reset, setup, teardown),
        cmocka_unit_test_setup_teardown(test_little_endian_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disasm, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
