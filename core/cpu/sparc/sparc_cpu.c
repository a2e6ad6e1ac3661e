/* SPARC V8 core lifecycle and trap model for the microSPARC-II (MB86904): reset, run() (the
 * loop itself is in sparc_exec.c), trap entry, register windows, interrupt lines 1..15,
 * register access for traces/tests, save/load and the model table.
 * Sources: SPARC Architecture Manual V8 ch. 7 (traps), ch. 4 (registers); MB86904 manual
 * (PSR impl/ver = 0/4, 8 windows, MMU control register boot-mode bit). */
#include "core/cpu/sparc/sparc_cpu.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/savestate.h"
#include "core/cpu/sparc/sparc.h"

/* Fills the per-CWP register pointer rows (outs/locals of window cwp, ins = outs of cwp+1). */
static void init_windows(vt_sparc_cpu *s) {
    for (unsigned cwp = 0; cwp < SPARC_NWINDOWS; cwp++) {
        uint32_t **rp = s->win_regs[cwp];
        uint32_t *w = &s->win[cwp * 16];
        uint32_t *ins = &s->win[((cwp + 1) % SPARC_NWINDOWS) * 16];
        rp[0] = &s->zero_sink;
        for (int i = 1; i < 8; i++)
            rp[i] = &s->g[i];
        for (int i = 0; i < 16; i++)
            rp[8 + i] = &w[i];
        for (int i = 0; i < 8; i++)
            rp[24 + i] = &ins[i];
    }
}

uint32_t vt_sparc_get_psr(const vt_sparc_cpu *s) {
    return s->psr | s->cwp;
}

void vt_sparc_put_psr(vt_sparc_cpu *s, uint32_t v) {
    /* impl/ver are read-only; EC reads 0 (no coprocessor); reserved bits read 0. */
    s->psr = SPARC_PSR_IMPL_VER | (v & (0x00f00000u | PSR_EF | 0xf00u | PSR_S | PSR_PS | PSR_ET));
    sparc_psr_written(s);
    vt_sparc_set_cwp(s, v & 31);
}

void vt_sparc_trap(vt_sparc_cpu *s, unsigned tt) {
    if (!(s->psr & PSR_ET)) {
        /* V8 7.3: a trap while ET=0 puts the processor in error mode; on sun4m the system
         * then sees a watchdog reset. The core stops executing. */
        vt_log(VT_LOG_CPU, "sparc: trap 0x%02x with traps disabled at pc %08x: error mode", tt,
               s->pc);
        s->error_mode = true;
        s->cpu.halted = true;
        return;
    }
    if (vt_log_enabled(VT_LOG_CPU) && tt < 0x80 && (tt < 0x10 || tt > 0x1f))
        vt_log(VT_LOG_CPU, "sparc: trap 0x%02x at pc %08x", tt, s->pc);
    uint32_t ps = (s->psr & PSR_S) ? PSR_PS : 0;
    s->psr = (s->psr & ~(PSR_ET | PSR_PS)) | ps | PSR_S;
    sparc_psr_written(s);
    vt_sparc_set_cwp(s, (s->cwp + SPARC_NWINDOWS - 1) % SPARC_NWINDOWS);
    sparc_set_reg(s, 17, s->pc);
    sparc_set_reg(s, 18, s->npc);
    s->tbr = (s->tbr & 0xfffff000u) | (tt & 0xff) << 4;
    s->pc = s->tbr;
    s->npc = s->pc + 4;
}

static vt_sparc_cpu *S(vt_cpu *c) {
    return (vt_sparc_cpu *)c;
}
static const vt_sparc_cpu *CS(const vt_cpu *c) {
    return (const vt_sparc_cpu *)c;
}

static void sparc_reset(vt_cpu *c) {
    vt_sparc_cpu *s = S(c);
    /* V8 7.6: reset enters supervisor mode with traps disabled at address 0. */
    s->psr = SPARC_PSR_IMPL_VER | PSR_S;
    sparc_psr_written(s);
    vt_sparc_set_cwp(s, 0);
    s->pc = 0;
    s->npc = 4;
    s->wim = 0;
    s->tbr = 0;
    s->fsr = FSR_VER_MB86904;
    s->error_mode = false;
    c->halted = false;
    /* MB86904: MMU disabled, boot mode on (instruction fetches come from the PROM). */
    s->mmu_cr = MMU_CR_IMPL_VER | MMU_CR_BM;
    s->mmu_ctpr = s->mmu_ctx = s->mmu_sfsr = s->mmu_sfar = 0;
    vt_sparc_mmu_flush(s);
}

