/* PowerPC 750 exception model and supervisor registers: exception entry (SRR0/SRR1, the new
 * MSR, vector base from MSR[IP]), the user-mode trap path, interrupt priority for INT, SMI,
 * MCP and the decrementer, the time base and decrementer derived from the core's cycle
 * count, and mfspr/mtspr for every SPR the 750 implements.
 * Sources: MPC750 UM ch. 4 (exception vectors, priorities, per-exception register settings),
 * ch. 2 (SPR list, time base, decrementer). */
#include "core/cpu/ppc/ppc_cpu.h"

#include "core/log.h"

static vt_ppc_trap_kind trap_kind(unsigned vector) {
    switch (vector) {
    case PPC_EXC_SC:
        return VT_PPC_TRAP_SC;
    case PPC_EXC_PROGRAM:
        return VT_PPC_TRAP_PROGRAM;
    case PPC_EXC_DSI:
        return VT_PPC_TRAP_DSI;
    case PPC_EXC_ISI:
        return VT_PPC_TRAP_ISI;
    case PPC_EXC_ALIGN:
        return VT_PPC_TRAP_ALIGN;
    case PPC_EXC_FPU:
        return VT_PPC_TRAP_FP_UNAVAIL;
    default:
        return VT_PPC_TRAP_NONE;
    }
}

void vt_ppc_exception(vt_ppc_cpu *s, unsigned vector, uint32_t srr0, uint32_t srr1_bits) {
    s->exc_count++;
    /* Exceptions drop the reservation (the architecture allows losing it at any time; Linux
     * does the same on exception exit with a dummy stwcx.). */
    s->reserve = false;
    if (s->page_fn) {
        /* User mode: the owner handles it; the slice ends after this instruction. */
        vt_ppc_trap_kind k = trap_kind(vector);
        s->trap.kind = k;
        s->trap.code = k == VT_PPC_TRAP_DSI ? s->dsisr : srr1_bits;
        s->trap.addr = (k == VT_PPC_TRAP_DSI || k == VT_PPC_TRAP_ALIGN) ? s->dar : srr0;
        s->npc = srr0;
        s->cpu.stop_at = s->cpu.cycles;
        return;
    }
    if (vector == PPC_EXC_MCHECK && !(s->msr & MSR_ME)) {
        /* UM ch. 4: a machine check with MSR[ME]=0 puts the processor in checkstop. */
        vt_log(VT_LOG_CPU, "ppc: machine check with MSR[ME]=0 at %08x: checkstop", s->pc);
        s->checkstop = true;
        s->cpu.halted = true;
        s->cpu.stop_at = s->cpu.cycles;
        return;
    }
    if (vt_log_enabled(VT_LOG_CPU) && vector != PPC_EXC_SC && vector != PPC_EXC_DEC &&
        vector != PPC_EXC_EXTERNAL)
        vt_log(VT_LOG_CPU, "ppc: exception %04x at %08x srr1 bits %08x", vector, s->pc, srr1_bits);
    s->srr0 = srr0;
    s->srr1 = (s->msr & MSR_SRR1_MASK) | srr1_bits;
    /* UM ch. 4: every exception clears MSR except IP and ME (machine check also
     * clears ME); LE is loaded from ILE. */
    uint32_t msr = s->msr & (MSR_IP | MSR_ME | MSR_ILE);
    if (vector == PPC_EXC_MCHECK) msr &= ~MSR_ME;
    if (s->msr & MSR_ILE) msr |= MSR_LE;
    vt_ppc_set_msr(s, msr);
    s->npc = ((s->msr & MSR_IP) ? 0xfff00000u : 0) | vector;
    s->cpu.halted = false;
}

void vt_ppc_program(vt_ppc_cpu *s, uint32_t cause) {
    vt_ppc_exception(s, PPC_EXC_PROGRAM, s->pc, cause);
}

void vt_ppc_unimplemented(vt_ppc_cpu *s, uint32_t insn) {
    vt_log(VT_LOG_UNIMP, "unimplemented: ppc %08x at %08x", insn, s->pc);
    vt_ppc_program(s, VT_PPC_PROG_ILLEGAL);
}

void vt_ppc_set_msr(vt_ppc_cpu *s, uint32_t msr) {
    s->msr = msr & MSR_MASK;
    /* MSR[POW] with HID0 DOZE/NAP/SLEEP (bits 8, 9, 10) enters a power-saving mode: the core
     * waits for an interrupt (UM ch. 10). */
    if ((s->msr & MSR_POW) && (s->hid0 & 0x00e00000u)) s->cpu.halted = true;
}

/* --- time base and decrementer ------------------------------------------------------------ */

uint64_t vt_ppc_tb_ticks(const vt_ppc_cpu *s) {
    return (uint64_t)((unsigned __int128)s->cpu.cycles * s->tb_hz / s->cpu.clock.hz);
}

static uint64_t ticks_to_cycles_ceil(const vt_ppc_cpu *s, uint64_t ticks) {
    unsigned __int128 n = (unsigned __int128)ticks * s->cpu.clock.hz;
    unsigned __int128 c = (n + s->tb_hz - 1) / s->tb_hz;
    return c > UINT64_MAX ? UINT64_MAX : (uint64_t)c;
}

