/* The ARM JIT in system mode (a core on a bus, MMU on) against the interpreter. A loop stores
 * to a device that raises the IRQ line (taken before the next instruction, or right after the
 * MSR that unmasks it) and lowers stop_at (the slice ends where the interpreter ends it),
 * rewrites its own block through a second mapping of the same physical page and by DMA
 * (vt_bus_write_block), takes data aborts and calls a function whose page is remapped to other
 * code between calls (a chained jump to another page must not run the old code; the function
 * reads the device with base writeback (the read lowers stop_at: the block leaves with the
 * loaded value and the new base in the state), then switches to Thumb code that stores to
 * the device, reads it and takes the IRQ in Thumb state: Thumb blocks at one virtual address
 * on two physical pages), while loads from 128
 * sections keep the MMU's TLB replacing entries (a store or fetch sent through the MMU where
 * the interpreter hit the software TLB, or a fetch the interpreter makes again after a TLB
 * slot conflict that the JIT would make later, would show there). Run in slices of odd sizes
 * on the ARM925T and the ARM1136, both cores agree after every slice in registers (banked too),
 * CPSR, cycles, instructions, fault registers, the MMU's TLB entries and replacement pointer,
 * and in memory; lockstep finds no divergence. A second program resets the machine from a
 * device store inside a block. The bus's write watch is tested in test_bus.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/bus.h"
#include "core/cpu/arm/arm_mmu.h"
#include "jit/arm_jit.h"

#define RAM_SIZE (1u << 20)
#define TTB 0x4000u
#define DEV 0x80000000u
#define START 0x1000u
#define END_PC 0x10ecu
#define L2 0x8000u  /* coarse table for 0x500000-0x5fffff */
#define L2B 0x8400u /* coarse table for 0x600000-0x6fffff */
#define RESET_PATCHED 0x1014u
#define RESET_NEW_INSN 0xe28bbc01u /* add r11, r11, #0x100 */

