/* The ARM JIT against the interpreter on one program (data processing with every shifter
 * form and flag, word/byte/halfword/signed loads and stores with writeback (aligned and
 * unaligned), LDM/STM, MUL/MLA, conditional execution, data
 * aborts, SWI, a loop, and self-modifying code: instructions overwritten inside the running
 * block by STR and by STM (a handler call), and one in a block already translated): run in slices
 * of odd sizes, the two cores agree after every slice (registers, CPSR, cycles, instructions) and
 * in memory. Lockstep mode finds a planted translation bug and names the block; without it, it
 * finds nothing. Register-specified shifts of every type and amount and long multiplies agree too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/cpu/arm/arm_cpu.h"
#include "jit/arm_jit.h"

#define RAM_SIZE 0x10000u
#define END_PC 0x10d8u

typedef struct board {
    uint8_t ram[RAM_SIZE];
} board;

/* tests/unit/test_jit_arm.c's program, assembled with arm-linux-gnueabi-as (vectors at 0:
 * SWI and UNDEF return, a data abort skips the faulting load). */
static const struct {
    uint32_t addr, insn;
} program[] = {
    {0x0, 0xeafffffe},    /* b 0 <vectors> */
    {0x4, 0xe1b0f00e},    /* movs pc, lr */
    {0x8, 0xe1b0f00e},    /* movs pc, lr */
    {0xc, 0xeafffffe},    /* b c <vectors+0xc> */
    {0x10, 0xe25ef004},   /* subs pc, lr, #4 */
    {0x14, 0xeafffffe},   /* b 14 <vectors+0x14> */
    {0x18, 0xeafffffe},   /* b 18 <vectors+0x18> */
    {0x1c, 0xeafffffe},   /* b 1c <vectors+0x1c> */
    {0x1000, 0xe3a00000}, /* mov r0, #0 */
    {0x1004, 0xe3a01064}, /* mov r1, #100 */
    {0x1008, 0xe3a02a03}, /* mov r2, #12288 */
    {0x100c, 0xe3a03012}, /* mov r3, #18 */
    {0x1010, 0xe3833b0d}, /* orr r3, r3, #13312 */
    {0x1014, 0xe2800001}, /* add r0, r0, #1 */
    {0x1018, 0xe0934e00}, /* adds r4, r3, r0, lsl #28 */
    {0x101c, 0xe0b451e3}, /* adcs r5, r4, r3, ror #3 */
    {0x1020, 0xe0d560c0}, /* sbcs r6, r5, r0, asr #1 */
    {0x1024, 0xe0f67023}, /* rscs r7, r6, r3, lsr #32 */
    {0x1028, 0xe1b08067}, /* rrxs r8, r7 */
    {0x102c, 0xe1d89185}, /* bics r9, r8, r5, lsl #3 */
    {0x1030, 0x11e0a009}, /* mvnne sl, r9 */
    {0x1034, 0xe13a0000}, /* teq sl, r0 */
    {0x1038, 0xe3500032}, /* cmp r0, #50 */
    {0x103c, 0xe00b0094}, /* mul fp, r4, r0 */
    {0x1040, 0xe02b3094}, /* mla fp, r4, r0, r3 */
    {0x1044, 0xe1c240b6}, /* strh r4, [r2, #6] */
    {0x1048, 0xe1d290f6}, /* ldrsh r9, [r2, #6] */
    {0x104c, 0xe1d2a0d7}, /* ldrsb sl, [r2, #7] */
    {0x1050, 0xe19280b0}, /* ldrh r8, [r2, r0] */
    {0x1054, 0xe12280b0}, /* strh r8, [r2, -r0]! */
    {0x1058, 0xe0822000}, /* add r2, r2, r0 */
    {0x105c, 0xe7824100}, /* str r4, [r2, r0, lsl #2] */
    {0x1060, 0xe5625001}, /* strb r5, [r2, #-1]! */
    {0x1064, 0xe5b2c001}, /* ldr ip, [r2, #1]! */
    {0x1068, 0xe4d2c003}, /* ldrb ip, [r2], #3 */
    {0x106c, 0xe2422003}, /* sub r2, r2, #3 */
    {0x1070, 0xe92d0070}, /* push {r4, r5, r6} */
    {0x1074, 0xe8bd0070}, /* pop {r4, r5, r6} */
    {0x1078, 0xe023300c}, /* eor r3, r3, ip */
    {0x107c, 0xc2633000}, /* rsbgt r3, r3, #0 */
    {0x1080, 0xe3a06601}, /* mov r6, #1048576 */
    {0x1084, 0xd5967000}, /* ldrle r7, [r6] */
    {0x1088, 0xef000000}, /* svc 0x00000000 */
    {0x108c, 0xe2511001}, /* subs r1, r1, #1 */
    {0x1090, 0x1affffdf}, /* bne 1014 <loop> */
    {0x1094, 0xe59f4040}, /* ldr r4, [pc, #64] */
    {0x1098, 0xe28f5004}, /* add r5, pc, #4 */
    {0x109c, 0xe3a0b000}, /* mov fp, #0 */
    {0x10a0, 0xe5854000}, /* str r4, [r5] */
    {0x10a4, 0xe3a0b007}, /* mov fp, #7 */
    {0x10a8, 0xe28f5004}, /* add r5, pc, #4 */
    {0x10ac, 0xe59f402c}, /* ldr r4, [pc, #44] */
    {0x10b0, 0xe3a01002}, /* mov r1, #2 */
    {0x10b4, 0xe28bb064}, /* add fp, fp, #100 */
    {0x10b8, 0xe5854000}, /* str r4, [r5] */
    {0x10bc, 0xe2511001}, /* subs r1, r1, #1 */
    {0x10c0, 0x1afffffb}, /* bne 10b4 <again> */
    {0x10c4, 0xe59f4018}, /* ldr r4, [pc, #24] */
    {0x10c8, 0xe28f5000}, /* add r5, pc, #0 */
    {0x10cc, 0xe8850010}, /* stm r5, {r4} */
    {0x10d0, 0xe28bb001}, /* add fp, fp, #1 */
    {0x10d4, 0xe2800001}, /* add r0, r0, #1 */
    {0x10d8, 0xeafffffe}, /* b 10d8 <patch3+0x8> */
    {0x10dc, 0xe3a0b07b}, /* .word 0xe3a0b07b */
    {0x10e0, 0xe28bb001}, /* .word 0xe28bb001 */
    {0x10e4, 0xe28bb00a}, /* .word 0xe28bb00a */
};

