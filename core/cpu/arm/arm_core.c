/* ARM core: the fetch/decode/execute loop, processor modes with banked registers, CPSR
 * packing, exception entry (ARM ARM DDI 0100I A2.6), interrupts, the vt_cpu vtable and
 * save states. Models and their cycle tables live in arm_models.c. */
#include <stdio.h>
#include <stdlib.h>

#include "core/cpu/arm/arm_exec.h"
#include "core/cpu/arm/arm_mmu.h"
#include "core/log.h"
#include "core/savestate.h"

static int bank_of(unsigned mode) {
    switch (mode) {
    case VT_ARM_MODE_FIQ:
        return 1;
    case VT_ARM_MODE_IRQ:
        return 2;
    case VT_ARM_MODE_SVC:
        return 3;
    case VT_ARM_MODE_ABT:
        return 4;
    case VT_ARM_MODE_UND:
        return 5;
    default:
        return 0;
    }
}

void vt_arm_switch_mode(vt_arm_cpu *c, unsigned mode) {
    unsigned old = c->cpsr_ctl & 0x1f;
    int ob = bank_of(old), nb = bank_of(mode);
    vt_arm_forget_code_page(c); /* the owner may map pages differently per privilege */
    c->cpsr_ctl = (c->cpsr_ctl & ~0x1fu) | (mode & 0x1f);
    /* the software TLB may hold pages filled with privileged permissions */
    if (mode == VT_ARM_MODE_USR && c->cp15.fast_tlb_priv) vt_arm_fast_tlb_flush(c);
    if (ob == nb) return;
    c->bank_r13[ob] = c->r[13];
    c->bank_r14[ob] = c->r[14];
    c->bank_spsr[ob] = c->spsr;
    if (ob == 1) {
        memcpy(c->fiq_r8_12, &c->r[8], sizeof c->fiq_r8_12);
        memcpy(&c->r[8], c->usr_r8_12, sizeof c->usr_r8_12);
    } else if (nb == 1) {
        memcpy(c->usr_r8_12, &c->r[8], sizeof c->usr_r8_12);
        memcpy(&c->r[8], c->fiq_r8_12, sizeof c->fiq_r8_12);
    }
    c->r[13] = c->bank_r13[nb];
    c->r[14] = c->bank_r14[nb];
    c->spsr = c->bank_spsr[nb];
}

uint32_t vt_arm_get_cpsr(const vt_arm_cpu *c) {
    return c->n << 31 | c->z << 30 | c->c << 29 | c->v << 28 | c->q << 27 | c->ge << 16 |
           (c->cpsr_ctl & ~0x20u) | (uint32_t)c->thumb << 5;
}

void vt_arm_set_cpsr(vt_arm_cpu *c, uint32_t v) {
    c->n = v >> 31;
    c->z = (v >> 30) & 1;
    c->c = (v >> 29) & 1;
    c->v = (v >> 28) & 1;
    c->q = (v >> 27) & 1;
    c->ge = (v >> 16) & 15;
    if ((v & 0x1f) != (c->cpsr_ctl & 0x1f)) vt_arm_switch_mode(c, v & 0x1f);
    c->cpsr_ctl = v & 0x3ff;
    c->thumb = (v >> 5) & 1;
    vt_arm_forget_code_page(c); /* the T bit may have changed */
}

void vt_arm_branch(vt_arm_cpu *c, uint32_t target, bool interwork) {
    if (interwork && c->thumb != (target & 1)) {
        c->thumb = target & 1;
        vt_arm_forget_code_page(c); /* the cached page serves ARM state only */
    }
    c->next_pc = target & (c->thumb ? ~1u : ~3u);
}

