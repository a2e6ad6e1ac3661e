/* The x86 JIT's native instruction forms (jit/x86_translate_{alu,shift,move,mul}.c) against
 * the interpreter: every form (ALU rows and group 1 in all sizes, TEST, NOT/NEG, INC/DEC,
 * shifts and rotates by imm/1/CL, SHLD/SHRD, BT/BTS/BTR/BTC, MOV 8/16/imm/moffs, MOVZX/MOVSX, XCHG,
 * CBW/CWD, SETcc, CMOVcc, IMUL) run on random registers, flags, immediates and memory, with
 * register and memory operands, through the JIT and through the interpreter: registers, EFLAGS, the
 * lazy flag record, cycles, instruction counts, memory and traps must be equal. Memory operands
 * also land on an unmapped page, a read-only page and across the end of the mapping, where the
 * fault must come from the same instruction; on a plain writable address the instruction must
 * run natively (its handler, wrapped by the test, is never called). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/cpu/x86/x86_cpu.h"
#include "jit/x86_jit.h"

#define BASE 0x400000u
#define SIZE 0x10000u
#define CODE 0x401000u
#define STUB 0x401800u /* run before each trial (same code page) */
#define DATA 0x408000u
#define RO_PAGE 0x40C000u /* mapped without write permission */

enum { IMM_Z = 9 }; /* immediate of the operand size (2 with a 66 prefix, else 4) */
enum { R_MODRM = -1, NO_MODRM = -2, PLUS_R = -3 };

/* One instruction form: [66] opcode bytes, ModRM (/r random, a fixed /digit, none, or the
 * register in the opcode's low bits), an immediate of imm bytes, or a moffs32 address. */
typedef struct form {
    bool p66;
    uint8_t op[2];
    uint8_t oplen;
    int8_t modrm;
    uint8_t imm;
    bool moffs;
    bool reg_only; /* the r/m operand is a register (memory would take the handler) */
} form;

typedef struct guest {
    uint8_t *mem;
    vt_cpu *cpu;
} guest;

static uint8_t *page_fn(void *opaque, uint32_t va, unsigned *perms) {
    guest *g = opaque;
    if (va < BASE || va - BASE >= SIZE) return NULL;
    *perms = VT_PERM_R | VT_PERM_X | ((va & ~0xFFFu) == RO_PAGE ? 0 : VT_PERM_W);
    return g->mem + (va - BASE);
}

static void guest_init(guest *g, bool jit) {
    g->mem = calloc(1, SIZE);
    assert_non_null(g->mem);
    vt_error err;
    vt_cpu_config cfg = {.model = "pentium2", .hz = 300000000};
    g->cpu = vt_cpu_create(&cfg, &err);
    assert_non_null(g->cpu);
    vt_x86_set_user_mode(g->cpu, page_fn, g);
    assert_int_equal(vt_x86_set_jit(g->cpu, jit), 0);
    g->cpu->ops->set_reg(g->cpu, X86_ESP, BASE + 0xF000);
}

static void guest_free(guest *g) {
    vt_cpu_destroy(g->cpu);
    free(g->mem);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 16);
}

/* The wrapped handler of the instruction under test: counts calls, then runs the real one. */
static x86_handler *real_handler;
static unsigned handler_calls;
static void counting_handler(x86_cpu *c, x86_insn *i) {
    handler_calls++;
    real_handler(c, i);
}

static void put(uint8_t *p, size_t *n, uint32_t v, unsigned bytes) {
    for (unsigned k = 0; k < bytes; k++)
        p[(*n)++] = (uint8_t)(v >> (8 * k));
}

/* Where the memory operand points: 0 plain data, 1 unmapped, 2 read-only page, 3 across the
 * end of the mapping, 4 wrapping past 4 GiB (with the displacement). */
static uint32_t operand_address(unsigned kind) {
    static const uint32_t base[5] = {DATA, 0x1000, RO_PAGE + 0x10, BASE + SIZE - 2, 0xFFFFFFF8u};
    return base[kind] + (kind == 3 ? 0 : rnd() % 8);
}

/* Emits the instruction of form f into p (the r/m operand memory [ESI + disp8] or a
 * register); returns whether it has a memory operand. */
