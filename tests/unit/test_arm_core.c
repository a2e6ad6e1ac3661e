/* ARM core in system mode on a flat 64 KiB RAM: reset state, SWI entry and return with
 * banked registers, IRQ entry, undefined instruction and data abort vectors, model gating
 * (CLZ is UNDEFINED on the ARMv4T arm925t), the disassembler, save/load round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/cpu/arm/arm_cpu.h"
#include "core/savestate.h"

#define RAM_SIZE 0x10000u

typedef struct board {
    uint8_t ram[RAM_SIZE];
} board;

static int rd(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, vt_access a, uint32_t *v) {
    VT_UNUSED(a);
    board *b = ctx;
    if (va >= RAM_SIZE || va + size > RAM_SIZE) return -1;
    vt_tlb_fill(&c->tlb, va, b->ram + (va & ~0xfffu), VT_PERM_R | VT_PERM_W | VT_PERM_X);
    *v = (uint32_t)vt_load(b->ram + va, size, VT_LITTLE_ENDIAN);
    return 0;
}

static int wr(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t v) {
    board *b = ctx;
    if (va >= RAM_SIZE || va + size > RAM_SIZE) return -1;
    vt_tlb_fill(&c->tlb, va, b->ram + (va & ~0xfffu), VT_PERM_R | VT_PERM_W | VT_PERM_X);
    vt_store(b->ram + va, size, VT_LITTLE_ENDIAN, v);
    return 0;
}

static vt_arm_cpu *make(board *b, const char *model) {
    vt_cpu_config cfg = {.model = model, .hz = 1000000, .env = b};
    vt_error err;
    vt_arm_cpu *c = vt_arm_create(&cfg, &err);
    assert_non_null(c);
    c->hooks.read = rd;
    c->hooks.write = wr;
    return c;
}

static void put(board *b, uint32_t addr, uint32_t insn) {
    store_le32(b->ram + addr, insn);
}

/* vectors: SWI/UND return to the next instruction, DABT skips the faulting one */
static void vectors(board *b) {
    put(b, 0x04, 0xe1b0f00e); /* undef: movs pc, lr */
    put(b, 0x08, 0xe1b0f00e); /* swi:   movs pc, lr */
    put(b, 0x10, 0xe25ef004); /* dabt:  subs pc, lr, #4 (skip the faulting load) */
    put(b, 0x18, 0xeafffffe); /* irq:   b . (the test inspects the entry) */
}

static void test_reset_and_swi(void **state) {
    (void)state;
    board *b = calloc(1, sizeof *b);
    vectors(b);
    put(b, 0x100, 0xe3a00001); /* mov r0, #1 */
    put(b, 0x104, 0xef000000); /* svc 0 */
    put(b, 0x108, 0xe3a01002); /* mov r1, #2 */
    put(b, 0x10c, 0xeafffffe); /* b . */
    vt_arm_cpu *c = make(b, "arm1136");
    assert_int_equal(vt_arm_get_cpsr(c) & 0xdf, VT_ARM_MODE_SVC | 0xc0);
    assert_int_equal(c->r[15], 0);
    c->r[13] = 0x8000;                   /* SVC stack */
    vt_arm_set_cpsr(c, VT_ARM_MODE_USR); /* to user mode, interrupts enabled */
    c->r[13] = 0x7000;                   /* user stack */
    c->r[15] = 0x100;
    c->base.ops->run(&c->base, 2); /* mov, svc */
    assert_int_equal(vt_arm_get_cpsr(c) & 0x1f, VT_ARM_MODE_SVC);
    assert_int_equal(c->r[15], 0x08);
    assert_int_equal(c->r[14], 0x108);
    assert_int_equal(c->r[13], 0x8000);
    assert_int_equal(c->spsr & 0x1f, VT_ARM_MODE_USR);
    c->base.ops->run(&c->base, 20);
    assert_int_equal(vt_arm_get_cpsr(c) & 0x1f, VT_ARM_MODE_USR);
    assert_int_equal(c->r[0], 1);
    assert_int_equal(c->r[1], 2);
    assert_int_equal(c->r[13], 0x7000);
    assert_int_equal(c->r[15], 0x10c);
    vt_cpu_destroy(&c->base);
    free(b);
}