void vt_arm_take_exception(vt_arm_cpu *c, vt_arm_exception e, uint32_t return_addr) {
    static const uint8_t mode[9] = {VT_ARM_MODE_SVC, VT_ARM_MODE_UND, VT_ARM_MODE_SVC,
                                    VT_ARM_MODE_ABT, VT_ARM_MODE_ABT, 0,
                                    VT_ARM_MODE_IRQ, VT_ARM_MODE_FIQ, VT_ARM_MODE_ABT};
    uint32_t old = vt_arm_get_cpsr(c);
    vt_arm_switch_mode(c, mode[e]);
    c->spsr = old;
    c->r[14] = return_addr;
    c->cpsr_ctl |= 0x80; /* I */
    if (e == VT_ARM_EXC_FIQ || e == VT_ARM_EXC_RESET) c->cpsr_ctl |= 0x40;
    if (c->features & VT_ARM_F_V6 && e != VT_ARM_EXC_UNDEF && e != VT_ARM_EXC_SWI)
        c->cpsr_ctl |= 0x100; /* A */
    c->thumb = false;
    c->next_pc = c->vector_base + 4 * (e == VT_ARM_EXC_BKPT ? 3u : (unsigned)e);
    vt_log(VT_LOG_CPU, "arm: exception %d from %08x to %08x", e, c->cur_pc, c->next_pc);
}

void vt_arm_raise(vt_arm_cpu *c, vt_arm_exception e, uint32_t addr) {
    /* SWI/BKPT charge their entry themselves; faults and UNDEF cost the same entry time */
    if (e != VT_ARM_EXC_SWI && e != VT_ARM_EXC_BKPT) c->base.cycles += c->t.swi_exc;
    if (!(c->hooks.exception && c->hooks.exception(c->base.env, c, e, addr))) {
        uint32_t len = c->thumb ? 2 : 4, ret;
        switch (e) {
        case VT_ARM_EXC_UNDEF:
        case VT_ARM_EXC_SWI:
            ret = c->cur_pc + len;
            break;
        case VT_ARM_EXC_DABT:
            ret = c->cur_pc + 8;
            break;
        default:
            ret = c->cur_pc + 4;
            break;
        }
        vt_arm_take_exception(c, e, ret);
    }
    longjmp(c->abort_jmp, 1);
}

void vt_arm_abort(vt_cpu *cpu, bool fetch, uint32_t addr) {
    vt_arm_raise((vt_arm_cpu *)cpu, fetch ? VT_ARM_EXC_PABT : VT_ARM_EXC_DABT, addr);
}

void vt_arm_set_hooks(vt_cpu *cpu, const vt_arm_hooks *hooks) {
    ((vt_arm_cpu *)cpu)->hooks = *hooks;
}

vt_tlb *vt_arm_tlb(vt_cpu *cpu) {
    return &((vt_arm_cpu *)cpu)->tlb;
}

bool vt_arm_get_vfp(const vt_cpu *cpu, vt_arm_vfp_regs *out) {
    const vt_arm_cpu *c = (const vt_arm_cpu *)cpu;
    if (!(c->features & VT_ARM_F_VFP)) return false;
    for (int i = 0; i < 16; i++)
        out->d[i] = c->vfp.s[2 * i] | (uint64_t)c->vfp.s[2 * i + 1] << 32;
    out->fpscr = c->vfp.fpscr;
    out->fpexc = c->vfp.fpexc;
    out->fpinst = c->vfp.fpinst;
    out->fpinst2 = c->vfp.fpinst2;
    return true;
}

void vt_arm_set_vfp(vt_cpu *cpu, const vt_arm_vfp_regs *in) {
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    if (!(c->features & VT_ARM_F_VFP)) return;
    for (int i = 0; i < 16; i++) {
        c->vfp.s[2 * i] = (uint32_t)in->d[i];
        c->vfp.s[2 * i + 1] = (uint32_t)(in->d[i] >> 32);
    }
    c->vfp.fpscr = in->fpscr & VT_FPSCR_WRITABLE;
    c->vfp.fpexc = in->fpexc & VT_FPEXC_EN;
    c->vfp.fpinst = in->fpinst;
    c->vfp.fpinst2 = in->fpinst2;
}

uint32_t vt_arm_insn_pc(const vt_cpu *cpu) {
    return ((const vt_arm_cpu *)cpu)->cur_pc;
}

uint32_t vt_arm_resume_pc(const vt_cpu *cpu) {
    return ((const vt_arm_cpu *)cpu)->next_pc;
}

void vt_arm_set_resume_pc(vt_cpu *cpu, uint32_t pc, bool interwork) {
    vt_arm_cpu *c = (vt_arm_cpu *)cpu;
    vt_arm_branch(c, pc, interwork);
    c->r[15] = c->next_pc; /* the PC run() starts from when set between slices */
}

