/* CP15 register transfers (MRC/MCR p15) of the ARM925T and ARM1136 in system mode: ID and
 * feature registers, control (SCTLR, and on v6 auxiliary control and coprocessor access),
 * translation bases, domains, fault status/address, cache and write-buffer operations
 * (architectural no-ops: no caches are modelled), wait for interrupt, TLB operations, lockdown,
 * FCSE PID / context ID, and the TI925T c15 configuration registers. Unknown encodings are
 * UNDEFINED (logged by the core). Sources: ARM ARM DDI 0100I B3-B5; ARM925T TRM (DDI 0161)
 * ch. 2; ARM1136JF-S TRM (DDI 0211K) 3.3; Linux proc-arm925.S / proc-v6.S for which ones run. */
#include "core/cpu/arm/arm_mmu.h"

#include "core/log.h"
#include "core/savestate.h"

/* ARM1136 r0p2 feature registers c0,c1,0-7 and c0,c2,0-5 (ARM1136 TRM 3.3.x; QEMU's
 * arm1136-r2 holds the same values). */
static const uint32_t arm1136_features[16] = {
    0x00000111, 0x00000001, 0x00000002, 0x00000003, 0x01130003, 0x10030302, 0x01222110, 0,
    0x00140011, 0x12002111, 0x11231111, 0x01102131, 0x00000141, 0,          0,          0,
};

/* Read-as-one bits and writable bits of SCTLR (ARM925T TRM 2.3.2; ARM1136 TRM 3.3.7). */
static uint32_t sctlr_rao(const vt_arm_cpu *c) {
    return c->features & VT_ARM_F_V6 ? 0x00050078u : 0x00000070u;
}
static uint32_t sctlr_writable(const vt_arm_cpu *c) {
    return c->features & VT_ARM_F_V6 ? 0x03e0fb87u : 0x00007387u;
}

static bool is_v6(const vt_arm_cpu *c) {
    return (c->features & VT_ARM_F_V6) != 0;
}

/* Everything that follows from SCTLR: vectors, unaligned access model, TLB contents. */
static void sctlr_apply(vt_arm_cpu *c) {
    uint32_t s = c->cp15.sctlr;
    c->vector_base = s & VT_SCTLR_V ? 0xffff0000u : 0;
    if (s & VT_SCTLR_A)
        c->align = VT_ARM_ALIGN_TRAP;
    else
        c->align = is_v6(c) && (s & VT_SCTLR_U) ? VT_ARM_ALIGN_UNALIGNED : VT_ARM_ALIGN_ROTATE;
    if (s & VT_SCTLR_B) vt_log(VT_LOG_UNIMP, "unimplemented: arm big-endian data (SCTLR.B)");
    vt_arm_fast_tlb_flush(c);
}

void vt_arm_cp15_reset(vt_arm_cpu *c) {
    vt_arm_cp15 *p = &c->cp15;
    *p = (vt_arm_cp15){.sctlr = sctlr_rao(c), .actlr = is_v6(c) ? 7 : 0};
    vt_arm_tlb_invalidate_all(c);
    sctlr_apply(c);
}

static int read_id(const vt_arm_cpu *c, unsigned crm, unsigned op2, uint32_t *v) {
    if (crm == 0) {
        /* unimplemented c0,c0 registers read as the main ID (ARM ARM B3.3) */
        if (op2 == 1)
            *v = c->model->ctr;
        else if (op2 == 3 && is_v6(c))
            *v = c->model->tlbtr;
        else if (op2 == 2 && is_v6(c))
            *v = 0; /* TCM status: the OMAP2420's ARM1136 has no TCM */
        else
            *v = c->model->midr;
        return 0;
    }
    if (!is_v6(c) || crm > 2) return -1;
    *v = arm1136_features[(crm - 1) * 8 + op2];
    return 0;
}