uint32_t vt_ppc_get_dec(const vt_ppc_cpu *s) {
    return s->dec_base - (uint32_t)(vt_ppc_tb_ticks(s) - s->dec_ticks);
}

/* The decrementer signals an exception when its bit 0 changes from 0 to 1 (UM ch. 2), which
 * from value v happens after v + 1 ticks and every 2^32 ticks after that. */
void vt_ppc_set_dec(vt_ppc_cpu *s, uint32_t v) {
    s->dec_base = v;
    s->dec_ticks = vt_ppc_tb_ticks(s);
    s->dec_due = ticks_to_cycles_ceil(s, s->dec_ticks + (uint64_t)v + 1);
}

static void dec_fired(vt_ppc_cpu *s) {
    s->pend |= PEND_DEC;
    uint64_t due_ticks = s->dec_ticks + (uint64_t)s->dec_base + 1;
    s->dec_base = 0xffffffffu;
    s->dec_ticks = due_ticks;
    s->dec_due = ticks_to_cycles_ceil(s, due_ticks + 0xffffffffull + 1);
}

bool vt_ppc_check_irq(vt_ppc_cpu *s) {
    if (s->cpu.cycles >= s->dec_due) dec_fired(s);
    /* UM ch. 4: soft reset, machine check, then SMI, external interrupt, decrementer,
     * performance monitor, thermal management. MCP is taken
     * only when HID0[EMCP] (bit 0) enables it. */
    if (s->pend & PEND_SRESET) { /* soft reset: not maskable; SRR0 = the next instruction */
        s->pend &= ~PEND_SRESET;
        vt_ppc_exception(s, PPC_EXC_RESET, s->pc, 0);
        return true;
    }
    if ((s->irq_lines & (1u << VT_PPC_IRQ_MCP)) && (s->hid0 & 0x80000000u)) {
        s->irq_lines &= ~(1u << VT_PPC_IRQ_MCP); /* an edge on the pin */
        s->pend &= ~(1u << VT_PPC_IRQ_MCP);
        vt_ppc_exception(s, PPC_EXC_MCHECK, s->pc, 0);
        return true;
    }
    if (!(s->msr & MSR_EE)) return false;
    if (s->irq_lines & (1u << VT_PPC_IRQ_SMI)) {
        vt_ppc_exception(s, PPC_EXC_SMI, s->pc, 0);
        return true;
    }
    if (s->irq_lines & (1u << VT_PPC_IRQ_INT)) {
        vt_ppc_exception(s, PPC_EXC_EXTERNAL, s->pc, 0);
        return true;
    }
    if (s->pend & PEND_DEC) {
        s->pend &= ~PEND_DEC;
        vt_ppc_exception(s, PPC_EXC_DEC, s->pc, 0);
        return true;
    }
    if (s->pend & PEND_PM) {
        s->pend &= ~PEND_PM;
        vt_ppc_exception(s, PPC_EXC_PERFMON, s->pc, 0);
        return true;
    }
    if (s->pend & PEND_THERMAL) {
        s->pend &= ~PEND_THERMAL;
        vt_ppc_exception(s, PPC_EXC_THERMAL, s->pc, 0);
        return true;
    }
    return false;
}

/* --- SPRs -------------------------------------------------------------------------------- */

int vt_ppc_mfspr(vt_ppc_cpu *s, unsigned spr, uint32_t *out) {
    uint64_t tb = s->tb_base + vt_ppc_tb_ticks(s);
    switch (spr) {
    case SPR_XER:
        *out = s->xer;
        return 0;
    case SPR_LR:
        *out = s->lr;
        return 0;
    case SPR_CTR:
        *out = s->ctr;
        return 0;
    case SPR_DSISR:
        *out = s->dsisr;
        return 0;
    case SPR_DAR:
        *out = s->dar;
        return 0;
    case SPR_DEC:
        *out = vt_ppc_get_dec(s);
        return 0;
    case SPR_SDR1:
        *out = s->sdr1;
        return 0;
    case SPR_SRR0:
        *out = s->srr0;
        return 0;
    case SPR_SRR1:
        *out = s->srr1;
        return 0;
    case SPR_TBL_R:
        *out = (uint32_t)tb;
        return 0;
    case SPR_TBU_R:
        *out = (uint32_t)(tb >> 32);
        return 0;
    case SPR_SPRG0:
    case SPR_SPRG0 + 1:
    case SPR_SPRG0 + 2:
    case SPR_SPRG0 + 3:
        *out = s->sprg[spr - SPR_SPRG0];
        return 0;
    case SPR_EAR:
        *out = s->ear;
        return 0;
    case SPR_PVR:
        *out = PPC750_PVR;
        return 0;
    case SPR_HID0:
        *out = s->hid0;
        return 0;
    case SPR_HID1:
        *out = s->hid1;
        return 0;
    case SPR_IABR:
        *out = s->iabr;
        return 0;
    case SPR_DABR:
        *out = s->dabr;
        return 0;
    case SPR_L2CR:
        *out = s->l2cr;
        return 0;
    case SPR_ICTC:
        *out = s->ictc;
        return 0;
    case SPR_THRM1:
    case SPR_THRM2:
    case SPR_THRM3:
        *out = s->thrm[spr - SPR_THRM1];
        return 0;
    case SPR_MMCR0:
    case SPR_UMMCR0:
        *out = s->mmcr0;
        return 0;
    case SPR_MMCR1:
    case SPR_UMMCR1:
        *out = s->mmcr1;
        return 0;
    case SPR_PMC1:
    case SPR_UPMC1:
        *out = s->pmc[0];
        return 0;
    case SPR_PMC2:
    case SPR_UPMC2:
        *out = s->pmc[1];
        return 0;
    case SPR_PMC3:
    case SPR_UPMC3:
        *out = s->pmc[2];
        return 0;
    case SPR_PMC4:
    case SPR_UPMC4:
        *out = s->pmc[3];
        return 0;
    case SPR_SIA:
    case SPR_USIA:
        *out = s->sia;
        return 0;
    default:
        if (spr >= SPR_IBAT0U && spr < SPR_IBAT0U + 8) {
            *out = s->ibat[spr - SPR_IBAT0U];
            return 0;
        }
        if (spr >= SPR_DBAT0U && spr < SPR_DBAT0U + 8) {
            *out = s->dbat[spr - SPR_DBAT0U];
            return 0;
        }
        return -1;
    }
}