void vt_arm_undefined(vt_arm_cpu *c, uint32_t insn) {
    vt_log(VT_LOG_UNIMP, "unimplemented: arm %0*x at %08x", c->thumb ? 4 : 8, insn, c->cur_pc);
    vt_arm_raise(c, VT_ARM_EXC_UNDEF, c->cur_pc);
}

static void check_interrupts(vt_arm_cpu *c) {
    uint32_t ret = c->r[15] + 4; /* r[15] = next instruction; LR = that + 4 */
    c->cur_pc = c->r[15];
    if (c->lines & VT_ARM_LINE_FIQ && !(c->cpsr_ctl & 0x40))
        vt_arm_take_exception(c, VT_ARM_EXC_FIQ, ret);
    else if (c->lines & VT_ARM_LINE_IRQ && !(c->cpsr_ctl & 0x80))
        vt_arm_take_exception(c, VT_ARM_EXC_IRQ, ret);
    else
        return;
    c->base.halted = false;
    c->r[15] = c->next_pc;
}

/* One fetched ARM-state instruction: condition (A3.2), then the cached handler. */
static inline __attribute__((always_inline)) void arm_step(vt_arm_cpu *c, uint32_t pc,
                                                           uint32_t insn) {
    c->r[15] = pc + 8;
    c->next_pc = pc + 4;
    unsigned cond = insn >> 28;
    if (cond == 0xE || arm_cond(c, cond))
        vt_arm_decode(c, pc, insn)(c, insn);
    else
        c->base.cycles += c->t.dp;
}

/* Every step but an ARM instruction on the cached code page: interrupt lines, Thumb state,
 * a new code page. The page is cached only in ARM state with no line asserted (set_irq,
 * interworking branches and CPSR writes forget it), so the hot path needs one test. */
static inline void step_slow(vt_arm_cpu *c) {
    if (c->lines) check_interrupts(c);
    uint32_t pc = c->r[15];
    c->cur_pc = pc;
    if (c->thumb) {
        uint32_t insn = vt_arm_fetch16(c, pc);
        c->r[15] = pc + 4;
        c->next_pc = pc + 2;
        vt_thumb_decode(c, insn)->fn(c, insn);
        return;
    }
    uint32_t insn = vt_arm_fetch_slow(c, pc);
    if (c->lines) vt_arm_forget_code_page(c);
    arm_step(c, pc, insn);
}

void vt_arm_interp_step(vt_arm_cpu *c) {
    step_slow(c);
    c->r[15] = c->next_pc;
    c->base.insns++;
}

/* The hot loop; returns once cycles reach stop_at (owners lower stop_at to end a slice
 * early). Exceptions unwind here via longjmp in arm_run, which then calls this again. */
static __attribute__((noinline)) void run_loop(vt_arm_cpu *c) {
    vt_cpu *b = &c->base;
    vt_arm_forget_code_page(c); /* the owner ran (between slices, or in a hook) */
    while (b->cycles < b->stop_at) {
        uint32_t pc = c->r[15];
        if (__builtin_expect(pc >> VT_TLB_PAGE_BITS == c->code_vpn, 1)) {
            c->cur_pc = pc;
            arm_step(c, pc, load_le32(c->code_host + (pc & VT_TLB_PAGE_MASK)));
        } else {
            step_slow(c);
        }
        c->r[15] = c->next_pc;
        b->insns++;
    }
}

static uint64_t arm_run(vt_cpu *base, uint64_t budget) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    uint64_t start = base->cycles;
    base->stop_at = start + budget;
    /* an asserted line ends a wait for interrupt even when the CPSR masks it (ARM1136 TRM
     * 3.3.11; Linux idles with interrupts masked); until then the whole slice passes idle */
    if (base->halted && c->lines) base->halted = false;
    if (base->halted) {
        base->cycles = base->stop_at;
        return budget;
    }
    if (setjmp(c->abort_jmp)) {
        /* an exception ended the instruction: continue where it (or the owner) decided */
        c->r[15] = c->next_pc;
        base->insns++;
    }
    if (c->jit_hooks)
        c->jit_hooks->run(c);
    else
        run_loop(c);
    return base->cycles - start;
}