/* The program, assembled with arm-linux-gnueabi-as -march=armv5te (source in the comments). */
static const struct {
    uint32_t addr, insn;
} program[] = {
    {0x0, 0xeafffffe},    /* b . (reset) */
    {0x4, 0xeafffffe},    /* b . (undef) */
    {0x8, 0xeafffffe},    /* b . (swi) */
    {0xc, 0xeafffffe},    /* b . (prefetch abort) */
    {0x10, 0xea000002},   /* b dabt */
    {0x14, 0xeafffffe},   /* b . */
    {0x18, 0xea000002},   /* b irq */
    {0x1c, 0xeafffffe},   /* b . */
    {0x20, 0xe28aac01},   /* dabt: add r10, r10, #0x100 */
    {0x24, 0xe25ef004},   /* subs pc, lr, #4 (skips the faulting load) */
    {0x28, 0xe3a04000},   /* irq: mov r4, #0 */
    {0x2c, 0xe5804000},   /* str r4, [r0] (lowers the line) */
    {0x30, 0xe28aa001},   /* add r10, r10, #1 */
    {0x34, 0xe25ef004},   /* subs pc, lr, #4 */
    {0x1000, 0xe3a00102}, /* start: mov r0, #0x80000000 (the device) */
    {0x1004, 0xe3a01000}, /* mov r1, #0 */
    {0x1008, 0xe3a09601}, /* mov r9, #0x100000 (a section aliasing physical 0) */
    {0x100c, 0xe3a0d603}, /* mov sp, #0x300000 (unmapped) */
    {0x1010, 0xe28f7034}, /* adr r7, patched */
    {0x1014, 0xe2877605}, /* add r7, r7, #0x500000 (its alias in the small page */
    {0x1018, 0xe2877a36}, /* add r7, r7, #0x36000 at 0x537000) */
    {0x101c, 0xe59f8028}, /* ldr r8, patched */
    {0x1020, 0xe28f6038}, /* adr r6, patched2 */
    {0x1024, 0xe59f5034}, /* ldr r5, patched2 */
    {0x1028, 0xe321f013}, /* msr cpsr_c, #0x13 (SVC, IRQs on) */
    {0x102c, 0xe2811001}, /* loop: add r1, r1, #1 */
    {0x1030, 0xe5801004}, /* str r1, [r0, #4] (an event in r1 & 7 cycles) */
    {0x1034, 0xe0812001}, /* add r2, r1, r1 */
    {0x1038, 0xe2823003}, /* add r3, r2, #3 */
    {0x103c, 0xe2822005}, /* add r2, r2, #5 */
    {0x1040, 0xe2288003}, /* eor r8, r8, #3 (add #1 <-> add #2) */
    {0x1044, 0xe5878000}, /* str r8, [r7] (through the alias, into this block) */
    {0x1048, 0xe2833001}, /* add r3, r3, #1 */
    {0x104c, 0xe28bb001}, /* patched: add r11, r11, #1 */
    {0x1050, 0xe2255007}, /* eor r5, r5, #7 (add #1 <-> add #6) */
    {0x1054, 0xe580600c}, /* str r6, [r0, #12] (DMA target) */
    {0x1058, 0xe5805008}, /* str r5, [r0, #8] (DMA: r5 over patched2) */
    {0x105c, 0xe2833002}, /* add r3, r3, #2 */
    {0x1060, 0xe28cc001}, /* patched2: add r12, r12, #1 */
    {0x1064, 0xe311000f}, /* tst r1, #15 */
    {0x1068, 0x059d3000}, /* ldreq r3, [sp] (data abort) */
    {0x106c, 0xe5992200}, /* ldr r2, [r9, #0x200] */
    {0x1070, 0xe2892a01}, /* add r2, r9, #0x1000 */
    {0x1074, 0xe5922000}, /* ldr r2, [r2] (the code page's TLB slot, another page) */
    {0x1078, 0xe201307f}, /* and r3, r1, #127 */
    {0x107c, 0xe2833010}, /* add r3, r3, #16 */
    {0x1080, 0xe1a03a03}, /* mov r3, r3, lsl #20 */
    {0x1084, 0xe5933200}, /* ldr r3, [r3, #0x200] (one of 128 sections: MMU TLB misses) */
    {0x1088, 0xe3a03401}, /* mov r3, #0x01000000 (70 more sections: the MMU's TLB forgets the code's
                             section) */
    {0x108c, 0xe5932200}, /* churn: ldr r2, [r3, #0x200] */
    {0x1090, 0xe2833601}, /* add r3, r3, #0x100000 */
    {0x1094, 0xe3530656}, /* cmp r3, #0x05600000 */
    {0x1098, 0x1afffffb}, /* bne churn */
    {0x109c, 0xe2892a01}, /* add r2, r9, #0x1000 */
    {0x10a0, 0xe5922000}, /* ldr r2, [r2] (evicts the code's TLB slot: the interpreter fetches
                             again, a walk, */
    {0x10a4, 0xe5933200}, /* ldr r3, [r3, #0x200]   before this walk) */
    {0x10a8, 0xe3a04001}, /* mov r4, #1 */
    {0x10ac, 0xe3110001}, /* tst r1, #1 */
    {0x10b0, 0x1321f093}, /* msrne cpsr_c, #0x93 (odd rounds: IRQs masked) */
    {0x10b4, 0xe5804000}, /* str r4, [r0] (raises the IRQ line: taken now if unmasked) */
    {0x10b8, 0xe2833007}, /* add r3, r3, #7 */
    {0x10bc, 0xe321f013}, /* msr cpsr_c, #0x13 (odd rounds: the IRQ is taken after it) */
    {0x10c0, 0xe2822009}, /* add r2, r2, #9 */
    {0x10c4, 0xe3a03b21}, /* mov r3, #0x8400 (the coarse table of 0x600000) */
    {0x10c8, 0xe5932000}, /* ldr r2, [r3] */
    {0x10cc, 0xe2222a01}, /* eor r2, r2, #0x1000 (its page: physical 0x2000 <-> 0x3000) */
    {0x10d0, 0xe5832000}, /* str r2, [r3] */
    {0x10d4, 0xe3a02606}, /* mov r2, #0x600000 */
    {0x10d8, 0xee082f37}, /* mcr p15, 0, r2, c8, c7, 1 (invalidate that TLB entry) */
    {0x10dc, 0xeb17fbc7}, /* bl 0x600000 (the TLB misses: the interpreter fetches) */
    {0x10e0, 0xeb17fbc6}, /* bl 0x600000 (a chained jump to another page) */
    {0x10e4, 0xe35100c8}, /* cmp r1, #200 */
    {0x10e8, 0x1affffcf}, /* bne loop */
    {0x10ec, 0xeafffffe}, /* end: b end */
    {0x2000, 0xe28bb801}, /* add r11, r11, #0x10000 (mapped at 0x600000 in even rounds) */
    {0x2004, 0xe2803008}, /* add r3, r0, #8 */
    {0x2008, 0xe5b34008}, /* ldr r4, [r3, #8]! (a device read that lowers stop_at) */
    {0x200c, 0xe28f4001}, /* add r4, pc, #1 */
    {0x2010, 0xe12fff14}, /* bx r4 (to Thumb state) */
    {0x2014, 0x44932201}, /* movs r2, #1; add r11, r2 */
    {0x2018, 0x18536041}, /* str r1, [r0, #4] (lowers stop_at); adds r3, r2, r1 */
    {0x201c, 0x24016904}, /* ldr r4, [r0, #16] (lowers stop_at); movs r4, #1 */
    {0x2020,
     0x33076004}, /* str r4, [r0] (raises the IRQ line: taken in Thumb state); adds r3, #7 */
    {0x2024, 0x46c04770}, /* bx lr; nop */
    {0x3000, 0xe28bb802}, /* add r11, r11, #0x20000 (in odd rounds) */
    {0x3004, 0xe2803008}, /* add r3, r0, #8 */
    {0x3008, 0xe5b34008}, /* ldr r4, [r3, #8]! */
    {0x300c, 0xe28f4001}, /* add r4, pc, #1 */
    {0x3010, 0xe12fff14}, /* bx r4 */
    {0x3014, 0x44932202}, /* movs r2, #2; add r11, r2 (Thumb code at the same virtual address) */
    {0x3018, 0x18536041}, /* str r1, [r0, #4]; adds r3, r2, r1 */
    {0x301c, 0x24016904}, /* ldr r4, [r0, #16]; movs r4, #1 */
    {0x3020, 0x33076004}, /* str r4, [r0]; adds r3, #7 */
    {0x3024, 0x46c04770}, /* bx lr; nop */
};

