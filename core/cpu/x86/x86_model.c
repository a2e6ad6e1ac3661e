/* The x86 core behind the vt_cpu vtable: reset state, the fetch-decode-execute loop with
 * cycle accounting, external interrupts and single-step traps, exception delivery, register
 * access, save states and the `pentium2` model. User mode (x86.h) short-circuits traps to
 * the owner. Facts: Intel SDM vol. 3 §9.1 (reset state), §6.9 (interrupt priorities). */
#include <stdio.h>
#include <stdlib.h>

#include "core/cpu/x86/x86_cpu.h"
#include "core/savestate.h"
#include "jit/x86_jit.h"

void x86_deliver_fault(x86_cpu *c, int vector, uint32_t err, int depth);

static void x86_reset(vt_cpu *cpu) {
    x86_cpu *c = X86(cpu);
    memset(c->r, 0, sizeof c->r);
    c->r[X86_EDX] = 0x00000652; /* processor signature (SDM vol. 3 table 9-1) */
    c->eflags = 2;
    c->cc_op = CC_EAGER;
    c->eip = 0xFFF0;
    for (int s = 0; s < 6; s++)
        c->seg[s] = (x86_seg){0, 0, 0xFFFF, SEG_ATTR_P | 0x13};
    c->seg[SEG_CS] = (x86_seg){0xF000, 0xFFFF0000u, 0xFFFF, SEG_ATTR_P | 0x9B};
    x86_seg_flat_update(c);
    c->gdtr = (x86_dtr){0, 0xFFFF};
    c->idtr = (x86_dtr){0, 0x3FF};
    c->ldtr = (x86_seg){0, 0, 0xFFFF, SEG_ATTR_P | 0x02};
    c->tr = (x86_seg){0, 0, 0xFFFF, SEG_ATTR_P | 0x0B};
    c->cr0 = 0x60000010;
    c->cr2 = c->cr3 = c->cr4 = 0;
    memset(c->dr, 0, sizeof c->dr);
    c->dr[6] = 0xFFFF0FF0;
    c->dr[7] = 0x400;
    c->cpl = 0;
    c->mcg_ctl = c->mcg_status = 0; /* machine-check controls: cleared (SDM: undefined) */
    memset(c->mc_ctl, 0, sizeof c->mc_ctl);
    memset(&c->pmu, 0, sizeof c->pmu); /* performance counters stopped and cleared */
    x86_fpu_reset(c);
    c->fpu.cw = 0x0040; /* FPU state after RESET (FNINIT sets 0x037F) */
    c->fpu.tag_empty = 0xFF;
    vt_tlb_flush(&c->tlb);
    c->cpu.halted = false;
    c->intr_shadow = false;
    c->nmi_pending = c->nmi_blocked = false; /* the NMI line level is an input: kept */
    c->trap = (vt_x86_trap){0};
    if (c->user) vt_x86_set_user_mode(cpu, c->page_fn, c->page_opaque);
}

void vt_x86_set_user_mode(vt_cpu *cpu, vt_x86_page_fn page_fn, void *opaque) {
    x86_cpu *c = X86(cpu);
    c->user = true;
    c->page_fn = page_fn;
    c->page_opaque = opaque;
    c->cr0 = 0x80050033; /* PE MP ET NE WP AM PG, as Linux runs it */
    c->cr4 = 0;
    c->cpl = 3;
    for (int s = 0; s < 6; s++)
        c->seg[s] = (x86_seg){
            (uint16_t)(s == SEG_CS ? 0x73 : 0x7B), 0, 0xFFFFFFFFu,
            (uint16_t)(SEG_ATTR_P | SEG_ATTR_DB | 0x8000 | 3 << 5 | (s == SEG_CS ? 0x1B : 0x13))};
    c->seg[SEG_FS] = c->seg[SEG_GS] = (x86_seg){0, 0, 0, 0};
    x86_seg_flat_update(c);
    c->eflags = 0x202;
    c->cc_op = CC_EAGER;
    x86_fpu_reset(c);
    vt_tlb_flush(&c->tlb);
}

vt_x86_trap vt_x86_take_trap(vt_cpu *cpu) {
    x86_cpu *c = X86(cpu);
    vt_x86_trap t = c->trap;
    c->trap = (vt_x86_trap){0};
    return t;
}

