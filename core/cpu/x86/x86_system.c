/* x86 system instructions: descriptor-table loads and stores, LAR/LSL/VERR/VERW, ARPL, BOUND,
 * control/debug register moves, CLTS/INVD/INVLPG, MSRs, RDTSC, CPUID (a Pentium II, model 5,
 * reporting only what this core implements), PUSHF/POPF with the IOPL rules, I/O ports.
 * Facts: Intel SDM vol. 2 pages; vol. 3 ch. 2 (system registers), ch. 9 (MSRs);
 * Intel AP-485 "Processor Identification and the CPUID Instruction" (Pentium II signatures). */
#include "core/cpu/x86/x86_cpu.h"
#include "core/bus.h"
#include "jit/x86_jit.h"

static void need_cpl0(x86_cpu *c) {
    if (c->user || (x86_pmode(c) && (c->cpl != 0 || x86_vm86(c)))) x86_raise(c, EXC_GP, 0);
}

static void need_pmode(x86_cpu *c) {
    if (!x86_pmode(c) || x86_vm86(c)) x86_raise_ud_quiet(c);
}

void x86_set_cr0(x86_cpu *c, uint32_t v) {
    v |= 0x10; /* ET is hard-wired on P6 */
    if ((v ^ c->cr0) & 0x80010001u) vt_tlb_flush(&c->tlb);
    c->cr0 = v;
}

void h_mov_cr(x86_cpu *c, x86_insn *i) {
    need_cpl0(c);
    uint32_t *cr;
    switch (i->reg) {
    case 0:
        cr = &c->cr0;
        break;
    case 2:
        cr = &c->cr2;
        break;
    case 3:
        cr = &c->cr3;
        break;
    case 4:
        cr = &c->cr4;
        break;
    default:
        x86_raise_ud_quiet(c);
    }
    if (i->opc == 0x120) {
        c->r[i->rm] = *cr;
        return;
    }
    uint32_t v = c->r[i->rm];
    if (i->reg == 0)
        x86_set_cr0(c, v);
    else if (i->reg == 4) {
        if (v & ~0x000001DCu) x86_raise(c, EXC_GP, 0); /* TSD DE PSE MCE PGE PCE */
        c->cr4 = v;
        vt_tlb_flush(&c->tlb);
    } else {
        *cr = v;
        if (i->reg == 3) vt_tlb_flush(&c->tlb);
    }
}

void h_mov_dr(x86_cpu *c, x86_insn *i) {
    need_cpl0(c);
    unsigned n = i->reg == 4 ? 6 : i->reg == 5 ? 7 : i->reg;
    if (i->opc == 0x121)
        c->r[i->rm] = c->dr[n];
    else
        c->dr[n] = c->r[i->rm];
}

void h_clts(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    need_cpl0(c);
    c->cr0 &= ~8u;
}
void h_invd(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    need_cpl0(c);
}
void h_ud2(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    x86_raise_ud_quiet(c);
}

void h_rdtsc(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    if ((c->cr4 & 4) && c->cpl != 0 && x86_pmode(c)) x86_raise(c, EXC_GP, 0);
    c->r[X86_EAX] = (uint32_t)c->cpu.cycles;
    c->r[X86_EDX] = (uint32_t)(c->cpu.cycles >> 32);
}

/* MSRs beyond the TSC and SYSENTER ones (SDM vol. 4, "MSRs in the P6 family"). */
#define MSR_PLATFORM_ID 0x17
#define MSR_BIOS_SIGN_ID 0x8b
#define MSR_MCG_CAP 0x179
#define MSR_MCG_STATUS 0x17a
#define MSR_MCG_CTL 0x17b
#define MSR_MC0_CTL 0x400 /* bank i: CTL, STATUS, ADDR, MISC at 0x400 + 4i (+0..3) */
#define MCG_CAP_P6 (0x100u | X86_MC_BANKS) /* MCG_CTL_P, 5 banks */

/* True for an MSR number the P6 family defines (SDM vol. 4 table "MSRs in the P6 family"):
 * accessing one of those that is not modelled is a gap of this core; any other number does not
 * exist on a Pentium II, where RDMSR/WRMSR raise #GP (what Linux's rdmsr_safe probes rely on). */
static bool p6_msr(uint32_t n) {
    return n <= 0x1b || n == 0x2a || n == 0x33 || (n >= 0x79 && n <= 0x8b) || n == 0xc1 ||
           n == 0xc2 || n == 0xfe || (n >= 0x116 && n <= 0x11e) || (n >= 0x174 && n <= 0x17b) ||
           (n >= 0x186 && n <= 0x187) || (n >= 0x1d9 && n <= 0x1e0) || (n >= 0x200 && n <= 0x2ff) ||
           (n >= 0x400 && n <= 0x413);
}

