/* PowerPC 750 core lifecycle: creation, hard reset (MSR[IP]=1, fetch from 0xfff00100),
 * run(), interrupt pins, register access by number, save/load, the user-mode switch and the
 * model table entry `ppc750`.
 * Sources: MPC750 UM ch. 2 (register reset values: MSR[IP] set after hard reset),
 * ch. 4 (system reset vector), ch. 2 (PVR). */
#include "core/cpu/ppc/ppc_cpu.h"

#include <stdlib.h>

#include "core/savestate.h"

static void ppc_reset(vt_cpu *c) {
    vt_ppc_cpu *s = ppc_of(c);
    memset(s->gpr, 0, sizeof s->gpr);
    memset(s->fpr, 0, sizeof s->fpr);
    s->cr = s->xer = s->lr = s->ctr = s->fpscr = 0;
    s->srr0 = s->srr1 = s->dar = s->dsisr = s->sdr1 = s->ear = s->dabr = s->iabr = 0;
    memset(s->sprg, 0, sizeof s->sprg);
    memset(s->sr, 0, sizeof s->sr);
    memset(s->ibat, 0, sizeof s->ibat);
    memset(s->dbat, 0, sizeof s->dbat);
    s->hid0 = s->hid1 = s->l2cr = s->ictc = s->mmcr0 = s->mmcr1 = s->sia = 0;
    memset(s->thrm, 0, sizeof s->thrm);
    memset(s->pmc, 0, sizeof s->pmc);
    s->reserve = false;
    s->checkstop = false;
    s->pend = s->irq_lines & PEND_PINS; /* the pins keep their levels */
    vt_ppc_pm_update(s);
    s->tb_base = -vt_ppc_tb_ticks(s); /* TB reads 0 at reset */
    vt_ppc_set_dec(s, 0xffffffffu);
    c->halted = false;
    vt_ppc_tlb_flush_all(s);
    s->trap = (vt_ppc_trap){0};
    if (s->page_fn) {
        s->msr = MSR_PR | MSR_FP | MSR_ME | MSR_FE0 | MSR_FE1 | MSR_IR | MSR_DR;
        s->pc = 0;
    } else {
        /* Hard reset: MSR[IP] set, translation off, fetch at the system reset vector. */
        s->msr = MSR_IP;
        s->pc = 0xfff00100u;
    }
    s->npc = s->pc + 4;
}

static uint64_t ppc_run(vt_cpu *c, uint64_t budget) {
    vt_ppc_cpu *s = ppc_of(c);
    uint64_t start = c->cycles;
    c->stop_at = c->cycles + budget;
    if (s->checkstop)
        c->cycles = c->stop_at;
    else
        vt_ppc_run_loop(s);
    return c->cycles - start;
}

static void ppc_set_irq(vt_cpu *c, int line, bool level) {
    vt_ppc_cpu *s = ppc_of(c);
    if (line < 0 || line > VT_PPC_IRQ_SRESET) return;
    if (line == VT_PPC_IRQ_SRESET && level && !(s->irq_lines & (1u << line)))
        s->pend |= PEND_SRESET;
    if (level)
        s->irq_lines |= 1u << line;
    else
        s->irq_lines &= ~(1u << line);
    s->pend = (s->pend & ~PEND_PINS) | (s->irq_lines & PEND_PINS);
}

/* Register numbers from VT_PPC_SPRG0 on: supervisor SPRs, read and written through the same
 * code as mfspr/mtspr. */
