/* The x86 JIT (jit/x86_*): the block former against the interpreter's per-instruction costs,
 * JIT runs (translated blocks, and the handler loop where a block does not fit the budget) equal
 * to interpreter runs after every run() for budgets 1..40 (stop_at exactness),
 * precise faults mid-block, a segment register loaded mid-block (flat segments are checked per
 * block), self-modifying code inside a block and code rewritten between runs (as the Linux
 * layer or DMA would), and lockstep mode (one core, `--jit lockstep`): equal to the
 * interpreter in slices, and naming the block of deliberately planted translation bugs.
 * Guest programs: sources in the comments, assembled with `as --32` and linked at 0x401000
 * (ld -m elf_i386 -Ttext=0x401000). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>

#include "core/cpu/x86/x86_cpu.h"
#include "jit/x86_jit.h"
#include "jit/x86_lockstep.h"

#define BASE 0x400000u
#define SIZE 0x10000u
#define CODE 0x401000u

/* _start: mov $0x408000,%esi; xor %ecx,%ecx; mov $200,%edi
 * loop:   lea 3(%ecx,%ecx,2),%eax; add %eax,(%esi); adcl $0,4(%esi); push %eax; call f;
 *         pop %edx; inc %ecx; cmp %edi,%ecx; jne loop; mov $1,%eax; int $0x80
 * f:      mov 4(%esp),%eax; sub $7,%eax; test $1,%al; jz 1f; imul %eax,%eax;
 *         movb %al,8(%esi,%ecx,1)
 * 1:      ret */
static const uint8_t loop_prog[] = {
    0xbe, 0x00, 0x80, 0x40, 0x00, 0x31, 0xc9, 0xbf, 0xc8, 0x00, 0x00, 0x00, 0x8d, 0x44, 0x49,
    0x03, 0x01, 0x06, 0x83, 0x56, 0x04, 0x00, 0x50, 0xe8, 0x0d, 0x00, 0x00, 0x00, 0x5a, 0x41,
    0x39, 0xf9, 0x75, 0xea, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80, 0x8b, 0x44, 0x24, 0x04,
    0x83, 0xe8, 0x07, 0xa8, 0x01, 0x74, 0x07, 0x0f, 0xaf, 0xc0, 0x88, 0x44, 0x0e, 0x08, 0xc3};
#define LOOP_ADDR 0x40100cu /* `loop`: the block lea .. call (5 instructions) */
/* test_native_branches: EBX on a real i386 (the host) */
#define JCC_PROG_HASH 0x90a09f84u

/* movb $5,patch+1; patch: mov $1,%eax; int $0x80 -- the store rewrites the next instruction
 * of the same block */
static const uint8_t smc_prog[] = {0xc6, 0x05, 0x08, 0x10, 0x40, 0x00, 0x05,
                                   0xb8, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80};

/* mov $1,%eax; inc %eax; mov 0x12345678,%ebx (#PF: outside the window); inc %eax; int $0x80 */
static const uint8_t fault_prog[] = {0xb8, 0x01, 0x00, 0x00, 0x00, 0x40, 0x8b, 0x1d,
                                     0x78, 0x56, 0x34, 0x12, 0x40, 0xcd, 0x80};

/* mov $0x408000,%esi; VT_X86_BLOCK_MAX - 2 x nop; mov %eax,(%esi); mov $1,%eax; int $0x80 --
 * the first block is VT_X86_BLOCK_MAX instructions long and ends on the memory move
 * (translated with its fast path). Returns the length. */
#define MAX_BLOCK_PROG_LEN (5 + VT_X86_BLOCK_MAX - 2 + 2 + 5 + 2)
static size_t max_block_prog(uint8_t *p) {
    static const uint8_t head[] = {0xbe, 0x00, 0x80, 0x40, 0x00};
    static const uint8_t tail[] = {0x89, 0x06, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80};
    size_t n = 0;
    memcpy(p, head, sizeof head);
    n += sizeof head;
    memset(p + n, 0x90, VT_X86_BLOCK_MAX - 2);
    n += VT_X86_BLOCK_MAX - 2;
    memcpy(p + n, tail, sizeof tail);
    return n + sizeof tail;
}

