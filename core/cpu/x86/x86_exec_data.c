/* x86 data movement executors: MOV forms, PUSH/POP (incl. PUSHA/POPA, segment registers),
 * XCHG, LEA, LDS/LES/LFS/LGS/LSS, ENTER/LEAVE, XLAT (string instructions: x86_exec_string.c).
 * Facts: Intel SDM vol. 2 instruction pages. */
#include "core/cpu/x86/x86_cpu.h"

static unsigned opsize_b(const x86_insn *i) {
    return (i->opc & 1) ? i->osize : 1;
}

void h_mov(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    if (i->opc & 2)
        x86_set_reg(c, i->reg, size, x86_rm_read(c, i, size));
    else
        x86_rm_write(c, i, size, x86_get_reg(c, i->reg, size));
}

/* 32-bit MOV Ev,Gv / Gv,Ev and PUSH/POP r32 with the size constant (chosen at decode time by
 * x86_data_fast; together about a third of the instructions in the benchmarks). */
static void mov32_to_rm(x86_cpu *c, x86_insn *i) {
    x86_rm_write(c, i, 4, c->r[i->reg]);
}
static void mov32_to_reg(x86_cpu *c, x86_insn *i) {
    c->r[i->reg] = x86_rm_read(c, i, 4);
}
static void push32_r(x86_cpu *c, x86_insn *i) {
    x86_push(c, 4, c->r[i->opc & 7]);
}
static void pop32_r(x86_cpu *c, x86_insn *i) {
    uint32_t v = x86_pop(c, 4);
    c->r[i->opc & 7] = v;
}

x86_handler *x86_data_fast(const x86_insn *i) {
    if (i->osize != 4) return NULL;
    if (i->opc == 0x89) return mov32_to_rm;
    if (i->opc == 0x8B) return mov32_to_reg;
    if (i->opc >= 0x50 && i->opc <= 0x57) return push32_r;
    if (i->opc >= 0x58 && i->opc <= 0x5F) return pop32_r;
    return NULL;
}

void h_mov_rmi(x86_cpu *c, x86_insn *i) {
    if (i->reg != 0) x86_raise_ud(c);
    x86_rm_write(c, i, opsize_b(i), i->imm);
}

void h_mov_ri(x86_cpu *c, x86_insn *i) {
    if (i->opc < 0xB8)
        x86_set_reg(c, i->opc & 7, 1, i->imm);
    else
        x86_set_reg(c, i->opc & 7, i->osize, i->imm);
}

void h_mov_moffs(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    if (i->opc < 0xA2)
        x86_set_reg(c, X86_EAX, size, x86_read(c, i->seg, i->imm, size));
    else
        x86_write(c, i->seg, i->imm, size, x86_get_reg(c, X86_EAX, size));
}

void h_mov_from_sreg(x86_cpu *c, x86_insn *i) {
    if (i->reg > 5) x86_raise_ud(c);
    uint16_t sel = c->seg[i->reg].sel;
    if (i->mem)
        x86_write(c, i->seg, i->ea, 2, sel);
    else
        x86_set_reg(c, i->rm, i->osize, sel); /* 32-bit register form zero-extends on P6 */
}

void h_mov_to_sreg(x86_cpu *c, x86_insn *i) {
    if (i->reg > 5 || i->reg == SEG_CS) x86_raise_ud(c);
    uint16_t sel = (uint16_t)x86_rm_read(c, i, 2);
    x86_load_seg(c, i->reg, sel);
    if (i->reg == SEG_SS) c->intr_shadow = true;
}

void h_lea(x86_cpu *c, x86_insn *i) {
    if (!i->mem) x86_raise_ud_quiet(c);
    x86_set_reg(c, i->reg, i->osize, i->ea);
}

void h_nop(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(c);
    VT_UNUSED(i);
}

void h_xchg(x86_cpu *c, x86_insn *i) {
    unsigned size = opsize_b(i);
    uint32_t a = x86_rm_read(c, i, size), b = x86_get_reg(c, i->reg, size);
    x86_rm_write(c, i, size, b);
    x86_set_reg(c, i->reg, size, a);
}

void h_xchg_a(x86_cpu *c, x86_insn *i) {
    unsigned n = i->opc & 7;
    uint32_t a = x86_get_reg(c, X86_EAX, i->osize);
    x86_set_reg(c, X86_EAX, i->osize, x86_get_reg(c, n, i->osize));
    x86_set_reg(c, n, i->osize, a);
}

void h_push_r(x86_cpu *c, x86_insn *i) {
    x86_push(c, i->osize, x86_get_reg(c, i->opc & 7, i->osize));
}

void h_pop_r(x86_cpu *c, x86_insn *i) {
    uint32_t v = x86_pop(c, i->osize);
    x86_set_reg(c, i->opc & 7, i->osize, v);
}

void h_push_i(x86_cpu *c, x86_insn *i) {
    x86_push(c, i->osize, i->imm);
}