void vt_x86_flush_tlb(vt_cpu *cpu) {
    vt_tlb_flush(&X86(cpu)->tlb);
}

_Noreturn void vt_x86_user_page_fault(vt_cpu *cpu, uint32_t la) {
    x86_cpu *c = X86(cpu);
    c->cr2 = la;
    c->trap.fault_addr = la;
    x86_raise(c, EXC_PF, 4 /* U/S: a user-mode access */);
}

vt_tlb *vt_x86_tlb(vt_cpu *cpu) {
    return &X86(cpu)->tlb;
}

void vt_x86_set_intack(vt_cpu *cpu, vt_x86_intack_fn fn, void *opaque) {
    X86(cpu)->intack = fn;
    X86(cpu)->intack_opaque = opaque;
}

/* External interrupts between instructions, NMI first (SDM vol. 3 §6.9): true when one was
 * delivered. A halted core resumes only through them. */
static bool take_interrupt(x86_cpu *c) {
    if (c->nmi_pending && !c->nmi_blocked) {
        c->nmi_pending = false;
        c->nmi_blocked = true;
        c->cpu.halted = false;
        c->insn_eip = c->eip;
        x86_deliver(c, EXC_NMI, false, false, 0, c->eip);
        return true;
    }
    if (!c->irq_line || !(c->eflags & F_IF) || c->intr_shadow || !c->intack) return false;
    c->cpu.halted = false;
    int vec = c->intack(c->intack_opaque);
    c->insn_eip = c->eip;
    x86_deliver(c, vec & 0xFF, false, false, 0, c->eip);
    return true;
}

void vt_x86_set_trap_fn(vt_cpu *cpu, vt_x86_trap_fn fn, void *opaque) {
    X86(cpu)->trap_fn = fn;
    X86(cpu)->trap_opaque = opaque;
}

/* User mode: hands the pending trap to the owner's hook; false when run() must return it. */
static bool user_trap(x86_cpu *c) {
    if (!c->trap_fn) return false;
    vt_x86_trap t = c->trap;
    c->trap = (vt_x86_trap){0};
    c->trap_fn(c->trap_opaque, &c->cpu, &t);
    return true;
}

void vt_x86_load_user_seg(vt_cpu *cpu, int sreg, uint16_t sel, uint32_t base, uint32_t limit,
                          bool present) {
    x86_cpu *c = X86(cpu);
    if (sreg < 0 || sreg > 5) return;
    c->seg[sreg] = (x86_seg){sel, base, limit,
                             present ? (uint16_t)(SEG_ATTR_P | SEG_ATTR_DB | 3 << 5 | 0x13) : 0};
    x86_seg_flat_update(c);
}

void vt_x86_set_desc_fn(vt_cpu *cpu, vt_x86_desc_fn fn) {
    X86(cpu)->desc_fn = fn;
}

uint32_t vt_x86_seg_base(const vt_cpu *cpu, int sreg) {
    return sreg >= 0 && sreg < 6 ? ((const x86_cpu *)cpu)->seg[sreg].base : 0;
}

void vt_x86_fsave(vt_cpu *cpu, uint8_t out[108]) {
    x86_fpu_fsave(X86(cpu), out, true);
}
void vt_x86_frstor(vt_cpu *cpu, const uint8_t in[108]) {
    x86_fpu_frstor(X86(cpu), in, true);
}

/* Whether the cached bytes of e are still at code (a window of 15 readable bytes). */
static inline bool same_bytes(const x86_icache_ent *e, const uint8_t *code) {
    return (((load_le64(code) ^ e->w[0]) & e->m[0]) |
            ((load_le64(code + 7) ^ e->w[1]) & e->m[1])) == 0;
}

/* Records the len bytes at code as the check words of e. */
static void keep_bytes(x86_icache_ent *e, const uint8_t *code, unsigned len) {
    e->m[0] = len >= 8 ? ~0ull : (1ull << (8 * len)) - 1;
    e->m[1] = len <= 8 ? 0 : ((1ull << (8 * (len - 8))) - 1) << 8; /* bytes 8..len-1 */
    e->w[0] = load_le64(code) & e->m[0];
    e->w[1] = load_le64(code + 7) & e->m[1];
}

/* One instruction, inlined into both run loops (a call per instruction costs ~10%);
 * exceptions longjmp out of it. Cached decodes are used in place (handlers never modify the
 * decoded record; only the effective address is recomputed). */