/* mov $0x408000,%esi; mov $0x2b,%edx; mov $0x7b,%edi; mov $40,%ecx; xor %ebx,%ebx
 * loop: push %edi; pop %ds; mov (%esi),%eax; add %eax,%ebx; xchg %edi,%edx; dec %ecx;
 *       jne loop; mov $1,%eax; int $0x80
 * -- DS alternates between a flat segment (0x7b) and one based at 0x1000 (0x2b, desc_fn);
 * POP DS does not end the block, so the read after it must see the new base */
static const uint8_t seg_prog[] = {0xbe, 0x00, 0x80, 0x40, 0x00, 0xba, 0x2b, 0x00, 0x00, 0x00,
                                   0xbf, 0x7b, 0x00, 0x00, 0x00, 0xb9, 0x28, 0x00, 0x00, 0x00,
                                   0x31, 0xdb, 0x57, 0x1f, 0x8b, 0x06, 0x01, 0xc3, 0x87, 0xfa,
                                   0x49, 0x75, 0xf5, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80};

typedef struct guest {
    uint8_t *mem;
    vt_cpu *cpu;
} guest;

static uint8_t *page_fn(void *opaque, uint32_t va, unsigned *perms) {
    guest *g = opaque;
    if (va < BASE || va - BASE >= SIZE) return NULL;
    *perms = VT_PERM_R | VT_PERM_W | VT_PERM_X;
    return g->mem + (va - BASE);
}

static void guest_init(guest *g, const uint8_t *prog, size_t len, bool jit) {
    g->mem = calloc(1, SIZE);
    assert_non_null(g->mem);
    memcpy(g->mem + (CODE - BASE), prog, len);
    vt_error err;
    vt_cpu_config cfg = {.model = "pentium2", .hz = 300000000};
    g->cpu = vt_cpu_create(&cfg, &err);
    assert_non_null(g->cpu);
    vt_x86_set_user_mode(g->cpu, page_fn, g);
    assert_int_equal(vt_x86_set_jit(g->cpu, jit), 0);
    g->cpu->ops->set_reg(g->cpu, X86_EIP, CODE);
    g->cpu->ops->set_reg(g->cpu, X86_ESP, BASE + 0xF000);
}

static void guest_free(guest *g) {
    vt_cpu_destroy(g->cpu);
    free(g->mem);
}

/* Runs until a trap; returns it. */
static vt_x86_trap run_to_trap(vt_cpu *cpu, uint64_t budget) {
    for (int k = 0; k < 100000; k++) {
        cpu->ops->run(cpu, budget);
        vt_x86_trap t = vt_x86_take_trap(cpu);
        if (t.kind != VT_X86_TRAP_NONE) return t;
    }
    fail_msg("no trap");
    return (vt_x86_trap){0};
}

static void assert_same_state(guest *a, guest *b) {
    for (int r = 0; r < X86_NREGS; r++)
        assert_int_equal(a->cpu->ops->get_reg(a->cpu, r), b->cpu->ops->get_reg(b->cpu, r));
    assert_int_equal(a->cpu->cycles, b->cpu->cycles);
    assert_int_equal(a->cpu->insns, b->cpu->insns);
    assert_memory_equal(a->mem, b->mem, SIZE);
}

static void test_block_former(void **state) {
    (void)state;
    guest g, ref;
    guest_init(&g, loop_prog, sizeof loop_prog, true);
    guest_init(&ref, loop_prog, sizeof loop_prog, false);
    x86_cpu *c = X86(g.cpu);
    /* step to `loop` so the code page is in the TLB */
    while (g.cpu->ops->get_reg(g.cpu, X86_EIP) != LOOP_ADDR)
        g.cpu->ops->run(g.cpu, 1);
    const uint8_t *code;
    const x86_block *b = x86_jit_block_at(c, &code);
    assert_non_null(b);
    assert_int_equal(b->n, 5); /* lea add adc push call | */
    assert_int_equal(b->end, X86_BLOCK_END_BRANCH);
    assert_int_equal(b->len, 0x40101c - LOOP_ADDR);
    /* its cost is what the interpreter charges for the same six instructions */
    while (ref.cpu->ops->get_reg(ref.cpu, X86_EIP) != LOOP_ADDR)
        ref.cpu->ops->run(ref.cpu, 1);
    uint64_t before = ref.cpu->cycles;
    for (int k = 0; k < 5; k++)
        ref.cpu->ops->run(ref.cpu, 1);
    assert_int_equal(b->cost, ref.cpu->cycles - before);
    assert_int_equal(ref.cpu->ops->get_reg(ref.cpu, X86_EIP), 0x401029); /* in f */

    /* a block runs up to the page end and stops before an instruction crossing it */
    memset(g.mem + 0x1FF0, 0x90, 12); /* nops at 0x401ff0.., then mov $imm32,%eax */
    g.mem[0x1FFC] = 0xB8;             /* whose immediate's last byte is at 0x402000 */
    g.cpu->ops->set_reg(g.cpu, X86_EIP, 0x401FF0);
    b = x86_jit_block_at(c, &code);
    assert_non_null(b);
    assert_int_equal(b->n, 12);
    assert_int_equal(b->end, X86_BLOCK_END_PAGE);
    g.cpu->ops->set_reg(g.cpu, X86_EIP, 0x401FFC);
    assert_null(x86_jit_block_at(c, &code)); /* the interpreter runs it */
    memset(g.mem + 0x1FF4, 0x90, 12);        /* nops up to the last byte: the block stops there */
    g.cpu->ops->set_reg(g.cpu, X86_EIP, 0x401FF4);
    b = x86_jit_block_at(c, &code);
    assert_non_null(b);
    assert_int_equal(b->n, 12);
    assert_int_equal(b->end, X86_BLOCK_END_PAGE);
    guest_free(&g);
    guest_free(&ref);
}

