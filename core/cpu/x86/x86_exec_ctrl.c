/* x86 control transfers: Jcc/JMP/CALL/RET near and far, LOOP/JECXZ, INT n/INT3/INTO/INT1,
 * IRET, group 5 and HLT. Far transfers in protected mode go to code segments directly (same
 * privilege) and return to outer privilege; call gates and task switches are logged as
 * unimplemented. Facts: Intel SDM vol. 2 (CALL/JMP/RET/IRET pages), vol. 3 §5.8. */
#include "core/cpu/x86/x86_cpu.h"

void x86_grp5_incdec(x86_cpu *c, x86_insn *i);

void x86_jump_near(x86_cpu *c, uint32_t target, unsigned osize) {
    if (osize == 2) target &= 0xFFFF;
    if (target > c->seg[SEG_CS].limit) x86_raise(c, EXC_GP, 0);
    c->eip = target;
}

void h_jcc(x86_cpu *c, x86_insn *i) {
    if (x86_cond(c, i->opc & 0xF)) x86_jump_near(c, c->eip + i->imm, i->osize);
}

void h_jmp(x86_cpu *c, x86_insn *i) {
    x86_jump_near(c, c->eip + i->imm, i->osize);
}

void h_call(x86_cpu *c, x86_insn *i) {
    uint32_t t = c->eip + i->imm;
    if (i->osize == 2) t &= 0xFFFF;
    if (t > c->seg[SEG_CS].limit) x86_raise(c, EXC_GP, 0);
    x86_push(c, i->osize, c->eip);
    c->eip = t;
}

void h_ret(x86_cpu *c, x86_insn *i) {
    uint32_t m = x86_sp_mask(c);
    uint32_t t = x86_read(c, SEG_SS, c->r[X86_ESP] & m, i->osize);
    x86_jump_near(c, t, i->osize);
    uint32_t extra = i->opc == 0xC2 ? (i->imm & 0xFFFF) : 0;
    c->r[X86_ESP] = (c->r[X86_ESP] & ~m) | ((c->r[X86_ESP] + i->osize + extra) & m);
}

void h_loop(x86_cpu *c, x86_insn *i) {
    bool take;
    if (i->opc == 0xE3) {
        take = x86_addr_reg(c, X86_ECX, i->asize) == 0;
    } else {
        x86_addr_add(c, X86_ECX, i->asize, -1);
        take = x86_addr_reg(c, X86_ECX, i->asize) != 0;
        if (i->opc == 0xE0) take = take && !x86_cond(c, 4);
        if (i->opc == 0xE1) take = take && x86_cond(c, 4);
    }
    if (take) x86_jump_near(c, c->eip + i->imm, i->osize);
}

void h_int3(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    x86_soft_int(c, EXC_BP, c->eip);
}
void h_int1(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    x86_soft_int(c, EXC_DB, c->eip);
}
void h_int(x86_cpu *c, x86_insn *i) {
    if (x86_vm86(c) && ((c->eflags >> 12) & 3) < 3) x86_raise(c, EXC_GP, 0);
    x86_soft_int(c, (int)(i->imm & 0xFF), c->eip);
}
void h_into(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    if (x86_cond(c, 0)) x86_soft_int(c, EXC_OF, c->eip);
}

void h_hlt(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    if (c->user || (x86_pmode(c) && c->cpl != 0)) x86_raise(c, EXC_GP, 0);
    c->cpu.halted = true;
}

/* Far JMP/CALL to sel:off. */
void x86_far_jump(x86_cpu *c, uint16_t sel, uint32_t off, unsigned osize, bool call,
                  uint32_t next_eip) {
    if (osize == 2) off &= 0xFFFF;
    if (!x86_pmode(c) || x86_vm86(c)) {
        if (call) {
            x86_probe_write(c, SEG_SS, (c->r[X86_ESP] - 2 * osize) & x86_sp_mask(c), 2 * osize);
            x86_push(c, osize, c->seg[SEG_CS].sel);
            x86_push(c, osize, next_eip);
        }
        x86_set_seg_real(c, SEG_CS, sel);
        c->eip = off;
        return;
    }
    if ((sel & ~3u) == 0 || c->user) x86_raise(c, EXC_GP, 0);
    uint32_t lo, hi;
    if (!x86_read_desc(c, sel, &lo, &hi)) x86_raise(c, EXC_GP, sel & ~3u);
    unsigned type = (hi >> 8) & 0x1F, dpl = (hi >> 13) & 3;
    if ((type & 0x18) != 0x18) {
        vt_log(VT_LOG_UNIMP, "unimplemented: x86 far %s through system descriptor type %u at %08x",
               call ? "call" : "jmp", type, c->insn_eip);
        x86_raise(c, EXC_GP, sel & ~3u);
    }
    bool conforming = type & 4;
    if (conforming ? dpl > (unsigned)c->cpl
                   : (dpl != (unsigned)c->cpl || (sel & 3) > (unsigned)c->cpl))
        x86_raise(c, EXC_GP, sel & ~3u);
    if (!(hi & 0x8000)) x86_raise(c, EXC_NP, sel & ~3u);
    x86_seg ns;
    x86_seg_from_desc(&ns, (uint16_t)((sel & ~3u) | (unsigned)c->cpl), lo, hi);
    if (off > ns.limit) x86_raise(c, EXC_GP, 0);
    if (call) {
        x86_probe_write(c, SEG_SS, (c->r[X86_ESP] - 2 * osize) & x86_sp_mask(c), 2 * osize);
        x86_push(c, osize, c->seg[SEG_CS].sel);
        x86_push(c, osize, next_eip);
    }
    c->seg[SEG_CS] = ns;
    c->eip = off;
}