int vt_arm_cp15_read(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn,
                     unsigned crm, unsigned op2, uint32_t *v) {
    VT_UNUSED(ctx);
    vt_arm_cp15 *p = &c->cp15;
    bool v6 = is_v6(c);
    if ((cp != 15 && !(cp == 14 && v6)) || (c->cpsr_ctl & 0x1f) == VT_ARM_MODE_USR) return -1;
    if (cp == 14) return op1 || crn ? -1 : vt_arm_v6_debug_read(c, crm, op2, v);
    if (crn == 15 && !v6) { /* TI925T */
        if (op1 == 0 && crm == 1 && op2 == 0) return *v = p->ti_config, 0;
        if (op1 == 7 && crm == 0 && op2 == 0) return *v = p->ti_cache, 0;
        return -1;
    }
    if (op1) return -1;
    switch (crn) {
    case 0:
        return read_id(c, crm, op2, v);
    case 15: /* v6: performance monitor */
        return crm == 12 ? vt_arm_v6_pmu_read(c, op2, v) : -1;
    case 1:
        if (crm || op2 > (v6 ? 2u : 0u)) return -1;
        *v = op2 == 0 ? p->sctlr : op2 == 1 ? p->actlr : p->cpacr;
        return 0;
    case 2:
        if (crm || op2 > (v6 ? 2u : 0u)) return -1;
        *v = op2 == 0 ? p->ttbr0 : op2 == 1 ? p->ttbr1 : p->ttbcr;
        return 0;
    case 3:
        if (crm || op2) return -1;
        *v = p->dacr;
        return 0;
    case 5:
        if (crm || op2 > (v6 ? 1u : 0u)) return -1;
        *v = op2 ? p->ifsr : p->dfsr;
        return 0;
    case 6:
        if (crm || op2 > (v6 ? 2u : 0u)) return -1;
        *v = op2 == 0 ? p->far : op2 == 1 ? p->wfar : p->ifar;
        return 0;
    case 7:
        /* v6 cache dirty status and block transfer status: nothing is ever dirty or busy */
        if (v6 && ((crm == 10 && op2 == 6) || (crm == 12 && op2 == 4))) return *v = 0, 0;
        return -1;
    case 9:
        if (crm || op2 > 1) return -1;
        *v = op2 ? p->icache_lockdown : p->dcache_lockdown;
        return 0;
    case 10:
        if (crm || op2 > 1) return -1;
        *v = p->tlb_lockdown;
        return 0;
    case 13:
        if (crm || op2 > (v6 ? 1u : 0u)) return -1;
        *v = op2 ? p->context_id : p->fcse_pid;
        return 0;
    default:
        return -1;
    }
}

/* c7: cache, write-buffer and prefetch operations, and wait for interrupt. Without modelled
 * caches they only have to be the right encodings (ARM925T TRM table 2-15; ARM1136 TRM
 * table 3-73). */
/* v6 cache operations by MVA translate their address and abort on a translation or domain
 * fault (not on a permission fault), ARM1136 TRM 3.3.18; Linux's v6_coherent_user_range
 * relies on it to fail with -EFAULT on unmapped user addresses. */
static void mva_check(vt_arm_cpu *c, uint32_t va) {
    vt_arm_xlat x;
    uint32_t f = vt_arm_mmu_translate(c, va, VT_ACCESS_READ, false, &x);
    unsigned status = f & 0xf;
    if (status == VT_FSR_PERM_SECTION || status == VT_FSR_PERM_PAGE) return;
    if (f) {
        vt_arm_record_fault(c, va, f, VT_ACCESS_READ);
        vt_arm_raise(c, VT_ARM_EXC_DABT, va);
    }
}

static int write_c7(vt_arm_cpu *c, unsigned crm, unsigned op2, uint32_t v) {
    bool v6 = is_v6(c);
    if (v6 && op2 == 1 && crm >= 5 && crm != 8 && crm != 9 && crm != 12) mva_check(c, v);
    switch (crm) {
    case 0:
        if (op2 != 4) return -1;
        /* wait for interrupt: end the slice; the run loop then skips time to the next event */
        c->base.halted = true;
        c->base.stop_at = c->base.cycles;
        return 0;
    case 5: /* invalidate I cache (all, line by MVA, by index); v6: flush prefetch, BTAC */
        return op2 <= 2 || (v6 && op2 >= 4 && op2 <= 7) ? 0 : -1;
    case 6:  /* invalidate D cache */
    case 7:  /* invalidate both */
    case 14: /* clean and invalidate D */
        return op2 <= 2 ? 0 : -1;
    case 10: /* clean D; drain write buffer (4); v6 data memory barrier (5) */
        return op2 <= 2 || op2 == 4 || (v6 && op2 == 5) ? 0 : -1;
    case 11: /* v6 clean unified */
    case 15:
        return v6 && op2 <= 2 ? 0 : -1;
    case 13: /* prefetch I line */
        return op2 == 1 ? 0 : -1;
    default:
        return -1;
    }
}