/* Register-specified shifts by 0..299 (0, below 32, 32, above 32, 256 = 0 in the bottom byte)
 * of every type, feeding DP with and without S (ORRS needs the shifter carry: the interpreter's
 * handler runs it), and long multiplies (signed, unsigned, accumulating, S) of the results;
 * then calls (BL, BLX Rm) returning by LDM {.., pc} and by BX LR and an LDM {.., pc} into Thumb
 * state, assembled with arm-linux-gnueabi-as. */
#define SHIFTS_PC 0x2000u
#define SHIFTS_END 0x208cu
static const uint32_t shifts_program[] = {
    0xe3a01000, /* mov r1, #0 */
    0xe3a02003, /* mov r2, #3 */
    0xe382220f, /* orr r2, r2, #0xf0000000 */
    0xe3a03000, /* mov r3, #0 */
    0xe0834112, /* loop: add r4, r3, r2, lsl r1 */
    0xe0845132, /* add r5, r4, r2, lsr r1 */
    0xe0256152, /* eor r6, r5, r2, asr r1 */
    0xe0467172, /* sub r7, r6, r2, ror r1 */
    0xe0978154, /* adds r8, r7, r4, asr r1 */
    0xe0a83173, /* adc r3, r8, r3, ror r1 */
    0xe0739115, /* rsbs r9, r3, r5, lsl r1 */
    0xe0c33139, /* sbc r3, r3, r9, lsr r1 */
    0xe193a112, /* orrs sl, r3, r2, lsl r1 */
    0xe083300a, /* add r3, r3, sl */
    0xe0854392, /* umull r4, r5, r2, r3 */
    0xe0e54293, /* smlal r4, r5, r3, r2 */
    0xe0b76194, /* umlals r6, r7, r4, r1 */
    0xe0d98295, /* smulls r8, r9, r5, r2 */
    0xe0833009, /* add r3, r3, r9 */
    0xe0233007, /* eor r3, r3, r7 */
    0xe2811001, /* add r1, r1, #1 */
    0xe3510f4b, /* cmp r1, #300 */
    0x1affffec, /* bne loop */
    0xeb000005, /* bl func */
    0xeb000007, /* bl leaf */
    0xe28f5018, /* adr r5, leaf */
    0xe12fff35, /* blx r5 (translated: links, stays in ARM state) */
    0xe28f2019, /* adr r2, tend + 1 */
    0xe92d0005, /* push {r0, r2} */
    0xe8bd8001, /* pop {r0, pc}: to Thumb state (the handler's) */
    0xe92d4010, /* func: push {r4, lr} */
    0xe2833001, /* add r3, r3, #1 */
    0xe8bd8010, /* pop {r4, pc}: a return in ARM state (translated) */
    0xe2833002, /* leaf: add r3, r3, #2 */
    0xe12fff1e, /* bx lr: a return in ARM state (translated) */
    0x46c0e7fe, /* tend: b tend (Thumb); nop */
};