void h_pop_rm(x86_cpu *c, x86_insn *i) {
    if (i->reg != 0) x86_raise_ud(c);
    uint32_t m = x86_sp_mask(c);
    uint32_t v = x86_read(c, SEG_SS, c->r[X86_ESP] & m, i->osize);
    uint32_t nsp = (c->r[X86_ESP] & ~m) | ((c->r[X86_ESP] + i->osize) & m);
    if (i->mem) {
        /* an ESP-based destination is addressed with the already incremented ESP */
        uint32_t ea = i->ea + (i->base == X86_ESP ? i->osize : 0);
        x86_write(c, i->seg, ea, i->osize, v);
        c->r[X86_ESP] = nsp;
    } else {
        c->r[X86_ESP] = nsp;
        x86_set_reg(c, i->rm, i->osize, v);
    }
}

void h_pusha(x86_cpu *c, x86_insn *i) {
    uint32_t sp = c->r[X86_ESP];
    x86_probe_write(c, SEG_SS, (sp - 8 * i->osize) & x86_sp_mask(c), 8 * i->osize);
    for (unsigned n = 0; n < 8; n++)
        x86_push(c, i->osize, n == X86_ESP ? sp : x86_get_reg(c, n, i->osize));
}

void h_popa(x86_cpu *c, x86_insn *i) {
    uint32_t v[8];
    for (int n = 7; n >= 0; n--)
        v[n] = x86_pop(c, i->osize);
    for (unsigned n = 0; n < 8; n++)
        if (n != X86_ESP) x86_set_reg(c, n, i->osize, v[n]);
}

static int sreg_of(uint16_t opc) {
    switch (opc) {
    case 0x06:
    case 0x07:
        return SEG_ES;
    case 0x0E:
        return SEG_CS;
    case 0x16:
    case 0x17:
        return SEG_SS;
    case 0x1E:
    case 0x1F:
        return SEG_DS;
    case 0x1A0:
    case 0x1A1:
        return SEG_FS;
    default:
        return SEG_GS;
    }
}

void h_push_sreg(x86_cpu *c, x86_insn *i) {
    /* P6 writes only the low 16 bits of the 32-bit slot */
    uint16_t sel = c->seg[sreg_of(i->opc)].sel;
    if (i->osize == 4) {
        uint32_t m = x86_sp_mask(c), sp = (c->r[X86_ESP] - 4) & m;
        x86_probe_write(c, SEG_SS, sp, 4);
        x86_write(c, SEG_SS, sp, 2, sel);
        c->r[X86_ESP] = (c->r[X86_ESP] & ~m) | sp;
    } else {
        x86_push(c, 2, sel);
    }
}

void h_pop_sreg(x86_cpu *c, x86_insn *i) {
    int s = sreg_of(i->opc);
    uint32_t m = x86_sp_mask(c);
    uint16_t sel = (uint16_t)x86_read(c, SEG_SS, c->r[X86_ESP] & m, i->osize);
    x86_load_seg(c, s, sel);
    c->r[X86_ESP] = (c->r[X86_ESP] & ~m) | ((c->r[X86_ESP] + i->osize) & m);
    if (s == SEG_SS) c->intr_shadow = true;
}

void h_lfp(x86_cpu *c, x86_insn *i) {
    if (!i->mem) x86_raise_ud_quiet(c);
    int s = i->opc == 0xC4    ? SEG_ES
            : i->opc == 0xC5  ? SEG_DS
            : i->opc == 0x1B2 ? SEG_SS
            : i->opc == 0x1B4 ? SEG_FS
                              : SEG_GS;
    uint32_t off = x86_read(c, i->seg, i->ea, i->osize);
    uint16_t sel = (uint16_t)x86_read(c, i->seg, i->ea + i->osize, 2);
    x86_load_seg(c, s, sel);
    x86_set_reg(c, i->reg, i->osize, off);
}

void h_enter(x86_cpu *c, x86_insn *i) {
    unsigned size = i->osize;
    uint32_t alloc = i->imm & 0xFFFF, level = i->imm2 & 0x1F;
    uint32_t m = x86_sp_mask(c);
    uint32_t ebp = c->r[X86_EBP];
    x86_push(c, size, x86_get_reg(c, X86_EBP, size));
    uint32_t frame = c->r[X86_ESP];
    if (level) {
        for (uint32_t n = 1; n < level; n++) {
            ebp = (ebp & ~m) | ((ebp - size) & m);
            x86_push(c, size, x86_read(c, SEG_SS, ebp & m, size));
        }
        x86_push(c, size, frame);
    }
    uint32_t nsp = (c->r[X86_ESP] - alloc) & m;
    x86_probe_write(c, SEG_SS, nsp, 1);
    x86_set_reg(c, X86_EBP, size, frame);
    c->r[X86_ESP] = (c->r[X86_ESP] & ~m) | nsp;
}

void h_leave(x86_cpu *c, x86_insn *i) {
    uint32_t m = x86_sp_mask(c);
    uint32_t v = x86_read(c, SEG_SS, c->r[X86_EBP] & m, i->osize);
    c->r[X86_ESP] = (c->r[X86_ESP] & ~m) | ((c->r[X86_EBP] + i->osize) & m);
    x86_set_reg(c, X86_EBP, i->osize, v);
}

void h_xlat(x86_cpu *c, x86_insn *i) {
    uint32_t a = (x86_addr_reg(c, X86_EBX, i->asize) + (c->r[X86_EAX] & 0xFF)) & x86_mask(i->asize);
    x86_set_reg(c, X86_EAX, 1, x86_read(c, i->seg, a, 1));
}