static bool emit_form(const form *f, uint8_t *p, size_t *n, uint32_t addr) {
    bool mem = f->moffs;
    if (f->p66) p[(*n)++] = 0x66;
    for (unsigned k = 0; k < f->oplen; k++)
        p[(*n)++] = f->op[k];
    if (f->modrm == PLUS_R) p[*n - 1] = (uint8_t)(p[*n - 1] + rnd() % 8);
    if (f->modrm >= R_MODRM) {
        unsigned reg = f->modrm == R_MODRM ? rnd() % 8 : (unsigned)f->modrm;
        mem = !f->reg_only && rnd() % 3 != 0;
        if (mem) {
            p[(*n)++] = (uint8_t)(0x40 | reg << 3 | 6); /* [esi + disp8] */
            p[(*n)++] = (uint8_t)(rnd() % 8);
        } else {
            p[(*n)++] = (uint8_t)(0xC0 | reg << 3 | rnd() % 8);
        }
    }
    if (f->moffs) put(p, n, addr, 4);
    unsigned imm = f->imm == IMM_Z ? (f->p66 ? 2 : 4) : f->imm;
    put(p, n, rnd(), imm);
    return mem;
}

static void assert_same(guest *a, guest *b) {
    for (int r = 0; r < X86_NREGS; r++)
        assert_int_equal(a->cpu->ops->get_reg(a->cpu, r), b->cpu->ops->get_reg(b->cpu, r));
    /* the flag record: the same kind; a lazy record's fields or an eager one's flags (the
     * other half is meaningless, x86_flags.c, and the JIT skips computing dead flags) */
    x86_cpu *x = X86(a->cpu), *y = X86(b->cpu);
    assert_int_equal(x->cc_op, y->cc_op);
    if (x->cc_op == CC_EAGER) {
        assert_int_equal(x->eflags, y->eflags);
    } else {
        assert_int_equal(x->cc_size, y->cc_size);
        assert_int_equal(x->cc_res, y->cc_res);
        assert_int_equal(x->cc_a, y->cc_a);
        assert_int_equal(x->cc_b, y->cc_b);
        assert_int_equal(x->eflags & ~F_ARITH, y->eflags & ~F_ARITH);
    }
    assert_int_equal(a->cpu->cycles, b->cpu->cycles);
    assert_int_equal(a->cpu->insns, b->cpu->insns);
    assert_memory_equal(a->mem, b->mem, SIZE);
}

/* Random registers (ESI = addr, the memory operand) and a random flag record (every kind of
 * lazy record, or eager flags): the start of every test program. Returns its length. */
static size_t prologue(uint8_t *p, uint32_t addr) {
    size_t n = 0;
    static const uint8_t regs[] = {X86_EAX, X86_ECX, X86_EDX, X86_EBX, X86_EBP, X86_EDI};
    for (unsigned k = 0; k < sizeof regs; k++) {
        p[n++] = (uint8_t)(0xB8 + regs[k]);
        uint32_t v = rnd();
        put(p, &n, rnd() % 4 == 0 ? v % 40 : v, 4); /* small values: shift counts, zero */
    }
    p[n++] = 0xBE; /* mov $addr,%esi */
    put(p, &n, addr, 4);
    static const uint8_t flag_setters[20][4] = {
        /* length, bytes */
        {2, 0x81, 0xFF},       /* cmp $imm32,%edi (SUB, 32-bit) */
        {2, 0x85, 0xDF},       /* test %ebx,%edi (logic) */
        {2, 0x01, 0xDF},       /* add %ebx,%edi (ADD) */
        {2, 0x11, 0xDF},       /* adc %ebx,%edi (ADC) */
        {2, 0x19, 0xDF},       /* sbb %ebx,%edi (SBB) */
        {2, 0x10, 0xDF},       /* adc %bl,%bh (ADC, 8-bit) */
        {2, 0x18, 0xDF},       /* sbb %bl,%bh (SBB, 8-bit) */
        {1, 0x47},             /* inc %edi (INC) */
        {1, 0x4F},             /* dec %edi (DEC) */
        {2, 0x38, 0xDF},       /* cmp %bl,%bh (SUB, 8-bit) */
        {2, 0x00, 0xDF},       /* add %bl,%bh (ADD, 8-bit) */
        {2, 0x84, 0xDF},       /* test %bl,%bh (logic, 8-bit) */
        {2, 0xFE, 0xC7},       /* inc %bh (INC, 8-bit) */
        {2, 0xFE, 0xCF},       /* dec %bh (DEC, 8-bit) */
        {3, 0x66, 0x39, 0xDF}, /* cmp %bx,%di (SUB, 16-bit) */
        {3, 0x66, 0x11, 0xDF}, /* adc %bx,%di (ADC, 16-bit) */
        {3, 0x66, 0x85, 0xDF}, /* test %bx,%di (logic, 16-bit) */
        {2, 0x66, 0x4F},       /* dec %di (DEC, 16-bit) */
        {1, 0xF9},             /* stc (eager) */
        {2, 0xD1, 0xE7},       /* shl %edi (eager) */
    };
    const uint8_t *fs = flag_setters[rnd() % 20] + 1;
    size_t fs_len = fs[-1];
    memcpy(p + n, fs, fs_len);
    n += fs_len;
    if (fs[0] == 0x81) put(p, &n, rnd(), 4);
    return n;
}

