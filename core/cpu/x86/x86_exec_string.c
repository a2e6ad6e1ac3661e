/* x86 string instructions MOVS/STOS/LODS/CMPS/SCAS/INS/OUTS with REP/REPE/REPNE: each
 * iteration commits its register updates, so a fault mid-string restarts correctly; long REPs
 * are sliced so the budget and interrupts are seen. Facts: Intel SDM vol. 2 instruction pages
 * (REP prefix, string operations) and vol. 3 §6.6 (restartable string instructions). */
#include "core/cpu/x86/x86_cpu.h"

static unsigned opsize_b(const x86_insn *i) {
    return (i->opc & 1) ? i->osize : 1;
}

/* Runs `one` once, or under REP until ECX/CX reaches zero (or the REPE/REPNE condition fails).
 * Iterations are bounded per call so the budget and interrupts are seen: when the slice is
 * used up, EIP stays on the instruction and it resumes on the next run. */
typedef bool string_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d);

/* A run of up to max iterations of REP STOS/MOVS done at once; returns how many (0: none). */
typedef unsigned string_run(x86_cpu *c, x86_insn *i, unsigned size, unsigned max);

static void string_op(x86_cpu *c, x86_insn *i, string_step *one, string_run *run, bool cond) {
    unsigned size = opsize_b(i);
    int32_t d = (c->eflags & F_DF) ? -(int32_t)size : (int32_t)size;
    if (!i->rep) {
        one(c, i, size, d);
        return;
    }
    for (unsigned n = 0; n < 4096; n++) {
        if (x86_addr_reg(c, X86_ECX, i->asize) == 0) return;
        unsigned k = run ? run(c, i, size, 4096 - n) : 0;
        if (k) { /* the same iterations and cycles as k passes of the loop */
            c->cpu.cycles += k;
            n += k - 1;
            continue;
        }
        bool z = one(c, i, size, d);
        x86_addr_add(c, X86_ECX, i->asize, -1);
        c->cpu.cycles += 1;
        if (cond && (i->rep == 0xF3 ? !z : z)) return;
    }
    if (x86_addr_reg(c, X86_ECX, i->asize) != 0) c->eip = c->insn_eip; /* resume later */
}

static bool movs_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d) {
    uint32_t v = x86_read(c, i->seg, x86_addr_reg(c, X86_ESI, i->asize), size);
    x86_write(c, SEG_ES, x86_addr_reg(c, X86_EDI, i->asize), size, v);
    x86_addr_add(c, X86_ESI, i->asize, d);
    x86_addr_add(c, X86_EDI, i->asize, d);
    return false;
}

static bool stos_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d) {
    x86_write(c, SEG_ES, x86_addr_reg(c, X86_EDI, i->asize), size, x86_get_reg(c, X86_EAX, size));
    x86_addr_add(c, X86_EDI, i->asize, d);
    return false;
}

static bool lods_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d) {
    x86_set_reg(c, X86_EAX, size, x86_read(c, i->seg, x86_addr_reg(c, X86_ESI, i->asize), size));
    x86_addr_add(c, X86_ESI, i->asize, d);
    return false;
}

static bool cmps_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d) {
    uint32_t a = x86_read(c, i->seg, x86_addr_reg(c, X86_ESI, i->asize), size);
    uint32_t b = x86_read(c, SEG_ES, x86_addr_reg(c, X86_EDI, i->asize), size);
    uint32_t r = (a - b) & x86_mask(size);
    x86_lazy(c, CC_SUB, size, r, a, b);
    x86_addr_add(c, X86_ESI, i->asize, d);
    x86_addr_add(c, X86_EDI, i->asize, d);
    return r == 0;
}

static bool scas_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d) {
    uint32_t a = x86_get_reg(c, X86_EAX, size);
    uint32_t b = x86_read(c, SEG_ES, x86_addr_reg(c, X86_EDI, i->asize), size);
    uint32_t r = (a - b) & x86_mask(size);
    x86_lazy(c, CC_SUB, size, r, a, b);
    x86_addr_add(c, X86_EDI, i->asize, d);
    return r == 0;
}

