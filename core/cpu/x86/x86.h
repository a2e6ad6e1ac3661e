/* Public interface of the x86 (i686 / Pentium II class) core for its owners: machines use
 * the generic vt_cpu vtable; Linux user mode and the instruction-test harness additionally
 * install a flat memory map and take traps (INT n, faults) back from run().
 * Register numbering for get_reg/set_reg is the x86_reg enum below. */
#ifndef VT_X86_H
#define VT_X86_H

#include "core/cpu.h"
#include "core/tlb.h"

enum x86_reg {
    X86_EAX,
    X86_ECX,
    X86_EDX,
    X86_EBX,
    X86_ESP,
    X86_EBP,
    X86_ESI,
    X86_EDI,
    X86_EIP,
    X86_EFLAGS,
    X86_ES,
    X86_CS,
    X86_SS,
    X86_DS,
    X86_FS,
    X86_GS, /* selectors */
    X86_CR0,
    X86_CR2,
    X86_CR3,
    X86_CR4,
    X86_FCW,
    X86_FSW,
    X86_FTW,
    X86_NREGS
};

/* User-mode memory: returns the host address of the 4 KiB guest page holding `page_va` and its
 * VT_PERM_* bits, or NULL when unmapped. The core caches the answer in its TLB; the owner calls
 * vt_x86_flush_tlb after changing the map (mmap, munmap, mprotect). */
typedef uint8_t *(*vt_x86_page_fn)(void *opaque, uint32_t page_va, unsigned *perms);

/* Why run() stopped early in user mode. */
typedef enum vt_x86_trap_kind {
    VT_X86_TRAP_NONE = 0,
    VT_X86_TRAP_INT,   /* INT n / INT3 / INTO executed: eip is after the instruction */
    VT_X86_TRAP_FAULT, /* exception `vector`; eip is the faulting instruction */
} vt_x86_trap_kind;

typedef struct vt_x86_trap {
    vt_x86_trap_kind kind;
    int vector; /* 0 #DE, 1 #DB, 3 #BP, 4 #OF, 5 #BR, 6 #UD, 7 #NM, 13 #GP, 14 #PF,
                   16 #MF, 17 #AC, or the INT n number */
    uint32_t error_code;
    uint32_t fault_addr; /* CR2 for #PF */
} vt_x86_trap;

/* Switches the core to flat 32-bit user mode (CPL 3, flat segments, no paging) with memory
 * served by page_fn. Exceptions and software interrupts end run() with a trap instead of
 * going through the IDT. */
void vt_x86_set_user_mode(vt_cpu *cpu, vt_x86_page_fn page_fn, void *opaque);
/* Optional: instead of ending run(), user-mode traps are handed to fn (which may change
 * registers, e.g. to complete a syscall, and may lower cpu->stop_at to end the slice). */
typedef void (*vt_x86_trap_fn)(void *opaque, vt_cpu *cpu, const vt_x86_trap *trap);
void vt_x86_set_trap_fn(vt_cpu *cpu, vt_x86_trap_fn fn, void *opaque);
/* The core's software TLB (the user-mode owner flushes it when mappings change). */
vt_tlb *vt_x86_tlb(vt_cpu *cpu);
/* Takes (and clears) the trap that ended the last run(). */
vt_x86_trap vt_x86_take_trap(vt_cpu *cpu);
void vt_x86_flush_tlb(vt_cpu *cpu);
/* Ends the executing user-mode instruction with a page fault at la (the trap shows #PF), for
 * an owner whose host signal handler caught a fault on guest memory inside run(). */
_Noreturn void vt_x86_user_page_fault(vt_cpu *cpu, uint32_t la);
/* Loads a user-mode data segment register (FS/GS) with a selector that refers to a GDT-style
 * descriptor the owner keeps (set_thread_area): base/limit given directly. */
void vt_x86_load_user_seg(vt_cpu *cpu, int sreg, uint16_t sel, uint32_t base, uint32_t limit,
                          bool present);
/* Guest user-mode descriptor table for selector loads by the guest (mov %ax,%gs): the owner
 * answers base/limit for a GDT index, or returns false for an invalid entry (#GP). */
typedef bool (*vt_x86_desc_fn)(void *opaque, unsigned index, uint32_t *base, uint32_t *limit);
void vt_x86_set_desc_fn(vt_cpu *cpu, vt_x86_desc_fn fn);
/* Segment base (for TLS readers and signal frames). */
uint32_t vt_x86_seg_base(const vt_cpu *cpu, int sreg);

/* System mode. Line 2 is the A20 gate: low asserts A20M# (physical address bit 20 reads as 0,
 * the PC's 1 MiB wrap); never driven, A20 stays enabled.
 * The interrupt-acknowledge (INTA) cycle: INTR is cpu line 0 (level), NMI line 1
 * (rising edge). When the core takes INTR (IF set, no STI/MOV SS shadow) it calls fn once and
 * vectors through the IDT/IVT entry fn returns (an 8259A returns its spurious vector when the
 * request went away). Without fn INTR is never taken. The board installs the system's interrupt
 * controller here (e.g. vt_i8259_intack on the master 8259A). */
typedef int (*vt_x86_intack_fn)(void *opaque);
void vt_x86_set_intack(vt_cpu *cpu, vt_x86_intack_fn fn, void *opaque);

/* The JIT switch (jit/x86_jit.h): on, user-mode runs go through the block cache and runner;
 * system mode keeps the interpreter. Returns -1 when out of memory (the JIT stays off). */
int vt_x86_set_jit(vt_cpu *cpu, bool on) VT_MUST_CHECK;
/* Tells the JIT that something other than the core's own stores (the Linux layer's syscalls,
 * mmap/munmap/mprotect, a loader, a test) wrote or remapped linear [la, la+len): translations
 * of those bytes are dropped. A no-op while the JIT is off. */
void vt_x86_jit_code_written(vt_cpu *cpu, uint32_t la, uint32_t len);
/* Linux user mode: guest linear address a is host base + a, for every a and up to 3 bytes
 * past 4 GiB (a guard page), and a host fault there is the owner's to map back. Loads from flat
 * segments then read base + a directly (no software-TLB probe); every such access is a fault
 * site of the returned cache (jit/jit_cache.h), which the owner's host-fault handler must
 * redirect to with vt_jit_fault_target. NULL base (machines) or the JIT off: NULL, nothing
 * direct. */
struct vt_jit_cache;
const struct vt_jit_cache *vt_x86_jit_set_direct_base(vt_cpu *cpu, uint8_t *base);

/* x87 / MMX state access for signal frames and tests: the 108-byte FNSAVE image. */
void vt_x86_fsave(vt_cpu *cpu, uint8_t out[108]);
void vt_x86_frstor(vt_cpu *cpu, const uint8_t in[108]);

#endif
