/* PowerPC 750 system-register instructions: mfspr/mtspr/mftb with their privilege rule,
 * mfmsr/mtmsr, segment registers (mtsr, mtsrin, mfsr, mfsrin), tlbie and tlbsync.
 * Sources: MPCFPE32B ch. 4 (SPR encoding: an SPR number with bit 4 set (spr[0]=1) is
 * privileged), ch. 7 (segment registers); MPC750 UM ch. 2 (tlbie/tlbsync on the 750,
 * tlbia not implemented). */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

#include "core/log.h"

static inline unsigned spr_num(uint32_t i) {
    return ((i >> 16) & 31) | ((i >> 11) & 31) << 5;
}

/* Supervisor-only instruction in user mode: program exception (privileged). */
static inline bool user_mode(vt_ppc_cpu *s) {
    if (!(s->msr & MSR_PR)) return false;
    vt_ppc_program(s, VT_PPC_PROG_PRIV);
    return true;
}

unsigned h_mfspr(vt_ppc_cpu *s, uint32_t i) {
    unsigned spr = spr_num(i);
    uint32_t v;
    if ((spr & 0x10) && user_mode(s)) return 0;
    if (vt_ppc_mfspr(s, spr, &v)) {
        vt_ppc_unimplemented(s, i);
        return 0;
    }
    s->gpr[RD(i)] = v;
    return spr == SPR_LR || spr == SPR_CTR || spr == SPR_XER ? 0 : 2;
}

unsigned h_mtspr(vt_ppc_cpu *s, uint32_t i) {
    unsigned spr = spr_num(i);
    if ((spr & 0x10) && user_mode(s)) return 0;
    /* The user-level performance-monitor registers (936-942) are read-only. */
    if ((spr >= SPR_UMMCR0 && spr <= SPR_UPMC4) || vt_ppc_mtspr(s, spr, s->gpr[RD(i)])) {
        vt_ppc_unimplemented(s, i);
        return 0;
    }
    return 0;
}

unsigned h_mftb(vt_ppc_cpu *s, uint32_t i) {
    unsigned tbr = spr_num(i);
    uint32_t v;
    if ((tbr != SPR_TBL_R && tbr != SPR_TBU_R) || vt_ppc_mfspr(s, tbr, &v)) {
        vt_ppc_unimplemented(s, i);
        return 0;
    }
    s->gpr[RD(i)] = v;
    return 0;
}

unsigned h_mfmsr(vt_ppc_cpu *s, uint32_t i) {
    if (user_mode(s)) return 0;
    s->gpr[RD(i)] = s->msr;
    return 0;
}

unsigned h_mtmsr(vt_ppc_cpu *s, uint32_t i) {
    if (user_mode(s)) return 0;
    vt_ppc_set_msr(s, s->gpr[RD(i)]);
    return 0;
}

static unsigned set_sr(vt_ppc_cpu *s, unsigned n, uint32_t v) {
    s->sr[n & 15] = v;
    vt_ppc_tlb_flush_all(s);
    return 0;
}
unsigned h_mtsr(vt_ppc_cpu *s, uint32_t i) {
    if (user_mode(s)) return 0;
    return set_sr(s, RA(i), s->gpr[RD(i)]);
}
unsigned h_mtsrin(vt_ppc_cpu *s, uint32_t i) {
    if (user_mode(s)) return 0;
    return set_sr(s, s->gpr[RB(i)] >> 28, s->gpr[RD(i)]);
}
unsigned h_mfsr(vt_ppc_cpu *s, uint32_t i) {
    if (user_mode(s)) return 0;
    s->gpr[RD(i)] = s->sr[RA(i) & 15];
    return 0;
}
unsigned h_mfsrin(vt_ppc_cpu *s, uint32_t i) {
    if (user_mode(s)) return 0;
    s->gpr[RD(i)] = s->sr[s->gpr[RB(i)] >> 28];
    return 0;
}

/* tlbie invalidates the 750's TLB congruence class of EA (UM ch. 5): the software TLB is
 * flushed whole, which is a superset. */
unsigned h_tlbie(vt_ppc_cpu *s, uint32_t i) {
    VT_UNUSED(i);
    if (user_mode(s)) return 0;
    vt_ppc_tlb_flush_all(s);
    return 0;
}
unsigned h_tlbsync(vt_ppc_cpu *s, uint32_t i) {
    VT_UNUSED(i);
    user_mode(s);
    return 0;
}