/* Ends p with (sometimes) test %ebx,%edi, which makes the flags written before it dead, and
 * int $0x80. Returns whether the TEST is there. */
static bool epilogue(uint8_t *p, size_t *n) {
    bool suffix = rnd() % 2;
    if (suffix) {
        p[(*n)++] = 0x85;
        p[(*n)++] = 0xDF;
    }
    p[(*n)++] = 0xCD;
    p[(*n)++] = 0x80;
    return suffix;
}

/* Puts program p and random data in both guests and makes their code, data and stack pages TLB
 * hits (as a program that touched them before would have): mov DATA,%eax; mov %eax,DATA;
 * push %eax; pop %eax; int $0x80 run from the code page. Both are left at CODE. */
static void load_program(guest *j, guest *r, const uint8_t *p, size_t n) {
    uint32_t data[16];
    for (unsigned k = 0; k < 16; k++)
        data[k] = rnd();
    guest *gs[2] = {j, r};
    for (int g = 0; g < 2; g++) {
        memcpy(gs[g]->mem + (CODE - BASE), p, n);
        memcpy(gs[g]->mem + (DATA - BASE), data, sizeof data);
        memcpy(gs[g]->mem + (RO_PAGE - BASE), data, sizeof data);
        uint8_t stub[14] = {0xA1, 0, 0, 0, 0, 0xA3, 0, 0, 0, 0, 0x50, 0x58, 0xCD, 0x80};
        store_le32(stub + 1, DATA);
        store_le32(stub + 6, DATA);
        memcpy(gs[g]->mem + (STUB - BASE), stub, sizeof stub);
        /* written from outside the guest, as the Linux layer would: the JIT must hear of it */
        vt_x86_jit_code_written(gs[g]->cpu, CODE, n);
        vt_x86_jit_code_written(gs[g]->cpu, STUB, sizeof stub);
        gs[g]->cpu->ops->set_reg(gs[g]->cpu, X86_EIP, STUB);
        gs[g]->cpu->ops->set_reg(gs[g]->cpu, X86_ESP, BASE + 0xF000); /* an earlier form may
                                                                         have moved it */
        gs[g]->cpu->ops->run(gs[g]->cpu, 100);
        assert_int_equal(vt_x86_take_trap(gs[g]->cpu).kind, VT_X86_TRAP_INT);
        gs[g]->cpu->ops->set_reg(gs[g]->cpu, X86_EIP, CODE);
    }
    if (!x86_jit_block_at(X86(j->cpu), &(const uint8_t *){NULL})) {
        /* forming the stub's block dropped the code page from the TLB: one step refills it */
        for (int g = 0; g < 2; g++) {
            gs[g]->cpu->ops->run(gs[g]->cpu, 1);
            gs[g]->cpu->ops->set_reg(gs[g]->cpu, X86_EIP, CODE);
        }
    }
}

/* Runs both guests to the program's trap in slices of `budget` cycles, comparing the traps and
 * the whole state after every slice. */