/* Thumb code entered from ARM by BX (assembled with arm-linux-gnueabi-as, .arch armv6): every
 * form the translator takes natively (shifts by immediates including #32, ADD/SUB with three
 * registers and immediates, MOV/CMP/ADD/SUB #imm8, the ALU group, high-register ADD/CMP/MOV
 * with SP and PC, PC-relative LDR and ADR, loads/stores of every size and signedness with
 * immediate, register and SP offsets (unaligned ones through the slow path), ADD/SUB SP,
 * PUSH/POP (POP {pc} too), LDMIA/STMIA with and without writeback, B<cond> on every flag, B,
 * BL, BX LR) and some that call the handlers (register shifts, SVC); a halfword store patches a
 * later instruction of the running block. 200 loop iterations. */
#define THUMB_PC 0x2400u
#define THUMB_END (THUMB_PC + 0xf2)
#define THUMB_PATCH (THUMB_PC + 0x20)

static const uint16_t thumb_program[] = {
    0x0001, /* 00: add r0, pc, #1 (low half) */
    0xe28f, /* 02: (high half) */
    0xff10, /* 04: bx r0 (low half) */
    0xe12f, /* 06: (high half) */
    0x2000, /* 08: movs r0, #0 */
    0x21c8, /* 0a: movs r1, #200 */
    0x4a3e, /* 0c: ldr r2, [pc, #248] */
    0x4690, /* 0e: mov r8, r2 */
    0x2312, /* 10: movs r3, #18 */
    0x021b, /* 12: lsls r3, r3, #8 */
    0x3334, /* 14: adds r3, #52 */
    0x4e3a, /* 16: ldr r6, [pc, #232] */
    0xa501, /* 18: add r5, pc, #4 */
    0xa43a, /* 1a: add r4, pc, #232 */
    0x8824, /* 1c: ldrh r4, [r4, #0] */
    0x802c, /* 1e: strh r4, [r5, #0] */
    0x2701, /* 20: movs r7, #1 */
    0x19ff, /* 22: adds r7, r7, r7 */
    0x3001, /* 24: adds r0, #1 */
    0x071c, /* 26: lsls r4, r3, #28 */
    0x081d, /* 28: lsrs r5, r3, #32 */
    0x1035, /* 2a: asrs r5, r6, #32 */
    0x1174, /* 2c: asrs r4, r6, #5 */
    0x18e4, /* 2e: adds r4, r4, r3 */
    0x1fe5, /* 30: subs r5, r4, #7 */
    0x1a2d, /* 32: subs r5, r5, r0 */
    0x416c, /* 34: adcs r4, r5 */
    0x41a5, /* 36: sbcs r5, r4 */
    0x4074, /* 38: eors r4, r6 */
    0x401d, /* 3a: ands r5, r3 */
    0x4305, /* 3c: orrs r5, r0 */
    0x43ac, /* 3e: bics r4, r5 */
    0x43e5, /* 40: mvns r5, r4 */
    0x426c, /* 42: negs r4, r5 */
    0x435c, /* 44: muls r4, r3 */
    0x422c, /* 46: tst r4, r5 */
    0x42ec, /* 48: cmn r4, r5 */
    0x42ac, /* 4a: cmp r4, r5 */
    0x2503, /* 4c: movs r5, #3 */
    0x40ac, /* 4e: lsls r4, r5 */
    0x40ec, /* 50: lsrs r4, r5 */
    0x412e, /* 52: asrs r6, r5 */
    0x41ee, /* 54: rors r6, r5 */
    0x46a1, /* 56: mov r9, r4 */
    0x44b1, /* 58: add r9, r6 */
    0x444c, /* 5a: add r4, r9 */
    0x45a1, /* 5c: cmp r9, r4 */
    0x46ea, /* 5e: mov sl, sp */
    0x44fa, /* 60: add sl, pc */
    0x46c4, /* 62: mov ip, r8 */
    0x6054, /* 64: str r4, [r2, #4] */
    0x8154, /* 66: strh r4, [r2, #10] */
    0x7354, /* 68: strb r4, [r2, #13] */
    0x6855, /* 6a: ldr r5, [r2, #4] */
    0x8956, /* 6c: ldrh r6, [r2, #10] */
    0x7b57, /* 6e: ldrb r7, [r2, #13] */
    0x19ad, /* 70: adds r5, r5, r6 */
    0x19ed, /* 72: adds r5, r5, r7 */
    0x2606, /* 74: movs r6, #6 */
    0x5195, /* 76: str r5, [r2, r6] */
    0x5395, /* 78: strh r5, [r2, r6] */
    0x5595, /* 7a: strb r5, [r2, r6] */
    0x5797, /* 7c: ldrsb r7, [r2, r6] */
    0x5f94, /* 7e: ldrsh r4, [r2, r6] */
    0x5994, /* 80: ldr r4, [r2, r6] */
    0x5b97, /* 82: ldrh r7, [r2, r6] */
    0x5d94, /* 84: ldrb r4, [r2, r6] */
    0x191b, /* 86: adds r3, r3, r4 */
    0x9302, /* 88: str r3, [sp, #8] */
    0x9c02, /* 8a: ldr r4, [sp, #8] */
    0xad04, /* 8c: add r5, sp, #16 */
    0xa602, /* 8e: add r6, pc, #8 */
    0xb088, /* 90: sub sp, #32 */
    0xb008, /* 92: add sp, #32 */
    0xb538, /* 94: push {r3, r4, r5, lr} */
    0xbc38, /* 96: pop {r3, r4, r5} */
    0xbc40, /* 98: pop {r6} */
    0xc238, /* 9a: stmia r2!, {r3, r4, r5} */
    0x3a0c, /* 9c: subs r2, #12 */
    0xca70, /* 9e: ldmia r2!, {r4, r5, r6} */
    0x3a0c, /* a0: subs r2, #12 */
    0xca0c, /* a2: ldmia r2, {r2, r3} */
    0x4642, /* a4: mov r2, r8 */
    0xf000, /* a6: bl f4 <func> (1st half) */
    0xf825, /* a8: (2nd half) */
    0xf000, /* aa: bl fc <leaf> (1st half) */
    0xf827, /* ac: (2nd half) */
    0x2864, /* ae: cmp r0, #100 */
    0xd800, /* b0: bhi.n b4 <over> */
    0xd900, /* b2: bls.n b6 <under> */
    0x3301, /* b4: adds r3, #1 */
    0x42a3, /* b6: cmp r3, r4 */
    0xda00, /* b8: bge.n bc <ge> */
    0xdb00, /* ba: blt.n be <lt> */
    0x3302, /* bc: adds r3, #2 */
    0x42a3, /* be: cmp r3, r4 */
    0xdc00, /* c0: bgt.n c4 <gt> */
    0xdd00, /* c2: ble.n c6 <le> */
    0x3b01, /* c4: subs r3, #1 */
    0x2896, /* c6: cmp r0, #150 */
    0xd200, /* c8: bcs.n cc <cs> */
    0xd300, /* ca: bcc.n ce <cc> */
    0x3303, /* cc: adds r3, #3 */
    0x2400, /* ce: movs r4, #0 */
    0x3c01, /* d0: subs r4, #1 */
    0xd600, /* d2: bvs.n d6 <vs> */
    0xd700, /* d4: bvc.n d8 <vc> */
    0x3304, /* d6: adds r3, #4 */
    0x2c00, /* d8: cmp r4, #0 */
    0xd400, /* da: bmi.n de <mi> */
    0xd500, /* dc: bpl.n e0 <pl> */
    0x3305, /* de: adds r3, #5 */
    0xd000, /* e0: beq.n e4 <eq> */
    0xd100, /* e2: bne.n e6 <ne> */
    0x3306, /* e4: adds r3, #6 */
    0xdf00, /* e6: svc 0 */
    0x3901, /* e8: subs r1, #1 */
    0xd000, /* ea: beq.n ee <done> */
    0xe79a, /* ec: b.n 24 <loop> */
    0x2401, /* ee: movs r4, #1 */
    0x5b15, /* f0: ldrh r5, [r2, r4] */
    0xe7fe, /* f2: b.n f2 <done+0x4> */
    0xb510, /* f4: push {r4, lr} */
    0x181b, /* f6: adds r3, r3, r0 */
    0x41cb, /* f8: rors r3, r1 */
    0xbd10, /* fa: pop {r4, pc} */
    0x3301, /* fc: adds r3, #1 */
    0x4770, /* fe: bx lr */
    0x0003, /* 100: .word 0x80000003 (low half) */
    0x8000, /* 102: (high half) */
    0x2705, /* 104: movs r7, #5 */
    0x46c0, /* 106: nop */
    0x3000, /* 108: .word 0x00003000 (low half) */
    0x0000, /* 10a: (high half) */
};

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

