/* PowerPC 750 branch unit and condition register: b, bc, bclr, bcctr (BO decoding with CTR
 * and LR), CR logical operations, mcrf, mtcrf, mfcr, mcrxr, sc and rfi.
 * Sources: MPCFPE32B ch. 4 (branch and flow control, the BO field, CR logical) and ch. 6
 * (rfi); MPC750 UM ch. 4 (sc). */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

#define BO(i) RD(i)
#define BI(i) RA(i)

static inline bool crbit(const vt_ppc_cpu *s, unsigned n) {
    return (s->cr >> (31 - n)) & 1;
}

/* BO: 0x10 ignore the condition, 0x08 the value it must have, 0x04 leave CTR alone,
 * 0x02 branch when CTR reaches zero (else when it is non-zero). */
static inline bool bo_taken(vt_ppc_cpu *s, uint32_t i, bool may_dec) {
    unsigned bo = BO(i);
    bool ctr_ok = true;
    if (!(bo & 0x04) && may_dec) {
        s->ctr--;
        ctr_ok = (s->ctr == 0) == ((bo & 0x02) != 0);
    }
    bool cond_ok = (bo & 0x10) || crbit(s, BI(i)) == ((bo & 0x08) != 0);
    return ctr_ok && cond_ok;
}

static inline unsigned branch_to(vt_ppc_cpu *s, uint32_t i, bool taken, uint32_t target) {
    if (i & 1) s->lr = s->pc + 4;
    if (taken) s->npc = target;
    return 0;
}

unsigned h_b(vt_ppc_cpu *s, uint32_t i) {
    uint32_t disp = (uint32_t)((int32_t)(i << 6) >> 6) & ~3u;
    return branch_to(s, i, true, ((i & 2) ? 0 : s->pc) + disp);
}
unsigned h_bc(vt_ppc_cpu *s, uint32_t i) {
    uint32_t disp = SIMM(i) & ~3u;
    bool t = bo_taken(s, i, true);
    return branch_to(s, i, t, ((i & 2) ? 0 : s->pc) + disp);
}
unsigned h_bclr(vt_ppc_cpu *s, uint32_t i) {
    uint32_t target = s->lr & ~3u; /* read before LK updates LR */
    bool t = bo_taken(s, i, true);
    return branch_to(s, i, t, target);
}
/* bcctr with BO[2]=0 is an invalid form; the 750 does not decrement CTR for it. */
unsigned h_bcctr(vt_ppc_cpu *s, uint32_t i) {
    bool t = bo_taken(s, i, false);
    return branch_to(s, i, t, s->ctr & ~3u);
}

unsigned h_crlogic(vt_ppc_cpu *s, uint32_t i) {
    bool a = crbit(s, RA(i)), b = crbit(s, RB(i)), r;
    switch ((i >> 1) & 0x3ff) {
    case 257:
        r = a && b;
        break; /* crand */
    case 129:
        r = a && !b;
        break; /* crandc */
    case 289:
        r = a == b;
        break; /* creqv */
    case 225:
        r = !(a && b);
        break; /* crnand */
    case 33:
        r = !(a || b);
        break; /* crnor */
    case 449:
        r = a || b;
        break; /* cror */
    case 417:
        r = a || !b;
        break; /* crorc */
    default:
        r = a != b;
        break; /* crxor (193) */
    }
    uint32_t bit = 1u << (31 - RD(i));
    s->cr = r ? (s->cr | bit) : (s->cr & ~bit);
    return 0;
}

unsigned h_mcrf(vt_ppc_cpu *s, uint32_t i) {
    unsigned src = (i >> 18) & 7;
    ppc_set_crf(s, (i >> 23) & 7, s->cr >> (28 - 4 * src));
    return 0;
}
unsigned h_mtcrf(vt_ppc_cpu *s, uint32_t i) {
    unsigned crm = (i >> 12) & 0xff;
    uint32_t mask = 0;
    for (unsigned f = 0; f < 8; f++)
        if (crm & (0x80u >> f)) mask |= 0xf0000000u >> (4 * f);
    s->cr = (s->cr & ~mask) | (s->gpr[RD(i)] & mask);
    return 0;
}
unsigned h_mfcr(vt_ppc_cpu *s, uint32_t i) {
    s->gpr[RD(i)] = s->cr;
    return 0;
}
unsigned h_mcrxr(vt_ppc_cpu *s, uint32_t i) {
    ppc_set_crf(s, (i >> 23) & 7, s->xer >> 28);
    s->xer &= ~0xf0000000u;
    return 0;
}

unsigned h_sc(vt_ppc_cpu *s, uint32_t i) {
    VT_UNUSED(i);
    vt_ppc_exception(s, PPC_EXC_SC, s->pc + 4, 0);
    return 0;
}

unsigned h_rfi(vt_ppc_cpu *s, uint32_t i) {
    VT_UNUSED(i);
    if (s->msr & MSR_PR) {
        vt_ppc_program(s, VT_PPC_PROG_PRIV);
        return 0;
    }
    /* MPCFPE32B rfi: MSR bits 16-23, 25-27, 30-31 (IBM numbering) come from SRR1. */
    vt_ppc_set_msr(s, (s->msr & ~MSR_SRR1_MASK) | (s->srr1 & MSR_SRR1_MASK));
    s->npc = s->srr0 & ~3u;
    s->reserve = false;
    return 0;
}

/* sync, isync, eieio: this core completes every access in order, so there is nothing to wait
 * for; the table charges their cost. */
unsigned h_sync(vt_ppc_cpu *s, uint32_t i) {
    VT_UNUSED(s);
    VT_UNUSED(i);
    return 0;
}