typedef struct rig {
    vt_bus bus;
    vt_region *ram;
    vt_arm_cpu *c;
    uint32_t dma_target;
    uint32_t reads; /* of +16 */
    bool reset_done;
} rig;

/* An event `in` cycles from now: lowers stop_at as the machine's scheduler does. */
static void event_in(vt_cpu *cpu, uint64_t in) {
    uint64_t when = cpu->cycles + in;
    if (when < cpu->stop_at) {
        cpu->stop_at = when;
        cpu->jit_exit = 1;
    }
}

/* Reading +16 counts the reads and schedules an event due now (the slice ends right after
 * the load); the rest reads 0. */
static uint64_t dev_read(void *dev, uint64_t off, unsigned size) {
    VT_UNUSED(size);
    rig *r = dev;
    if (off != 16) return 0;
    event_in(&r->c->base, 0);
    return ++r->reads;
}

/* +0 IRQ line, +4 an event in v & 7 cycles, +12 DMA target, +8 DMA a word there through the
 * bus. */
static void dev_write(void *dev, uint64_t off, uint64_t v, unsigned size) {
    VT_UNUSED(size);
    rig *r = dev;
    vt_cpu *cpu = &r->c->base;
    if (off == 0) {
        cpu->ops->set_irq(cpu, 0, v & 1);
    } else if (off == 4) {
        event_in(cpu, v & 7);
    } else if (off == 12) {
        r->dma_target = (uint32_t)v;
    } else if (off == 8) {
        uint8_t b[4];
        store_le32(b, (uint32_t)v);
        assert_int_equal(vt_bus_write_block(&r->bus, r->dma_target, b, 4), VT_BUS_OK);
    } else if (off == 16 && !r->reset_done) {
        /* a machine reset: the board rewrites memory directly, then the core resets */
        r->reset_done = true;
        store_le32(r->ram->host + RESET_PATCHED, RESET_NEW_INSN);
        cpu->ops->reset(cpu);
    }
}

static const vt_mmio_ops dev_ops = {dev_read, dev_write};

static void poke(rig *r, uint32_t pa, uint32_t v) {
    store_le32(r->ram->host + pa, v);
}

static void section(rig *r, uint32_t va, uint32_t pa) {
    poke(r, TTB + (va >> 20) * 4, (pa & 0xfff00000u) | 3u << 10 | 0x2); /* AP 3, domain 0 */
}