static const struct {
    const char *name;
    unsigned spr;
} spr_regs[VT_PPC_NREGS - VT_PPC_SPRG0] = {
    {"sprg0", SPR_SPRG0},       {"sprg1", SPR_SPRG0 + 1},   {"sprg2", SPR_SPRG0 + 2},
    {"sprg3", SPR_SPRG0 + 3},   {"hid0", SPR_HID0},         {"hid1", SPR_HID1},
    {"pvr", SPR_PVR},           {"ear", SPR_EAR},           {"iabr", SPR_IABR},
    {"dabr", SPR_DABR},         {"l2cr", SPR_L2CR},         {"ibat0u", SPR_IBAT0U},
    {"ibat0l", SPR_IBAT0U + 1}, {"ibat1u", SPR_IBAT0U + 2}, {"ibat1l", SPR_IBAT0U + 3},
    {"ibat2u", SPR_IBAT0U + 4}, {"ibat2l", SPR_IBAT0U + 5}, {"ibat3u", SPR_IBAT0U + 6},
    {"ibat3l", SPR_IBAT0U + 7}, {"dbat0u", SPR_DBAT0U},     {"dbat0l", SPR_DBAT0U + 1},
    {"dbat1u", SPR_DBAT0U + 2}, {"dbat1l", SPR_DBAT0U + 3}, {"dbat2u", SPR_DBAT0U + 4},
    {"dbat2l", SPR_DBAT0U + 5}, {"dbat3u", SPR_DBAT0U + 6}, {"dbat3l", SPR_DBAT0U + 7},
};

static const char *ppc_reg_name(const vt_cpu *c, int n) {
    VT_UNUSED(c);
    static const char *const gpr[32] = {"r0",  "r1",  "r2",  "r3",  "r4",  "r5",  "r6",  "r7",
                                        "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15",
                                        "r16", "r17", "r18", "r19", "r20", "r21", "r22", "r23",
                                        "r24", "r25", "r26", "r27", "r28", "r29", "r30", "r31"};
    static const char *const fpr[32] = {"f0",  "f1",  "f2",  "f3",  "f4",  "f5",  "f6",  "f7",
                                        "f8",  "f9",  "f10", "f11", "f12", "f13", "f14", "f15",
                                        "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23",
                                        "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31"};
    static const char *const other[] = {"pc",    "msr",   "cr",   "lr",   "ctr",
                                        "xer",   "fpscr", "srr0", "srr1", "dar",
                                        "dsisr", "dec",   "tbl",  "tbu",  "sdr1"};
    static const char *const sr[16] = {"sr0",  "sr1",  "sr2",  "sr3", "sr4",  "sr5",
                                       "sr6",  "sr7",  "sr8",  "sr9", "sr10", "sr11",
                                       "sr12", "sr13", "sr14", "sr15"};
    if (n < 0 || n >= VT_PPC_NREGS) return NULL;
    if (n < 32) return gpr[n];
    if (n < 64) return fpr[n - 32];
    if (n < VT_PPC_SR0) return other[n - VT_PPC_PC];
    if (n < VT_PPC_SPRG0) return sr[n - VT_PPC_SR0];
    return spr_regs[n - VT_PPC_SPRG0].name;
}

static uint64_t ppc_get_reg(const vt_cpu *c, int n) {
    vt_ppc_cpu *s = ppc_of((vt_cpu *)c);
    uint64_t tb = s->tb_base + vt_ppc_tb_ticks(s);
    if (n >= 0 && n < 32) return s->gpr[n];
    if (n >= 32 && n < 64) return s->fpr[n - 32];
    if (n >= VT_PPC_SR0 && n < VT_PPC_SPRG0) return s->sr[n - VT_PPC_SR0];
    if (n >= VT_PPC_SPRG0 && n < VT_PPC_NREGS) {
        uint32_t v = 0;
        return vt_ppc_mfspr(s, spr_regs[n - VT_PPC_SPRG0].spr, &v) ? 0 : v;
    }
    switch (n) {
    case VT_PPC_PC:
        return s->pc;
    case VT_PPC_MSR:
        return s->msr;
    case VT_PPC_CR:
        return s->cr;
    case VT_PPC_LR:
        return s->lr;
    case VT_PPC_CTR:
        return s->ctr;
    case VT_PPC_XER:
        return s->xer;
    case VT_PPC_FPSCR:
        return s->fpscr;
    case VT_PPC_SRR0:
        return s->srr0;
    case VT_PPC_SRR1:
        return s->srr1;
    case VT_PPC_DAR:
        return s->dar;
    case VT_PPC_DSISR:
        return s->dsisr;
    case VT_PPC_DEC:
        return vt_ppc_get_dec(s);
    case VT_PPC_TBL:
        return (uint32_t)tb;
    case VT_PPC_TBU:
        return (uint32_t)(tb >> 32);
    case VT_PPC_SDR1:
        return s->sdr1;
    default:
        return 0;
    }
}