static inline __attribute__((always_inline)) void step(x86_cpu *c) {
    x86_insn local, *in;
    const x86_seg *cs = &c->seg[SEG_CS];
    uint32_t eip = c->eip, la = cs->base + eip;
    bool code32 = (cs->attr & SEG_ATTR_DB) != 0;
    uint64_t tag = la | (uint64_t)(code32 ? 3 : 1) << 32;
    c->insn_eip = eip;
    x86_icache_ent *e = &c->icache[(la ^ (la >> 13)) & (X86_ICACHE_SIZE - 1)];
    const uint8_t *code = NULL;
    if ((la & 0xFFF) <= 0x1000 - 15 && eip <= cs->limit && cs->limit - eip >= 14)
        code = vt_tlb_lookup(&c->tlb, la, VT_ACCESS_EXEC);
    if (code && e->tag == tag && same_bytes(e, code)) {
        in = &e->insn;
        c->code = code;
        c->cur = in;
        if (in->mem) x86_calc_ea(c, in);
    } else if (code) {
        e->tag = 0; /* invalid until the decode completes */
        in = &e->insn;
        if (x86_decode(c, in) < 0) x86_raise_ud(c);
        if (c->code) {
            e->tag = tag;
            keep_bytes(e, c->code, in->len);
        }
    } else {
        in = &local;
        if (x86_decode(c, in) < 0) x86_raise_ud(c);
    }
    c->eip = code32 ? eip + in->len : (eip + in->len) & 0xFFFF;
    in->fn(c, in);
    c->cpu.cycles += in->cost;
    c->cpu.insns++;
}

void x86_interp_step(x86_cpu *c) {
    step(c);
}

static uint64_t x86_run(vt_cpu *cpu, uint64_t budget) {
    x86_cpu *c = X86(cpu);
    uint64_t start = cpu->cycles;
    cpu->stop_at = start + budget;
    if (!c->user) x86_jit_device_access(c); /* the devices ran since the last slice (DMA) */
    if (setjmp(c->abort)) {
        cpu->cycles += 1;
        if (c->trap.kind == VT_X86_TRAP_FAULT) c->eip = c->insn_eip;
        if (c->user) {
            if (!user_trap(c)) return cpu->cycles - start;
            goto resume;
        }
        int v = c->trap.vector;
        uint32_t e = c->trap.error_code;
        c->trap = (vt_x86_trap){0};
        vt_log(VT_LOG_CPU, "x86: exception %d err %x at %04x:%08x", v, e, c->seg[SEG_CS].sel,
               c->insn_eip);
        x86_deliver_fault(c, v, e, 0);
    }
resume:
    /* User mode has no interrupts, HLT faults at CPL 3 and the interrupt shadow only gates
     * interrupts, so only TF needs a look between instructions. */
    if (c->user && !cpu->halted && c->jit) {
        while (cpu->cycles < cpu->stop_at && !(c->eflags & F_TF))
            if (!x86_jit_run_block(c)) step(c);
    } else if (c->user && !cpu->halted) {
        while (cpu->cycles < cpu->stop_at && !(c->eflags & F_TF))
            step(c);
    }
    while (cpu->cycles < cpu->stop_at) {
        if (!c->user && (c->irq_line || c->nmi_pending) && take_interrupt(c)) {
            cpu->cycles += X86_INTERRUPT_CYCLES;
            continue; /* the budget is checked again before the handler's first instruction */
        }
        if (cpu->halted) {
            c->halted_cycles += cpu->stop_at - cpu->cycles;
            cpu->cycles = cpu->stop_at;
            break;
        }
        bool shadow = c->intr_shadow, tf = c->eflags & F_TF;
        c->intr_shadow = false;
        /* system mode: a translated block between interrupt checks, where one applies
         * (x86_jit_run_block); the instruction after STI / MOV SS and TF steps alone */
        if (c->jit && !shadow && !tf && x86_jit_run_block(c)) continue;
        step(c);
        if (tf) { /* single-step trap after the instruction */
            c->dr[6] |= 0x4000;
            if (c->user) {
                c->trap = (vt_x86_trap){VT_X86_TRAP_INT, EXC_DB, 0, 0};
                if (!user_trap(c)) return cpu->cycles - start;
                continue;
            }
            x86_deliver(c, EXC_DB, false, false, 0, c->eip);
        }
    }
    return cpu->cycles - start;
}