static void run_compare(guest *j, guest *r, uint64_t budget) {
    for (int slice = 0; slice < 200; slice++) {
        j->cpu->ops->run(j->cpu, budget);
        r->cpu->ops->run(r->cpu, budget);
        vt_x86_trap tj = vt_x86_take_trap(j->cpu), tr = vt_x86_take_trap(r->cpu);
        assert_int_equal(tj.kind, tr.kind);
        assert_int_equal(tj.vector, tr.vector);
        assert_int_equal(tj.error_code, tr.error_code);
        assert_int_equal(tj.fault_addr, tr.fault_addr);
        assert_same(j, r);
        if (tr.kind != VT_X86_TRAP_NONE) return;
    }
    fail_msg("no trap");
}

/* One trial: the prologue, the instruction twice (the second on the first's result), the
 * epilogue; JIT and interpreter compared after every run() slice. */
static void trial(guest *j, guest *r, const form *f, unsigned *native_checked) {
    uint8_t p[96];
    unsigned kind = rnd() % 8 < 5 ? 0 : 1 + rnd() % 4;
    uint32_t addr = operand_address(kind);
    size_t n = prologue(p, addr), first = n;
    bool mem = emit_form(f, p, &n, addr);
    size_t len = n - first;
    memcpy(p + n, p + first, len);
    n += len;
    bool suffix = epilogue(p, &n);
    load_program(j, r, p, n);
    /* wrap the first copy's handler in the JIT's block, formed now and translated at its
     * first run */
    const uint8_t *code;
    x86_block *b = x86_jit_block_at(X86(j->cpu), &code);
    assert_non_null(b);
    assert_int_equal(b->n, suffix ? 12 : 11);
    real_handler = b->insn[8].fn;
    b->insn[8].fn = counting_handler;
    handler_calls = 0;
    uint64_t budget = rnd() % 4 ? 1000 : 1 + rnd() % 24;
    run_compare(j, r, budget);
    if (budget == 1000 && (!mem || kind == 0)) { /* the fast path: the handler never ran */
        if (handler_calls)
            fail_msg("handler ran: %02x %02x %02x %02x", p[first], p[first + 1], p[first + 2],
                     p[first + 3]);
        ++*native_checked;
    }
}

static void run_forms(const form *forms, size_t count, unsigned trials) {
    guest j, r;
    guest_init(&j, true);
    guest_init(&r, false);
    unsigned native = 0;
    for (size_t k = 0; k < count; k++)
        for (unsigned t = 0; t < trials; t++)
            trial(&j, &r, &forms[k], &native);
    assert_true(native > count); /* every form ran natively several times */
    assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
    guest_free(&j);
    guest_free(&r);
}

#define F1(op0, m, imm)                                                                            \
    { false, {op0}, 1, m, imm, false, false }
#define F2(op1, m, imm)                                                                            \
    { false, {0x0F, op1}, 2, m, imm, false, false }

#define ALU_FORMS (8 * 9 + 8 * 5 + 20)
#define SHIFT_FORMS (6 * 9)
#define BIT_FORMS (4 + 8 + 8)
#define MOVE_FORMS (36 + 2 + 32 + 3 + 5)

static size_t alu_forms(form *forms) {
    size_t n = 0;
    for (uint8_t op = 0; op < 8; op++) {
        uint8_t row = (uint8_t)(op << 3);
        for (uint8_t k = 0; k < 4; k++)
            forms[n++] = (form)F1(row + k, R_MODRM, 0);
        forms[n++] = (form)F1(row + 4, NO_MODRM, 1);
        forms[n++] = (form)F1(row + 5, NO_MODRM, IMM_Z);
        for (uint8_t k = 1; k < 6; k += 2) { /* 16-bit */
            forms[n] = (form)F1(row + k, k < 5 ? R_MODRM : NO_MODRM, k < 5 ? 0 : IMM_Z);
            forms[n++].p66 = true;
        }
        const form g1[5] = {F1(0x80, op, 1), F1(0x81, op, IMM_Z), F1(0x83, op, 1),
                            F1(0x81, op, IMM_Z), F1(0x83, op, 1)};
        for (int k = 0; k < 5; k++) {
            forms[n] = g1[k];
            forms[n++].p66 = k >= 3;
        }
    }
    const form other[] = {F1(0x84, R_MODRM, 0),  F1(0x85, R_MODRM, 0),
                          F1(0xA8, NO_MODRM, 1), F1(0xA9, NO_MODRM, IMM_Z),
                          F1(0xF6, 0, 1),        F1(0xF7, 0, IMM_Z),
                          F1(0xF6, 2, 0),        F1(0xF7, 2, 0),
                          F1(0xF6, 3, 0),        F1(0xF7, 3, 0),
                          F1(0xFE, 0, 0),        F1(0xFE, 1, 0),
                          F1(0xFF, 0, 0),        F1(0xFF, 1, 0),
                          F1(0x40, PLUS_R, 0),   F1(0x48, PLUS_R, 0),
                          F1(0xF7, 3, 0),        F1(0xFF, 0, 0),
                          F1(0xFF, 1, 0),        F1(0x85, R_MODRM, 0)};
    for (size_t k = 0; k < sizeof other / sizeof *other; k++) {
        forms[n] = other[k];
        forms[n++].p66 = k >= 14; /* the 16-bit INC/DEC r, NEG, INC/DEC r/m, TEST */
    }
    return n;
}