int vt_ppc_mtspr(vt_ppc_cpu *s, unsigned spr, uint32_t v) {
    uint64_t ticks = vt_ppc_tb_ticks(s);
    uint64_t tb = s->tb_base + ticks;
    switch (spr) {
    case SPR_XER:
        s->xer = v & XER_MASK;
        return 0;
    case SPR_LR:
        s->lr = v;
        return 0;
    case SPR_CTR:
        s->ctr = v;
        return 0;
    case SPR_DSISR:
        s->dsisr = v;
        return 0;
    case SPR_DAR:
        s->dar = v;
        return 0;
    case SPR_DEC:
        vt_ppc_set_dec(s, v);
        return 0;
    case SPR_SDR1:
        s->sdr1 = v & 0xffff01ffu;
        vt_ppc_tlb_flush_all(s);
        return 0;
    case SPR_SRR0:
        s->srr0 = v;
        return 0;
    case SPR_SRR1:
        s->srr1 = v;
        return 0;
    case SPR_TBL_W:
        s->tb_base = ((tb & ~0xffffffffull) | v) - ticks;
        return 0;
    case SPR_TBU_W:
        s->tb_base = (((uint64_t)v << 32) | (tb & 0xffffffffu)) - ticks;
        return 0;
    case SPR_SPRG0:
    case SPR_SPRG0 + 1:
    case SPR_SPRG0 + 2:
    case SPR_SPRG0 + 3:
        s->sprg[spr - SPR_SPRG0] = v;
        return 0;
    case SPR_EAR:
        s->ear = v & 0x8000003fu;
        return 0;
    case SPR_PVR:
        return 0; /* read-only: the write is ignored */
    case SPR_HID0:
        s->hid0 = v;
        return 0;
    case SPR_HID1:
        return 0; /* PLL configuration, read-only (UM ch. 2) */
    case SPR_IABR:
        s->iabr = v;
        return 0;
    case SPR_DABR:
        s->dabr = v;
        return 0;
    case SPR_L2CR:
        /* L2I (bit 10) invalidation completes at once: L2IP (bit 31) never reads 1. */
        s->l2cr = v & ~1u;
        return 0;
    case SPR_ICTC:
        s->ictc = v;
        return 0;
    case SPR_THRM1:
    case SPR_THRM2:
    case SPR_THRM3:
        vt_ppc_thrm_write(s, spr - SPR_THRM1, v);
        return 0;
    case SPR_MMCR0:
        s->mmcr0 = v;
        vt_ppc_pm_update(s);
        return 0;
    case SPR_MMCR1:
        s->mmcr1 = v;
        vt_ppc_pm_update(s);
        return 0;
    case SPR_PMC1:
    case SPR_PMC2:
    case SPR_PMC3:
    case SPR_PMC4:
        s->pmc[spr == SPR_PMC3 || spr == SPR_PMC4 ? spr - SPR_PMC3 + 2 : spr - SPR_PMC1] = v;
        return 0;
    case SPR_SIA:
        s->sia = v;
        return 0;
    default:
        if (spr >= SPR_IBAT0U && spr < SPR_IBAT0U + 8) {
            s->ibat[spr - SPR_IBAT0U] = v;
            vt_ppc_tlb_flush_all(s);
            return 0;
        }
        if (spr >= SPR_DBAT0U && spr < SPR_DBAT0U + 8) {
            s->dbat[spr - SPR_DBAT0U] = v;
            vt_ppc_tlb_flush_all(s);
            return 0;
        }
        return -1;
    }
}
