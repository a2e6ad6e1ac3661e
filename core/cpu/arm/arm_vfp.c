/* VFPv2 instructions of the ARM1136's VFP11 (CP10 single, CP11 double): data processing with
 * short vectors (FPSCR LEN/STRIDE, register banks), compares, conversions, register transfers
 * (FMSR/FMRS, FMDLR/FMDHR, FMXR/FMRX/FMSTAT, FMDRR/FMRRD, FMSRR/FMRRS), single and multiple
 * loads/stores (FLDM/FSTM incl. the X forms), and the access checks of system mode (CPACR,
 * FPEXC.EN). Sources: ARM ARM DDI 0100I part C (C3-C5); VFP11 TRM DDI 0274 ch. 2 (registers,
 * FPSID value) and 4 (timing); ARM1136 TRM 3.3.9 (CPACR). */
#include "core/cpu/arm/arm_handlers.h"

#include "core/log.h"
#include "core/savestate.h"

enum { FPSID_VFP11 = 0x410120b4u, MVFR0_VFP11 = 0x11111111u, MVFR1_VFP11 = 0 };
/* FMXR/FMRX register numbers (C2.1) */
enum {
    SYS_FPSID = 0,
    SYS_FPSCR = 1,
    SYS_MVFR1 = 6,
    SYS_MVFR0 = 7,
    SYS_FPEXC = 8,
    SYS_FPINST = 9,
    SYS_FPINST2 = 10
};

static bool user_mode(const vt_arm_cpu *c) {
    return (c->cpsr_ctl & 0x1f) == VT_ARM_MODE_USR;
}

/* An architecturally UNDEFINED use (VFP disabled, privileged register from user mode): the
 * Undefined Instruction exception without an `unimplemented` log line, since operating
 * systems rely on it (Linux enables the VFP lazily on this trap). */
static void __attribute__((noreturn)) vfp_trap(vt_arm_cpu *c) {
    vt_arm_raise(c, VT_ARM_EXC_UNDEF, c->cur_pc);
}

/* System mode: CPACR must grant the coprocessor to this privilege, and FPEXC.EN must be set
 * except for the system registers (ARM1136 TRM 3.3.9; VFP11 TRM 2.3). Linux user mode runs
 * with the VFP enabled, as the kernel arranges on first use. */
static void vfp_access(vt_arm_cpu *c, uint32_t insn, bool sysreg) {
    if (!c->sysmode) return;
    unsigned acc = (c->cp15.cpacr >> (2 * BITS(insn, 11, 8))) & 3;
    if (acc == 0 || acc == 2 || (acc == 1 && user_mode(c))) vfp_trap(c);
    if (!sysreg && !(c->vfp.fpexc & VT_FPEXC_EN)) vfp_trap(c);
}

static uint64_t reg_get(const vt_arm_cpu *c, bool dbl, unsigned r) {
    return dbl ? (uint64_t)c->vfp.s[2 * r + 1] << 32 | c->vfp.s[2 * r] : c->vfp.s[r];
}
static void reg_set(vt_arm_cpu *c, bool dbl, unsigned r, uint64_t v) {
    if (dbl) {
        c->vfp.s[2 * r] = (uint32_t)v;
        c->vfp.s[2 * r + 1] = (uint32_t)(v >> 32);
    } else {
        c->vfp.s[r] = (uint32_t)v;
    }
}

/* Register fields: single S = field:bit, double D = field (the bit must be 0 on VFPv2, which
 * has 16 double registers; set, it is a VFPv3 encoding). */
static unsigned vreg(vt_arm_cpu *c, uint32_t insn, bool dbl, unsigned lo, unsigned bit) {
    unsigned f = BITS(insn, lo + 3, lo);
    if (!dbl) return f << 1 | BIT(insn, bit);
    if (BIT(insn, bit)) vt_arm_undefined(c, insn);
    return f;
}
#define VD(dbl) vreg(c, insn, dbl, 12, 22)
#define VN(dbl) vreg(c, insn, dbl, 16, 7)
#define VM(dbl) vreg(c, insn, dbl, 0, 5)