/* Runs prog with the JIT (j) and on the interpreter (r) in slices of `budget` cycles to the
 * first trap, comparing the whole state after every slice. */
static void run_both(guest *j, guest *r, const uint8_t *prog, size_t len, uint64_t budget) {
    guest_init(j, prog, len, true);
    guest_init(r, prog, len, false);
    for (;;) {
        j->cpu->ops->run(j->cpu, budget);
        r->cpu->ops->run(r->cpu, budget);
        vt_x86_trap tj = vt_x86_take_trap(j->cpu), tr = vt_x86_take_trap(r->cpu);
        assert_int_equal(tj.kind, tr.kind);
        assert_same_state(j, r);
        if (tr.kind != VT_X86_TRAP_NONE) break;
    }
}

static void test_equal_to_interpreter(void **state) {
    (void)state;
    for (uint64_t budget = 1; budget <= 40; budget++) {
        guest j, r;
        run_both(&j, &r, loop_prog, sizeof loop_prog, budget);
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_ECX), 200);
        assert_true(vt_x86_jit_stats_of(j.cpu).blocks_run > 0);
        if (budget >= 8) assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
        guest_free(&j);
        guest_free(&r);
    }
}

/* stc; mov $0x7fffffff,%eax; inc %eax; seto %dl; setc %dh; mov $0,%ebx; dec %ebx (ff /1);
 * setc %cl; mov $1,%eax; int $0x80 -- native INC/DEC keep CF and set OF like the interpreter */
static const uint8_t incdec_prog[] = {0xf9, 0xb8, 0xff, 0xff, 0xff, 0x7f, 0x40, 0x0f, 0x90, 0xc2,
                                      0x0f, 0x92, 0xc6, 0xbb, 0x00, 0x00, 0x00, 0x00, 0xff, 0xcb,
                                      0x0f, 0x92, 0xc1, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80};

static void test_native_incdec_flags(void **state) {
    (void)state;
    for (uint64_t budget = 1; budget <= 40; budget++) {
        guest j, r;
        run_both(&j, &r, incdec_prog, sizeof incdec_prog, budget);
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EDX) & 0xFFFF, 0x0101); /* OF, CF */
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_ECX) & 0xFF, 1);        /* CF kept */
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EBX), 0xFFFFFFFFu);
        if (budget >= 30) assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
        guest_free(&j);
        guest_free(&r);
    }
}

/* mov $0x12345678,%ebx; push %esp; pop %eax; push %ebx; pop %ecx; push %esp; pop %esp;
 * mov %eax,%edx; mov $1,%eax; int $0x80 -- native PUSH/POP: PUSH ESP stores the old ESP,
 * POP ESP keeps the popped value */
static const uint8_t pushpop_prog[] = {0xbb, 0x78, 0x56, 0x34, 0x12, 0x54, 0x58, 0x53, 0x59, 0x54,
                                       0x5c, 0x89, 0xc2, 0xb8, 0x01, 0x00, 0x00, 0x00, 0xcd, 0x80};