static void test_alu_forms(void **state) {
    (void)state;
    form forms[ALU_FORMS];
    run_forms(forms, alu_forms(forms), 24);
}

static size_t shift_forms(form *forms) {
    static const int8_t ops[] = {0, 1, 4, 5, 6, 7};
    size_t n = 0;
    for (size_t k = 0; k < sizeof ops; k++) {
        const form g2[9] = {F1(0xC0, ops[k], 1), F1(0xC1, ops[k], 1), F1(0xC1, ops[k], 1),
                            F1(0xD0, ops[k], 0), F1(0xD1, ops[k], 0), F1(0xD1, ops[k], 0),
                            F1(0xD2, ops[k], 0), F1(0xD3, ops[k], 0), F1(0xD3, ops[k], 0)};
        for (int m = 0; m < 9; m++) {
            forms[n] = g2[m];
            forms[n++].p66 = m % 3 == 2;
        }
    }
    return n;
}

static void test_shift_forms(void **state) {
    (void)state;
    form forms[SHIFT_FORMS];
    run_forms(forms, shift_forms(forms), 40);
}

/* SHLD/SHRD (32-bit), BT/BTS/BTR/BTC by a register (register operand) or an immediate. */
static size_t bit_forms(form *forms) {
    size_t n = 0;
    forms[n++] = (form)F2(0xA4, R_MODRM, 1);
    forms[n++] = (form)F2(0xA5, R_MODRM, 0);
    forms[n++] = (form)F2(0xAC, R_MODRM, 1);
    forms[n++] = (form)F2(0xAD, R_MODRM, 0);
    for (uint8_t k = 0; k < 8; k++) {
        forms[n] = (form)F2(0xA3 + 8 * (k & 3), R_MODRM, 0);
        forms[n].reg_only = true;
        forms[n++].p66 = k >= 4;
        forms[n] = (form)F2(0xBA, (int8_t)(4 + (k & 3)), 1);
        forms[n++].p66 = k >= 4;
    }
    return n;
}

static void test_double_shift_and_bit_forms(void **state) {
    (void)state;
    form forms[BIT_FORMS];
    run_forms(forms, bit_forms(forms), 40);
}