static vt_vfp_env env_of(const vt_arm_cpu *c) {
    return (vt_vfp_env){c->vfp.fpscr, 0};
}
static void env_done(vt_arm_cpu *c, const vt_vfp_env *e) {
    c->vfp.fpscr |= e->flags;
}

/* Extension opcodes (opcode 1111: Fn field and N bit), C3.1. */
enum {
    EXT_CPY = 0,
    EXT_ABS = 1,
    EXT_NEG = 2,
    EXT_SQRT = 3,
    EXT_CMP = 8,
    EXT_CMPE = 9,
    EXT_CMPZ = 10,
    EXT_CMPEZ = 11,
    EXT_CVT = 15,
    EXT_UITO = 16,
    EXT_SITO = 17,
    EXT_TOUI = 24,
    EXT_TOUIZ = 25,
    EXT_TOSI = 26,
    EXT_TOSIZ = 27,
};

static uint64_t mul_step(vt_vfp_env *e, bool dbl, uint64_t a, uint64_t b) {
    return vt_vfp_arith(e, VT_VFP_MUL, dbl, a, b);
}

/* One element of a (possibly vector) operation: opcode pqrs, or ext when it is 1111. */
static void dp_element(vt_arm_cpu *c, vt_vfp_env *e, unsigned opc, unsigned ext, bool dbl,
                       unsigned d, unsigned n, unsigned m) {
    uint64_t a = reg_get(c, dbl, n), b = reg_get(c, dbl, m), acc = reg_get(c, dbl, d), r;
    /* the multiply-accumulates round the product, then add (not fused), as C4 specifies */
    switch (opc) {
    case 0: /* FMAC: d + n*m */
        r = vt_vfp_arith(e, VT_VFP_ADD, dbl, acc, mul_step(e, dbl, a, b));
        break;
    case 1: /* FNMAC: d - n*m */
        r = vt_vfp_arith(e, VT_VFP_ADD, dbl, acc, vt_vfp_neg(dbl, mul_step(e, dbl, a, b)));
        break;
    case 2: /* FMSC: -d + n*m */
        r = vt_vfp_arith(e, VT_VFP_ADD, dbl, vt_vfp_neg(dbl, acc), mul_step(e, dbl, a, b));
        break;
    case 3: /* FNMSC: -d - n*m */
        r = vt_vfp_arith(e, VT_VFP_ADD, dbl, vt_vfp_neg(dbl, acc),
                         vt_vfp_neg(dbl, mul_step(e, dbl, a, b)));
        break;
    case 4:
        r = mul_step(e, dbl, a, b);
        break;
    case 5:
        r = vt_vfp_neg(dbl, mul_step(e, dbl, a, b));
        break;
    case 6:
        r = vt_vfp_arith(e, VT_VFP_ADD, dbl, a, b);
        break;
    case 7:
        r = vt_vfp_arith(e, VT_VFP_SUB, dbl, a, b);
        break;
    case 8:
        r = vt_vfp_arith(e, VT_VFP_DIV, dbl, a, b);
        break;
    default: /* extension: the vectorisable two-operand ones */
        if (ext == EXT_CPY)
            r = b;
        else if (ext == EXT_ABS)
            r = b & ~(dbl ? 1ull << 63 : 1ull << 31);
        else if (ext == EXT_NEG)
            r = vt_vfp_neg(dbl, b);
        else
            r = vt_vfp_sqrt(e, dbl, b);
        break;
    }
    reg_set(c, dbl, d, r);
}

static unsigned bank_next(unsigned r, unsigned stride, unsigned bank) {
    return (r & ~(bank - 1)) | ((r + stride) & (bank - 1));
}