/* c8: TLB operations on the I (crm 5), D (6) or unified (7) TLB, which are one here. */
static int write_c8(vt_arm_cpu *c, unsigned crm, unsigned op2, uint32_t v) {
    bool v6 = is_v6(c);
    if (crm < 5 || crm > 7) return -1;
    switch (op2) {
    case 0:
        vt_arm_tlb_invalidate_all(c);
        return 0;
    case 1: /* single entry by MVA (v6: MVA[31:12] | ASID) */
        vt_arm_tlb_invalidate_mva(c, v6 ? v & ~0xfffu : v, v6, (uint8_t)v);
        return 0;
    case 2:
        if (!v6) return -1;
        vt_arm_tlb_invalidate_asid(c, (uint8_t)v);
        return 0;
    default:
        return -1;
    }
}

int vt_arm_cp15_write(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn,
                      unsigned crm, unsigned op2, uint32_t v) {
    VT_UNUSED(ctx);
    vt_arm_cp15 *p = &c->cp15;
    bool v6 = is_v6(c);
    if ((cp != 15 && !(cp == 14 && v6)) || (c->cpsr_ctl & 0x1f) == VT_ARM_MODE_USR) return -1;
    if (cp == 14) return op1 || crn ? -1 : vt_arm_v6_debug_write(c, crm, op2, v);
    if (crn == 15 && !v6) {
        /* TI925T: c15,c1,0 configuration (Linux sets transparent mode, bit 1), and
         * op1=7 c15,c0,0 D-cache mode (Linux writes 4, write-through, with
         * CONFIG_CPU_DCACHE_WRITETHROUGH); neither changes behaviour without caches */
        if (op1 == 0 && crm == 1 && op2 == 0) return p->ti_config = v, 0;
        if (op1 == 7 && crm == 0 && op2 == 0) return p->ti_cache = v, 0;
        return -1;
    }
    if (op1) return -1;
    switch (crn) {
    case 1:
        if (crm || op2 > (v6 ? 2u : 0u)) return -1;
        if (op2 == 0) {
            p->sctlr = (v & sctlr_writable(c)) | sctlr_rao(c);
            sctlr_apply(c);
        } else if (op2 == 1) {
            p->actlr = v & 0x7f; /* ARM1136 TRM 3.3.8: bits 6:0 */
        } else {
            p->cpacr = v & 0x0fffffffu;
        }
        return 0;
    case 2:
        if (crm || op2 > (v6 ? 2u : 0u)) return -1;
        if (op2 == 0)
            p->ttbr0 = v;
        else if (op2 == 1)
            p->ttbr1 = v;
        else
            p->ttbcr = v & 7;
        vt_arm_fast_tlb_flush(c);
        return 0;
    case 3:
        if (crm || op2) return -1;
        p->dacr = v;
        vt_arm_fast_tlb_flush(c);
        return 0;
    case 5:
        if (crm || op2 > (v6 ? 1u : 0u)) return -1;
        if (op2)
            p->ifsr = v;
        else
            p->dfsr = v;
        return 0;
    case 6:
        if (crm || op2 > (v6 ? 2u : 0u)) return -1;
        if (op2 == 0)
            p->far = v;
        else if (op2 == 1)
            p->wfar = v;
        else
            p->ifar = v;
        return 0;
    case 7:
        return write_c7(c, crm, op2, v);
    case 8:
        return write_c8(c, crm, op2, v);
    case 9: /* cache lockdown: stored, no effect without caches */
        if (crm || op2 > 1) return -1;
        if (op2)
            p->icache_lockdown = v;
        else
            p->dcache_lockdown = v;
        return 0;
    case 10: /* TLB lockdown: stored; replacement stays round-robin (hwdocs/arm.md) */
        if (crm || op2 > 1) return -1;
        p->tlb_lockdown = v;
        return 0;
    case 15: /* v6: performance monitor */
        return crm == 12 ? vt_arm_v6_pmu_write(c, op2, v) : -1;
    case 13:
        if (crm || op2 > (v6 ? 1u : 0u)) return -1;
        if (op2)
            p->context_id = v;
        else
            p->fcse_pid = v & 0xfe000000u;
        vt_arm_fast_tlb_flush(c); /* new ASID or relocation */
        return 0;
    default:
        return -1;
    }
}