static vt_arm_cpu *make(board *b, vt_jit_mode mode) {
    for (size_t i = 0; i < VT_ARRAY_LEN(program); i++)
        store_le32(b->ram + program[i].addr, program[i].insn);
    vt_cpu_config cfg = {.model = "arm1136", .hz = 1000000, .env = b};
    vt_error err;
    vt_arm_cpu *c = vt_arm_create(&cfg, &err);
    assert_non_null(c);
    c->hooks.read = rd;
    c->hooks.write = wr;
    if (vt_arm_jit_enable(&c->base, mode, &err)) fail_msg("%s", err.msg);
    vt_arm_set_cpsr(c, VT_ARM_MODE_USR);
    c->r[13] = 0x8000;
    c->r[15] = 0x1000;
    return c;
}

static void assert_same(const vt_arm_cpu *a, const vt_arm_cpu *b) {
    for (int i = 0; i < 16; i++)
        assert_int_equal(a->r[i], b->r[i]);
    assert_int_equal(vt_arm_get_cpsr(a), vt_arm_get_cpsr(b));
    assert_int_equal(a->base.cycles, b->base.cycles);
    assert_int_equal(a->base.insns, b->base.insns);
}

/* Runs the interpreter (ci) and the JIT (cj) in slices of odd sizes until ci reaches end;
 * they must agree after every slice. */