/* Compares and conversions: always scalar. */
static void dp_scalar_ext(vt_arm_cpu *c, uint32_t insn, unsigned ext, bool dbl) {
    vt_vfp_env e = env_of(c);
    switch (ext) {
    case EXT_CMP:
    case EXT_CMPE:
    case EXT_CMPZ:
    case EXT_CMPEZ: {
        uint64_t a = reg_get(c, dbl, VD(dbl));
        uint64_t b = ext >= EXT_CMPZ ? 0 : reg_get(c, dbl, VM(dbl));
        unsigned nzcv = vt_vfp_compare(&e, dbl, a, b, ext & 1);
        c->vfp.fpscr = (c->vfp.fpscr & 0x0fffffffu) | nzcv << 28;
        break;
    }
    case EXT_CVT: /* FCVTDS (cp10): D <- S; FCVTSD (cp11): S <- D */
        reg_set(c, !dbl, VD(!dbl), vt_vfp_convert(&e, !dbl, reg_get(c, dbl, VM(dbl))));
        break;
    case EXT_UITO:
    case EXT_SITO:
        reg_set(c, dbl, VD(dbl), vt_vfp_from_int(&e, dbl, c->vfp.s[VM(false)], ext == EXT_SITO));
        break;
    case EXT_TOUI:
    case EXT_TOUIZ:
    case EXT_TOSI:
    case EXT_TOSIZ:
        c->vfp.s[VD(false)] =
            vt_vfp_to_int(&e, dbl, reg_get(c, dbl, VM(dbl)), ext >= EXT_TOSI, ext & 1);
        break;
    default:
        vt_arm_undefined(c, insn);
    }
    env_done(c, &e);
}

/* Cycle cost of one element (VFP11 TRM 4.x issue timings; approximate: latency and
 * pipelining are not modelled). */
static unsigned dp_cycles(const vt_arm_cpu *c, unsigned opc, unsigned ext, bool dbl) {
    if (opc == 8 || (opc == 15 && ext == EXT_SQRT)) return dbl ? c->t.vfp_div_d : c->t.vfp_div_s;
    return dbl && opc <= 5 ? c->t.vfp_mul_d : c->t.vfp;
}

void vt_arm_i_vfp_dp(vt_arm_cpu *c, uint32_t insn) {
    vfp_access(c, insn, false);
    bool dbl = BIT(insn, 8);
    unsigned opc = BIT(insn, 23) << 3 | BITS(insn, 21, 20) << 1 | BIT(insn, 6);
    unsigned ext = BITS(insn, 19, 16) << 1 | BIT(insn, 7);
    if (opc > 8 && opc != 15) vt_arm_undefined(c, insn);
    if (opc == 15 && ext > EXT_SQRT) {
        c->base.cycles += dp_cycles(c, opc, ext, dbl);
        dp_scalar_ext(c, insn, ext, dbl);
        return;
    }
    unsigned d = VD(dbl), n = opc == 15 ? 0 : VN(dbl), m = VM(dbl);
    unsigned bank = dbl ? 4 : 8;
    unsigned len = ((c->vfp.fpscr >> VT_FPSCR_LEN_SHIFT) & 7) + 1;
    unsigned stride = ((c->vfp.fpscr >> VT_FPSCR_STRIDE_SHIFT) & 3) / 2 + 1;
    if (d < bank) len = 1; /* destination in bank 0: scalar (C5.1) */
    bool m_scalar = m < bank;
    vt_vfp_env e = env_of(c);
    for (unsigned i = 0; i < len; i++) {
        dp_element(c, &e, opc, ext, dbl, d, n, m);
        c->base.cycles += dp_cycles(c, opc, ext, dbl);
        d = bank_next(d, stride, bank);
        n = bank_next(n, stride, bank);
        if (!m_scalar) m = bank_next(m, stride, bank);
    }
    env_done(c, &e);
}

static uint32_t sysreg_read(vt_arm_cpu *c, uint32_t insn, unsigned reg) {
    switch (reg) {
    case SYS_FPSID:
        return FPSID_VFP11;
    case SYS_FPSCR:
        vfp_access(c, insn, false);
        return c->vfp.fpscr;
    case SYS_MVFR0:
    case SYS_MVFR1:
    case SYS_FPEXC:
    case SYS_FPINST:
    case SYS_FPINST2:
        if (user_mode(c)) vfp_trap(c);
        return reg == SYS_MVFR0    ? MVFR0_VFP11
               : reg == SYS_MVFR1  ? MVFR1_VFP11
               : reg == SYS_FPEXC  ? c->vfp.fpexc
               : reg == SYS_FPINST ? c->vfp.fpinst
                                   : c->vfp.fpinst2;
    default:
        vt_arm_undefined(c, insn);
    }
}

