/* PowerPC 750 integer unit: add/subtract with carry and overflow (XER CA, OV, SO), multiply,
 * divide, logical and immediate forms, rotate-and-mask, shifts, compares and traps, with the
 * Rc (CR0) and OE forms.
 * Sources: MPCFPE32B ch. 3 and 8 (instruction descriptions); MPC750 UM ch. 2; for the
 * undefined divide results see h_divw. */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

/* Sets OV (and SO with it) for the o-forms. */
static inline void set_ov(vt_ppc_cpu *s, bool ov) {
    if (ov)
        s->xer |= XER_OV | XER_SO;
    else
        s->xer &= ~XER_OV;
}

/* rD = a + b + cin, the common core of every add and subtract-from (which passes ~rA). */
static unsigned add_common(vt_ppc_cpu *s, uint32_t insn, uint32_t a, uint32_t b, uint32_t cin,
                           bool set_ca) {
    uint64_t wide = (uint64_t)a + b + cin;
    uint32_t r = (uint32_t)wide;
    if (set_ca) s->xer = (wide >> 32) ? (s->xer | XER_CA) : (s->xer & ~XER_CA);
    if (OEBIT(insn)) set_ov(s, ((a ^ r) & (b ^ r)) >> 31);
    s->gpr[RD(insn)] = r;
    if (RCBIT(insn)) ppc_set_cr0(s, r);
    return 0;
}

static inline uint32_t ca(const vt_ppc_cpu *s) {
    return (s->xer & XER_CA) ? 1 : 0;
}
#define GA(i) (s->gpr[RA(i)])
#define GB(i) (s->gpr[RB(i)])
#define GS(i) (s->gpr[RD(i)])

unsigned h_add(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, GA(i), GB(i), 0, false);
}
unsigned h_addc(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, GA(i), GB(i), 0, true);
}
unsigned h_adde(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, GA(i), GB(i), ca(s), true);
}
unsigned h_addze(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, GA(i), 0, ca(s), true);
}
unsigned h_addme(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, GA(i), 0xffffffffu, ca(s), true);
}
unsigned h_subf(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, ~GA(i), GB(i), 1, false);
}
unsigned h_subfc(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, ~GA(i), GB(i), 1, true);
}
unsigned h_subfe(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, ~GA(i), GB(i), ca(s), true);
}
unsigned h_subfze(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, ~GA(i), 0, ca(s), true);
}
unsigned h_subfme(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, ~GA(i), 0xffffffffu, ca(s), true);
}
unsigned h_neg(vt_ppc_cpu *s, uint32_t i) {
    return add_common(s, i, ~GA(i), 0, 1, false);
}

/* D-form immediates: never OE, never Rc (addic. has its own opcode). */
unsigned h_addi(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RD(i)] = (RA(i) ? GA(i) : 0) + SIMM(i);
    return 0;
}
unsigned h_addis(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RD(i)] = (RA(i) ? GA(i) : 0) + (i << 16);
    return 0;
}
unsigned h_addic(vt_ppc_cpu *s, uint32_t i) {
    uint64_t wide = (uint64_t)GA(i) + SIMM(i);
    uint32_t r = (uint32_t)wide;
    s->xer = (wide >> 32) ? (s->xer | XER_CA) : (s->xer & ~XER_CA);
    s->gpr[RD(i)] = r;
    if ((i >> 26) == 13) ppc_set_cr0(s, r);
    return 0;
}
unsigned h_subfic(vt_ppc_cpu *s, uint32_t i) {
    uint64_t wide = (uint64_t)(uint32_t)~GA(i) + SIMM(i) + 1;
    s->xer = (wide >> 32) ? (s->xer | XER_CA) : (s->xer & ~XER_CA);
    s->gpr[RD(i)] = (uint32_t)wide;
    return 0;
}
unsigned h_mulli(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RD(i)] = (uint32_t)((int64_t)(int32_t)GA(i) * (int32_t)SIMM(i));
    return 0;
}

static unsigned set_rd(vt_ppc_cpu *s, uint32_t i, uint32_t r) {
    s->gpr[RD(i)] = r;
    if (RCBIT(i)) ppc_set_cr0(s, r);
    return 0;
}