static void arm_reset(vt_cpu *base) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    memset(c->r, 0, sizeof c->r);
    c->n = c->z = c->c = c->v = c->q = c->ge = 0;
    c->thumb = false;
    c->cpsr_ctl = VT_ARM_MODE_SVC | 0xc0;
    c->spsr = 0;
    memset(c->bank_r13, 0, sizeof c->bank_r13);
    memset(c->bank_r14, 0, sizeof c->bank_r14);
    memset(c->bank_spsr, 0, sizeof c->bank_spsr);
    c->excl_valid = false;
    vt_tlb_flush(&c->tlb);
    if (c->sysmode)
        vt_arm_cp15_reset(c);
    else /* Linux user mode: v6 user space runs with SCTLR.U set */
        c->align = c->features & VT_ARM_F_V6 ? VT_ARM_ALIGN_UNALIGNED : VT_ARM_ALIGN_ROTATE;
    if (c->features & VT_ARM_F_VFP) vt_arm_vfp_reset(c);
    c->r[15] = c->vector_base;
    base->halted = false;
    vt_arm_forget_code_page(c);
    /* a machine reset reloads memory behind the bus (boards place their images directly) and
     * may come from a device store inside a translated block: forget every translation and
     * leave the block after that store */
    base->jit_exit = 1;
    if (c->jit_hooks) c->jit_hooks->flush(c);
}

static void arm_set_irq(vt_cpu *base, int line, bool level) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    unsigned bit = line == 0 ? VT_ARM_LINE_IRQ : line == 1 ? VT_ARM_LINE_FIQ : 0;
    c->lines = (uint8_t)(level ? c->lines | bit : c->lines & ~bit);
    base->jit_exit = 1; /* translated code leaves at its next check: the line is seen there */
    vt_arm_forget_code_page(c); /* the run loop checks lines only off the cached page */
}

static void arm_flush_tlb(vt_cpu *base) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    vt_tlb_flush(&c->tlb);
    if (c->jit_hooks) c->jit_hooks->flush(c);
    vt_arm_forget_code_page(c);
}

static const char *const reg_names[18] = {"r0", "r1", "r2", "r3", "r4",   "r5",
                                          "r6", "r7", "r8", "r9", "r10",  "fp",
                                          "ip", "sp", "lr", "pc", "cpsr", "spsr"};

static const char *arm_reg_name(const vt_cpu *cpu, int n) {
    VT_UNUSED(cpu);
    return n >= 0 && n < 18 ? reg_names[n] : "?";
}

static uint64_t arm_get_reg(const vt_cpu *base, int n) {
    const vt_arm_cpu *c = (const vt_arm_cpu *)base;
    if (n >= 0 && n < 16) return c->r[n];
    if (n == 16) return vt_arm_get_cpsr(c);
    if (n == 17) return c->spsr;
    return 0;
}

static void arm_set_reg(vt_cpu *base, int n, uint64_t v) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    if (n >= 0 && n < 15)
        c->r[n] = (uint32_t)v;
    else if (n == 15)
        c->r[15] = (uint32_t)v & ~1u;
    else if (n == 16)
        vt_arm_set_cpsr(c, (uint32_t)v);
    else if (n == 17)
        c->spsr = (uint32_t)v;
}

static uint64_t arm_get_pc(const vt_cpu *base) {
    return ((const vt_arm_cpu *)base)->r[15];
}

static void arm_save(const vt_cpu *base, struct vt_state_writer *w) {
    const vt_arm_cpu *c = (const vt_arm_cpu *)base;
    vt_state_begin(w, "ARM ", 1);
    for (int i = 0; i < 16; i++)
        vt_state_put_u32(w, c->r[i]);
    vt_state_put_u32(w, vt_arm_get_cpsr(c));
    vt_state_put_u32(w, c->spsr);
    for (int i = 0; i < 6; i++) {
        vt_state_put_u32(w, c->bank_r13[i]);
        vt_state_put_u32(w, c->bank_r14[i]);
        vt_state_put_u32(w, c->bank_spsr[i]);
    }
    for (int i = 0; i < 5; i++) {
        vt_state_put_u32(w, c->fiq_r8_12[i]);
        vt_state_put_u32(w, c->usr_r8_12[i]);
    }
    vt_state_put_u8(w, (c->lines & VT_ARM_LINE_IRQ) != 0);
    vt_state_put_u8(w, (c->lines & VT_ARM_LINE_FIQ) != 0);
    vt_state_put_u8(w, c->excl_valid);
    vt_state_put_u32(w, c->excl_addr);
    vt_state_put_u32(w, c->vector_base);
    vt_state_put_u64(w, base->cycles);
    vt_state_put_u64(w, base->insns);
    vt_state_put_u8(w, base->halted);
    vt_state_end(w);
    if (c->sysmode) vt_arm_cp15_save(c, w);
    if (c->features & VT_ARM_F_VFP) vt_arm_vfp_save(c, w);
}