/* Register order of the "AC15" save-state chunk. */
/* clang-format off */
#define CP15_SAVED_REGS(X)                                                                    \
    X(sctlr) X(actlr) X(cpacr) X(ttbr0) X(ttbr1) X(ttbcr) X(dacr) X(dfsr) X(ifsr) X(far)      \
    X(ifar) X(wfar) X(fcse_pid) X(context_id) X(dcache_lockdown) X(icache_lockdown)           \
    X(tlb_lockdown) X(ti_config) X(ti_cache) X(pmcr) X(ccnt) X(pmn[0]) X(pmn[1])              \
    X(ccnt_div_rem) X(dscr) X(vcr) X(bvr[0]) X(bvr[1]) X(bvr[2]) X(bvr[3]) X(bvr[4]) X(bvr[5])    \
    X(bcr[0]) X(bcr[1]) X(bcr[2]) X(bcr[3]) X(bcr[4]) X(bcr[5]) X(wvr[0]) X(wvr[1]) X(wcr[0])    \
    X(wcr[1])
/* clang-format on */

void vt_arm_cp15_save(const vt_arm_cpu *c, struct vt_state_writer *w) {
    const vt_arm_cp15 *p = &c->cp15;
    vt_state_begin(w, "AC15", 1);
#define PUT(f) vt_state_put_u32(w, p->f);
    CP15_SAVED_REGS(PUT)
#undef PUT
    vt_state_put_u64(w, p->pmu_cycles);
    vt_state_put_u64(w, p->pmu_insns);
    vt_state_put_u32(w, p->tlb_next);
    for (unsigned i = 0; i < VT_ARM_TLB_ENTRIES; i++) {
        const vt_arm_tlb_entry *e = &p->tlb[i];
        vt_state_put_u32(w, e->va);
        vt_state_put_u64(w, e->pa);
        vt_state_put_u8(w, e->size_log2);
        vt_state_put_u8(w, e->ap4);
        vt_state_put_u8(w, e->domain);
        vt_state_put_u8(w, e->asid);
        vt_state_put_u8(w,
                        (uint8_t)(e->valid | e->page << 1 | e->apx << 2 | e->xn << 3 | e->ng << 4));
    }
    vt_state_end(w);
}

int vt_arm_cp15_load(vt_arm_cpu *c, struct vt_state_reader *r) {
    vt_arm_cp15 *p = &c->cp15;
    uint32_t version;
    if (vt_state_open(r, "AC15", 1, &version)) return -1;
#define GET(f) p->f = vt_state_get_u32(r);
    CP15_SAVED_REGS(GET)
#undef GET
    p->pmu_cycles = vt_state_get_u64(r);
    p->pmu_insns = vt_state_get_u64(r);
    p->tlb_next = vt_state_get_index(r, VT_ARM_TLB_ENTRIES);
    for (unsigned i = 0; i < VT_ARM_TLB_ENTRIES; i++) {
        vt_arm_tlb_entry *e = &p->tlb[i];
        e->va = vt_state_get_u32(r);
        e->pa = vt_state_get_u64(r);
        e->size_log2 = vt_state_get_u8(r);
        e->ap4 = vt_state_get_u8(r);
        e->domain = vt_state_get_u8(r);
        e->asid = vt_state_get_u8(r);
        uint8_t f = vt_state_get_u8(r);
        e->valid = f & 1;
        e->page = f >> 1 & 1;
        e->apx = f >> 2 & 1;
        e->xn = f >> 3 & 1;
        e->ng = f >> 4 & 1;
        if (e->valid && (e->size_log2 < 10 || e->size_log2 > 24 || e->domain > 15))
            vt_state_fail(r, "ARM TLB entry %u: bad page size 2^%u or domain %u", i, e->size_log2,
                          e->domain);
    }
    sctlr_apply(c);
    return vt_state_close(r);
}
