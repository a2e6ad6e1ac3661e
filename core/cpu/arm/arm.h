/* Public interface of the ARM core for owners that need more than the vt_cpu vtable (Linux
 * user mode): register numbers for get_reg/set_reg, CPSR modes, exceptions, the owner hooks
 * (memory slow path, exceptions, coprocessors), and the few operations a syscall and signal
 * layer needs. The core's state itself stays in arm_cpu.h, which only the core includes.
 * Sources: ARM Architecture Reference Manual (DDI 0100I) A2. */
#ifndef VT_ARM_H
#define VT_ARM_H

#include "core/cpu.h"
#include "core/tlb.h"

typedef struct vt_arm_cpu vt_arm_cpu;

/* get_reg/set_reg numbers: 0-15 are r0-r15 (r15 = the PC between run() slices). */
enum { VT_ARM_REG_SP = 13, VT_ARM_REG_LR = 14, VT_ARM_REG_PC = 15, VT_ARM_REG_CPSR = 16 };

/* CPSR mode field values (ARM ARM A2.2). */
enum {
    VT_ARM_MODE_USR = 0x10,
    VT_ARM_MODE_FIQ = 0x11,
    VT_ARM_MODE_IRQ = 0x12,
    VT_ARM_MODE_SVC = 0x13,
    VT_ARM_MODE_ABT = 0x17,
    VT_ARM_MODE_UND = 0x1b,
    VT_ARM_MODE_SYS = 0x1f,
};

/* Exceptions in vector order (vector address = 4 * value, ARM ARM A2.6). */
typedef enum vt_arm_exception {
    VT_ARM_EXC_RESET = 0,
    VT_ARM_EXC_UNDEF = 1,
    VT_ARM_EXC_SWI = 2,
    VT_ARM_EXC_PABT = 3,
    VT_ARM_EXC_DABT = 4,
    VT_ARM_EXC_IRQ = 6,
    VT_ARM_EXC_FIQ = 7,
    VT_ARM_EXC_BKPT = 8, /* prefetch abort raised by BKPT: owners may treat it apart */
} vt_arm_exception;

/* Owner hooks. ctx is vt_arm_cpu.base.env. */
typedef struct vt_arm_hooks {
    /* Memory slow path (TLB miss): perform the access, optionally vt_tlb_fill the page;
     * return 0, or -1 for an abort (the core raises data/prefetch abort). */
    int (*read)(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, vt_access a, uint32_t *val);
    int (*write)(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t val);
    /* Called before architectural exception entry; returns true when the owner handled it
     * (Linux user mode: syscalls, signals). `addr` is the faulting address for aborts. */
    bool (*exception)(void *ctx, vt_arm_cpu *c, vt_arm_exception e, uint32_t addr);
    /* Coprocessor register transfer (MRC/MCR); return 0, or -1 → Undefined Instruction. */
    int (*cp_read)(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn, unsigned crm,
                   unsigned op2, uint32_t *val);
    int (*cp_write)(void *ctx, vt_arm_cpu *c, unsigned cp, unsigned op1, unsigned crn, unsigned crm,
                    unsigned op2, uint32_t val);
} vt_arm_hooks;

/* Installs the owner hooks (their ctx is cpu->env). */
void vt_arm_set_hooks(vt_cpu *cpu, const vt_arm_hooks *hooks);
/* The core's software TLB (the owner fills it from its read/write hooks and flushes it). */
vt_tlb *vt_arm_tlb(vt_cpu *cpu);
/* Inside a hook: the address of the instruction being executed. */
uint32_t vt_arm_insn_pc(const vt_cpu *cpu);
/* Where execution continues: after the current instruction inside a hook, the PC between
 * run() slices. */
uint32_t vt_arm_resume_pc(const vt_cpu *cpu);
/* Sets where execution continues (inside a hook or between slices); with interwork, bit 0
 * selects Thumb state, else the address is aligned for the current state. */
void vt_arm_set_resume_pc(vt_cpu *cpu, uint32_t pc, bool interwork);
/* VFP state for an owner that saves and restores it (Linux signal frames): D0-D15 and the
 * system registers. vt_arm_get_vfp returns false on a core without VFP; vt_arm_set_vfp keeps
 * only the writable FPSCR bits and FPEXC's EN bit, as VMSR does. */
typedef struct vt_arm_vfp_regs {
    uint64_t d[16];
    uint32_t fpscr, fpexc, fpinst, fpinst2;
} vt_arm_vfp_regs;
bool vt_arm_get_vfp(const vt_cpu *cpu, vt_arm_vfp_regs *out);
void vt_arm_set_vfp(vt_cpu *cpu, const vt_arm_vfp_regs *in);
/* Ends the executing instruction with a prefetch (fetch) or data abort at addr, through the
 * exception hook: for an owner whose host fault handler caught an access inside run(). */
__attribute__((noreturn)) void vt_arm_abort(vt_cpu *cpu, bool fetch, uint32_t addr);

#endif