static void ppc_set_reg(vt_cpu *c, int n, uint64_t v) {
    vt_ppc_cpu *s = ppc_of(c);
    uint32_t v32 = (uint32_t)v;
    if (n >= 0 && n < 32) {
        s->gpr[n] = v32;
        return;
    }
    if (n >= 32 && n < 64) {
        s->fpr[n - 32] = v;
        return;
    }
    if (n >= VT_PPC_SR0 && n < VT_PPC_SPRG0) {
        s->sr[n - VT_PPC_SR0] = v32;
        vt_ppc_tlb_flush_all(s);
        return;
    }
    if (n >= VT_PPC_SPRG0 && n < VT_PPC_NREGS) {
        int unwritable = vt_ppc_mtspr(s, spr_regs[n - VT_PPC_SPRG0].spr, v32);
        VT_UNUSED(unwritable); /* every listed SPR is implemented */
        return;
    }
    int unused = 0;
    switch (n) {
    case VT_PPC_PC:
        s->pc = v32 & ~3u;
        s->npc = s->pc + 4;
        break;
    case VT_PPC_MSR:
        vt_ppc_set_msr(s, v32);
        break;
    case VT_PPC_CR:
        s->cr = v32;
        break;
    case VT_PPC_LR:
        s->lr = v32;
        break;
    case VT_PPC_CTR:
        s->ctr = v32;
        break;
    case VT_PPC_XER:
        s->xer = v32 & XER_MASK;
        break;
    case VT_PPC_FPSCR:
        s->fpscr = v32;
        break;
    case VT_PPC_SRR0:
        s->srr0 = v32;
        break;
    case VT_PPC_SRR1:
        s->srr1 = v32;
        break;
    case VT_PPC_DAR:
        s->dar = v32;
        break;
    case VT_PPC_DSISR:
        s->dsisr = v32;
        break;
    case VT_PPC_DEC:
        vt_ppc_set_dec(s, v32);
        break;
    case VT_PPC_TBL:
        unused = vt_ppc_mtspr(s, SPR_TBL_W, v32);
        break;
    case VT_PPC_TBU:
        unused = vt_ppc_mtspr(s, SPR_TBU_W, v32);
        break;
    case VT_PPC_SDR1:
        unused = vt_ppc_mtspr(s, SPR_SDR1, v32);
        break;
    default:
        break;
    }
    VT_UNUSED(unused);
}

static uint64_t ppc_get_pc(const vt_cpu *c) {
    return ((const vt_ppc_cpu *)c)->pc;
}

/* Save-state chunk "PPC7" version 1: every architected register, the decrementer as its
 * current value, the time base as its current value, and the pins. */
