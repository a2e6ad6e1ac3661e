/* x86 exception and interrupt delivery: real-mode IVT, protected-mode IDT through interrupt
 * and trap gates (with the stack switch from the TSS on a privilege change, and entry from
 * virtual-8086 mode), IRET back to the same level, an outer level or v8086 mode, and the
 * user-mode shortcut that hands every trap to the owner. Facts: Intel SDM vol. 3 ch. 6
 * (interrupt and exception handling), §7.2 (TSS layout), §20.3 (v8086 interrupts). */
#include <stdio.h>

#include "core/cpu/x86/x86_cpu.h"

_Noreturn void x86_raise(x86_cpu *c, int vector, uint32_t error_code) {
    c->trap.kind = VT_X86_TRAP_FAULT;
    c->trap.vector = vector;
    c->trap.error_code = error_code;
    longjmp(c->abort, 1);
}

_Noreturn void x86_raise_ud_quiet(x86_cpu *c) {
    x86_raise(c, EXC_UD, 0);
}

_Noreturn void x86_raise_ud(x86_cpu *c) {
    char hex[2 * 16 + 1] = "";
    if (c->code) { /* fast-path decode or a JIT block: the instruction's bytes are at code */
        c->insn_len = c->cur && c->cur->len && c->cur->len <= 15 ? c->cur->len : 1;
        memcpy(c->insn_bytes, c->code, c->insn_len); /* all on its page; a window may not be */
    }
    for (unsigned k = 0; k < c->insn_len && k < 15; k++)
        snprintf(hex + 2 * k, sizeof hex - 2 * k, "%02x", c->insn_bytes[k]);
    vt_log(VT_LOG_UNIMP, "unimplemented: x86 %s at %08x", hex, c->insn_eip);
    x86_raise(c, EXC_UD, 0);
}

static bool has_error_code(int v) {
    return v == EXC_DF || (v >= EXC_TS && v <= EXC_PF) || v == EXC_AC;
}

static void set_cpl(x86_cpu *c, int cpl) {
    if (c->cpl != cpl) vt_tlb_flush(&c->tlb);
    c->cpl = cpl;
}

