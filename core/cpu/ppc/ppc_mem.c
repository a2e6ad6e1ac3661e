/* PowerPC 750 load/store unit: byte/half/word loads and stores with update and indexed forms,
 * byte-reversed, multiple and string forms, lwarx/stwcx., the FP loads and stores, cache
 * operations (dcbz zeroes a 32-byte block; the others only check translation as the manual
 * says) and eciwx/ecowx.
 * Sources: MPCFPE32B ch. 4 and 8; MPC750 UM ch. 2 (string/multiple, lwarx reservation
 * granule = one 32-byte cache block), ch. 4 (alignment exception and its DSISR encoding). */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

static inline bool is_x_form(uint32_t i) {
    return (i >> 26) == 31;
}

/* Effective address of a D- or X-form access and whether it is an update form (odd primary
 * opcode; X-forms have xo bit 5 set). */
static inline uint32_t ea_of(const vt_ppc_cpu *s, uint32_t i, bool *update) {
    uint32_t base = RA(i) ? s->gpr[RA(i)] : 0;
    if (is_x_form(i)) {
        *update = (i >> 6) & 1;
        return base + s->gpr[RB(i)];
    }
    *update = (i >> 26) & 1;
    return base + SIMM(i);
}

/* UM ch. 4: DSISR for an alignment exception carries the instruction's opcode bits and its
 * register fields (IBM bit numbers in the comments). */
static uint32_t align_dsisr(uint32_t i) {
    uint32_t d;
    if (is_x_form(i)) /* 15-16 <- 29-30, 17 <- 25, 18-21 <- 21-24 */
        d = ((i >> 1) & 3) << 15 | ((i >> 6) & 1) << 14 | ((i >> 7) & 0xf) << 10;
    else /* 15-16 <- 0, 17 <- 5, 18-21 <- 1-4 */
        d = ((i >> 26) & 1) << 14 | ((i >> 27) & 0xf) << 10;
    return d | RD(i) << 5 | RA(i);
}

void vt_ppc_alignment(vt_ppc_cpu *s, uint32_t ea) {
    s->dar = ea;
    s->dsisr = align_dsisr(s->insn);
    vt_ppc_exception(s, PPC_EXC_ALIGN, s->pc, 0);
}

static unsigned alignment(vt_ppc_cpu *s, uint32_t ea) {
    vt_ppc_alignment(s, ea);
    return 0;
}

static unsigned load_int(vt_ppc_cpu *s, uint32_t i, unsigned size, bool sign, bool rev) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    uint64_t v;
    if (ppc_load(s, ea, size, &v)) return 0;
    if (rev) v = vt_bswap(v, size);
    if (sign) v = (uint64_t)(int64_t)(int16_t)v;
    s->gpr[RD(i)] = (uint32_t)v;
    if (upd) s->gpr[RA(i)] = ea;
    return 0;
}

static unsigned store_int(vt_ppc_cpu *s, uint32_t i, unsigned size, bool rev) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    uint64_t v = s->gpr[RD(i)];
    if (rev) v = vt_bswap(v, size);
    if (ppc_store(s, ea, size, v)) return 0;
    if (upd) s->gpr[RA(i)] = ea;
    return 0;
}

unsigned h_lwz(vt_ppc_cpu *s, uint32_t i) {
    return load_int(s, i, 4, false, false);
}
unsigned h_lbz(vt_ppc_cpu *s, uint32_t i) {
    return load_int(s, i, 1, false, false);
}
unsigned h_lhz(vt_ppc_cpu *s, uint32_t i) {
    return load_int(s, i, 2, false, false);
}
unsigned h_lha(vt_ppc_cpu *s, uint32_t i) {
    return load_int(s, i, 2, true, false);
}
unsigned h_lwbrx(vt_ppc_cpu *s, uint32_t i) {
    return load_int(s, i, 4, false, true);
}
unsigned h_lhbrx(vt_ppc_cpu *s, uint32_t i) {
    return load_int(s, i, 2, false, true);
}
unsigned h_stw(vt_ppc_cpu *s, uint32_t i) {
    return store_int(s, i, 4, false);
}
unsigned h_stb(vt_ppc_cpu *s, uint32_t i) {
    return store_int(s, i, 1, false);
}
unsigned h_sth(vt_ppc_cpu *s, uint32_t i) {
    return store_int(s, i, 2, false);
}
unsigned h_stwbrx(vt_ppc_cpu *s, uint32_t i) {
    return store_int(s, i, 4, true);
}
unsigned h_sthbrx(vt_ppc_cpu *s, uint32_t i) {
    return store_int(s, i, 2, true);
}

