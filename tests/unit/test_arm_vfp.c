/* VFPv2 in system mode: CPACR and FPEXC.EN gate the coprocessor (Undefined Instruction
 * otherwise, FPEXC privileged), short vectors with stride 2 and double-precision vectors as
 * ARM ARM C5.1 defines them (QEMU 7.2 disagrees on both, so the user-mode comparison cannot
 * cover them), the ARM925T without a VFP, disassembly, and the VFP save-state chunk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/bus.h"
#include "core/cpu/arm/arm_mmu.h"
#include "core/savestate.h"

enum {
    FADDS_S0_S1_S2 = 0xee300a81,
    FMRX_R0_FPEXC = 0xeef80a10,
    FMXR_FPEXC_R1 = 0xeee81a10,
    FMRX_R0_FPSID = 0xeef00a10,
    FADDS_S8_S16_S24 = 0xee384a0c,
    FADDD_D4_D8_D0 = 0xee384b00,
    FSTMIAX_R0_D0_D15 = 0xeca00b21, /* Linux's vfp_save_state: 33 words */
    FLDMIAX_R0_D0_D15 = 0xecb00b21,
    B_SELF = 0xeafffffe,
};

typedef struct rig {
    vt_bus bus;
    vt_region *ram;
    vt_arm_cpu *c;
} rig;

static rig *make(const char *model) {
    rig *r = calloc(1, sizeof *r);
    vt_error err;
    assert_int_equal(vt_bus_init(&r->bus, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&r->bus, "ram", 0, 0x10000, false, &r->ram, &err), 0);
    vt_cpu_config cfg = {.model = model, .hz = 1000000, .bus = &r->bus};
    r->c = vt_arm_create(&cfg, &err);
    assert_non_null(r->c);
    store_le32(r->ram->host + 0x04, B_SELF); /* undefined-instruction vector */
    return r;
}

static void destroy(rig *r) {
    vt_cpu_destroy(&r->c->base);
    vt_bus_free(&r->bus);
    free(r);
}

/* Runs the single instruction insn at 0x1000 in the current mode; true if it completed,
 * false if it took the Undefined Instruction exception. */
static bool step(rig *r, uint32_t insn) {
    store_le32(r->ram->host + 0x1000, insn);
    store_le32(r->ram->host + 0x1004, B_SELF);
    unsigned mode = vt_arm_get_cpsr(r->c) & 0x1f;
    r->c->r[15] = 0x1000;
    r->c->base.ops->run(&r->c->base, 1);
    if (r->c->r[15] == 0x04) {
        assert_int_equal(vt_arm_get_cpsr(r->c) & 0x1f, VT_ARM_MODE_UND);
        vt_arm_set_cpsr(r->c, mode | 0xc0);
        return false;
    }
    assert_int_equal(r->c->r[15], 0x1004);
    return true;
}

static void enable(rig *r) {
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 1, 0, 2, 0x00f00000), 0);
    r->c->r[1] = VT_FPEXC_EN;
    assert_true(step(r, FMXR_FPEXC_R1));
}

static void test_gating(void **state) {
    (void)state;
    rig *r = make("arm1136");
    r->c->vfp.s[1] = 0x3f800000;           /* 1.0 */
    r->c->vfp.s[2] = 0x40000000;           /* 2.0 */
    assert_false(step(r, FADDS_S0_S1_S2)); /* CPACR denies CP10 after reset */
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 1, 0, 2, 0x00500000), 0);
    assert_true(step(r, FMRX_R0_FPSID)); /* privileged access granted */
    assert_int_equal(r->c->r[0], 0x410120b4);
    assert_false(step(r, FADDS_S0_S1_S2)); /* FPEXC.EN clear */
    r->c->r[1] = VT_FPEXC_EN;
    assert_true(step(r, FMXR_FPEXC_R1));
    assert_true(step(r, FADDS_S0_S1_S2));
    assert_int_equal(r->c->vfp.s[0], 0x40400000); /* 3.0 */
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_USR);
    assert_false(step(r, FADDS_S0_S1_S2)); /* CPACR 01: privileged only */
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_SVC);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 1, 0, 2, 0x00f00000), 0);
    vt_arm_set_cpsr(r->c, VT_ARM_MODE_USR);
    assert_true(step(r, FADDS_S0_S1_S2));
    assert_false(step(r, FMRX_R0_FPEXC)); /* FPEXC is privileged */
    destroy(r);
}