static void ppc_save(const vt_cpu *c, vt_state_writer *w) {
    vt_ppc_cpu *s = ppc_of((vt_cpu *)c);
    vt_state_begin(w, "PPC7", 1);
    vt_state_put_u64(w, c->cycles);
    vt_state_put_u64(w, c->insns);
    vt_state_put_u32(w, s->pc);
    for (int i = 0; i < 32; i++)
        vt_state_put_u32(w, s->gpr[i]);
    for (int i = 0; i < 32; i++)
        vt_state_put_u64(w, s->fpr[i]);
    const uint32_t regs[] = {s->cr,    s->xer,   s->lr,   s->ctr,          s->fpscr,    s->msr,
                             s->srr0,  s->srr1,  s->dar,  s->dsisr,        s->sdr1,     s->ear,
                             s->dabr,  s->iabr,  s->hid0, s->hid1,         s->l2cr,     s->ictc,
                             s->mmcr0, s->mmcr1, s->sia,  s->reserve_addr, s->irq_lines};
    for (size_t i = 0; i < VT_ARRAY_LEN(regs); i++)
        vt_state_put_u32(w, regs[i]);
    for (int i = 0; i < 4; i++)
        vt_state_put_u32(w, s->sprg[i]);
    for (int i = 0; i < 16; i++)
        vt_state_put_u32(w, s->sr[i]);
    for (int i = 0; i < 8; i++)
        vt_state_put_u32(w, s->ibat[i]);
    for (int i = 0; i < 8; i++)
        vt_state_put_u32(w, s->dbat[i]);
    for (int i = 0; i < 3; i++)
        vt_state_put_u32(w, s->thrm[i]);
    for (int i = 0; i < 4; i++)
        vt_state_put_u32(w, s->pmc[i]);
    vt_state_put_u64(w, s->tb_hz);
    vt_state_put_u64(w, s->tb_base + vt_ppc_tb_ticks(s));
    vt_state_put_u32(w, vt_ppc_get_dec(s));
    vt_state_put_u8(w, (uint8_t)(s->reserve | !!(s->pend & PEND_DEC) << 1 | s->checkstop << 2 |
                                 c->halted << 3 | !!(s->pend & PEND_PM) << 4 |
                                 !!(s->pend & PEND_THERMAL) << 5 | !!(s->pend & PEND_SRESET) << 6));
    vt_state_end(w);
}

static int ppc_load_state(vt_cpu *c, vt_state_reader *r) {
    vt_ppc_cpu *s = ppc_of(c);
    uint32_t version;
    if (vt_state_open(r, "PPC7", 1, &version)) return -1;
    c->cycles = vt_state_get_u64(r);
    c->insns = vt_state_get_u64(r);
    s->pc = vt_state_get_u32(r) & ~3u;
    s->npc = s->pc + 4;
    for (int i = 0; i < 32; i++)
        s->gpr[i] = vt_state_get_u32(r);
    for (int i = 0; i < 32; i++)
        s->fpr[i] = vt_state_get_u64(r);
    uint32_t *const regs[] = {&s->cr,   &s->xer,          &s->lr,       &s->ctr,   &s->fpscr,
                              &s->msr,  &s->srr0,         &s->srr1,     &s->dar,   &s->dsisr,
                              &s->sdr1, &s->ear,          &s->dabr,     &s->iabr,  &s->hid0,
                              &s->hid1, &s->l2cr,         &s->ictc,     &s->mmcr0, &s->mmcr1,
                              &s->sia,  &s->reserve_addr, &s->irq_lines};
    for (size_t i = 0; i < VT_ARRAY_LEN(regs); i++)
        *regs[i] = vt_state_get_u32(r);
    s->msr &= MSR_MASK;
    s->xer &= XER_MASK;
    s->irq_lines &= 15;
    for (int i = 0; i < 4; i++)
        s->sprg[i] = vt_state_get_u32(r);
    for (int i = 0; i < 16; i++)
        s->sr[i] = vt_state_get_u32(r);
    for (int i = 0; i < 8; i++)
        s->ibat[i] = vt_state_get_u32(r);
    for (int i = 0; i < 8; i++)
        s->dbat[i] = vt_state_get_u32(r);
    for (int i = 0; i < 3; i++)
        s->thrm[i] = vt_state_get_u32(r);
    for (int i = 0; i < 4; i++)
        s->pmc[i] = vt_state_get_u32(r);
    uint64_t tb_hz = vt_state_get_u64(r);
    uint64_t tb = vt_state_get_u64(r);
    uint32_t dec = vt_state_get_u32(r);
    uint8_t flags = vt_state_get_u8(r);
    if (!tb_hz) vt_state_fail(r, "ppc: time base frequency 0");
    if (!vt_state_ok(r)) return vt_state_close(r);
    s->tb_hz = tb_hz;
    s->tb_base = tb - vt_ppc_tb_ticks(s);
    vt_ppc_set_dec(s, dec);
    s->reserve = flags & 1;

    s->checkstop = flags & 4;
    c->halted = flags & 8;
    s->pend = (s->irq_lines & PEND_PINS) | ((flags & 2) ? PEND_DEC : 0) |
              ((flags & 16) ? PEND_PM : 0) | ((flags & 32) ? PEND_THERMAL : 0) |
              ((flags & 64) ? PEND_SRESET : 0);
    vt_ppc_pm_update(s);
    vt_ppc_tlb_flush_all(s);
    return vt_state_close(r);
}