static void sysreg_write(vt_arm_cpu *c, uint32_t insn, unsigned reg, uint32_t v) {
    switch (reg) {
    case SYS_FPSID: /* read-only: writes ignored */
        if (user_mode(c)) vfp_trap(c);
        return;
    case SYS_FPSCR:
        vfp_access(c, insn, false);
        c->vfp.fpscr = v & VT_FPSCR_WRITABLE;
        return;
    case SYS_FPEXC:
    case SYS_FPINST:
    case SYS_FPINST2:
        if (user_mode(c)) vfp_trap(c);
        /* EX stays clear: no exception is ever left pending (no trapped exceptions) */
        if (reg == SYS_FPEXC)
            c->vfp.fpexc = v & VT_FPEXC_EN;
        else if (reg == SYS_FPINST)
            c->vfp.fpinst = v;
        else
            c->vfp.fpinst2 = v;
        return;
    default:
        vt_arm_undefined(c, insn);
    }
}

/* MRC/MCR on CP10/CP11: bit 20 L, op1 bits 23:21. */
void vt_arm_i_vfp_xfer(vt_arm_cpu *c, uint32_t insn) {
    unsigned op1 = BITS(insn, 23, 21), rd = BITS(insn, 15, 12);
    bool load = BIT(insn, 20), dbl = BIT(insn, 8);
    if ((insn & 0x6f) != 0) vt_arm_undefined(c, insn); /* bits 6:5 and CRm must be zero */
    c->base.cycles += c->t.cp;
    if (!dbl && op1 == 7) { /* FMXR / FMRX / FMSTAT */
        vfp_access(c, insn, true);
        if (BIT(insn, 7)) vt_arm_undefined(c, insn);
        unsigned reg = BITS(insn, 19, 16);
        if (!load) {
            sysreg_write(c, insn, reg, c->r[rd]);
            return;
        }
        uint32_t v = sysreg_read(c, insn, reg);
        if (rd != 15) {
            c->r[rd] = v;
        } else if (reg == SYS_FPSCR) { /* FMSTAT */
            c->n = v >> 31;
            c->z = (v >> 30) & 1;
            c->c = (v >> 29) & 1;
            c->v = (v >> 28) & 1;
        } else {
            vt_arm_undefined(c, insn);
        }
        return;
    }
    vfp_access(c, insn, false);
    if (rd == 15 || (!dbl && op1) || (dbl && op1 > 1)) vt_arm_undefined(c, insn);
    if (!dbl) { /* FMSR / FMRS */
        unsigned s = VN(false);
        if (load)
            c->r[rd] = c->vfp.s[s];
        else
            c->vfp.s[s] = c->r[rd];
        return;
    }
    /* FMDLR/FMRDL (op1 0, low word), FMDHR/FMRDH (op1 1, high word) */
    unsigned s = 2 * VN(true) + op1;
    if (load)
        c->r[rd] = c->vfp.s[s];
    else
        c->vfp.s[s] = c->r[rd];
}

/* MCRR/MRRC on CP10/CP11: FMSRR/FMRRS (two singles), FMDRR/FMRRD (one double). */
void vt_arm_i_vfp_xfer64(vt_arm_cpu *c, uint32_t insn) {
    unsigned rt = BITS(insn, 15, 12), rt2 = BITS(insn, 19, 16);
    bool load = BIT(insn, 20), dbl = BIT(insn, 8);
    if ((insn & 0xd0) != 0x10 || rt == 15 || rt2 == 15 || (load && rt == rt2))
        vt_arm_undefined(c, insn);
    vfp_access(c, insn, false);
    c->base.cycles += c->t.cp;
    unsigned s = dbl ? 2 * VM(true) : VM(false);
    if (s == 31) vt_arm_undefined(c, insn); /* FMSRR S31 has no pair */
    if (load) {
        c->r[rt] = c->vfp.s[s];
        c->r[rt2] = c->vfp.s[s + 1];
    } else {
        c->vfp.s[s] = c->r[rt];
        c->vfp.s[s + 1] = c->r[rt2];
    }
}