static void x86_set_irq(vt_cpu *cpu, int line, bool level) {
    x86_cpu *c = X86(cpu);
    x86_jit_device_access(c); /* chained blocks stop for the run loop's interrupt check */
    /* HLT ends only when an interrupt is actually taken (run loop), so INTR with IF clear
     * leaves the core halted. */
    if (line == 0) {
        c->irq_line = level;
        return;
    }
    if (line == 2) { /* A20 gate: low asserts A20M# */
        if (c->a20_masked != !level) vt_tlb_flush(&c->tlb);
        c->a20_masked = !level;
        return;
    }
    if (level && !c->nmi_line) c->nmi_pending = true; /* NMI is edge-triggered */
    c->nmi_line = level;
}

static const char *const reg_names[X86_NREGS] = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "es", "cs",
    "ss",  "ds",  "fs",  "gs",  "cr0", "cr2", "cr3", "cr4", "fcw", "fsw",    "ftw"};

static const char *x86_reg_name(const vt_cpu *cpu, int n) {
    VT_UNUSED(cpu);
    return n >= 0 && n < X86_NREGS ? reg_names[n] : NULL;
}

static uint64_t x86_get(const vt_cpu *cpu, int n) {
    x86_cpu *c = (x86_cpu *)cpu;
    if (n >= X86_EAX && n <= X86_EDI) return c->r[n];
    switch (n) {
    case X86_EIP:
        return c->eip;
    case X86_EFLAGS:
        return x86_get_flags(c);
    case X86_ES:
    case X86_CS:
    case X86_SS:
    case X86_DS:
    case X86_FS:
    case X86_GS:
        return c->seg[n - X86_ES].sel;
    case X86_CR0:
        return c->cr0;
    case X86_CR2:
        return c->cr2;
    case X86_CR3:
        return c->cr3;
    case X86_CR4:
        return c->cr4;
    case X86_FCW:
        return c->fpu.cw;
    case X86_FSW:
        return (c->fpu.sw & ~0x3800u) | (unsigned)c->fpu.top << 11;
    case X86_FTW:
        return c->fpu.tag_empty;
    default:
        return 0;
    }
}

static void x86_set(vt_cpu *cpu, int n, uint64_t v) {
    x86_cpu *c = X86(cpu);
    if (n >= X86_EAX && n <= X86_EDI) {
        c->r[n] = (uint32_t)v;
        return;
    }
    switch (n) {
    case X86_EIP:
        c->eip = (uint32_t)v;
        break;
    case X86_EFLAGS:
        c->eflags = ((uint32_t)v & 0x003F7FD7u) | 2;
        c->cc_op = CC_EAGER;
        break;
    case X86_ES:
    case X86_CS:
    case X86_SS:
    case X86_DS:
    case X86_FS:
    case X86_GS:
        if (c->user || !x86_pmode(c)) {
            if (!c->user)
                x86_set_seg_real(c, n - X86_ES, (uint16_t)v);
            else
                c->seg[n - X86_ES].sel = (uint16_t)v;
        }
        break;
    case X86_CR0:
        x86_set_cr0(c, (uint32_t)v);
        break;
    case X86_CR2:
        c->cr2 = (uint32_t)v;
        break;
    case X86_CR3:
        c->cr3 = (uint32_t)v;
        vt_tlb_flush(&c->tlb);
        break;
    case X86_CR4:
        c->cr4 = (uint32_t)v;
        vt_tlb_flush(&c->tlb);
        break;
    case X86_FCW:
        c->fpu.cw = (uint16_t)v;
        break;
    case X86_FSW:
        c->fpu.sw = (uint16_t)v & ~0x3800;
        c->fpu.top = (v >> 11) & 7;
        break;
    case X86_FTW:
        c->fpu.tag_empty = (uint8_t)v;
        break;
    default:
        break;
    }
}

static uint64_t x86_get_pc(const vt_cpu *cpu) {
    const x86_cpu *c = (const x86_cpu *)cpu;
    return (uint64_t)c->seg[SEG_CS].base + c->eip;
}

static void put_seg(vt_state_writer *w, const x86_seg *s) {
    vt_state_put_u16(w, s->sel);
    vt_state_put_u32(w, s->base);
    vt_state_put_u32(w, s->limit);
    vt_state_put_u16(w, s->attr);
}