static void msr_absent(x86_cpu *c, const char *op) {
    uint32_t n = c->r[X86_ECX];
    bool mca = n == MSR_MCG_CAP || (n >= MSR_MC0_CTL && n < MSR_MC0_CTL + 4 * X86_MC_BANKS);
    if (p6_msr(n) && !mca)
        vt_log(VT_LOG_UNIMP, "unimplemented: x86 %s %08x at %08x", op, n, c->insn_eip);
    else if (vt_log_enabled(VT_LOG_CPU))
        vt_log(VT_LOG_CPU, "x86: %s %08x: refused by the Pentium II (#GP) at %08x", op, n,
               c->insn_eip);
    x86_raise(c, EXC_GP, 0);
}

/* Machine-check MSRs (SDM vol. 3 ch. 15; P6 specifics in vol. 4): MCG_CAP read-only, MCG_STATUS,
 * MCG_CTL and the banks' CTL read/write; STATUS and ADDR read 0 (no error is ever logged) and
 * take only 0; the P6 has no MCi_MISC. Returns false for a number outside these (or a refused
 * access), which the caller turns into #GP. */
static bool mca_msr(x86_cpu *c, uint32_t n, bool write, uint64_t *v) {
    if (n == MSR_MCG_CAP) {
        *v = MCG_CAP_P6;
        return !write;
    }
    uint64_t *reg = n == MSR_MCG_STATUS ? &c->mcg_status : n == MSR_MCG_CTL ? &c->mcg_ctl : NULL;
    if (!reg && n >= MSR_MC0_CTL && n < MSR_MC0_CTL + 4 * X86_MC_BANKS) {
        unsigned bank = (n - MSR_MC0_CTL) / 4, kind = (n - MSR_MC0_CTL) % 4;
        if (kind == 3) return false; /* MCi_MISC: not implemented on the P6 family */
        if (kind != 0) {             /* STATUS, ADDR */
            if (!write) *v = 0;
            return !write || *v == 0;
        }
        reg = &c->mc_ctl[bank];
    }
    if (!reg) return false;
    if (write)
        *reg = *v;
    else
        *v = *reg;
    return true;
}

void h_rdmsr(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    need_cpl0(c);
    uint64_t v;
    switch (c->r[X86_ECX]) {
    case 0x10:
        v = c->cpu.cycles;
        break;
    case 0x174:
        v = c->sysenter_cs;
        break;
    case 0x175:
        v = c->sysenter_esp;
        break;
    case 0x176:
        v = c->sysenter_eip;
        break;
    case MSR_PLATFORM_ID:
        v = 0; /* platform ID 0 (bits 52:50) */
        break;
    case MSR_BIOS_SIGN_ID:
        v = 0; /* no microcode update loaded: update signature (EDX) 0 */
        break;
    default:
        if (!mca_msr(c, c->r[X86_ECX], false, &v) && !x86_pmu_msr(c, c->r[X86_ECX], false, &v))
            msr_absent(c, "rdmsr");
    }
    c->r[X86_EAX] = (uint32_t)v;
    c->r[X86_EDX] = (uint32_t)(v >> 32);
}

void h_wrmsr(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    need_cpl0(c);
    uint64_t v = (uint64_t)c->r[X86_EDX] << 32 | c->r[X86_EAX];
    switch (c->r[X86_ECX]) {
    case 0x10:
        c->cpu.cycles = v;
        break; /* P6 writes the low 32 bits, high cleared */
    case 0x174:
        c->sysenter_cs = v;
        break;
    case 0x175:
        c->sysenter_esp = v;
        break;
    case 0x176:
        c->sysenter_eip = v;
        break;
    case MSR_BIOS_SIGN_ID:
        break; /* software writes 0 before CPUID to read the signature back: nothing to keep */
    default:
        if (!mca_msr(c, c->r[X86_ECX], true, &v) && !x86_pmu_msr(c, c->r[X86_ECX], true, &v))
            msr_absent(c, "wrmsr");
    }
}

/* CPUID: Pentium II (Deschutes) signature 0652h; feature bits only for what is implemented:
 * FPU, PSE, TSC, MSR, MCE, CX8, SEP, PGE (global bit accepted; we flush everything), MCA, CMOV,
 * MMX. */