void h_jmpf_ap(x86_cpu *c, x86_insn *i) {
    x86_far_jump(c, (uint16_t)i->imm2, i->imm, i->osize, false, c->eip);
}
void h_callf_ap(x86_cpu *c, x86_insn *i) {
    x86_far_jump(c, (uint16_t)i->imm2, i->imm, i->osize, true, c->eip);
}

void x86_far_return(x86_cpu *c, unsigned osize, uint16_t extra) {
    uint32_t m = x86_sp_mask(c), sp = c->r[X86_ESP];
    uint32_t off = x86_read(c, SEG_SS, sp & m, osize);
    uint16_t sel = (uint16_t)x86_read(c, SEG_SS, (sp + osize) & m, 2);
    if (osize == 2) off &= 0xFFFF;
    if (!x86_pmode(c) || x86_vm86(c)) {
        x86_set_seg_real(c, SEG_CS, sel);
        c->eip = off;
        c->r[X86_ESP] = (sp & ~m) | ((sp + 2 * osize + extra) & m);
        return;
    }
    if ((sel & ~3u) == 0 || c->user) x86_raise(c, EXC_GP, 0);
    unsigned rpl = sel & 3;
    if (rpl < (unsigned)c->cpl) x86_raise(c, EXC_GP, sel & ~3u);
    uint32_t lo, hi;
    if (!x86_read_desc(c, sel, &lo, &hi) || ((hi >> 11) & 3) != 3) x86_raise(c, EXC_GP, sel & ~3u);
    if (!(hi & 0x8000)) x86_raise(c, EXC_NP, sel & ~3u);
    x86_seg ns;
    x86_seg_from_desc(&ns, sel, lo, hi);
    if (rpl == (unsigned)c->cpl) {
        c->seg[SEG_CS] = ns;
        c->eip = off;
        c->r[X86_ESP] = (sp & ~m) | ((sp + 2 * osize + extra) & m);
        return;
    }
    /* return to an outer level: pop SS:ESP too */
    uint32_t nsp = x86_read(c, SEG_SS, (sp + 2 * osize + extra) & m, osize);
    uint16_t nss = (uint16_t)x86_read(c, SEG_SS, (sp + 3 * osize + extra) & m, 2);
    c->seg[SEG_CS] = ns;
    c->cpl = (int)rpl;
    vt_tlb_flush(&c->tlb);
    x86_load_seg(c, SEG_SS, nss);
    c->r[X86_ESP] = osize == 2 ? (c->r[X86_ESP] & 0xFFFF0000u) | (nsp & 0xFFFF) : nsp;
    c->r[X86_ESP] += extra;
    c->eip = off;
    for (int s = SEG_ES; s <= SEG_GS; s++) {
        if (s == SEG_CS || s == SEG_SS) continue;
        unsigned dpl = (c->seg[s].attr >> 5) & 3;
        bool conf_code = (c->seg[s].attr & 0x0C) == 0x0C && (c->seg[s].attr & 8);
        if (!conf_code && dpl < rpl) c->seg[s].attr = 0;
    }
    x86_seg_flat_update(c);
}

void h_retf(x86_cpu *c, x86_insn *i) {
    x86_far_return(c, i->osize, i->opc == 0xCA ? (uint16_t)i->imm : 0);
}

void h_iret(x86_cpu *c, x86_insn *i) {
    x86_iret(c, i->osize);
}

void h_grp5(x86_cpu *c, x86_insn *i) {
    switch (i->reg) {
    case 0:
    case 1:
        x86_grp5_incdec(c, i);
        break;
    case 2: {
        uint32_t t = x86_rm_read(c, i, i->osize);
        if (i->osize == 2) t &= 0xFFFF;
        if (t > c->seg[SEG_CS].limit) x86_raise(c, EXC_GP, 0);
        x86_push(c, i->osize, c->eip);
        c->eip = t;
        break;
    }
    case 4:
        x86_jump_near(c, x86_rm_read(c, i, i->osize), i->osize);
        break;
    case 3:
    case 5: {
        if (!i->mem) x86_raise_ud_quiet(c);
        uint32_t off = x86_read(c, i->seg, i->ea, i->osize);
        uint16_t sel = (uint16_t)x86_read(c, i->seg, i->ea + i->osize, 2);
        x86_far_jump(c, sel, off, i->osize, i->reg == 3, c->eip);
        break;
    }
    case 6:
        x86_push(c, i->osize, x86_rm_read(c, i, i->osize));
        break;
    default:
        x86_raise_ud(c);
    }
}