/* LDC/STC on CP10/CP11: FLDS/FSTS/FLDD/FSTD (P=1 W=0) and FLDM/FSTM (IA, IA!, DB!), C4. */
void vt_arm_i_vfp_ldst(vt_arm_cpu *c, uint32_t insn) {
    bool p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), load = BIT(insn, 20);
    bool dbl = BIT(insn, 8);
    unsigned rn = BITS(insn, 19, 16), imm = insn & 0xff;
    bool single = p && !w, ia = !p && u, db = p && !u && w;
    if (!single && !ia && !db) vt_arm_undefined(c, insn);
    vfp_access(c, insn, false);
    uint32_t base = c->r[rn];
    unsigned first = VD(dbl), words, nregs;
    uint32_t addr;
    if (single) { /* one register, offset */
        nregs = 1;
        words = dbl ? 2 : 1;
        addr = u ? base + imm * 4 : base - imm * 4;
    } else {
        words = imm;
        nregs = dbl ? imm / 2 : imm; /* an odd count on CP11 is FLDMX/FSTMX: one pad word */
        if (!nregs || first + nregs > (dbl ? 16u : 32u)) vt_arm_undefined(c, insn);
        addr = u ? base : base - imm * 4;
        if (w && rn == 15) vt_arm_undefined(c, insn);
    }
    addr = vt_arm_word_addr(c, addr, !load);
    unsigned count = nregs * (dbl ? 2 : 1);
    unsigned s0 = dbl ? 2 * first : first;
    if (load) {
        uint32_t vals[32];
        for (unsigned i = 0; i < count; i++)
            vals[i] = vt_arm_ld32(c, addr + 4 * i);
        memcpy(&c->vfp.s[s0], vals, count * sizeof vals[0]);
    } else {
        for (unsigned i = 0; i < count; i++)
            vt_arm_st32(c, addr + 4 * i, c->vfp.s[s0 + i]);
    }
    if (w) arm_wr(c, rn, u ? base + words * 4 : base - words * 4);
    c->base.cycles += (load ? c->t.ldm_base : c->t.stm_base) + count * c->t.per_reg;
}

void vt_arm_vfp_reset(vt_arm_cpu *c) {
    c->vfp = (vt_arm_vfp){0};
    /* Linux user mode: the kernel has enabled the VFP for the process */
    if (!c->sysmode) c->vfp.fpexc = VT_FPEXC_EN;
}

void vt_arm_vfp_save(const vt_arm_cpu *c, struct vt_state_writer *w) {
    vt_state_begin(w, "AVFP", 1);
    for (unsigned i = 0; i < 32; i++)
        vt_state_put_u32(w, c->vfp.s[i]);
    vt_state_put_u32(w, c->vfp.fpscr);
    vt_state_put_u32(w, c->vfp.fpexc);
    vt_state_put_u32(w, c->vfp.fpinst);
    vt_state_put_u32(w, c->vfp.fpinst2);
    vt_state_end(w);
}

int vt_arm_vfp_load(vt_arm_cpu *c, struct vt_state_reader *r) {
    uint32_t version;
    if (vt_state_open(r, "AVFP", 1, &version)) return -1;
    for (unsigned i = 0; i < 32; i++)
        c->vfp.s[i] = vt_state_get_u32(r);
    c->vfp.fpscr = vt_state_get_u32(r) & VT_FPSCR_WRITABLE;
    c->vfp.fpexc = vt_state_get_u32(r) & VT_FPEXC_EN;
    c->vfp.fpinst = vt_state_get_u32(r);
    c->vfp.fpinst2 = vt_state_get_u32(r);
    return vt_state_close(r);
}