unsigned h_mullw(vt_ppc_cpu *s, uint32_t i) {
    int64_t p = (int64_t)(int32_t)GA(i) * (int32_t)GB(i);
    if (OEBIT(i)) set_ov(s, p != (int32_t)p);
    return set_rd(s, i, (uint32_t)p);
}
unsigned h_mulhw(vt_ppc_cpu *s, uint32_t i) {
    int64_t p = (int64_t)(int32_t)GA(i) * (int32_t)GB(i);
    return set_rd(s, i, (uint32_t)((uint64_t)p >> 32));
}
unsigned h_mulhwu(vt_ppc_cpu *s, uint32_t i) {
    uint64_t p = (uint64_t)GA(i) * GB(i);
    return set_rd(s, i, (uint32_t)(p >> 32));
}

/* Divides by zero and 0x80000000 / -1 leave rD undefined (MPCFPE32B divw/divwu); 750-family
 * parts return -1 for a negative dividend and 0 otherwise for divw, and 0 for divwu (the
 * Dolphin project's hardware tests on the 750-derived Gekko; hwdocs/ppc.md). The o-forms set
 * OV in those cases. */
unsigned h_divw(vt_ppc_cpu *s, uint32_t i) {
    int32_t a = (int32_t)GA(i), b = (int32_t)GB(i);
    bool undef = b == 0 || (a == INT32_MIN && b == -1);
    uint32_t r = undef ? (a < 0 ? 0xffffffffu : 0) : (uint32_t)(a / b);
    if (OEBIT(i)) set_ov(s, undef);
    return set_rd(s, i, r);
}
unsigned h_divwu(vt_ppc_cpu *s, uint32_t i) {
    uint32_t a = GA(i), b = GB(i);
    if (OEBIT(i)) set_ov(s, b == 0);
    return set_rd(s, i, b ? a / b : 0);
}

/* Logical: the result goes to rA. */
static unsigned set_ra(vt_ppc_cpu *s, uint32_t i, uint32_t r) {
    s->gpr[RA(i)] = r;
    if (RCBIT(i)) ppc_set_cr0(s, r);
    return 0;
}
unsigned h_and(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, GS(i) & GB(i));
}
unsigned h_andc(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, GS(i) & ~GB(i));
}
unsigned h_or(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, GS(i) | GB(i));
}
unsigned h_orc(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, GS(i) | ~GB(i));
}
unsigned h_xor(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, GS(i) ^ GB(i));
}
unsigned h_nand(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, ~(GS(i) & GB(i)));
}
unsigned h_nor(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, ~(GS(i) | GB(i)));
}
unsigned h_eqv(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, ~(GS(i) ^ GB(i)));
}
unsigned h_extsb(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, (uint32_t)(int32_t)(int8_t)GS(i));
}
unsigned h_extsh(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, (uint32_t)(int32_t)(int16_t)GS(i));
}
unsigned h_cntlzw(vt_ppc_cpu *s, uint32_t i) {
    uint32_t v = GS(i);
    return set_ra(s, i, v ? (uint32_t)__builtin_clz(v) : 32u);
}
unsigned h_ori(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RA(i)] = GS(i) | UIMM(i);
    return 0;
}
unsigned h_oris(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RA(i)] = GS(i) | UIMM(i) << 16;
    return 0;
}
unsigned h_xori(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RA(i)] = GS(i) ^ UIMM(i);
    return 0;
}
unsigned h_xoris(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RA(i)] = GS(i) ^ UIMM(i) << 16;
    return 0;
}
unsigned h_andi(vt_ppc_cpu *s, uint32_t i) {
    uint32_t r = GS(i) & UIMM(i);
    s->gpr[RA(i)] = r;
    ppc_set_cr0(s, r);
    return 0;
}
unsigned h_andis(vt_ppc_cpu *s, uint32_t i) {
    uint32_t r = GS(i) & UIMM(i) << 16;
    s->gpr[RA(i)] = r;
    ppc_set_cr0(s, r);
    return 0;
}

/* Rotate: MASK(mb, me) has bits mb..me set in IBM numbering, wrapping when mb > me. */
static inline uint32_t rot_mask(unsigned mb, unsigned me) {
    uint32_t a = 0xffffffffu >> mb, b = 0xffffffffu << (31 - me);
    return mb <= me ? a & b : a | b;
}
static inline uint32_t rotl(uint32_t v, unsigned n) {
    return n ? (v << n) | (v >> (32 - n)) : v;
}
#define MB(i) (((i) >> 6) & 31)
#define ME(i) (((i) >> 1) & 31)