static void get_seg(vt_state_reader *r, x86_seg *s) {
    s->sel = vt_state_get_u16(r);
    s->base = vt_state_get_u32(r);
    s->limit = vt_state_get_u32(r);
    s->attr = vt_state_get_u16(r);
}

static void x86_save(const vt_cpu *cpu, vt_state_writer *w) {
    x86_cpu *c = (x86_cpu *)cpu;
    vt_state_begin(w, "X86C", 5);
    for (int k = 0; k < 8; k++)
        vt_state_put_u32(w, c->r[k]);
    vt_state_put_u32(w, c->eip);
    vt_state_put_u32(w, x86_get_flags(c));
    for (int s = 0; s < 6; s++)
        put_seg(w, &c->seg[s]);
    put_seg(w, &c->ldtr);
    put_seg(w, &c->tr);
    vt_state_put_u32(w, c->gdtr.base);
    vt_state_put_u16(w, c->gdtr.limit);
    vt_state_put_u32(w, c->idtr.base);
    vt_state_put_u16(w, c->idtr.limit);
    vt_state_put_u32(w, c->cr0);
    vt_state_put_u32(w, c->cr2);
    vt_state_put_u32(w, c->cr3);
    vt_state_put_u32(w, c->cr4);
    for (int k = 0; k < 8; k++)
        vt_state_put_u32(w, c->dr[k]);
    vt_state_put_u8(w, (uint8_t)c->cpl);
    vt_state_put_u8(w, c->irq_line);
    vt_state_put_u8(w, c->intr_shadow);
    vt_state_put_u8(w, c->cpu.halted);
    vt_state_put_u8(w, c->nmi_line);
    vt_state_put_u8(w, c->nmi_pending);
    vt_state_put_u8(w, c->nmi_blocked);
    vt_state_put_u8(w, c->a20_masked);
    vt_state_put_u64(w, c->sysenter_cs);
    vt_state_put_u64(w, c->sysenter_esp);
    vt_state_put_u64(w, c->sysenter_eip);
    vt_state_put_u64(w, c->cpu.cycles);
    vt_state_put_u64(w, c->mcg_ctl);
    vt_state_put_u64(w, c->mcg_status);
    for (int k = 0; k < X86_MC_BANKS; k++)
        vt_state_put_u64(w, c->mc_ctl[k]);
    for (unsigned k = 0; k < 2; k++) {
        vt_state_put_u64(w, c->pmu.evtsel[k]);
        vt_state_put_u64(w, x86_pmu_counter(c, k));
    }
    uint8_t img[108];
    x86_fpu_fsave(c, img, true);
    vt_state_put_bytes(w, img, sizeof img);
    vt_state_end(w);
}