static void run_in_slices(vt_arm_cpu *ci, vt_arm_cpu *cj, uint32_t end) {
    static const uint64_t slices[] = {1, 3, 7, 50, 1000, 2, 13};
    unsigned k = 0;
    while (ci->r[15] != end && k < 100000) {
        uint64_t budget = slices[k++ % VT_ARRAY_LEN(slices)];
        ci->base.ops->run(&ci->base, budget);
        cj->base.ops->run(&cj->base, budget);
        assert_same(ci, cj);
    }
    assert_int_equal(ci->r[15], end);
}

static void test_same_as_interpreter(void **state) {
    (void)state;
    board *bi = calloc(1, sizeof *bi), *bj = calloc(1, sizeof *bj);
    vt_arm_cpu *ci = make(bi, VT_JIT_OFF), *cj = make(bj, VT_JIT_ON);
    run_in_slices(ci, cj, END_PC);
    assert_int_equal(ci->r[11], 234); /* 123 (patched mov), +100, +1 (patched add), +10 (STM) */
    assert_int_equal(ci->r[0], 101);
    assert_memory_equal(bi->ram, bj->ram, RAM_SIZE);
    vt_arm_jit_stats st;
    assert_true(vt_arm_jit_get_stats(&cj->base, &st));
    assert_true(st.blocks_run > 100);
    assert_true(st.translations > 5);
    assert_true(st.invalidations >= 2); /* both patched instructions had been translated */
    assert_false(vt_arm_jit_get_stats(&ci->base, &st));
    vt_cpu_destroy(&ci->base);
    vt_cpu_destroy(&cj->base);
    free(bi);
    free(bj);
}

static void test_register_shifts(void **state) {
    (void)state;
    board *b[2];
    vt_arm_cpu *c[2];
    for (int i = 0; i < 2; i++) {
        b[i] = calloc(1, sizeof *b[i]);
        c[i] = make(b[i], i ? VT_JIT_ON : VT_JIT_OFF);
        for (size_t k = 0; k < VT_ARRAY_LEN(shifts_program); k++)
            store_le32(b[i]->ram + SHIFTS_PC + 4 * k, shifts_program[k]);
        c[i]->r[15] = SHIFTS_PC;
    }
    run_in_slices(c[0], c[1], SHIFTS_END);
    assert_int_equal(c[0]->r[1], 300);
    assert_true(c[0]->thumb && c[1]->thumb);
    for (int i = 0; i < 2; i++) {
        vt_cpu_destroy(&c[i]->base);
        free(b[i]);
    }
}

