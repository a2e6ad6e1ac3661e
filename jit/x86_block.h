/* x86 guest basic blocks for the JIT: a run of instructions decoded once through the core's own
 * decoder (so decode is exactly the interpreter's), each with its model cycle cost, ending at a
 * control transfer, a serializing or mode-changing instruction, an instruction crossing the page
 * or VT_X86_BLOCK_MAX instructions, all on one page. A block keeps a copy of its bytes: it is
 * valid exactly while the guest bytes at its address are unchanged (decode is a pure function of
 * bytes + code size); the runner compares them only after its page was written (x86_jit.h). */
#ifndef VT_JIT_X86_BLOCK_H
#define VT_JIT_X86_BLOCK_H

#include "core/cpu/x86/x86_cpu.h"

#define VT_X86_BLOCK_MAX 32

/* Why the former stopped. */
typedef enum x86_block_end {
    X86_BLOCK_END_BRANCH = 1, /* control transfer, trap, far transfer, HLT */
    X86_BLOCK_END_SERIAL,     /* serializing or state-changing (POPF, STI, MOV CR, CPUID...) */
    X86_BLOCK_END_PAGE, /* the next instruction crosses the page, or its 15-byte window the CS limit
                         */
    X86_BLOCK_END_MAX,  /* VT_X86_BLOCK_MAX instructions */
    X86_BLOCK_END_UNDECODED /* the next bytes do not decode (#UD/#GP: the interpreter raises it) */
} x86_block_end;

/* What the lookup on every block entry reads (tag, bytes, native, lead_cost) comes first, in
 * the block's first cache lines; the decoded records after it are read only off the native path. */
typedef struct x86_block {
    _Alignas(64) uint64_t tag;   /* linear address | (1 | code32 << 1) << 32; 0 = empty */
    uint8_t n;                   /* instructions */
    uint8_t end;                 /* x86_block_end */
    uint16_t len;                /* bytes */
    uint32_t cost;               /* sum of the instructions' model cycles */
    uint32_t lead_cost;          /* cost of all but the last instruction */
    uint64_t gen;                /* validity token (page generation / epoch) when checked */
    struct vt_jit_block *native; /* its translation (x86_translate.c), or NULL */
    uint8_t flat;                /* segments native assumes flat (x86_jit_flat_assumed) */
    uint8_t bytes[VT_X86_BLOCK_MAX * 15];
    x86_insn insn[VT_X86_BLOCK_MAX];
} x86_block;

static inline uint64_t x86_block_tag(uint32_t la, bool code32) {
    return la | (uint64_t)(code32 ? 3 : 1) << 32;
}

/* X86_BLOCK_END_BRANCH or _SERIAL when executing i may leave straight-line flow or change what
 * later instructions mean (CS, TF/IF, control registers, the interrupt shadow); else 0. */
int x86_block_ends_after(const x86_insn *i);

/* Decodes the block at CS:eip whose first byte is at host pointer code (a TLB hit for EXEC).
 * Never raises: an instruction that would fault while decoding ends the block before it.
 * Leaves eip, CR2 and the pending trap as they were. Returns the number of instructions. */
unsigned x86_block_form(x86_cpu *c, x86_block *b, uint32_t eip, const uint8_t *code);

#endif