static void test_native_push_pop(void **state) {
    (void)state;
    for (uint64_t budget = 1; budget <= 30; budget++) {
        guest j, r;
        run_both(&j, &r, pushpop_prog, sizeof pushpop_prog, budget);
        uint32_t esp = (uint32_t)j.cpu->ops->get_reg(j.cpu, X86_ESP);
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EDX), esp);
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_ECX), 0x12345678u);
        if (budget >= 20) assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
        guest_free(&j);
        guest_free(&r);
    }
}

/* GDT entries 15 (flat, the user DS) and 5 (base 0x1000, a TLS-like segment). */
static bool seg_desc(void *opaque, unsigned index, uint32_t *base, uint32_t *limit) {
    (void)opaque;
    if (index != 15 && index != 5) return false;
    *base = index == 5 ? 0x1000 : 0;
    *limit = 0xFFFFFFFFu;
    return true;
}

static void test_segment_load_mid_block(void **state) {
    (void)state;
    guest j, r;
    guest_init(&j, seg_prog, sizeof seg_prog, true);
    guest_init(&r, seg_prog, sizeof seg_prog, false);
    guest *both[2] = {&j, &r};
    for (int k = 0; k < 2; k++) {
        vt_x86_set_desc_fn(both[k]->cpu, seg_desc);
        both[k]->mem[0x8000] = 3;  /* DS flat: 0x408000 */
        both[k]->mem[0x9000] = 40; /* DS at 0x1000 */
    }
    vt_x86_trap tj = run_to_trap(j.cpu, 1000), tr = run_to_trap(r.cpu, 1000);
    assert_int_equal(tj.kind, tr.kind);
    assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EBX), 20 * 3 + 20 * 40);
    assert_same_state(&j, &r);
    assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
    guest_free(&j);
    guest_free(&r);
}

static void test_fault_mid_block(void **state) {
    (void)state;
    guest j, r;
    guest_init(&j, fault_prog, sizeof fault_prog, true);
    guest_init(&r, fault_prog, sizeof fault_prog, false);
    j.cpu->ops->run(j.cpu, 2); /* fill the TLB so the next run forms the whole block */
    r.cpu->ops->run(r.cpu, 2);
    vt_x86_trap tj = run_to_trap(j.cpu, 1000), tr = run_to_trap(r.cpu, 1000);
    assert_int_equal(tj.kind, VT_X86_TRAP_FAULT);
    assert_int_equal(tj.vector, 14);
    assert_int_equal(tj.fault_addr, 0x12345678);
    assert_int_equal(tj.vector, tr.vector);
    assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EIP), CODE + 6); /* the faulting load */
    assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EAX), 2);
    assert_same_state(&j, &r);
    guest_free(&j);
    guest_free(&r);
}

static void test_smc_inside_block(void **state) {
    (void)state;
    for (int jit = 0; jit < 2; jit++) {
        guest g;
        guest_init(&g, smc_prog, sizeof smc_prog, jit);
        g.cpu->ops->run(g.cpu, 1); /* executes the store with the page not yet marked */
        g.cpu->ops->set_reg(g.cpu, X86_EIP, CODE);
        g.mem[CODE - BASE + 8] = 1; /* undo, as a loader rewriting the code would */
        vt_x86_jit_code_written(g.cpu, CODE + 8, 1);
        vt_x86_trap t = run_to_trap(g.cpu, 1000);
        assert_int_equal(t.kind, VT_X86_TRAP_INT);
        assert_int_equal(g.cpu->ops->get_reg(g.cpu, X86_EAX), 5); /* the new immediate ran */
        if (jit) assert_true(vt_x86_jit_stats_of(g.cpu).code_writes >= 1);
        guest_free(&g);
    }
}

static void test_code_rewritten_between_runs(void **state) {
    (void)state;
    guest g;
    guest_init(&g, fault_prog, sizeof fault_prog, true);
    run_to_trap(g.cpu, 1000);
    uint64_t formed = vt_x86_jit_stats_of(g.cpu).formed;
    /* rewrite `mov $1,%eax` to `mov $7,%eax` and the load to harmless nops, from outside */
    g.mem[CODE - BASE + 1] = 7;
    memset(g.mem + (CODE - BASE) + 6, 0x90, 6);
    vt_x86_jit_code_written(g.cpu, CODE, 12);
    g.cpu->ops->set_reg(g.cpu, X86_EIP, CODE);
    vt_x86_trap t = run_to_trap(g.cpu, 1000);
    assert_int_equal(t.kind, VT_X86_TRAP_INT);
    assert_int_equal(g.cpu->ops->get_reg(g.cpu, X86_EAX), 9);
    assert_true(vt_x86_jit_stats_of(g.cpu).formed > formed);
    guest_free(&g);
}