void x86_cpuid(x86_cpu *c) {
    uint32_t leaf = c->r[X86_EAX];
    if (leaf > 2) leaf = 2;
    switch (leaf) {
    case 0:
        c->r[X86_EAX] = 2;
        c->r[X86_EBX] = 0x756E6547; /* "Genu" */
        c->r[X86_EDX] = 0x49656E69; /* "ineI" */
        c->r[X86_ECX] = 0x6C65746E; /* "ntel" */
        break;
    case 1:
        c->r[X86_EAX] = 0x00000652;
        c->r[X86_EBX] = 0;
        c->r[X86_ECX] = 0;
        c->r[X86_EDX] = 1u << 0 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 7 | 1u << 8 | 1u << 11 |
                        1u << 13 | 1u << 14 | 1u << 15 | 1u << 23;
        break;
    default: /* cache descriptors: 16K L1 I/D, 512K L2, TLBs (AP-485 table) */
        c->r[X86_EAX] = 0x03020101;
        c->r[X86_EBX] = 0;
        c->r[X86_ECX] = 0;
        c->r[X86_EDX] = 0x0C040843;
        break;
    }
}

/* SYSENTER/SYSEXIT (SDM vol. 2): flat segments derived from IA32_SYSENTER_CS, no descriptor
 * reads. In user mode there is no kernel side: #GP (SIGSEGV), as with the MSR unset. */
static void flat_seg(x86_seg *s, uint16_t sel, unsigned dpl, bool code) {
    *s = (x86_seg){
        sel, 0, 0xFFFFFFFFu,
        (uint16_t)(SEG_ATTR_P | SEG_ATTR_DB | 0x8000 | 0x10 | dpl << 5 | (code ? 0xB : 0x3))};
}

void h_sysenter(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    uint16_t cs = (uint16_t)c->sysenter_cs;
    if (!x86_pmode(c) || c->user || (cs & 0xFFFC) == 0) x86_raise(c, EXC_GP, 0);
    c->eflags &= ~(F_VM | F_IF | F_RF);
    if (c->cpl != 0) vt_tlb_flush(&c->tlb);
    c->cpl = 0;
    flat_seg(&c->seg[SEG_CS], cs & 0xFFFC, 0, true);
    flat_seg(&c->seg[SEG_SS], (uint16_t)((cs & 0xFFFC) + 8), 0, false);
    x86_seg_flat_update(c);
    c->r[X86_ESP] = (uint32_t)c->sysenter_esp;
    c->eip = (uint32_t)c->sysenter_eip;
}

void h_sysexit(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    uint16_t cs = (uint16_t)c->sysenter_cs;
    if (!x86_pmode(c) || x86_vm86(c) || c->user || c->cpl != 0 || (cs & 0xFFFC) == 0)
        x86_raise(c, EXC_GP, 0);
    vt_tlb_flush(&c->tlb);
    c->cpl = 3;
    flat_seg(&c->seg[SEG_CS], (uint16_t)((cs + 16) | 3), 3, true);
    flat_seg(&c->seg[SEG_SS], (uint16_t)((cs + 24) | 3), 3, false);
    x86_seg_flat_update(c);
    c->r[X86_ESP] = c->r[X86_ECX];
    c->eip = c->r[X86_EDX];
}

void h_cpuid(x86_cpu *c, x86_insn *i) {
    VT_UNUSED(i);
    x86_cpuid(c);
}

void h_pushf(x86_cpu *c, x86_insn *i) {
    if (x86_vm86(c) && ((c->eflags >> 12) & 3) < 3) x86_raise(c, EXC_GP, 0);
    uint32_t f = x86_get_flags(c) & ~(uint32_t)(F_VM | F_RF);
    x86_push(c, i->osize, f);
}

void h_popf(x86_cpu *c, x86_insn *i) {
    unsigned iopl = (c->eflags >> 12) & 3;
    if (x86_vm86(c) && iopl < 3) x86_raise(c, EXC_GP, 0);
    uint32_t v = x86_pop(c, i->osize);
    uint32_t mask = F_ARITH | F_TF | F_IF | F_DF | F_IOPL | F_NT | F_AC | F_ID;
    if (x86_pmode(c)) {
        if (c->cpl > 0 || x86_vm86(c)) mask &= ~(uint32_t)F_IOPL;
        if ((unsigned)c->cpl > iopl && !x86_vm86(c)) mask &= ~(uint32_t)F_IF;
    }
    if (i->osize == 2) mask &= 0xFFFF;
    x86_set_flags(c, v, mask);
}