static int x86_load(vt_cpu *cpu, vt_state_reader *r) {
    x86_cpu *c = X86(cpu);
    uint32_t ver;
    if (vt_state_open(r, "X86C", 5, &ver)) return -1;
    for (int k = 0; k < 8; k++)
        c->r[k] = vt_state_get_u32(r);
    c->eip = vt_state_get_u32(r);
    c->eflags = (vt_state_get_u32(r) & 0x003F7FD7u) | 2;
    c->cc_op = CC_EAGER;
    for (int s = 0; s < 6; s++)
        get_seg(r, &c->seg[s]);
    x86_seg_flat_update(c);
    get_seg(r, &c->ldtr);
    get_seg(r, &c->tr);
    c->gdtr.base = vt_state_get_u32(r);
    c->gdtr.limit = vt_state_get_u16(r);
    c->idtr.base = vt_state_get_u32(r);
    c->idtr.limit = vt_state_get_u16(r);
    c->cr0 = vt_state_get_u32(r);
    c->cr2 = vt_state_get_u32(r);
    c->cr3 = vt_state_get_u32(r);
    c->cr4 = vt_state_get_u32(r);
    for (int k = 0; k < 8; k++)
        c->dr[k] = vt_state_get_u32(r);
    c->cpl = vt_state_get_u8(r); /* saved as one byte */
    if (c->cpl > 3) vt_state_fail(r, "x86: CPL %d out of range", c->cpl);
    c->irq_line = vt_state_get_u8(r) != 0;
    c->intr_shadow = vt_state_get_u8(r) != 0;
    c->cpu.halted = vt_state_get_u8(r) != 0;
    if (ver >= 2) {
        c->nmi_line = vt_state_get_u8(r) != 0;
        c->nmi_pending = vt_state_get_u8(r) != 0;
        c->nmi_blocked = vt_state_get_u8(r) != 0;
    }
    c->a20_masked = ver >= 3 && vt_state_get_u8(r) != 0;
    vt_tlb_flush(&c->tlb);
    c->sysenter_cs = vt_state_get_u64(r);
    c->sysenter_esp = vt_state_get_u64(r);
    c->sysenter_eip = vt_state_get_u64(r);
    c->cpu.cycles = vt_state_get_u64(r);
    c->mcg_ctl = c->mcg_status = 0;
    memset(c->mc_ctl, 0, sizeof c->mc_ctl);
    if (ver >= 4) {
        c->mcg_ctl = vt_state_get_u64(r);
        c->mcg_status = vt_state_get_u64(r);
        for (int k = 0; k < X86_MC_BANKS; k++)
            c->mc_ctl[k] = vt_state_get_u64(r);
    }
    memset(&c->pmu, 0, sizeof c->pmu);
    for (unsigned k = 0; ver >= 5 && k < 2; k++) {
        c->pmu.evtsel[k] = vt_state_get_u64(r) & 0xFFFFFFFFu;
        c->pmu.ctr[k] = vt_state_get_u64(r) & ((1ull << 40) - 1);
    }
    x86_pmu_restart(c);
    uint8_t img[108];
    vt_state_get_bytes(r, img, sizeof img);
    x86_fpu_frstor(c, img, true);
    vt_tlb_flush(&c->tlb);
    return vt_state_close(r);
}

static int x86_disasm(vt_cpu *cpu, uint64_t pc, char *buf, size_t len) {
    x86_cpu *c = X86(cpu);
    /* decode at CS:pc without disturbing the architectural state */
    uint32_t save_eip = c->eip, save_cr2 = c->cr2;
    vt_x86_trap save_trap = c->trap;
    jmp_buf save;
    memcpy(save, c->abort, sizeof save);
    x86_insn in;
    volatile int n = 0;
    c->eip = (uint32_t)pc;
    if (setjmp(c->abort) == 0) {
        if (x86_decode(c, &in) == 0) {
            x86_disasm_insn(c, &in, (uint32_t)pc + in.len, buf, len);
        } else {
            snprintf(buf, len, "(bad) %s%02x", in.opc > 0xFF ? "0f " : "", in.opc & 0xFF);
        }
        n = in.len;
    }
    memcpy(c->abort, save, sizeof save);
    c->cur = NULL;
    c->eip = save_eip;
    c->cr2 = save_cr2;
    c->trap = save_trap;
    return n;
}

static void x86_destroy(vt_cpu *cpu) {
    x86_jit_free(X86(cpu)->jit);
    free(cpu);
}

static const vt_cpu_ops x86_ops = {
    .isa = "x86",
    .reset = x86_reset,
    .run = x86_run,
    .set_irq = x86_set_irq,
    .flush_tlb = vt_x86_flush_tlb,
    .nregs = X86_NREGS,
    .reg_name = x86_reg_name,
    .get_reg = x86_get,
    .set_reg = x86_set,
    .get_pc = x86_get_pc,
    .save = x86_save,
    .load = x86_load,
    .disasm = x86_disasm,
    .destroy = x86_destroy,
};

static vt_cpu *pentium2_create(const vt_cpu_config *cfg, vt_error *err) {
    x86_cpu *c = calloc(1, sizeof *c);
    if (!c) {
        vt_fail(err, "out of memory creating x86 core");
        return NULL;
    }
    c->cpu.ops = &x86_ops;
    c->cpu.model = "pentium2";
    c->cpu.bus = cfg->bus;
    c->cpu.io = cfg->io;
    c->cpu.env = cfg->env;
    c->cpu.clock.hz = cfg->hz ? cfg->hz : 300000000;
    x86_decode_init(c);
    x86_reset(&c->cpu);
    return &c->cpu;
}

const vt_cpu_model vt_cpu_pentium2 = {
    .name = "pentium2",
    .description = "Intel Pentium II (i686: CMOV, MMX, x87, CX8; P6 cycle costs)",
    .create = pentium2_create,
};