/* Regression: a block reaching the page end whose last instruction's handler raises #UD
 * (FE /2) logged the instruction by copying a 15-byte window from its bytes, past the end of
 * guest memory (a heap overflow under ASan; a host fault where the next page is unmapped). */
static void test_ud_at_page_end(void **state) {
    (void)state;
    guest g;
    uint8_t prog[MAX_BLOCK_PROG_LEN];
    guest_init(&g, prog, max_block_prog(prog), true);
    memset(g.mem + SIZE - 16, 0x90, 14); /* 14 x nop; FE D0 ending on the last byte */
    g.mem[SIZE - 2] = 0xFE;
    g.mem[SIZE - 1] = 0xD0;
    g.cpu->ops->set_reg(g.cpu, X86_EIP, BASE + SIZE - 16);
    g.cpu->ops->run(g.cpu, 1); /* fills the TLB: the next run forms the block */
    vt_x86_trap t = run_to_trap(g.cpu, 1000);
    assert_int_equal(t.vector, 6);
    assert_int_equal(g.cpu->ops->get_reg(g.cpu, X86_EIP), BASE + SIZE - 2);
    assert_true(vt_x86_jit_stats_of(g.cpu).native_runs > 0);
    guest_free(&g);
}

/* Regression (found by lockstep on random bytes): LEA with a register operand (8D /r, mod 3)
 * raises #UD, but flag liveness looked through every 32-bit LEA, so `dec %ebx` before it left its
 * flags unwritten (ADD after the LEA rewrites them all) and the #UD showed ADD $8,%al's AF.
 *   mov $8,%eax; add $8,%al; mov $0x300b5dcd,%ebx; dec %ebx; .byte 0x8d,0xd3; add %eax,%eax */
static const uint8_t lea_ud_prog[] = {0xb8, 0x08, 0x00, 0x00, 0x00, 0x04, 0x08, 0xbb, 0xcd,
                                      0x5d, 0x0b, 0x30, 0x4b, 0x8d, 0xd3, 0x01, 0xc0};

static void test_flags_live_at_lea_ud(void **state) {
    (void)state;
    guest j, r;
    guest_init(&j, lea_ud_prog, sizeof lea_ud_prog, true);
    guest_init(&r, lea_ud_prog, sizeof lea_ud_prog, false);
    j.cpu->ops->run(j.cpu, 1); /* fills the TLB: the next run forms the whole block */
    r.cpu->ops->run(r.cpu, 1);
    vt_x86_trap tj = run_to_trap(j.cpu, 1000), tr = run_to_trap(r.cpu, 1000);
    assert_int_equal(tj.vector, 6);
    assert_int_equal(tr.vector, 6);
    assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
    assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EFLAGS) & 0x10, 0); /* DEC's AF */
    assert_same_state(&j, &r);
    guest_free(&j);
    guest_free(&r);
}

/* Regression: a translated block ending on a memory MOV (fast path) left EIP at that MOV, so it
 * ran twice (one instruction and its cycles too many). */
static void test_block_ending_on_memory_move(void **state) {
    (void)state;
    guest j, r;
    uint8_t prog[MAX_BLOCK_PROG_LEN];
    size_t len = max_block_prog(prog);
    guest_init(&j, prog, len, true);
    guest_init(&r, prog, len, false);
    j.cpu->ops->set_reg(j.cpu, X86_EAX, 0x1234);
    r.cpu->ops->set_reg(r.cpu, X86_EAX, 0x1234);
    j.cpu->ops->run(j.cpu, 1); /* the code page into the TLB: the next run forms and translates */
    r.cpu->ops->run(r.cpu, 1);
    j.cpu->ops->set_reg(j.cpu, X86_EIP, CODE);
    r.cpu->ops->set_reg(r.cpu, X86_EIP, CODE);
    const uint8_t *code;
    const x86_block *b = x86_jit_block_at(X86(j.cpu), &code);
    assert_non_null(b);
    assert_int_equal(b->n, VT_X86_BLOCK_MAX);
    assert_int_equal(b->end, X86_BLOCK_END_MAX);
    vt_x86_trap tj = run_to_trap(j.cpu, 1000), tr = run_to_trap(r.cpu, 1000);
    assert_int_equal(tj.kind, tr.kind);
    assert_true(vt_x86_jit_stats_of(j.cpu).native_runs > 0);
    assert_int_equal(load_le32(j.mem + 0x8000), 0x1234);
    assert_same_state(&j, &r);
    guest_free(&j);
    guest_free(&r);
}