static bool ins_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d) {
    uint32_t di = x86_addr_reg(c, X86_EDI, i->asize);
    x86_probe_write(c, SEG_ES, di, size);
    x86_write(c, SEG_ES, di, size, x86_io_in(c, (uint16_t)c->r[X86_EDX], size));
    x86_addr_add(c, X86_EDI, i->asize, d);
    return false;
}

static bool outs_step(x86_cpu *c, x86_insn *i, unsigned size, int32_t d) {
    uint32_t v = x86_read(c, i->seg, x86_addr_reg(c, X86_ESI, i->asize), size);
    x86_io_out(c, (uint16_t)c->r[X86_EDX], v, size);
    x86_addr_add(c, X86_ESI, i->asize, d);
    return false;
}

/* Fast runs for REP STOS/MOVS going up with 32-bit addresses: as many elements as stay in
 * one page of each operand that the TLB already maps as RAM, so none of them can fault.
 * Elements are still moved one at a time in order, so overlapping MOVS sees its own stores
 * exactly as the one-step loop would. */
static unsigned run_len(x86_cpu *c, int seg, uint32_t off, unsigned size, unsigned max) {
    uint32_t room = (0x1000 - ((c->seg[seg].base + off) & 0xFFF)) / size;
    uint32_t k = c->r[X86_ECX] < max ? c->r[X86_ECX] : max;
    return k < room ? k : room;
}

static void store_elem(uint8_t *p, unsigned size, uint32_t v) {
    if (size == 1)
        *p = (uint8_t)v;
    else if (size == 2)
        store_le16(p, (uint16_t)v);
    else
        store_le32(p, v);
}

static unsigned stos_run(x86_cpu *c, x86_insn *i, unsigned size, unsigned max) {
    if (i->asize != 4 || (c->eflags & F_DF)) return 0;
    uint32_t edi = c->r[X86_EDI];
    unsigned k = run_len(c, SEG_ES, edi, size, max);
    uint8_t *p = k ? x86_fast_ptr(c, SEG_ES, edi, k * size, true) : NULL;
    if (!p) return 0;
    uint32_t v = x86_get_reg(c, X86_EAX, size);
    if (size == 1)
        memset(p, (int)v, k);
    else
        for (unsigned j = 0; j < k; j++)
            store_elem(p + j * size, size, v);
    c->r[X86_EDI] = edi + k * size;
    c->r[X86_ECX] -= k;
    return k;
}

static unsigned movs_run(x86_cpu *c, x86_insn *i, unsigned size, unsigned max) {
    if (i->asize != 4 || (c->eflags & F_DF)) return 0;
    uint32_t esi = c->r[X86_ESI], edi = c->r[X86_EDI];
    unsigned k = run_len(c, i->seg, esi, size, max);
    k = run_len(c, SEG_ES, edi, size, k);
    const uint8_t *s = k ? x86_fast_ptr(c, i->seg, esi, k * size, false) : NULL;
    uint8_t *p = s ? x86_fast_ptr(c, SEG_ES, edi, k * size, true) : NULL;
    if (!p) return 0;
    for (unsigned j = 0; j < k; j++) {
        const uint8_t *q = s + j * size;
        store_elem(p + j * size, size, size == 1 ? *q : size == 2 ? load_le16(q) : load_le32(q));
    }
    c->r[X86_ESI] = esi + k * size;
    c->r[X86_EDI] = edi + k * size;
    c->r[X86_ECX] -= k;
    return k;
}

void h_movs(x86_cpu *c, x86_insn *i) {
    string_op(c, i, movs_step, movs_run, false);
}
void h_stos(x86_cpu *c, x86_insn *i) {
    string_op(c, i, stos_step, stos_run, false);
}
void h_lods(x86_cpu *c, x86_insn *i) {
    string_op(c, i, lods_step, NULL, false);
}
void h_cmps(x86_cpu *c, x86_insn *i) {
    string_op(c, i, cmps_step, NULL, true);
}
void h_scas(x86_cpu *c, x86_insn *i) {
    string_op(c, i, scas_step, NULL, true);
}
void h_ins(x86_cpu *c, x86_insn *i) {
    string_op(c, i, ins_step, NULL, false);
}
void h_outs(x86_cpu *c, x86_insn *i) {
    string_op(c, i, outs_step, NULL, false);
}