static uint64_t sparc_run(vt_cpu *c, uint64_t budget) {
    vt_sparc_cpu *s = S(c);
    uint64_t start = c->cycles;
    c->stop_at = c->cycles + budget;
    if (s->error_mode)
        c->cycles = c->stop_at;
    else
        vt_sparc_run_loop(s);
    return c->cycles - start;
}

static void sparc_set_irq(vt_cpu *c, int line, bool level) {
    vt_sparc_cpu *s = S(c);
    if (line < 1 || line > 15) return;
    if (level)
        s->irq_lines |= 1u << line;
    else
        s->irq_lines &= ~(1u << line);
}

static void sparc_flush_tlb(vt_cpu *c) {
    vt_sparc_mmu_flush(S(c));
}

/* Register numbering: 0..31 r0..r31 of the current window, then control registers, then FPU. */
enum {
    REG_PC = 32,
    REG_NPC,
    REG_PSR,
    REG_WIM,
    REG_TBR,
    REG_Y,
    REG_FSR,
    REG_F0,
    REG_COUNT = REG_F0 + 32
};

static const char *sparc_reg_name(const vt_cpu *c, int n) {
    VT_UNUSED(c);
    static const char *const names[REG_COUNT] = {
        "g0",  "g1",  "g2",  "g3",  "g4",  "g5",  "g6",  "g7",  "o0",  "o1",  "o2",  "o3",
        "o4",  "o5",  "sp",  "o7",  "l0",  "l1",  "l2",  "l3",  "l4",  "l5",  "l6",  "l7",
        "i0",  "i1",  "i2",  "i3",  "i4",  "i5",  "fp",  "i7",  "pc",  "npc", "psr", "wim",
        "tbr", "y",   "fsr", "f0",  "f1",  "f2",  "f3",  "f4",  "f5",  "f6",  "f7",  "f8",
        "f9",  "f10", "f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20",
        "f21", "f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31"};
    return n >= 0 && n < REG_COUNT ? names[n] : NULL;
}

static uint64_t sparc_vt_get_reg(const vt_cpu *c, int n) {
    const vt_sparc_cpu *s = CS(c);
    if (n >= 0 && n < 32) return sparc_reg(s, (unsigned)n);
    switch (n) {
    case REG_PC:
        return s->pc;
    case REG_NPC:
        return s->npc;
    case REG_PSR:
        return vt_sparc_get_psr(s);
    case REG_WIM:
        return s->wim;
    case REG_TBR:
        return s->tbr;
    case REG_Y:
        return s->y;
    case REG_FSR:
        return s->fsr;
    default:
        return n >= REG_F0 && n < REG_COUNT ? s->f[n - REG_F0] : 0;
    }
}

static void sparc_vt_set_reg(vt_cpu *c, int n, uint64_t v) {
    vt_sparc_cpu *s = S(c);
    uint32_t v32 = (uint32_t)v;
    if (n >= 0 && n < 32) {
        sparc_set_reg(s, (unsigned)n, v32);
        return;
    }
    switch (n) {
    case REG_PC:
        s->pc = v32;
        break;
    case REG_NPC:
        s->npc = v32;
        break;
    case REG_PSR:
        vt_sparc_put_psr(s, v32);
        break;
    case REG_WIM:
        s->wim = v32 & 0xff;
        break;
    case REG_TBR:
        s->tbr = v32 & 0xfffffff0u;
        break;
    case REG_Y:
        s->y = v32;
        break;
    case REG_FSR:
        s->fsr = v32;
        break;
    default:
        if (n >= REG_F0 && n < REG_COUNT) s->f[n - REG_F0] = v32;
        break;
    }
}

static uint64_t sparc_get_pc(const vt_cpu *c) {
    return CS(c)->pc;
}

static void sparc_save(const vt_cpu *c, vt_state_writer *w) {
    const vt_sparc_cpu *s = CS(c);
    vt_state_begin(w, "SPRC", 1);
    vt_state_put_u64(w, c->cycles);
    vt_state_put_u64(w, c->insns);
    vt_state_put_u32(w, s->pc);
    vt_state_put_u32(w, s->npc);
    for (int i = 0; i < 8; i++)
        vt_state_put_u32(w, s->g[i]);
    for (size_t i = 0; i < VT_ARRAY_LEN(s->win); i++)
        vt_state_put_u32(w, s->win[i]);
    vt_state_put_u32(w, vt_sparc_get_psr(s));
    vt_state_put_u32(w, s->wim);
    vt_state_put_u32(w, s->tbr);
    vt_state_put_u32(w, s->y);
    for (int i = 0; i < 32; i++)
        vt_state_put_u32(w, s->f[i]);
    vt_state_put_u32(w, s->fsr);
    vt_state_put_u32(w, s->fq_addr);
    vt_state_put_u32(w, s->fq_insn);
    vt_state_put_u32(w, s->irq_lines);
    vt_state_put_u8(w, s->error_mode);
    vt_state_put_u32(w, s->mmu_cr);
    vt_state_put_u32(w, s->mmu_ctpr);
    vt_state_put_u32(w, s->mmu_ctx);
    vt_state_put_u32(w, s->mmu_sfsr);
    vt_state_put_u32(w, s->mmu_sfar);
    vt_state_end(w);
}