/* lmw/stmw: rD..r31, word-aligned and big-endian mode only (UM ch. 4); one extra cycle per
 * register. */
unsigned h_lmw(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    if ((ea & 3) || (s->msr & MSR_LE)) return alignment(s, ea);
    for (unsigned r = RD(i); r < 32; r++, ea += 4) {
        uint64_t v;
        if (ppc_load(s, ea, 4, &v)) return 0;
        s->gpr[r] = (uint32_t)v;
    }
    return 32 - RD(i);
}
unsigned h_stmw(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    if ((ea & 3) || (s->msr & MSR_LE)) return alignment(s, ea);
    for (unsigned r = RD(i); r < 32; r++, ea += 4)
        if (ppc_store(s, ea, 4, s->gpr[r])) return 0;
    return 32 - RD(i);
}

/* String loads fill registers from the high byte down, rD, rD+1, ... wrapping from r31 to
 * r0, and zero the unfilled low bytes of the last register. */
static unsigned load_string(vt_ppc_cpu *s, uint32_t i, uint32_t ea, unsigned n) {
    unsigned r = RD(i);
    if (s->msr & MSR_LE) return alignment(s, ea); /* not in little-endian mode (UM ch. 4) */
    for (unsigned k = 0; k < n; k++, ea++) {
        uint64_t v;
        if (ppc_load(s, ea, 1, &v)) return 0;
        if (k && !(k & 3)) r = (r + 1) & 31;
        unsigned sh = 24 - 8 * (k & 3);
        uint32_t keep = (k & 3) ? s->gpr[r] & ~(0xffffffffu >> (8 * (k & 3))) : 0;
        s->gpr[r] = keep | (uint32_t)v << sh;
    }
    return (n + 3) / 4;
}
static unsigned store_string(vt_ppc_cpu *s, uint32_t i, uint32_t ea, unsigned n) {
    unsigned r = RD(i);
    if (s->msr & MSR_LE) return alignment(s, ea);
    for (unsigned k = 0; k < n; k++, ea++) {
        if (k && !(k & 3)) r = (r + 1) & 31;
        if (ppc_store(s, ea, 1, (s->gpr[r] >> (24 - 8 * (k & 3))) & 0xff)) return 0;
    }
    return (n + 3) / 4;
}
unsigned h_lswi(vt_ppc_cpu *s, uint32_t i) {
    unsigned n = RB(i) ? RB(i) : 32;
    return load_string(s, i, RA(i) ? s->gpr[RA(i)] : 0, n);
}
unsigned h_lswx(vt_ppc_cpu *s, uint32_t i) {
    uint32_t ea = (RA(i) ? s->gpr[RA(i)] : 0) + s->gpr[RB(i)];
    return load_string(s, i, ea, s->xer & 0x7f);
}
unsigned h_stswi(vt_ppc_cpu *s, uint32_t i) {
    unsigned n = RB(i) ? RB(i) : 32;
    return store_string(s, i, RA(i) ? s->gpr[RA(i)] : 0, n);
}
unsigned h_stswx(vt_ppc_cpu *s, uint32_t i) {
    uint32_t ea = (RA(i) ? s->gpr[RA(i)] : 0) + s->gpr[RB(i)];
    return store_string(s, i, ea, s->xer & 0x7f);
}

/* lwarx/stwcx.: the reservation covers one 32-byte coherence granule (UM ch. 3). */
unsigned h_lwarx(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    uint64_t v;
    if (ea & 3) return alignment(s, ea);
    if (ppc_load(s, ea, 4, &v)) return 0;
    s->gpr[RD(i)] = (uint32_t)v;
    s->reserve = true;
    s->reserve_addr = ea & ~31u;
    return 0;
}
unsigned h_stwcx(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    if (ea & 3) return alignment(s, ea);
    bool ok = s->reserve && s->reserve_addr == (ea & ~31u);
    if (ok && ppc_store(s, ea, 4, s->gpr[RD(i)])) return 0;
    s->reserve = false;
    ppc_set_crf(s, 0, (ok ? 2 : 0) | ((s->xer & XER_SO) ? 1 : 0));
    return 0;
}

/* --- floating-point loads and stores ----------------------------------------------------- */