/* A core of `model` on 1 MiB of RAM and the test device, MMU off, JIT in `mode`. */
static rig *make_bare(const char *model, vt_jit_mode mode) {
    rig *r = calloc(1, sizeof *r);
    vt_error err;
    assert_int_equal(vt_bus_init(&r->bus, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&r->bus, "ram", 0, RAM_SIZE, false, &r->ram, &err), 0);
    assert_int_equal(
        vt_bus_add_mmio(&r->bus, "dev", DEV, 0x1000, &dev_ops, r, VT_LITTLE_ENDIAN, &err), 0);
    vt_cpu_config cfg = {.model = model, .hz = 1000000, .bus = &r->bus};
    r->c = vt_arm_create(&cfg, &err);
    assert_non_null(r->c);
    if (vt_arm_jit_enable(&r->c->base, mode, &err)) fail_msg("%s", err.msg);
    return r;
}

/* The main program with its page tables, MMU on. */
static rig *make(const char *model, vt_jit_mode mode) {
    rig *r = make_bare(model, mode);
    for (size_t i = 0; i < VT_ARRAY_LEN(program); i++)
        poke(r, program[i].addr, program[i].insn);
    section(r, 0, 0);
    section(r, 0x100000, 0); /* an alias */
    section(r, DEV, DEV);
    for (uint32_t i = 16; i < 16 + 128; i++)
        section(r, i << 20, 0);
    /* the code page again at 0x537000, a small page: a software-TLB slot of its own */
    poke(r, TTB + 5 * 4, L2 | 0x10 | 1);
    poke(r, L2 + 0x37 * 4, START | 0xff0 | 2);
    /* 0x600000: physical 0x2000 or 0x3000, switched by the program */
    poke(r, TTB + 6 * 4, L2B | 0x10 | 1);
    poke(r, L2B, 0x2000 | 0xff0 | 2);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 2, 0, 0, TTB), 0);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 3, 0, 0, 0x55555555u), 0);
    assert_int_equal(vt_arm_cp15_write(NULL, r->c, 15, 0, 1, 0, 0, VT_SCTLR_M), 0);
    r->c->r[15] = START;
    return r;
}

static void destroy(rig *r) {
    vt_cpu_destroy(&r->c->base);
    vt_bus_free(&r->bus);
    free(r);
}

static void assert_same(const vt_arm_cpu *a, const vt_arm_cpu *b) {
    for (int i = 0; i < 16; i++)
        assert_int_equal(a->r[i], b->r[i]);
    assert_int_equal(vt_arm_get_cpsr(a), vt_arm_get_cpsr(b));
    assert_int_equal(a->base.cycles, b->base.cycles);
    assert_int_equal(a->base.insns, b->base.insns);
    assert_int_equal(a->lines, b->lines);
    assert_memory_equal(a->bank_r14, b->bank_r14, sizeof a->bank_r14); /* where IRQs came */
    assert_memory_equal(a->bank_spsr, b->bank_spsr, sizeof a->bank_spsr);
    assert_int_equal(a->cp15.far, b->cp15.far);
    assert_int_equal(a->cp15.dfsr, b->cp15.dfsr);
    /* the MMU's TLB as the save state has it: no walk the interpreter would not make */
    assert_int_equal(a->cp15.tlb_next, b->cp15.tlb_next);
    for (unsigned i = 0; i < VT_ARM_TLB_ENTRIES; i++) {
        assert_int_equal(a->cp15.tlb[i].valid, b->cp15.tlb[i].valid);
        assert_int_equal(a->cp15.tlb[i].va, b->cp15.tlb[i].va);
    }
}