/* Delivers vector through the IVT/IDT. next_eip is the return address pushed. */
void x86_deliver(x86_cpu *c, int vector, bool sw, bool has_err, uint32_t err, uint32_t next_eip) {
    uint32_t flags = x86_get_flags(c);
    if (!x86_pmode(c)) {
        uint32_t off = (uint32_t)vector * 4;
        if (off + 3 > c->idtr.limit) x86_raise(c, EXC_GP, 0);
        uint32_t ent = x86_read_lin(c, c->idtr.base + off, 4, true);
        x86_push(c, 2, flags);
        x86_push(c, 2, c->seg[SEG_CS].sel);
        x86_push(c, 2, next_eip);
        c->eflags &= ~(F_IF | F_TF | F_AC | F_RF);
        x86_set_seg_real(c, SEG_CS, (uint16_t)(ent >> 16));
        c->eip = ent & 0xFFFF;
        return;
    }
    uint32_t off = (uint32_t)vector * 8;
    uint32_t ext = sw ? 0 : 1;
    if (off + 7 > c->idtr.limit) x86_raise(c, EXC_GP, off | 2 | ext);
    uint32_t lo = x86_read_lin(c, c->idtr.base + off, 4, true);
    uint32_t hi = x86_read_lin(c, c->idtr.base + off + 4, 4, true);
    unsigned type = (hi >> 8) & 0x1F, dpl = (hi >> 13) & 3;
    if (type != 0x0E && type != 0x0F && type != 0x06 && type != 0x07) {
        if (type == 0x05)
            vt_log(VT_LOG_UNIMP, "unimplemented: x86 task gate for vector %d at %08x", vector,
                   c->insn_eip);
        x86_raise(c, EXC_GP, off | 2 | ext);
    }
    if (sw && dpl < (unsigned)c->cpl) x86_raise(c, EXC_GP, off | 2);
    if (!(hi & 0x8000)) x86_raise(c, EXC_NP, off | 2 | ext);
    bool gate32 = type & 8;
    unsigned gsize = gate32 ? 4 : 2;
    uint16_t sel = (uint16_t)(lo >> 16);
    uint32_t target = (lo & 0xFFFF) | (gate32 ? (hi & 0xFFFF0000u) : 0);
    uint32_t clo, chi;
    if ((sel & ~3u) == 0 || !x86_read_desc(c, sel, &clo, &chi) || ((chi >> 11) & 3) != 3)
        x86_raise(c, EXC_GP, (sel & ~3u) | ext);
    unsigned cdpl = (chi >> 13) & 3;
    if (!(chi & 0x8000)) x86_raise(c, EXC_NP, (sel & ~3u) | ext);
    x86_seg ncs;
    bool conforming = (chi >> 8) & 4;
    bool vm = x86_vm86(c);
    if (!conforming && cdpl < (unsigned)c->cpl) {
        /* inner privilege: stack from the TSS */
        unsigned ndpl = cdpl;
        uint32_t tss = c->tr.base;
        uint32_t nesp = x86_read_lin(c, tss + 4 + 8 * ndpl, 4, true);
        uint16_t nss = (uint16_t)x86_read_lin(c, tss + 8 + 8 * ndpl, 2, true);
        uint32_t slo, shi;
        if ((nss & ~3u) == 0 || !x86_read_desc(c, nss, &slo, &shi))
            x86_raise(c, EXC_TS, (nss & ~3u) | ext);
        x86_seg old_ss = c->seg[SEG_SS];
        uint32_t old_esp = c->r[X86_ESP];
        x86_seg save[6];
        memcpy(save, c->seg, sizeof save);
        set_cpl(c, (int)ndpl);
        x86_seg_from_desc(&c->seg[SEG_SS], nss, slo, shi);
        c->r[X86_ESP] = nesp;
        if (vm) {
            x86_push(c, gsize, save[SEG_GS].sel);
            x86_push(c, gsize, save[SEG_FS].sel);
            x86_push(c, gsize, save[SEG_DS].sel);
            x86_push(c, gsize, save[SEG_ES].sel);
            for (int s = SEG_ES; s <= SEG_GS; s++)
                if (s != SEG_CS && s != SEG_SS) c->seg[s] = (x86_seg){0};
        }
        x86_seg_flat_update(c);
        x86_push(c, gsize, old_ss.sel);
        x86_push(c, gsize, old_esp);
        c->eflags &= ~F_VM;
    } else if (vm) {
        x86_raise(c, EXC_GP, (sel & ~3u) | ext);
    }
    x86_push(c, gsize, flags);
    x86_push(c, gsize, vm ? c->seg[SEG_CS].sel : c->seg[SEG_CS].sel);
    x86_push(c, gsize, next_eip);
    if (has_err) x86_push(c, gsize, err);
    x86_seg_from_desc(&ncs, (uint16_t)((sel & ~3u) | (conforming ? (unsigned)c->cpl : cdpl)), clo,
                      chi);
    c->seg[SEG_CS] = ncs;
    c->eip = target;
    c->eflags &= ~(F_TF | F_NT | F_VM | F_RF);
    if (!(type & 1)) c->eflags &= ~F_IF;
}

/* INT n / INT3 / INTO: in user mode the owner takes it. */
void x86_soft_int(x86_cpu *c, int vector, uint32_t next_eip) {
    if (c->user) {
        c->eip = next_eip;
        c->trap.kind = VT_X86_TRAP_INT;
        c->trap.vector = vector;
        c->trap.error_code = 0;
        longjmp(c->abort, 2);
    }
    x86_deliver(c, vector, true, false, 0, next_eip);
}

/* Exception raised while executing: deliver it (system mode) with double-fault escalation. */
void x86_deliver_fault(x86_cpu *c, int vector, uint32_t err, int depth);
void x86_deliver_fault(x86_cpu *c, int vector, uint32_t err, int depth) {
    jmp_buf outer;
    memcpy(outer, c->abort, sizeof outer);
    if (setjmp(c->abort) == 0) {
        c->eip = c->insn_eip;
        x86_deliver(c, vector, false, has_error_code(vector) && x86_pmode(c), err, c->insn_eip);
    } else {
        int v2 = c->trap.vector;
        uint32_t e2 = c->trap.error_code;
        memcpy(c->abort, outer, sizeof outer);
        if (depth >= 2) {
            vt_log(VT_LOG_CPU, "x86: triple fault at %08x, resetting", c->insn_eip);
            c->cpu.ops->reset(&c->cpu);
            return;
        }
        bool contributory = v2 == 0 || (v2 >= 10 && v2 <= 13);
        if (vector == EXC_DF || (contributory && (vector == 0 || (vector >= 10 && vector <= 13))) ||
            (vector == EXC_PF && (contributory || v2 == EXC_PF)))
            x86_deliver_fault(c, EXC_DF, 0, depth + 1);
        else
            x86_deliver_fault(c, v2, e2, depth + 1);
        return;
    }
    memcpy(c->abort, outer, sizeof outer);
}