static void test_irq_undef_abort(void **state) {
    (void)state;
    board *b = calloc(1, sizeof *b);
    vectors(b);
    put(b, 0x200, 0xe7f000f0); /* undefined */
    put(b, 0x204, 0xe3a05601); /* mov r5, #0x100000 */
    put(b, 0x208, 0xe5954000); /* ldr r4, [r5]  -> data abort */
    put(b, 0x20c, 0xe3a01002); /* mov r1, #2 */
    put(b, 0x210, 0xeafffffe); /* b . */
    vt_arm_cpu *c = make(b, "arm1136");
    vt_arm_set_cpsr(c, VT_ARM_MODE_SYS);
    c->r[15] = 0x200;
    c->base.ops->run(&c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(c) & 0x1f, VT_ARM_MODE_UND);
    assert_int_equal(c->r[15], 0x04);
    assert_int_equal(c->r[14], 0x204);
    /* one run of 1 cycle executes exactly one instruction (each costs at least 1) */
    c->base.ops->run(&c->base, 1); /* movs pc, lr */
    c->base.ops->run(&c->base, 1); /* mov r5 */
    c->base.ops->run(&c->base, 1); /* ldr r4, [r5] faults */
    assert_int_equal(vt_arm_get_cpsr(c) & 0x1f, VT_ARM_MODE_ABT);
    assert_int_equal(c->r[15], 0x10);
    assert_int_equal(c->r[14], 0x210); /* faulting instruction + 8 */
    c->base.ops->run(&c->base, 1);
    assert_int_equal(c->r[15], 0x20c);
    assert_int_equal(vt_arm_get_cpsr(c) & 0x1f, VT_ARM_MODE_SYS);
    /* IRQ: taken between instructions when the line is high and I is clear */
    c->base.ops->set_irq(&c->base, 0, true);
    c->base.ops->run(&c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(c) & 0x9f, VT_ARM_MODE_IRQ | 0x80);
    assert_int_equal(c->r[14], 0x210); /* interrupted instruction + 4 */
    assert_int_equal(c->spsr & 0x1f, VT_ARM_MODE_SYS);
    assert_int_equal(c->r[15], 0x18);
    vt_cpu_destroy(&c->base);
    free(b);
}

/* Regression (N800 boot): Linux's v6 cache code issues MCRR p15 block operations; they execute
 * on the ARM1136 and an unknown CRm is UNDEFINED. */
static void test_cp15_block_ops(void **state) {
    (void)state;
    board *b = calloc(1, sizeof *b);
    vectors(b);
    put(b, 0x200, 0xec403f06); /* mcrr p15, 0, r3, r0, c6 (invalidate D range) */
    put(b, 0x204, 0xec403f0e); /* mcrr p15, 0, r3, r0, c14 */
    put(b, 0x208, 0xec403f07); /* c7: not a block operation -> undefined */
    vt_arm_cpu *c = make(b, "arm1136");
    vt_arm_set_cpsr(c, VT_ARM_MODE_SVC);
    c->r[15] = 0x200;
    c->base.ops->run(&c->base, 1);
    assert_int_equal(c->r[15], 0x204);
    c->base.ops->run(&c->base, 1);
    assert_int_equal(c->r[15], 0x208);
    c->base.ops->run(&c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(c) & 0x1f, VT_ARM_MODE_UND);
    vt_cpu_destroy(&c->base);
    free(b);
}

/* An IRQ held high while masked is taken right after the instruction that unmasks it, even
 * in one long run on one code page (the run loop's cached code page must not hide it). */
static void test_irq_unmask_in_run(void **state) {
    (void)state;
    board *b = calloc(1, sizeof *b);
    vectors(b);
    put(b, 0x400, 0xe3a00000); /* mov r0, #0 */
    put(b, 0x404, 0xe2800001); /* add r0, r0, #1 */
    put(b, 0x408, 0xe321f01f); /* msr cpsr_c, #0x1f (SYS, I and F clear) */
    put(b, 0x40c, 0xe2800001); /* add r0, r0, #1 */
    put(b, 0x410, 0xeafffffe); /* b . */
    vt_arm_cpu *c = make(b, "arm1136");
    vt_arm_set_cpsr(c, VT_ARM_MODE_SYS | 0xc0);
    c->r[15] = 0x400;
    c->base.ops->set_irq(&c->base, 0, true);
    c->base.ops->run(&c->base, 100);
    assert_int_equal(c->r[0], 1);
    assert_int_equal(vt_arm_get_cpsr(c) & 0x9f, VT_ARM_MODE_IRQ | 0x80);
    assert_int_equal(c->r[14], 0x410); /* interrupted instruction (0x40c) + 4 */
    vt_cpu_destroy(&c->base);
    free(b);
}