/* The native block ends (jit/x86_translate_flow.c). The program, as GNU as --32 assembles it at
 * 0x401000 (built here byte by byte; identical to the assembler's output):
 *   xor %ebp,%ebp; xor %esi,%esi
 *   outer: xor %edi,%edi
 *   inner: mov tbl(,%esi,4),%ecx; mov tbl(,%edi,4),%edx
 *   for each condition cc (o no b ae e ne be a s ns p np l ge le g), for each flag setter
 *   (mov %ecx,%eax; cmp|add|and|sbb %edx,%eax), (mov %ecx,%eax; inc %eax), (mov %edx,%eax;
 *   dec %eax) -- the record known at translate time: SUB, ADD, LOGIC, INC, DEC; SBB: x86_cond:
 *     <setter>; j<cc> 1f; lea 1(%ebp,%ebp,2),%ebp; jmp 2f
 *     1: lea 2(%ebp,%ebp,2),%ebp; 2:
 *   and the compare in an earlier block (x86_cond), with CALL/RET on one way:
 *     cmp %ecx,%edx; jmp 3f; 3: j<cc> 1f; lea 1(%ebp,%ebp,2),%ebp; call ret1
 *     1: lea 2(%ebp,%ebp,2),%ebp
 *   inc %edi; cmp $7,%edi; jne inner (rel32); inc %esi; cmp $7,%esi; jne outer (rel32)
 *   mov %ebp,%ebx; mov $1,%eax; int $0x80; ret1: ret; .balign 4
 *   tbl: .long 0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80, 0x12345678
 * EBX ends as a hash (x = 3x + 1 or 2) of all 6272 branch outcomes. */
static size_t put(uint8_t *p, size_t n, const char *bytes, size_t len) {
    memcpy(p + n, bytes, len);
    return n + len;
}

static size_t build_jcc_prog(uint8_t *p) {
    static const char lea1[] = "\x8d\x6c\x6d\x01", lea2[] = "\x8d\x6c\x6d\x02";
    static const struct {
        const char *bytes;
        size_t len;
    } setter[6] = {{"\x89\xc8\x39\xd0", 4}, {"\x89\xc8\x01\xd0", 4}, {"\x89\xc8\x21\xd0", 4},
                   {"\x89\xc8\x19\xd0", 4}, {"\x89\xc8\x40", 3},     {"\x89\xd0\x48", 3}};
    const size_t ret1 = 0x741, tbl = 0x744; /* offsets from CODE */
    size_t n = put(p, 0, "\x31\xed\x31\xf6\x31\xff", 6);
    n = put(p, n, "\x8b\x0c\xb5\x44\x17\x40\x00\x8b\x14\xbd\x44\x17\x40\x00", 14);
    for (unsigned cc = 0; cc < 16; cc++) {
        for (unsigned s = 0; s < 6; s++) {
            n = put(p, n, setter[s].bytes, setter[s].len);
            p[n++] = (uint8_t)(0x70 + cc);
            p[n++] = 6;
            n = put(p, n, lea1, 4);
            n = put(p, n, "\xeb\x04", 2);
            n = put(p, n, lea2, 4);
        }
        n = put(p, n, "\x39\xca\xeb\x00", 4);
        p[n++] = (uint8_t)(0x70 + cc);
        p[n++] = 9;
        n = put(p, n, lea1, 4);
        p[n++] = 0xe8;
        uint32_t rel = (uint32_t)(ret1 - (n + 4));
        memcpy(p + n, &rel, 4);
        n = put(p, n + 4, lea2, 4);
    }
    n = put(p, n, "\x47\x83\xff\x07\x0f\x85\xd8\xf8\xff\xff", 10);
    n = put(p, n, "\x46\x83\xfe\x07\x0f\x85\xcc\xf8\xff\xff", 10);
    n = put(p, n, "\x89\xeb\xb8\x01\x00\x00\x00\xcd\x80\xc3\x66\x90", 12);
    assert_int_equal(n, ret1 + 3);
    assert_int_equal(n, tbl);
    static const uint32_t vals[7] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x80, 0x12345678};
    memcpy(p + n, vals, sizeof vals);
    return n + sizeof vals;
}