static int ppc_disasm(vt_cpu *c, uint64_t pc, char *buf, size_t len) {
    uint32_t insn;
    if (!vt_ppc_peek(ppc_of(c), (uint32_t)pc, &insn)) return 0;
    vt_ppc_disasm_insn((uint32_t)pc, insn, buf, len);
    return 4;
}

static void ppc_destroy(vt_cpu *c) {
    free(c);
}

static const vt_cpu_ops ppc_ops = {
    .isa = "ppc",
    .reset = ppc_reset,
    .run = ppc_run,
    .set_irq = ppc_set_irq,
    .flush_tlb = vt_ppc_flush_tlb, /* the machine calls it on every bus remap (PCI BARs) */
    .nregs = VT_PPC_NREGS,
    .reg_name = ppc_reg_name,
    .get_reg = ppc_get_reg,
    .set_reg = ppc_set_reg,
    .get_pc = ppc_get_pc,
    .save = ppc_save,
    .load = ppc_load_state,
    .disasm = ppc_disasm,
    .destroy = ppc_destroy,
};

static vt_cpu *ppc750_create(const vt_cpu_config *cfg, vt_error *err) {
    vt_ppc_cpu *s = calloc(1, sizeof *s);
    if (!s) {
        vt_fail(err, "out of memory");
        return NULL;
    }
    s->cpu.ops = &ppc_ops;
    s->cpu.model = "ppc750";
    s->cpu.clock.hz = cfg->hz ? cfg->hz : 266000000;
    s->cpu.bus = cfg->bus;
    s->cpu.env = cfg->env;
    s->tb_hz = s->cpu.clock.hz >= 16 ? s->cpu.clock.hz / 16 : 1;
    ppc_reset(&s->cpu);
    return &s->cpu;
}

const vt_cpu_model vt_cpu_ppc750 = {
    .name = "ppc750",
    .description = "Motorola/IBM PowerPC 750 (G3): 32-bit PowerPC, FPU, BAT + hashed page MMU",
    .create = ppc750_create,
};

static vt_ppc_cpu *as_ppc(vt_cpu *cpu) {
    return cpu && cpu->ops == &ppc_ops ? ppc_of(cpu) : NULL;
}

int vt_ppc_set_timebase_hz(vt_cpu *cpu, uint64_t hz) {
    vt_ppc_cpu *s = as_ppc(cpu);
    if (!s || !hz) return -1;
    uint64_t tb = s->tb_base + vt_ppc_tb_ticks(s);
    uint32_t dec = vt_ppc_get_dec(s);
    s->tb_hz = hz;
    s->tb_base = tb - vt_ppc_tb_ticks(s);
    vt_ppc_set_dec(s, dec);
    return 0;
}

void vt_ppc_set_user_mode(vt_cpu *cpu, vt_ppc_page_fn page_fn, void *opaque) {
    vt_ppc_cpu *s = as_ppc(cpu);
    if (!s) return;
    s->page_fn = page_fn;
    s->page_opaque = opaque;
    ppc_reset(cpu);
}

vt_ppc_trap vt_ppc_take_trap(vt_cpu *cpu) {
    vt_ppc_cpu *s = as_ppc(cpu);
    vt_ppc_trap t = {0};
    if (!s) return t;
    t = s->trap;
    s->trap = (vt_ppc_trap){0};
    return t;
}

void vt_ppc_flush_tlb(vt_cpu *cpu) {
    vt_ppc_cpu *s = as_ppc(cpu);
    if (s) vt_ppc_tlb_flush_all(s);
}