static size_t move_forms(form *forms) {
    size_t n = 0;
    const form base[] = {F1(0x88, R_MODRM, 0),
                         F1(0x8A, R_MODRM, 0),
                         F1(0x89, R_MODRM, 0),
                         F1(0x8B, R_MODRM, 0),
                         F1(0xC6, 0, 1),
                         F1(0xC7, 0, IMM_Z),
                         F1(0xC7, 0, IMM_Z),
                         F1(0xB0, PLUS_R, 1),
                         F1(0xB8, PLUS_R, IMM_Z),
                         F2(0xB6, R_MODRM, 0),
                         F2(0xB7, R_MODRM, 0),
                         F2(0xBE, R_MODRM, 0),
                         F2(0xBF, R_MODRM, 0),
                         F2(0xB6, R_MODRM, 0),
                         F2(0xBF, R_MODRM, 0),
                         F1(0x86, R_MODRM, 0),
                         F1(0x87, R_MODRM, 0),
                         F1(0x87, R_MODRM, 0),
                         F1(0x90, PLUS_R, 0),
                         F1(0x90, PLUS_R, 0),
                         F1(0x98, NO_MODRM, 0),
                         F1(0x99, NO_MODRM, 0),
                         F1(0x98, NO_MODRM, 0),
                         F1(0x99, NO_MODRM, 0),
                         F2(0xAF, R_MODRM, 0),
                         F2(0xAF, R_MODRM, 0),
                         F1(0x69, R_MODRM, IMM_Z),
                         F1(0x69, R_MODRM, IMM_Z),
                         F1(0x6B, R_MODRM, 1),
                         F1(0x6B, R_MODRM, 1),
                         {false, {0xA0}, 1, NO_MODRM, 0, true, false},
                         {false, {0xA1}, 1, NO_MODRM, 0, true, false},
                         {false, {0xA2}, 1, NO_MODRM, 0, true, false},
                         {false, {0xA3}, 1, NO_MODRM, 0, true, false},
                         {true, {0xA1}, 1, NO_MODRM, 0, true, false},
                         {true, {0xA3}, 1, NO_MODRM, 0, true, false}};
    /* the 16-bit variants: 89, 8B, C7, B8+r, MOVZX/MOVSX, XCHG, 90+r, CBW, CWD, IMUL x3 */
    static const bool p66[] = {0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1,
                               0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1};
    _Static_assert(sizeof p66 == 36, "one flag per base form");
    for (size_t k = 0; k < sizeof base / sizeof *base; k++) {
        forms[n] = base[k];
        forms[n++].p66 = p66[k];
    }
    for (uint8_t k = 0; k < 5; k++) { /* CMC, CLC, STC, CLD, STD */
        static const uint8_t ops[5] = {0xF5, 0xF8, 0xF9, 0xFC, 0xFD};
        forms[n++] = (form)F1(ops[k], NO_MODRM, 0);
    }
    forms[n++] = (form)F1(0x68, NO_MODRM, IMM_Z); /* PUSH imm32, imm8, r/m32 */
    forms[n++] = (form)F1(0x6A, NO_MODRM, 1);
    forms[n++] = (form)F1(0xFF, 6, 0);
    forms[n++] = (form)F2(0xC8, PLUS_R, 0); /* BSWAP */
    forms[n] = (form)F2(0xC8, PLUS_R, 0);
    forms[n++].p66 = true;
    for (uint8_t cc = 0; cc < 16; cc++) {
        forms[n++] = (form)F2(0x90 + cc, R_MODRM, 0);
        forms[n] = (form)F2(0x40 + cc, R_MODRM, 0);
        forms[n++].p66 = cc & 1;
    }
    assert_true(n <= MOVE_FORMS);
    return n;
}

static void test_move_forms(void **state) {
    (void)state;
    form forms[MOVE_FORMS];
    run_forms(forms, move_forms(forms), 24);
}

/* Blocks of 1-6 different random forms after the prologue: the forms' interplay (flags one
 * writes and the next reads, flag liveness across forms, registers and memory shared),
 * compared with the interpreter at whole-block and small budgets. */
static void test_mixed_blocks(void **state) {
    (void)state;
    form forms[ALU_FORMS + SHIFT_FORMS + BIT_FORMS + MOVE_FORMS];
    size_t count = alu_forms(forms);
    count += shift_forms(forms + count);
    count += bit_forms(forms + count);
    count += move_forms(forms + count);
    guest j, r;
    guest_init(&j, true);
    guest_init(&r, false);
    for (unsigned t = 0; t < 3000; t++) {
        uint8_t p[160];
        unsigned kind = rnd() % 8 < 6 ? 0 : 1 + rnd() % 4;
        uint32_t addr = operand_address(kind);
        size_t n = prologue(p, addr);
        for (unsigned k = 1 + rnd() % 6; k > 0; k--)
            emit_form(&forms[rnd() % count], p, &n, addr);
        epilogue(p, &n);
        load_program(&j, &r, p, n);
        run_compare(&j, &r, rnd() % 4 ? 1000 : 1 + rnd() % 30);
    }
    assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
    guest_free(&j);
    guest_free(&r);
}