static int sparc_load(vt_cpu *c, vt_state_reader *r) {
    vt_sparc_cpu *s = S(c);
    uint32_t version;
    if (vt_state_open(r, "SPRC", 1, &version)) return -1;
    c->cycles = vt_state_get_u64(r);
    c->insns = vt_state_get_u64(r);
    s->pc = vt_state_get_u32(r);
    s->npc = vt_state_get_u32(r);
    for (int i = 0; i < 8; i++)
        s->g[i] = vt_state_get_u32(r);
    s->g[0] = 0;
    for (size_t i = 0; i < VT_ARRAY_LEN(s->win); i++)
        s->win[i] = vt_state_get_u32(r);
    uint32_t psr = vt_state_get_u32(r);
    if ((psr & 31) >= SPARC_NWINDOWS) vt_state_fail(r, "sparc: CWP %u out of range", psr & 31);
    vt_sparc_put_psr(s, psr & ~31u);
    vt_sparc_set_cwp(s, (psr & 31) % SPARC_NWINDOWS);
    s->wim = vt_state_get_u32(r) & 0xff;
    s->tbr = vt_state_get_u32(r) & 0xfffffff0u;
    s->y = vt_state_get_u32(r);
    for (int i = 0; i < 32; i++)
        s->f[i] = vt_state_get_u32(r);
    s->fsr = vt_state_get_u32(r);
    s->fq_addr = vt_state_get_u32(r);
    s->fq_insn = vt_state_get_u32(r);
    s->irq_lines = vt_state_get_u32(r) & 0xfffe;
    s->error_mode = vt_state_get_u8(r) != 0;
    s->mmu_cr = vt_state_get_u32(r);
    s->mmu_ctpr = vt_state_get_u32(r);
    s->mmu_ctx = vt_state_get_u32(r);
    s->mmu_sfsr = vt_state_get_u32(r);
    s->mmu_sfar = vt_state_get_u32(r);
    vt_sparc_mmu_flush(s);
    return vt_state_close(r);
}

static int sparc_disasm(vt_cpu *c, uint64_t pc, char *buf, size_t len) {
    uint32_t insn;
    if (!vt_sparc_peek(S(c), (uint32_t)pc, &insn)) return 0;
    vt_sparc_disasm_insn((uint32_t)pc, insn, buf, len);
    return 4;
}

static void sparc_destroy(vt_cpu *c) {
    free(c);
}

static const vt_cpu_ops sparc_ops = {
    .isa = "sparc",
    .reset = sparc_reset,
    .run = sparc_run,
    .set_irq = sparc_set_irq,
    .flush_tlb = sparc_flush_tlb,
    .nregs = REG_COUNT,
    .reg_name = sparc_reg_name,
    .get_reg = sparc_vt_get_reg,
    .set_reg = sparc_vt_set_reg,
    .get_pc = sparc_get_pc,
    .save = sparc_save,
    .load = sparc_load,
    .disasm = sparc_disasm,
    .destroy = sparc_destroy,
};

static vt_cpu *microsparc2_create(const vt_cpu_config *cfg, vt_error *err) {
    vt_sparc_cpu *s = calloc(1, sizeof *s);
    if (!s) {
        vt_fail(err, "out of memory");
        return NULL;
    }
    s->cpu.ops = &sparc_ops;
    s->cpu.model = "microsparc2";
    s->cpu.clock.hz = cfg->hz ? cfg->hz : 110000000;
    s->cpu.bus = cfg->bus;
    s->cpu.env = cfg->env;
    s->prom_base = 0xff0000000ull; /* sun4m: PROM at physical 0xf_f000_0000 */
    init_windows(s);
    sparc_reset(&s->cpu);
    return &s->cpu;
}

const vt_cpu_model vt_cpu_microsparc2 = {
    .name = "microsparc2",
    .description = "Fujitsu MB86904 microSPARC-II (SPARC V8, SRMMU, FPU)",
    .create = microsparc2_create,
};

int vt_sparc_set_boot_prom(vt_cpu *cpu, uint64_t base) {
    if (!cpu || cpu->ops != &sparc_ops) return -1;
    S(cpu)->prom_base = base;
    vt_sparc_mmu_flush(S(cpu));
    return 0;
}