static void test_vector_stride2(void **state) {
    (void)state;
    rig *r = make("arm1136");
    enable(r);
    for (unsigned i = 0; i < 32; i++)
        r->c->vfp.s[i] = 0x3f800000 + (i << 19); /* distinct small values */
    uint32_t s9 = r->c->vfp.s[9], s12 = r->c->vfp.s[12];
    r->c->vfp.fpscr = 1u << VT_FPSCR_LEN_SHIFT | 3u << VT_FPSCR_STRIDE_SHIFT; /* 2, stride 2 */
    assert_true(step(r, FADDS_S8_S16_S24));
    vt_vfp_env e = {0, 0};
    assert_int_equal(r->c->vfp.s[8], (uint32_t)vt_vfp_arith(&e, VT_VFP_ADD, false, r->c->vfp.s[16],
                                                            r->c->vfp.s[24]));
    assert_int_equal(r->c->vfp.s[10], (uint32_t)vt_vfp_arith(&e, VT_VFP_ADD, false, r->c->vfp.s[18],
                                                             r->c->vfp.s[26]));
    assert_int_equal(r->c->vfp.s[9], s9);
    assert_int_equal(r->c->vfp.s[12], s12);
    destroy(r);
}

static uint64_t dreg(const vt_arm_cpu *c, unsigned n) {
    return (uint64_t)c->vfp.s[2 * n + 1] << 32 | c->vfp.s[2 * n];
}

static void test_double_vector_scalar_operand(void **state) {
    (void)state;
    rig *r = make("arm1136");
    enable(r);
    for (unsigned i = 0; i < 16; i++) {
        r->c->vfp.s[2 * i] = 0;
        r->c->vfp.s[2 * i + 1] = 0x3ff00000 + (i << 16); /* 1.0, 1.0625, ... */
    }
    uint64_t d7 = dreg(r->c, 7);
    r->c->vfp.fpscr = 2u << VT_FPSCR_LEN_SHIFT; /* 3 elements, stride 1; d0 is scalar */
    assert_true(step(r, FADDD_D4_D8_D0));
    vt_vfp_env e = {0, 0};
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(dreg(r->c, 4 + i),
                         vt_vfp_arith(&e, VT_VFP_ADD, true, dreg(r->c, 8 + i), dreg(r->c, 0)));
    assert_int_equal(dreg(r->c, 7), d7);
    destroy(r);
}

/* FSTMX/FLDMX of all 16 doubles (the kernel's VFP context switch) move 33 words. */
static void test_fstmx_all_registers(void **state) {
    (void)state;
    rig *r = make("arm1136");
    enable(r);
    for (unsigned i = 0; i < 32; i++)
        r->c->vfp.s[i] = 0x1000 + i;
    r->c->r[0] = 0x2000;
    assert_true(step(r, FSTMIAX_R0_D0_D15));
    assert_int_equal(r->c->r[0], 0x2000 + 33 * 4);
    assert_int_equal(load_le32(r->ram->host + 0x2000 + 31 * 4), 0x1000 + 31);
    for (unsigned i = 0; i < 32; i++)
        r->c->vfp.s[i] = 0;
    r->c->r[0] = 0x2000;
    assert_true(step(r, FLDMIAX_R0_D0_D15));
    assert_int_equal(r->c->r[0], 0x2000 + 33 * 4);
    for (unsigned i = 0; i < 32; i++)
        assert_int_equal(r->c->vfp.s[i], 0x1000 + i);
    destroy(r);
}

/* ARMv4T without a VFP: CP10/CP11 are absent coprocessors (Undefined Instruction). */
static void test_absent_on_arm925t(void **state) {
    (void)state;
    rig *r = make("arm925t");
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 1, 0, 2, 0x00f00000), -1);
    assert_false(step(r, FMRX_R0_FPSID));
    assert_false(step(r, FADDS_S0_S1_S2));
    destroy(r);
}

static void test_disasm_and_state(void **state) {
    (void)state;
    rig *r = make("arm1136");
    char buf[80];
    vt_arm_disasm_insn(r->c, 0, FADDD_D4_D8_D0, false, buf, sizeof buf);
    assert_string_equal(buf, "faddd d4, d8, d0");
    vt_arm_disasm_insn(r->c, 0, FMRX_R0_FPEXC, false, buf, sizeof buf);
    assert_string_equal(buf, "fmrx r0, fpexc");
    enable(r);
    r->c->vfp.s[5] = 0x12345678;
    r->c->vfp.fpscr = 0x03c00000;
    vt_state_writer w;
    vt_state_writer_init(&w);
    r->c->base.ops->save(&r->c->base, &w);
    rig *r2 = make("arm1136");
    vt_state_reader rd;
    vt_state_reader_init(&rd, w.buf, w.len);
    assert_int_equal(r2->c->base.ops->load(&r2->c->base, &rd), 0); /* CP15 and VFP chunks */
    assert_int_equal(r2->c->vfp.s[5], 0x12345678);
    assert_int_equal(r2->c->vfp.fpscr, 0x03c00000);
    assert_int_equal(r2->c->vfp.fpexc, VT_FPEXC_EN);
    assert_int_equal(r2->c->cp15.cpacr, 0x00f00000);
    vt_state_writer_free(&w);
    destroy(r2);
    destroy(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gating),
        cmocka_unit_test(test_vector_stride2),
        cmocka_unit_test(test_double_vector_scalar_operand),
        cmocka_unit_test(test_fstmx_all_registers),
        cmocka_unit_test(test_absent_on_arm925t),
        cmocka_unit_test(test_disasm_and_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