/* Two cores (interpreter, then `mode`) with the Thumb program loaded. */
static void make_thumb(board *b[2], vt_arm_cpu *c[2], vt_jit_mode mode) {
    for (int i = 0; i < 2; i++) {
        b[i] = calloc(1, sizeof *b[i]);
        c[i] = make(b[i], i ? mode : VT_JIT_OFF);
        for (size_t k = 0; k < VT_ARRAY_LEN(thumb_program); k++)
            store_le16(b[i]->ram + THUMB_PC + 2 * k, thumb_program[k]);
        c[i]->r[15] = THUMB_PC;
    }
}

static void test_thumb(void **state) {
    (void)state;
    board *b[2];
    vt_arm_cpu *c[2];
    make_thumb(b, c, VT_JIT_ON);
    run_in_slices(c[0], c[1], THUMB_END);
    assert_true(c[0]->thumb && c[1]->thumb);
    assert_int_equal(c[0]->r[1], 0); /* the loop ran to its end */
    assert_int_equal(c[0]->r[0], 200);
    assert_int_equal(load_le16(b[1]->ram + THUMB_PATCH), 0x2705); /* movs r7, #5 */
    assert_memory_equal(b[0]->ram, b[1]->ram, RAM_SIZE);
    vt_arm_jit_stats st;
    assert_true(vt_arm_jit_get_stats(&c[1]->base, &st));
    assert_true(st.blocks_run > 200);
    assert_true(st.invalidations >= 1); /* the patched instruction's block */
    for (int i = 0; i < 2; i++) {
        vt_cpu_destroy(&c[i]->base);
        free(b[i]);
    }
}

/* Lockstep over the Thumb program: the same results after every slice, no divergence. */
static void test_thumb_lockstep(void **state) {
    (void)state;
    board *b[2];
    vt_arm_cpu *c[2];
    char msg[512];
    make_thumb(b, c, VT_JIT_LOCKSTEP);
    run_in_slices(c[0], c[1], THUMB_END);
    assert_false(vt_arm_jit_diverged(&c[1]->base, msg, sizeof msg));
    assert_memory_equal(b[0]->ram, b[1]->ram, RAM_SIZE);
    vt_arm_jit_stats st;
    assert_true(vt_arm_jit_get_stats(&c[1]->base, &st));
    assert_true(st.lockstep_blocks > 200);
    for (int i = 0; i < 2; i++) {
        vt_cpu_destroy(&c[i]->base);
        free(b[i]);
    }
}

static void run_lockstep(bool bug, char *msg, size_t len, bool *diverged) {
    board *b = calloc(1, sizeof *b);
    vt_arm_cpu *c = make(b, VT_JIT_LOCKSTEP);
    vt_arm_jit_plant_bug_for_test(&c->base, bug);
    for (int k = 0; k < 1000 && c->r[15] != END_PC; k++) {
        c->base.ops->run(&c->base, 97);
        if (vt_arm_jit_diverged(&c->base, msg, len)) break;
    }
    *diverged = vt_arm_jit_diverged(&c->base, msg, len);
    if (!*diverged) {
        assert_int_equal(c->r[15], END_PC);
        assert_int_equal(c->r[11], 234);
        vt_arm_jit_stats st;
        assert_true(vt_arm_jit_get_stats(&c->base, &st));
        assert_true(st.lockstep_blocks > 100);
    }
    vt_cpu_destroy(&c->base);
    free(b);
}

static void test_lockstep_finds_planted_bug(void **state) {
    (void)state;
    char msg[512];
    bool diverged;
    run_lockstep(false, msg, sizeof msg, &diverged);
    assert_false(diverged);
    run_lockstep(true, msg, sizeof msg, &diverged);
    assert_true(diverged);
    /* the first ADD with an immediate is `add r0, r0, #1` at 0x1014, inside the first block
     * (0x1000 itself runs in the interpreter, which fills the empty TLB) */
    assert_non_null(strstr(msg, "block at pc 00001004"));
    assert_non_null(strstr(msg, "r0 jit=2 interp=1"));
}

static void test_enable_refusals(void **state) {
    (void)state;
    vt_error err;
    vt_jit_mode m;
    assert_int_equal(vt_jit_mode_parse("sometimes", &m, &err), -1);
    assert_non_null(strstr(err.msg, "sometimes"));
    assert_int_equal(vt_jit_mode_parse("lockstep", &m, &err), 0);
    assert_int_equal(m, VT_JIT_LOCKSTEP);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_interpreter),
        cmocka_unit_test(test_register_shifts),
        cmocka_unit_test(test_thumb),
        cmocka_unit_test(test_thumb_lockstep),
        cmocka_unit_test(test_lockstep_finds_planted_bug),
        cmocka_unit_test(test_enable_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