static int arm_load(vt_cpu *base, struct vt_state_reader *r) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    uint32_t version;
    if (vt_state_open(r, "ARM ", 1, &version)) return -1;
    for (int i = 0; i < 16; i++)
        c->r[i] = vt_state_get_u32(r);
    uint32_t cpsr = vt_state_get_u32(r);
    /* restore the mode field directly: the banks below are loaded as saved */
    c->cpsr_ctl = cpsr & 0x3ff;
    vt_arm_set_cpsr(c, cpsr);
    c->spsr = vt_state_get_u32(r);
    for (int i = 0; i < 6; i++) {
        c->bank_r13[i] = vt_state_get_u32(r);
        c->bank_r14[i] = vt_state_get_u32(r);
        c->bank_spsr[i] = vt_state_get_u32(r);
    }
    for (int i = 0; i < 5; i++) {
        c->fiq_r8_12[i] = vt_state_get_u32(r);
        c->usr_r8_12[i] = vt_state_get_u32(r);
    }
    c->lines = vt_state_get_u8(r) ? VT_ARM_LINE_IRQ : 0;
    c->lines |= vt_state_get_u8(r) ? VT_ARM_LINE_FIQ : 0;
    c->excl_valid = vt_state_get_u8(r) != 0;
    c->excl_addr = vt_state_get_u32(r);
    c->vector_base = vt_state_get_u32(r);
    base->cycles = vt_state_get_u64(r);
    base->insns = vt_state_get_u64(r);
    base->halted = vt_state_get_u8(r) != 0;
    vt_tlb_flush(&c->tlb);
    if (vt_state_close(r)) return -1;
    if (c->sysmode && vt_arm_cp15_load(c, r)) return -1;
    return c->features & VT_ARM_F_VFP ? vt_arm_vfp_load(c, r) : 0;
}

static int arm_disasm(vt_cpu *base, uint64_t pc, char *buf, size_t len) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    unsigned size = c->thumb ? 2 : 4;
    uint32_t insn;
    if (!c->hooks.read || c->hooks.read(base->env, c, (uint32_t)pc, size, VT_ACCESS_EXEC, &insn))
        return 0;
    vt_arm_disasm_insn(c, (uint32_t)pc, insn, c->thumb, buf, len);
    return (int)size;
}

static void arm_destroy(vt_cpu *base) {
    vt_arm_cpu *c = (vt_arm_cpu *)base;
    if (c->jit_hooks) c->jit_hooks->destroy(c);
    vt_arm_decode_free(c);
    free(c);
}

static const vt_cpu_ops arm_ops = {
    .isa = "arm",
    .reset = arm_reset,
    .run = arm_run,
    .set_irq = arm_set_irq,
    .flush_tlb = arm_flush_tlb,
    .nregs = 18,
    .reg_name = arm_reg_name,
    .get_reg = arm_get_reg,
    .set_reg = arm_set_reg,
    .get_pc = arm_get_pc,
    .save = arm_save,
    .load = arm_load,
    .disasm = arm_disasm,
    .destroy = arm_destroy,
};

vt_arm_cpu *vt_arm_create_model(const vt_arm_model *m, const vt_cpu_config *cfg, vt_error *err) {
    vt_arm_cpu *c = calloc(1, sizeof *c);
    if (!c) {
        vt_fail(err, "out of memory for ARM core");
        return NULL;
    }
    c->base.ops = &arm_ops;
    c->base.model = m->name;
    c->base.clock.hz = cfg->hz ? cfg->hz : 100000000;
    c->base.bus = cfg->bus;
    c->base.env = cfg->env;
    c->model = m;
    c->features = m->features;
    c->t = *m->timing;
    if (vt_arm_decode_init(c, err)) {
        free(c);
        return NULL;
    }
    if (cfg->bus) vt_arm_sysmode_init(c);
    arm_reset(&c->base);
    return c;
}