static void test_native_branches(void **state) {
    (void)state;
    static uint8_t prog[0x800];
    size_t len = build_jcc_prog(prog);
    for (uint64_t budget = 1; budget <= 40; budget += 3) {
        guest j, r;
        run_both(&j, &r, prog, len, budget);
        assert_int_equal(j.cpu->ops->get_reg(j.cpu, X86_EBX), JCC_PROG_HASH);
        vt_x86_jit_stats st = vt_x86_jit_stats_of(j.cpu);
        if (budget >= 16) assert_true(st.chained > 0 && st.indirect_hits > 0);
        guest_free(&j);
        guest_free(&r);
    }
    guest j, r; /* one long slice: chained blocks run to the end without the dispatcher */
    run_both(&j, &r, prog, len, 1u << 20);
    vt_x86_jit_stats st = vt_x86_jit_stats_of(j.cpu); /* after its first entry, a block is */
    assert_true(st.blocks_run < 2 * st.formed);       /* mostly reached through chains */
    /* user mode: the first Jcc (the 8th instruction) goes on to the LEA and JMP after it in the
     * same block, leaving from the middle when taken (every case above ran through it) */
    j.cpu->ops->set_reg(j.cpu, X86_EIP, CODE);
    const uint8_t *code;
    const x86_block *b = x86_jit_block_at(X86(j.cpu), &code);
    assert_non_null(b);
    assert_int_equal(b->n, 10);
    assert_int_equal(b->insn[7].opc & 0xF0, 0x70);
    guest_free(&j);
    guest_free(&r);
}

/* A guest whose core runs in lockstep mode (the path `vitrine user i386 --jit lockstep` takes). */
static void guest_lockstep(guest *g, const uint8_t *prog, size_t len) {
    guest_init(g, prog, len, false);
    assert_int_equal(vt_x86_set_lockstep(g->cpu), 0);
}

/* Runs prog under lockstep and on the interpreter in slices of `budget`: the same state and
 * trap after every slice, no divergence, blocks checked. */
static void lockstep_vs_interpreter(const uint8_t *prog, size_t len, uint64_t budget) {
    guest j, r;
    guest_lockstep(&j, prog, len);
    guest_init(&r, prog, len, false);
    for (;;) {
        j.cpu->ops->run(j.cpu, budget);
        r.cpu->ops->run(r.cpu, budget);
        vt_x86_trap tj = vt_x86_take_trap(j.cpu), tr = vt_x86_take_trap(r.cpu);
        assert_int_equal(tj.kind, tr.kind);
        assert_int_equal(tj.vector, tr.vector);
        assert_int_equal(tj.fault_addr, tr.fault_addr);
        assert_same_state(&j, &r);
        if (tr.kind != VT_X86_TRAP_NONE) break;
    }
    char msg[512];
    if (vt_x86_lockstep_diverged(j.cpu, msg, sizeof msg)) fail_msg("%s", msg);
    if (budget >= 32) assert_true(vt_x86_lockstep_blocks(j.cpu) > 0);
    guest_free(&j);
    guest_free(&r);
}

static void test_lockstep_clean(void **state) {
    (void)state;
    static uint8_t jcc[0x800];
    size_t jcc_len = build_jcc_prog(jcc);
    uint8_t max_block[MAX_BLOCK_PROG_LEN];
    size_t max_block_len = max_block_prog(max_block);
    for (uint64_t budget = 1; budget <= 64; budget += 7) {
        lockstep_vs_interpreter(loop_prog, sizeof loop_prog, budget);
        lockstep_vs_interpreter(fault_prog, sizeof fault_prog, budget); /* #PF inside a block */
        lockstep_vs_interpreter(smc_prog, sizeof smc_prog, budget);     /* a store into its block */
        lockstep_vs_interpreter(max_block, max_block_len, budget);
    }
    lockstep_vs_interpreter(jcc, jcc_len, 1u << 20);
    guest g;
    guest_lockstep(&g, loop_prog, sizeof loop_prog);
    assert_int_equal(run_to_trap(g.cpu, 1u << 20).kind, VT_X86_TRAP_INT);
    assert_int_equal(g.cpu->ops->get_reg(g.cpu, X86_ECX), 200);
    assert_true(vt_x86_lockstep_blocks(g.cpu) > 200);        /* every iteration's blocks */
    assert_int_equal(vt_x86_jit_stats_of(g.cpu).chained, 0); /* one block at a time */
    guest_free(&g);
    /* switched on while translations, chains and the jump cache exist: they are dropped */
    guest_init(&g, jcc, jcc_len, true);
    for (int k = 0; k < 200; k++)
        g.cpu->ops->run(g.cpu, 100);
    assert_true(vt_x86_jit_stats_of(g.cpu).indirect_hits > 0);
    assert_int_equal(vt_x86_set_lockstep(g.cpu), 0);
    assert_int_equal(run_to_trap(g.cpu, 1u << 20).kind, VT_X86_TRAP_INT);
    assert_int_equal(g.cpu->ops->get_reg(g.cpu, X86_EBX), JCC_PROG_HASH);
    assert_int_equal(vt_x86_jit_stats_of(g.cpu).chained, 0);
    char msg[512];
    if (vt_x86_lockstep_diverged(g.cpu, msg, sizeof msg)) fail_msg("%s", msg);
    guest_free(&g);
}