void x86_iret(x86_cpu *c, unsigned osize) {
    c->nmi_blocked = false; /* IRET ends NMI blocking (SDM vol. 3 §6.7.1) */
    uint32_t m = x86_sp_mask(c), sp = c->r[X86_ESP];
    uint32_t off = x86_read(c, SEG_SS, sp & m, osize);
    uint16_t sel = (uint16_t)x86_read(c, SEG_SS, (sp + osize) & m, 2);
    uint32_t fl = x86_read(c, SEG_SS, (sp + 2 * osize) & m, osize);
    if (!x86_pmode(c) || x86_vm86(c)) {
        if (x86_vm86(c) && ((c->eflags >> 12) & 3) < 3) x86_raise(c, EXC_GP, 0);
        x86_set_seg_real(c, SEG_CS, sel);
        c->eip = osize == 2 ? off & 0xFFFF : off;
        c->r[X86_ESP] = (sp & ~m) | ((sp + 3 * osize) & m);
        uint32_t mask = osize == 2 ? 0xFFFF : 0x257FD5;
        if (x86_vm86(c)) mask &= ~(uint32_t)F_IOPL;
        x86_set_flags(c, fl, mask & ~(uint32_t)(F_VM));
        return;
    }
    if (c->eflags & F_NT) {
        vt_log(VT_LOG_UNIMP, "unimplemented: x86 iret task return at %08x", c->insn_eip);
        x86_raise(c, EXC_GP, 0);
    }
    if (osize == 4 && (fl & F_VM) && c->cpl == 0) {
        /* return to virtual-8086 mode */
        uint32_t nesp = x86_read(c, SEG_SS, (sp + 12) & m, 4);
        uint16_t v[5];
        for (int k = 0; k < 5; k++)
            v[k] = (uint16_t)x86_read(c, SEG_SS, (sp + 16 + 4 * (uint32_t)k) & m, 2);
        x86_set_flags(c, fl, 0x3F7FD5);
        set_cpl(c, 3);
        x86_set_seg_real(c, SEG_CS, sel);
        x86_set_seg_real(c, SEG_SS, v[0]);
        x86_set_seg_real(c, SEG_ES, v[1]);
        x86_set_seg_real(c, SEG_DS, v[2]);
        x86_set_seg_real(c, SEG_FS, v[3]);
        x86_set_seg_real(c, SEG_GS, v[4]);
        c->r[X86_ESP] = nesp;
        c->eip = off & 0xFFFF;
        return;
    }
    unsigned rpl = sel & 3;
    uint32_t lo, hi;
    if ((sel & ~3u) == 0 || rpl < (unsigned)c->cpl || !x86_read_desc(c, sel, &lo, &hi) ||
        ((hi >> 11) & 3) != 3)
        x86_raise(c, EXC_GP, sel & ~3u);
    if (!(hi & 0x8000)) x86_raise(c, EXC_NP, sel & ~3u);
    uint32_t mask = 0x257FD5 & ~(uint32_t)F_VM;
    if (c->cpl > 0) mask &= ~(uint32_t)F_IOPL;
    if ((unsigned)c->cpl > ((c->eflags >> 12) & 3)) mask &= ~(uint32_t)F_IF;
    if (osize == 2) mask &= 0xFFFF;
    x86_seg ns;
    x86_seg_from_desc(&ns, sel, lo, hi);
    if (rpl == (unsigned)c->cpl) {
        c->seg[SEG_CS] = ns;
        c->eip = off;
        c->r[X86_ESP] = (sp & ~m) | ((sp + 3 * osize) & m);
        x86_set_flags(c, fl, mask);
        return;
    }
    uint32_t nesp = x86_read(c, SEG_SS, (sp + 3 * osize) & m, osize);
    uint16_t nss = (uint16_t)x86_read(c, SEG_SS, (sp + 4 * osize) & m, 2);
    x86_set_flags(c, fl, mask);
    c->seg[SEG_CS] = ns;
    set_cpl(c, (int)rpl);
    x86_load_seg(c, SEG_SS, nss);
    c->r[X86_ESP] = osize == 2 ? (c->r[X86_ESP] & 0xFFFF0000u) | (nesp & 0xFFFF) : nesp;
    c->eip = off;
    for (int s = SEG_ES; s <= SEG_GS; s++) {
        if (s == SEG_CS || s == SEG_SS) continue;
        unsigned dpl = (c->seg[s].attr >> 5) & 3;
        bool conf_code = (c->seg[s].attr & 0x0C) == 0x0C && (c->seg[s].attr & 8);
        if (!conf_code && dpl < rpl) c->seg[s].attr = 0;
    }
    x86_seg_flat_update(c);
}