/* ---- descriptor tables ---- */
void h_grp6(x86_cpu *c, x86_insn *i) {
    need_pmode(c);
    switch (i->reg) {
    case 0:
        x86_rm_write(c, i, i->mem ? 2 : i->osize, c->ldtr.sel);
        break;
    case 1:
        x86_rm_write(c, i, i->mem ? 2 : i->osize, c->tr.sel);
        break;
    case 2:
    case 3: {
        need_cpl0(c);
        uint16_t sel = (uint16_t)x86_rm_read(c, i, 2);
        x86_seg *t = i->reg == 2 ? &c->ldtr : &c->tr;
        if ((sel & ~3u) == 0 && i->reg == 2) {
            *t = (x86_seg){0};
            break;
        }
        uint32_t lo, hi;
        if ((sel & 4) || !x86_read_desc(c, sel, &lo, &hi)) x86_raise(c, EXC_GP, sel & ~3u);
        unsigned type = (hi >> 8) & 0x1F;
        if (i->reg == 2 ? type != 2 : (type != 1 && type != 9)) x86_raise(c, EXC_GP, sel & ~3u);
        if (!(hi & 0x8000)) x86_raise(c, EXC_NP, sel & ~3u);
        x86_seg_from_desc(t, sel, lo, hi);
        if (i->reg == 3) { /* mark the TSS busy */
            x86_write_lin(c, c->gdtr.base + (sel & ~7u) + 4, 4, hi | 0x200, true);
            t->attr |= 2;
        }
        break;
    }
    case 4:
    case 5: {
        uint16_t sel = (uint16_t)x86_rm_read(c, i, 2);
        uint32_t lo, hi;
        bool ok = (sel & ~3u) && x86_read_desc(c, sel, &lo, &hi) && (hi & 0x1000);
        if (ok) {
            unsigned type = (hi >> 8) & 0xF, dpl = (hi >> 13) & 3;
            bool code = type & 8, conf = code && (type & 4);
            if (!conf && (dpl < (unsigned)c->cpl || dpl < (sel & 3u))) ok = false;
            if (i->reg == 4)
                ok = ok && (!code || (type & 2));
            else
                ok = ok && !code && (type & 2);
        }
        uint32_t f = x86_get_flags(c) & F_ARITH & ~F_ZF;
        x86_set_arith(c, f | (ok ? F_ZF : 0));
        break;
    }
    default:
        x86_raise_ud(c);
    }
}

void h_grp7(x86_cpu *c, x86_insn *i) {
    switch (i->reg) {
    case 0:
    case 1: {
        if (!i->mem) x86_raise_ud(c);
        x86_dtr *t = i->reg ? &c->idtr : &c->gdtr;
        x86_probe_write(c, i->seg, i->ea, 6);
        x86_write(c, i->seg, i->ea, 2, t->limit);
        /* a 16-bit operand stores 24 base bits and an undefined top byte (P6: zero) */
        x86_write(c, i->seg, i->ea + 2, 4, i->osize == 2 ? t->base & 0xFFFFFF : t->base);
        break;
    }
    case 2:
    case 3: {
        if (!i->mem) x86_raise_ud(c);
        need_cpl0(c);
        uint16_t lim = (uint16_t)x86_read(c, i->seg, i->ea, 2);
        uint32_t base = x86_read(c, i->seg, i->ea + 2, 4);
        if (i->osize == 2) base &= 0xFFFFFF;
        x86_dtr *t = i->reg == 3 ? &c->idtr : &c->gdtr;
        t->limit = lim;
        t->base = base;
        break;
    }
    case 4:
        x86_rm_write(c, i, i->mem ? 2 : i->osize, c->cr0);
        break;
    case 6: {
        need_cpl0(c);
        uint32_t v = x86_rm_read(c, i, 2) & 0xF;
        /* LMSW can set PE but never clear it */
        x86_set_cr0(c, (c->cr0 & ~0xEu) | (v & 0xE) | ((c->cr0 | v) & 1));
        break;
    }
    case 7:
        if (!i->mem) x86_raise_ud(c);
        need_cpl0(c);
        vt_tlb_flush_page(&c->tlb, c->seg[i->seg].base + i->ea);
        break;
    default:
        x86_raise_ud(c);
    }
}