unsigned h_lfs(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    uint64_t v;
    if (ppc_fp_off(s) || ppc_load(s, ea, 4, &v)) return 0;
    s->fpr[RD(i)] = vt_ppc_single_to_double((uint32_t)v);
    if (upd) s->gpr[RA(i)] = ea;
    return 0;
}
unsigned h_lfd(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    uint64_t v;
    if (ppc_fp_off(s) || ppc_load(s, ea, 8, &v)) return 0;
    s->fpr[RD(i)] = v;
    if (upd) s->gpr[RA(i)] = ea;
    return 0;
}
unsigned h_stfs(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    if (ppc_fp_off(s) || ppc_store(s, ea, 4, vt_ppc_double_to_single(s->fpr[RD(i)]))) return 0;
    if (upd) s->gpr[RA(i)] = ea;
    return 0;
}
unsigned h_stfd(vt_ppc_cpu *s, uint32_t i) {
    bool upd;
    uint32_t ea = ea_of(s, i, &upd);
    if (ppc_fp_off(s) || ppc_store(s, ea, 8, s->fpr[RD(i)])) return 0;
    if (upd) s->gpr[RA(i)] = ea;
    return 0;
}
/* stfiwx stores the low word of frS unchanged (optional in the architecture; the 750 has it). */
unsigned h_stfiwx(vt_ppc_cpu *s, uint32_t i) {
    uint32_t ea = (RA(i) ? s->gpr[RA(i)] : 0) + s->gpr[RB(i)];
    if (!ppc_fp_off(s)) (void)ppc_store(s, ea, 4, (uint32_t)s->fpr[RD(i)]); /* a fault is raised */
    return 0;
}

/* --- cache control ----------------------------------------------------------------------- */

static inline uint32_t ea_x(const vt_ppc_cpu *s, uint32_t i) {
    return (RA(i) ? s->gpr[RA(i)] : 0) + s->gpr[RB(i)];
}

/* dcbst, dcbf, icbi: no cache is modelled, but the address is translated as for a load and a
 * missing translation or protection violation raises DSI (MPCFPE32B ch. 5). */
unsigned h_dcbst(vt_ppc_cpu *s, uint32_t i) {
    uint64_t pa;
    if (vt_ppc_translate(s, ea_x(s, i), PPC_XLATE_DATA, false, true, &pa)) return 0;
    return 0;
}
unsigned h_icbi(vt_ppc_cpu *s, uint32_t i) {
    return h_dcbst(s, i);
}
/* dcbt/dcbtst are hints: they never raise an exception. */
unsigned h_dcbt(vt_ppc_cpu *s, uint32_t i) {
    VT_UNUSED(s);
    VT_UNUSED(i);
    return 0;
}
/* dcbi is supervisor-only and checked as a store. */
unsigned h_dcbi(vt_ppc_cpu *s, uint32_t i) {
    uint64_t pa;
    if (s->msr & MSR_PR) {
        vt_ppc_program(s, VT_PPC_PROG_PRIV);
        return 0;
    }
    if (vt_ppc_translate(s, ea_x(s, i), PPC_XLATE_DATA, true, true, &pa)) return 0;
    return 0;
}
/* dcbz zeroes the 32-byte block holding EA (the 750's cache-block size). */
unsigned h_dcbz(vt_ppc_cpu *s, uint32_t i) {
    uint32_t ea = ea_x(s, i) & ~31u;
    for (unsigned k = 0; k < 32; k += 8)
        if (ppc_store(s, ea + k, 8, 0)) return 0;
    return 0;
}

/* eciwx/ecowx: external control; with EAR[E]=0 they raise DSI with DSISR bit 11 (UM ch. 4).
 * With E set the access goes to the bus as an ordinary word access. */
static bool ear_disabled(vt_ppc_cpu *s, uint32_t ea, bool store) {
    if (s->ear & 0x80000000u) return false;
    s->dar = ea;
    s->dsisr = DSISR_EAR | (store ? DSISR_STORE : 0);
    vt_ppc_exception(s, PPC_EXC_DSI, s->pc, 0);
    return true;
}
unsigned h_eciwx(vt_ppc_cpu *s, uint32_t i) {
    uint32_t ea = ea_x(s, i);
    uint64_t v;
    if (ear_disabled(s, ea, false)) return 0;
    if (ea & 3) return alignment(s, ea);
    if (ppc_load(s, ea, 4, &v)) return 0;
    s->gpr[RD(i)] = (uint32_t)v;
    return 0;
}
unsigned h_ecowx(vt_ppc_cpu *s, uint32_t i) {
    uint32_t ea = ea_x(s, i);
    if (ear_disabled(s, ea, true)) return 0;
    if (ea & 3) return alignment(s, ea);
    (void)ppc_store(s, ea, 4, s->gpr[RD(i)]); /* a fault is raised by the store itself */
    return 0;
}