/* Both agree after every slice; the loop's sums prove the rewritten code ran. */
static void run_pair(const char *model, vt_jit_mode mode) {
    static const uint64_t slices[] = {1, 3, 7, 50, 1000, 2, 13, 29};
    rig *ri = make(model, VT_JIT_OFF), *rj = make(model, mode);
    unsigned k = 0;
    while (ri->c->r[15] != END_PC && k < 200000) {
        uint64_t budget = slices[k++ % VT_ARRAY_LEN(slices)];
        ri->c->base.ops->run(&ri->c->base, budget);
        rj->c->base.ops->run(&rj->c->base, budget);
        assert_same(ri->c, rj->c);
    }
    assert_int_equal(ri->c->r[15], END_PC);
    /* 100 x 2 + 100 x 1 (alias stores), 2 x (100 x 0x20002 + 100 x 0x10001) (remapped calls,
     * ARM then Thumb code) */
    assert_int_equal(ri->c->r[11], 300 + 2 * 300 * 0x10001);
    assert_int_equal(ri->c->r[12], 700); /* 100 x 6 + 100 x 1 (DMA) */
    assert_int_equal(ri->reads, 800);    /* 2 per call, 2 calls per round */
    assert_int_equal(rj->reads, 800);
    assert_int_equal(ri->c->r[10], 600 + 12 * 0x100); /* 200 + 400 (Thumb) IRQs, 12 aborts */
    assert_memory_equal(ri->ram->host, rj->ram->host, RAM_SIZE);
    char msg[512];
    assert_false(vt_arm_jit_diverged(&rj->c->base, msg, sizeof msg));
    vt_arm_jit_stats st;
    assert_true(vt_arm_jit_get_stats(&rj->c->base, &st));
    if (mode == VT_JIT_ON) {
        assert_true(st.blocks_run > 400);
        assert_true(st.invalidations >= 300); /* the alias stores and the DMA writes */
    } else {
        assert_true(st.lockstep_blocks > 400);
    }
    destroy(ri);
    destroy(rj);
}

static void test_arm925t_same_as_interpreter(void **state) {
    (void)state;
    run_pair("arm925t", VT_JIT_ON);
}

static void test_arm1136_same_as_interpreter(void **state) {
    (void)state;
    run_pair("arm1136", VT_JIT_ON);
}

/* A device store resets the machine (the board rewrites code in RAM directly, the core
 * resets: registers cleared, MMU off) in the middle of a translated block; the interpreter
 * continues after the store, so must the JIT, without the code translated before. */
static const struct {
    uint32_t addr, insn;
} reset_program[] = {
    {0x1000, 0xe3a00102}, /* mov r0, #0x80000000 */
    {0x1004, 0xe3a01000}, /* mov r1, #0 */
    {0x1008, 0xe2811001}, /* loop: add r1, r1, #1 */
    {0x100c, 0xe3510005}, /* cmp r1, #5 */
    {0x1010, 0x05804010}, /* streq r4, [r0, #16] (the first time: machine reset) */
    {0x1014, 0xe28bb001}, /* add r11, r11, #1 (after the reset: add r11, r11, #0x100) */
    {0x1018, 0xe351000a}, /* cmp r1, #10 */
    {0x101c, 0x1afffff9}, /* bne loop */
    {0x1020, 0xeafffffe}, /* end: b end */
};

static void test_reset_inside_a_block(void **state) {
    (void)state;
    static const uint64_t slices[] = {1000, 3, 7, 50, 1000, 2, 13, 29};
    rig *rg[2];
    for (int i = 0; i < 2; i++) {
        rg[i] = make_bare("arm925t", i ? VT_JIT_ON : VT_JIT_OFF);
        for (size_t k = 0; k < VT_ARRAY_LEN(reset_program); k++)
            poke(rg[i], reset_program[k].addr, reset_program[k].insn);
        rg[i]->c->r[15] = START;
    }
    for (unsigned k = 0; rg[0]->c->r[15] != 0x1020u && k < 10000; k++) {
        uint64_t budget = slices[k % VT_ARRAY_LEN(slices)];
        for (int i = 0; i < 2; i++)
            rg[i]->c->base.ops->run(&rg[i]->c->base, budget);
        assert_same(rg[0]->c, rg[1]->c);
    }
    assert_int_equal(rg[0]->c->r[15], 0x1020u);
    assert_true(rg[0]->reset_done && rg[1]->reset_done);
    assert_int_equal(rg[0]->c->r[11], 11 * 0x100); /* the rewritten add from the reset on */
    for (int i = 0; i < 2; i++)
        destroy(rg[i]);
}

static void test_lockstep_no_divergence(void **state) {
    (void)state;
    run_pair("arm925t", VT_JIT_LOCKSTEP);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arm925t_same_as_interpreter),
        cmocka_unit_test(test_arm1136_same_as_interpreter),
        cmocka_unit_test(test_lockstep_no_divergence),
        cmocka_unit_test(test_reset_inside_a_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
