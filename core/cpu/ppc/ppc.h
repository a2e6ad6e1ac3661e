/* Public extras of the PowerPC 750 core for its owners (everything else goes through
 * core/cpu.h): register numbering for get_reg/set_reg, the time-base clock, and a flat
 * user-mode memory map whose exceptions (sc, program, storage) end run() as traps instead of
 * vectoring, for Linux user mode and the instruction-test harness.
 * Sources: MPC750 RISC Microprocessor User's Manual (rev. 1) ch. 2 (registers), ch. 4. */
#ifndef VT_PPC_H
#define VT_PPC_H

#include "core/cpu.h"
#include "core/tlb.h"

/* get_reg/set_reg numbering: r0..r31, then f0..f31 (64-bit bit patterns), then the rest. */
enum vt_ppc_reg {
    VT_PPC_R0 = 0,
    VT_PPC_F0 = 32,
    VT_PPC_PC = 64,
    VT_PPC_MSR,
    VT_PPC_CR,
    VT_PPC_LR,
    VT_PPC_CTR,
    VT_PPC_XER,
    VT_PPC_FPSCR,
    VT_PPC_SRR0,
    VT_PPC_SRR1,
    VT_PPC_DAR,
    VT_PPC_DSISR,
    VT_PPC_DEC,
    VT_PPC_TBL,
    VT_PPC_TBU,
    VT_PPC_SDR1,
    VT_PPC_SR0, /* .. SR15 */
    /* then the supervisor SPRs in the order of vt_ppc_spr_regs (ppc_cpu.c): SPRG0-3, HID0,
     * HID1, PVR, EAR, IABR, DABR, L2CR, IBAT0U, IBAT0L .. IBAT3L, DBAT0U .. DBAT3L */
    VT_PPC_SPRG0 = VT_PPC_SR0 + 16,
    VT_PPC_NREGS = VT_PPC_SPRG0 + 27
};

/* Interrupt inputs for set_irq: the 750's INT, SMI and MCP pins (level-sensitive) and SRESET
 * (soft reset, taken on the rising edge). */
enum { VT_PPC_IRQ_INT = 0, VT_PPC_IRQ_SMI = 1, VT_PPC_IRQ_MCP = 2, VT_PPC_IRQ_SRESET = 3 };

/* Time base / decrementer input clock (the 750 counts one tick every 4 bus clocks). Default:
 * core clock / 16 (a 4:1 core-to-bus ratio). Returns -1 if cpu is not a PowerPC. */
int vt_ppc_set_timebase_hz(vt_cpu *cpu, uint64_t hz) VT_MUST_CHECK;

/* User mode: the host address of the 4 KiB guest page holding page_va and its VT_PERM_* bits,
 * or NULL when unmapped. The owner calls vt_ppc_flush_tlb after changing the map. */
typedef uint8_t *(*vt_ppc_page_fn)(void *opaque, uint32_t page_va, unsigned *perms);

typedef enum vt_ppc_trap_kind {
    VT_PPC_TRAP_NONE = 0,
    VT_PPC_TRAP_SC,        /* sc executed: pc is the next instruction */
    VT_PPC_TRAP_PROGRAM,   /* pc is the instruction; code: VT_PPC_PROG_* */
    VT_PPC_TRAP_DSI,       /* data storage: addr = faulting address, code = DSISR */
    VT_PPC_TRAP_ISI,       /* instruction storage: addr = pc */
    VT_PPC_TRAP_ALIGN,     /* alignment: addr = faulting address */
    VT_PPC_TRAP_FP_UNAVAIL /* FP instruction with MSR[FP]=0 */
} vt_ppc_trap_kind;

/* Program exception causes (SRR1 bits of the same meaning, MPC750 UM ch. 4). */
enum {
    VT_PPC_PROG_FP = 1u << 20,      /* IEEE floating-point enabled exception */
    VT_PPC_PROG_ILLEGAL = 1u << 19, /* illegal / unimplemented instruction */
    VT_PPC_PROG_PRIV = 1u << 18,    /* privileged instruction in user mode */
    VT_PPC_PROG_TRAP = 1u << 17,    /* tw/twi condition met */
};

typedef struct vt_ppc_trap {
    vt_ppc_trap_kind kind;
    uint32_t code;
    uint32_t addr;
} vt_ppc_trap;

/* Switches the core to user mode (MSR PR=1, IR/DR, FP on, FE0=FE1=1: precise FP exceptions
 * as qemu-ppc runs its processes; Linux starts them with FE0=FE1=0, PR_FP_EXC_DISABLED, which
 * the owner can select through set_reg(VT_PPC_MSR)) with memory served by page_fn;
 * exceptions end run() with a trap. */
void vt_ppc_set_user_mode(vt_cpu *cpu, vt_ppc_page_fn page_fn, void *opaque);
/* Takes (and clears) the trap that ended the last run(). */
vt_ppc_trap vt_ppc_take_trap(vt_cpu *cpu);
void vt_ppc_flush_tlb(vt_cpu *cpu);

#endif