static void test_model_gating(void **state) {
    (void)state;
    board *b = calloc(1, sizeof *b);
    vectors(b);
    put(b, 0x300, 0xe16f2f13); /* clz r2, r3 */
    vt_arm_cpu *c = make(b, "arm925t");
    vt_arm_set_cpsr(c, VT_ARM_MODE_SYS);
    c->r[3] = 0x00f00000;
    c->r[15] = 0x300;
    c->base.ops->run(&c->base, 1);
    assert_int_equal(vt_arm_get_cpsr(c) & 0x1f, VT_ARM_MODE_UND); /* v4T: undefined */
    vt_cpu_destroy(&c->base);
    c = make(b, "arm1136");
    vt_arm_set_cpsr(c, VT_ARM_MODE_SYS);
    c->r[3] = 0x00f00000;
    c->r[15] = 0x300;
    c->base.ops->run(&c->base, 1);
    assert_int_equal(c->r[2], 8);
    vt_cpu_destroy(&c->base);
    free(b);
}

static void test_disasm(void **state) {
    (void)state;
    board *b = calloc(1, sizeof *b);
    vt_arm_cpu *c = make(b, "arm1136");
    static const struct {
        uint32_t insn;
        bool thumb;
        const char *text;
    } cases[] = {
        {0xe0910182, false, "adds r0, r1, r2, lsl #3"},
        {0xe5b10004, false, "ldr r0, [r1, #4]!"},
        {0xe92d400f, false, "stmdb sp!, {r0, r1, r2, r3, lr}"},
        {0xe10032c1, false, "smlabt r0, r1, r2, r3"},
        {0xe6621f93, false, "uqadd8 r1, r2, r3"},
        {0xeafffffe, false, "b 0x00000010"},
        {0xef000000, false, "svc 0x000000"},
        {0xe7f000f0, false, "undefined 0xe7f000f0"},
        {0xec403f06, false, "mcrr p15, 0, r3, r0, c6"},
        {0x1c48, true, "adds r0, r1, #1"},
        {0xb500, true, "push {lr}"},
        {0x4770, true, "bx lr"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[80];
        vt_arm_disasm_insn(c, 0x10, cases[i].insn, cases[i].thumb, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
    }
    vt_cpu_destroy(&c->base);
    free(b);
}

static void test_save_load(void **state) {
    (void)state;
    board *b = calloc(1, sizeof *b);
    vt_arm_cpu *c = make(b, "arm1136"), *d = make(b, "arm1136");
    vt_arm_set_cpsr(c, VT_ARM_MODE_IRQ | 0xf0000000u);
    for (int i = 0; i < 15; i++)
        c->r[i] = 0x1000u * (unsigned)i + 7;
    vt_arm_switch_mode(c, VT_ARM_MODE_FIQ);
    c->r[8] = 0xf1f1f1f1;
    vt_state_writer w;
    vt_state_writer_init(&w);
    c->base.ops->save(&c->base, &w);
    vt_state_reader r;
    vt_state_reader_init(&r, w.buf, w.len);
    assert_int_equal(d->base.ops->load(&d->base, &r), 0);
    assert_int_equal(vt_arm_get_cpsr(d), vt_arm_get_cpsr(c));
    for (int i = 0; i < 16; i++)
        assert_int_equal(d->r[i], c->r[i]);
    vt_arm_switch_mode(d, VT_ARM_MODE_IRQ);
    assert_int_equal(d->r[13], 0x1000u * 13 + 7);
    assert_int_equal(d->r[8], 0x1000u * 8 + 7);
    vt_state_writer_free(&w);
    vt_cpu_destroy(&c->base);
    vt_cpu_destroy(&d->base);
    free(b);
}

int main(void) {
    // clang-format off
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_and_swi),
        cmocka_unit_test(test_irq_undef_abort),
        cmocka_unit_test(test_irq_unmask_in_run),
        cmocka_unit_test(test_cp15_block_ops),
        cmocka_unit_test(test_model_gating),
        cmocka_unit_test(test_disasm),
        cmocka_unit_test(test_save_load),
    };
    // clang-format on
    return cmocka_run_group_tests(tests, NULL, NULL);
}