void h_lar_lsl(x86_cpu *c, x86_insn *i) {
    need_pmode(c);
    uint16_t sel = (uint16_t)x86_rm_read(c, i, 2);
    uint32_t lo, hi;
    bool ok = (sel & ~3u) && x86_read_desc(c, sel, &lo, &hi);
    if (ok) {
        unsigned type = (hi >> 8) & 0x1F, dpl = (hi >> 13) & 3;
        bool conf = (type & 0x1C) == 0x1C;
        if (!(type & 0x10)) { /* system: only some types are visible */
            static const bool lar_ok[16] = {0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 0, 0};
            static const bool lsl_ok[16] = {0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0};
            ok = i->opc == 0x102 ? lar_ok[type & 0xF] : lsl_ok[type & 0xF];
        }
        if (ok && !conf && (dpl < (unsigned)c->cpl || dpl < (sel & 3u))) ok = false;
    }
    uint32_t f = x86_get_flags(c) & F_ARITH & ~F_ZF;
    if (ok) {
        f |= F_ZF;
        uint32_t v;
        if (i->opc == 0x102) {
            v = hi & 0x00F0FF00u;
        } else {
            v = (lo & 0xFFFF) | (hi & 0xF0000);
            if (hi & 0x800000) v = v << 12 | 0xFFF;
        }
        x86_set_reg(c, i->reg, i->osize, v);
    }
    x86_set_arith(c, f);
}

void h_arpl(x86_cpu *c, x86_insn *i) {
    need_pmode(c);
    uint32_t d = x86_rm_read(c, i, 2), s = x86_get_reg(c, i->reg, 2);
    uint32_t f = x86_get_flags(c) & F_ARITH & ~F_ZF;
    if ((d & 3) < (s & 3)) {
        x86_rm_write(c, i, 2, (d & ~3u) | (s & 3));
        f |= F_ZF;
    }
    x86_set_arith(c, f);
}

void h_bound(x86_cpu *c, x86_insn *i) {
    if (!i->mem) x86_raise_ud_quiet(c);
    int32_t v = (int32_t)x86_sext(x86_get_reg(c, i->reg, i->osize), i->osize);
    int32_t lo = (int32_t)x86_sext(x86_read(c, i->seg, i->ea, i->osize), i->osize);
    int32_t hi = (int32_t)x86_sext(x86_read(c, i->seg, i->ea + i->osize, i->osize), i->osize);
    if (v < lo || v > hi) x86_raise(c, EXC_BR, 0);
}

/* ---- I/O ports ---- */
static void io_check(x86_cpu *c, uint16_t port, unsigned size) {
    if (c->user) x86_raise(c, EXC_GP, 0); /* user mode: no ioperm */
    if (!x86_pmode(c)) return;
    unsigned iopl = (c->eflags >> 12) & 3;
    if (!x86_vm86(c) && (unsigned)c->cpl <= iopl) return;
    /* I/O permission bitmap in the TSS (SDM vol. 1 §18.5.2) */
    if ((c->tr.attr & 0xF) != 0xB && (c->tr.attr & 0xF) != 0x9) x86_raise(c, EXC_GP, 0);
    if (c->tr.limit < 0x67) x86_raise(c, EXC_GP, 0);
    uint32_t bm = x86_read_lin(c, c->tr.base + 0x66, 2, true);
    uint32_t off = bm + port / 8;
    if (off + 1 > c->tr.limit) x86_raise(c, EXC_GP, 0);
    uint32_t bits = x86_read_lin(c, c->tr.base + off, 2, true);
    if ((bits >> (port & 7)) & ((1u << size) - 1)) x86_raise(c, EXC_GP, 0);
}

/* Port I/O goes to the machine's I/O-port space; the bus logs ports nothing decodes, and
 * reads there float high as on the ISA bus. */
uint32_t x86_io_in(x86_cpu *c, uint16_t port, unsigned size) {
    io_check(c, port, size);
    uint64_t v;
    x86_jit_device_access(c);
    if (!c->cpu.io || vt_bus_read(c->cpu.io, port, size, &v) != VT_BUS_OK) return x86_mask(size);
    return (uint32_t)v & x86_mask(size);
}

void x86_io_out(x86_cpu *c, uint16_t port, uint32_t v, unsigned size) {
    io_check(c, port, size);
    if (c->cpu.io) (void)vt_bus_write(c->cpu.io, port, size, v & x86_mask(size));
    x86_jit_device_access(c);
}

static unsigned io_size(const x86_insn *i) {
    return (i->opc & 1) ? i->osize : 1;
}

void h_in(x86_cpu *c, x86_insn *i) {
    uint16_t port = i->opc >= 0xEC ? (uint16_t)c->r[X86_EDX] : (uint16_t)(i->imm & 0xFF);
    x86_set_reg(c, X86_EAX, io_size(i), x86_io_in(c, port, io_size(i)));
}

void h_out(x86_cpu *c, x86_insn *i) {
    uint16_t port = i->opc >= 0xEC ? (uint16_t)c->r[X86_EDX] : (uint16_t)(i->imm & 0xFF);
    x86_io_out(c, port, x86_get_reg(c, X86_EAX, io_size(i)), io_size(i));
}