/* POP r/m32 (to [ESI + disp8], to [ESP + disp8] addressed with the incremented ESP, to a
 * register, ESP included) and LEAVE, twice each, after random registers, four pushes and
 * lea 4(%esp),%ebp: JIT and interpreter equal at random budgets (the second copy often pops into
 * or from a random address: faults and slow paths), the first copy native on the warm stack. */
static void test_pop_rm_and_leave(void **state) {
    (void)state;
    guest j, r;
    guest_init(&j, true);
    guest_init(&r, false);
    unsigned native = 0;
    for (unsigned t = 0; t < 1200; t++) {
        uint8_t p[96];
        size_t n = 0;
        static const uint8_t regs[] = {X86_EAX, X86_ECX, X86_EDX, X86_EBX, X86_EDI};
        for (unsigned k = 0; k < sizeof regs; k++) {
            p[n++] = (uint8_t)(0xB8 + regs[k]);
            put(p, &n, rnd(), 4);
        }
        p[n++] = 0xBE; /* mov $DATA,%esi */
        put(p, &n, DATA, 4);
        for (unsigned k = 0; k < 4; k++) {
            p[n++] = 0x68;
            put(p, &n, rnd() % 2 ? rnd() : BASE + 0xEFF0 + rnd() % 16, 4);
        }
        static const uint8_t lea[] = {0x8D, 0x6C, 0x24, 0x04};
        memcpy(p + n, lea, sizeof lea);
        n += sizeof lea;
        size_t first = n;
        switch (t % 4) {
        case 0: /* pop disp8(%esi) */
            p[n++] = 0x8F;
            p[n++] = 0x46;
            p[n++] = (uint8_t)(rnd() % 16);
            break;
        case 1: /* pop disp8(%esp) */
            p[n++] = 0x8F;
            p[n++] = 0x44;
            p[n++] = 0x24;
            p[n++] = (uint8_t)(rnd() % 2 * 4);
            break;
        case 2: /* pop %reg */
            p[n++] = 0x8F;
            p[n++] = (uint8_t)(0xC0 + rnd() % 8);
            break;
        default: /* leave */
            p[n++] = 0xC9;
        }
        size_t len = n - first;
        memcpy(p + n, p + first, len);
        n += len;
        p[n++] = 0xCD;
        p[n++] = 0x80;
        load_program(&j, &r, p, n);
        const uint8_t *code;
        x86_block *b = x86_jit_block_at(X86(j.cpu), &code);
        assert_non_null(b);
        real_handler = b->insn[11].fn;
        b->insn[11].fn = counting_handler;
        handler_calls = 0;
        uint64_t budget = rnd() % 4 ? 1000 : 1 + rnd() % 16;
        run_compare(&j, &r, budget);
        if (budget == 1000) {
            assert_int_equal(handler_calls, 0);
            native++;
        }
    }
    assert_true(native > 100);
    guest_free(&j);
    guest_free(&r);
}

/* The prologue's random flag record (32-bit SUB/ADD/logic, ADC, INC, 8-bit SUB, eager), then
 * Jcc (each of the 16 conditions) over mov $1,%eax: the native block end decides as the
 * interpreter, also for records it does not replay itself (the flags loaded into RFLAGS). */
static void test_jcc_after_every_record(void **state) {
    (void)state;
    guest j, r;
    guest_init(&j, true);
    guest_init(&r, false);
    for (unsigned t = 0; t < 800; t++) {
        uint8_t p[64];
        size_t n = prologue(p, DATA);
        p[n++] = (uint8_t)(0x70 + t % 16);
        p[n++] = 5;
        p[n++] = 0xB8;
        put(p, &n, 1, 4);
        p[n++] = 0xCD;
        p[n++] = 0x80;
        load_program(&j, &r, p, n);
        run_compare(&j, &r, rnd() % 4 ? 1000 : 1 + rnd() % 12);
    }
    assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
    guest_free(&j);
    guest_free(&r);
}

/* Runs prog (ending in INT 0x80) through the JIT and the interpreter in run() slices of every
 * budget 1..last-1 and then 1000, compared after each slice; EBX must end as `ebx` each time,
 * and the JIT must have run translated code. */