unsigned h_rlwinm(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, rotl(GS(i), RB(i)) & rot_mask(MB(i), ME(i)));
}
unsigned h_rlwnm(vt_ppc_cpu *s, uint32_t i) {
    return set_ra(s, i, rotl(GS(i), GB(i) & 31) & rot_mask(MB(i), ME(i)));
}
unsigned h_rlwimi(vt_ppc_cpu *s, uint32_t i) {
    uint32_t m = rot_mask(MB(i), ME(i));
    return set_ra(s, i, (rotl(GS(i), RB(i)) & m) | (GA(i) & ~m));
}
unsigned h_slw(vt_ppc_cpu *s, uint32_t i) {
    uint32_t n = GB(i) & 63;
    return set_ra(s, i, n > 31 ? 0 : GS(i) << n);
}
unsigned h_srw(vt_ppc_cpu *s, uint32_t i) {
    uint32_t n = GB(i) & 63;
    return set_ra(s, i, n > 31 ? 0 : GS(i) >> n);
}
/* Algebraic shifts set CA when the result is negative and 1-bits were shifted out. */
static unsigned sra_common(vt_ppc_cpu *s, uint32_t i, unsigned n) {
    int32_t v = (int32_t)GS(i);
    uint32_t r;
    bool c;
    if (n > 31) {
        r = v < 0 ? 0xffffffffu : 0;
        c = v < 0;
    } else {
        r = (uint32_t)(v >> n);
        c = v < 0 && n && ((uint32_t)v << (32 - n)) != 0;
    }
    s->xer = c ? (s->xer | XER_CA) : (s->xer & ~XER_CA);
    return set_ra(s, i, r);
}
unsigned h_sraw(vt_ppc_cpu *s, uint32_t i) {
    return sra_common(s, i, GB(i) & 63);
}
unsigned h_srawi(vt_ppc_cpu *s, uint32_t i) {
    return sra_common(s, i, RB(i));
}

/* Compares: LT/GT/EQ and XER[SO] into CR field crfD. */
static unsigned cmp_result(vt_ppc_cpu *s, uint32_t i, bool lt, bool gt) {
    unsigned v = lt ? 8 : gt ? 4 : 2;
    ppc_set_crf(s, (i >> 23) & 7, v | ((s->xer & XER_SO) ? 1 : 0));
    return 0;
}
unsigned h_cmp(vt_ppc_cpu *s, uint32_t i) {
    int32_t a = (int32_t)GA(i), b = (int32_t)GB(i);
    return cmp_result(s, i, a<b, a> b);
}
unsigned h_cmpl(vt_ppc_cpu *s, uint32_t i) {
    uint32_t a = GA(i), b = GB(i);
    return cmp_result(s, i, a<b, a> b);
}
unsigned h_cmpi(vt_ppc_cpu *s, uint32_t i) {
    int32_t a = (int32_t)GA(i), b = (int32_t)SIMM(i);
    return cmp_result(s, i, a<b, a> b);
}
unsigned h_cmpli(vt_ppc_cpu *s, uint32_t i) {
    uint32_t a = GA(i), b = UIMM(i);
    return cmp_result(s, i, a<b, a> b);
}

/* Traps: TO bits 0x10 <, 0x08 >, 0x04 =, 0x02 <u, 0x01 >u. */
static unsigned trap_if(vt_ppc_cpu *s, uint32_t i, uint32_t a, uint32_t b) {
    unsigned to = RD(i);
    bool t = ((to & 0x10) && (int32_t)a < (int32_t)b) || ((to & 0x08) && (int32_t)a > (int32_t)b) ||
             ((to & 0x04) && a == b) || ((to & 0x02) && a < b) || ((to & 0x01) && a > b);
    if (t) vt_ppc_program(s, VT_PPC_PROG_TRAP);
    return 0;
}
unsigned h_tw(vt_ppc_cpu *s, uint32_t i) {
    return trap_if(s, i, GA(i), GB(i));
}
unsigned h_twi(vt_ppc_cpu *s, uint32_t i) {
    return trap_if(s, i, GA(i), SIMM(i));
}

unsigned h_illegal(vt_ppc_cpu *s, uint32_t i) {
    vt_ppc_unimplemented(s, i);
    return 0;
}