/* Steps a lockstep guest of loop_prog to `at` (budget 1: the interpreter alone) and returns the
 * JIT's formed block there, not yet translated, for a test to corrupt. */
static x86_block *block_before_translation(guest *g, uint32_t at) {
    guest_lockstep(g, loop_prog, sizeof loop_prog);
    while (g->cpu->ops->get_reg(g->cpu, X86_EIP) != at)
        g->cpu->ops->run(g->cpu, 1);
    const uint8_t *code;
    x86_block *b = x86_jit_block_at(X86(g->cpu), &code);
    assert_non_null(b);
    assert_null(b->native);
    return b;
}

/* After the planted bug is reported the interpreter runs on: the program ends as it should. */
static void expect_divergence(guest *g, const char *what) {
    assert_int_equal(run_to_trap(g->cpu, 1u << 20).kind, VT_X86_TRAP_INT);
    assert_int_equal(g->cpu->ops->get_reg(g->cpu, X86_ECX), 200);
    char msg[512];
    assert_true(vt_x86_lockstep_diverged(g->cpu, msg, sizeof msg));
    if (!strstr(msg, what)) fail_msg("expected '%s' in: %s", what, msg);
    guest_free(g);
}

static void test_lockstep_finds_planted_bug(void **state) {
    (void)state;
    guest g;
    /* the native LEA (a register form) computes 4(%ecx,%ecx,2): eax is 4, not 3, the first time */
    x86_block *b = block_before_translation(&g, LOOP_ADDR);
    assert_int_equal(b->insn[0].opc, 0x8D);
    b->insn[0].disp = 4;
    expect_divergence(&g, "lockstep: JIT and interpreter differ after the block at pc 0040100c "
                          "(16 bytes of guest code), eip 00401029: eax jit=4 interp=3");
    /* a flag: `adcl $0,4(%esi)` adds 1 (memory forms run their slow path, the handler, on the
     * record in lockstep): 1 instead of 0, so ZF and PF differ */
    b = block_before_translation(&g, LOOP_ADDR);
    assert_int_equal(b->insn[2].opc, 0x83);
    b->insn[2].imm = 1;
    expect_divergence(&g, "after the block at pc 0040100c (16 bytes of guest code), eip 00401029: "
                          "eflags jit=202 interp=246");
    /* a store's address: `movb %al,8(%esi,%ecx,1)` in f's second block writes one byte further
     * (first reached at ecx 1: the argument 6 - 7 is odd, the byte goes to 0x408009) */
    b = block_before_translation(&g, 0x401034);
    assert_int_equal(b->insn[1].opc, 0x88);
    b->insn[1].disp = 9;
    expect_divergence(&g, "after the block at pc 00401034 (8 bytes of guest code), eip 0040101c: "
                          "store 0 address jit=40800a interp=408009");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_former),
        cmocka_unit_test(test_equal_to_interpreter),
        cmocka_unit_test(test_native_incdec_flags),
        cmocka_unit_test(test_native_push_pop),
        cmocka_unit_test(test_native_branches),
        cmocka_unit_test(test_fault_mid_block),
        cmocka_unit_test(test_segment_load_mid_block),
        cmocka_unit_test(test_smc_inside_block),
        cmocka_unit_test(test_code_rewritten_between_runs),
        cmocka_unit_test(test_block_ending_on_memory_move),
        cmocka_unit_test(test_ud_at_page_end),
        cmocka_unit_test(test_flags_live_at_lea_ud),
        cmocka_unit_test(test_lockstep_clean),
        cmocka_unit_test(test_lockstep_finds_planted_bug),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