static void compare_at_budgets(const uint8_t *prog, size_t n, uint64_t last, uint32_t ebx) {
    guest j, r;
    guest_init(&j, true);
    guest_init(&r, false);
    for (uint64_t budget = 1; budget <= last; budget++) {
        load_program(&j, &r, prog, n);
        run_compare(&j, &r, budget == last ? 1000 : budget);
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EBX), ebx);
    }
    assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
    guest_free(&j);
    guest_free(&r);
}

/* push $0x11111111; push $0x22222222; push 4(%esp); pop %ebx; int $0x80 -- PUSH r/m32 reads its
 * operand with ESP as it was before the push: EBX = 0x11111111. */
static void test_push_esp_relative(void **state) {
    (void)state;
    static const uint8_t prog[] = {0x68, 0x11, 0x11, 0x11, 0x11, 0x68, 0x22, 0x22, 0x22,
                                   0x22, 0xFF, 0x74, 0x24, 0x04, 0x5B, 0xCD, 0x80};
    compare_at_budgets(prog, sizeof prog, 12, 0x11111111u);
}

/* EAX is used often enough to be cached in a host register, and the block also writes and
 * reads AH, which no host register names: the translator must keep EAX in the state for the
 * block (translated again without it) and give the interpreter's result at every budget. */
static void test_high_byte_of_cached_register(void **state) {
    (void)state;
    static const uint8_t prog[] = {0xB8, 0x44, 0x33, 0x22, 0x11, /* mov $0x11223344,%eax */
                                   0x01, 0xC0, 0x01, 0xC0,       /* add %eax,%eax (twice) */
                                   0xB4, 0x7F,                   /* mov $0x7f,%ah */
                                   0x00, 0xE0,                   /* add %ah,%al */
                                   0x01, 0xC0, 0x89, 0xC3,       /* add %eax,%eax; mov %eax,%ebx */
                                   0xCD, 0x80};
    compare_at_budgets(prog, sizeof prog, 10, 0x8910FF1Eu);
}

/* mov $patch+1,%esi; addb $4,(%esi); patch: mov $1,%eax; int $0x80 -- a native read-modify-write
 * form rewrites the next instruction of its own block: the new immediate must run (JIT as
 * interpreter), in blocks translated before the store and after. */
static void test_native_store_into_own_block(void **state) {
    (void)state;
    static const uint8_t prog[] = {0xBE, 0x09, 0x10, 0x40, 0x00, 0x80, 0x06, 0x04,
                                   0xB8, 0x01, 0x00, 0x00, 0x00, 0xCD, 0x80};
    guest j, r;
    guest_init(&j, true);
    guest_init(&r, false);
    for (int round = 0; round < 3; round++) {
        guest *gs[2] = {&j, &r};
        for (int g = 0; g < 2; g++) {
            memcpy(gs[g]->mem + (CODE - BASE), prog, sizeof prog);
            gs[g]->cpu->ops->set_reg(gs[g]->cpu, X86_EIP, CODE);
            for (int k = 0; k < 100; k++) {
                gs[g]->cpu->ops->run(gs[g]->cpu, 1000);
                if (vt_x86_take_trap(gs[g]->cpu).kind != VT_X86_TRAP_NONE) break;
            }
            assert_int_equal(gs[g]->cpu->ops->get_reg(gs[g]->cpu, X86_EAX), 5);
        }
        assert_same(&j, &r);
    }
    assert_true(vt_x86_jit_stats_of(j.cpu).code_writes >= 1);
    guest_free(&j);
    guest_free(&r);
}

int main(void) {
    const char *seed = getenv("SEED"); /* another random series: SEED=n */
    if (seed) rng = strtoull(seed, NULL, 0) | 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alu_forms),
        cmocka_unit_test(test_shift_forms),
        cmocka_unit_test(test_move_forms),
        cmocka_unit_test(test_double_shift_and_bit_forms),
        cmocka_unit_test(test_mixed_blocks),
        cmocka_unit_test(test_native_store_into_own_block),
        cmocka_unit_test(test_push_esp_relative),
        cmocka_unit_test(test_high_byte_of_cached_register),
        cmocka_unit_test(test_jcc_after_every_record),
        cmocka_unit_test(test_pop_rm_and_leave),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
