/* Flag liveness inside an x86 JIT block: the flags an instruction writes are dead when a later
 * instruction of the same block rewrites the whole flag state before anything can read it,
 * fault or leave the block. Then the native form skips computing them, and the guest state is
 * still the interpreter's at every point where it can be seen: a lazy record (cc_op != CC_EAGER)
 * makes EFLAGS' arithmetic bits meaningless and an eager one makes cc_res/cc_a/cc_b/cc_size
 * meaningless (core/cpu/x86/x86_flags.c reads them only that way; savestate and get_reg go
 * through x86_get_flags). Only register-only native instructions are looked through: they can
 * neither fault nor leave, and translated code runs a block whole or not at all. A rotate or a
 * BT whose own flags are dead reads none either, so it is looked through too. */
#include "jit/x86_translate_int.h"

enum { ADC = 2, SBB = 3 };

/* Neither reads nor writes the arithmetic flags and cannot fault or leave: register moves and
 * conversions, CLD/STD. */
static bool transparent(const x86_insn *j) {
    unsigned op = j->opc;
    if (op == 0x8D)
        return j->mem && j->osize == 4 && j->asize == 4; /* LEA: no access (mod 3: #UD) */
    if (j->mem) return false;
    return (op >= 0x88 && op <= 0x8B) || (op >= 0x90 && op <= 0x99) || (op >= 0xB0 && op <= 0xBF) ||
           op == 0x86 || op == 0x87 || op == 0x1B6 || op == 0x1B7 || op == 0x1BE || op == 0x1BF ||
           (op >= 0x1C8 && op <= 0x1CF) || ((op == 0xC6 || op == 0xC7) && j->reg == 0) ||
           ((op == 0xF6 || op == 0xF7) && j->reg == 2) || op == 0xFC || op == 0xFD; /* CLD, STD */
}

/* Writes the whole flag state without reading it (register or memory operand). */
static bool writes_all_flags(const x86_insn *j) {
    unsigned op = j->opc;
    if (op < 0x40 && (op & 7) < 6) return (op >> 3) != ADC && (op >> 3) != SBB;
    if (op >= 0x80 && op <= 0x83) return j->reg != ADC && j->reg != SBB;
    if (op == 0x84 || op == 0x85 || op == 0xA8 || op == 0xA9) return true;
    if (op == 0xF6 || op == 0xF7) return j->reg <= 1 || j->reg == 3;          /* TEST, NEG */
    if (op == 0xC0 || op == 0xC1) return j->reg >= 4 && (j->imm & 0x1F) != 0; /* shifts */
    if (op == 0xD0 || op == 0xD1) return j->reg >= 4;
    if ((op == 0x1A4 || op == 0x1AC) && j->osize == 4) return (j->imm & 0x1F) != 0; /* SHxD */
    return op == 0x1AF || op == 0x69 || op == 0x6B;                                 /* IMUL */
}

/* Writes the whole flag state without reading it, from registers only (cannot fault). */
static bool full_writer(const x86_insn *j) {
    return !j->mem && writes_all_flags(j);
}

/* Reads the flags only to compute its own (rotates keep SF/ZF/AF/PF, BT and CLC/STC/CMC all but
 * CF), from registers only: when its own flags are dead it neither reads nor writes any. */
static bool reads_for_own_flags(const x86_insn *j) {
    unsigned op = j->opc;
    if (j->mem) return false;
    if ((op >= 0xC0 && op <= 0xC1) || (op >= 0xD0 && op <= 0xD3)) return j->reg <= 1;
    return op == 0x1A3 || op == 0x1AB || op == 0x1B3 || op == 0x1BB ||
           (op == 0x1BA && j->reg >= 4) || op == 0xF5 || op == 0xF8 ||
           op == 0xF9; /* CMC, CLC, STC */
}

bool x86_jit_flags_dead(const x86_insn *i, const x86_insn *end) {
    for (const x86_insn *j = i + 1; j < end; j++) {
        if (j->lock) return false;
        if (full_writer(j)) return true;
        if (transparent(j)) continue;
        if (!reads_for_own_flags(j) || !x86_jit_flags_dead(j, end)) return false;
    }
    return false; /* live at the block's end */
}

/* A move between a register and memory with no flags: 88-8B, C6/C7 /0, MOVZX/MOVSX, A0-A3 and
 * PUSH/POP r. Its access may take a slow path (which rebuilds a pending record first). */
static bool memory_move(const x86_insn *j) {
    unsigned op = j->opc;
    if (op >= 0x50 && op <= 0x5F) return true;
    if (op >= 0xA0 && op <= 0xA3) return true;
    if (!j->mem) return false;
    return (op >= 0x88 && op <= 0x8B) || ((op == 0xC6 || op == 0xC7) && j->reg == 0) ||
           op == 0x1B6 || op == 0x1B7 || op == 0x1BE || op == 0x1BF;
}

/* The record kind (0-7 the ALU row, 8 TEST, X86_JIT_PENDING_REPLAY a shift) of a 32-bit
 * register or immediate ADD OR AND SUB XOR CMP TEST, or of a 32-bit register SHL/SHR/SAR by a
 * constant; -1 for anything else. */
static int deferrable_op(const x86_insn *i) {
    unsigned op = i->opc;
    int row;
    if (i->mem || i->lock || i->osize != 4) return -1;
    if (op < 0x40 && (op & 7) < 6 && (op & 1))
        row = (int)(op >> 3);
    else if (op == 0x81 || op == 0x83)
        row = i->reg;
    else if (op == 0x85 || op == 0xA9 || (op == 0xF7 && i->reg == 0))
        return 8;
    else if ((op == 0xD1 || (op == 0xC1 && (i->imm & 0x1F))) &&
             (i->reg == 4 || i->reg == 5 || i->reg == 7))
        return X86_JIT_PENDING_REPLAY;
    else
        return -1;
    return row == 2 || row == 3 ? -1 : row; /* ADC/SBB: their carry-in is gone */
}

/* BT/BTS/BTR/BTC: their bodies use R11, which holds a pending record's source. */
static bool bit_op(const x86_insn *j) {
    unsigned op = j->opc;
    return op == 0x1A3 || op == 0x1AB || op == 0x1B3 || op == 0x1BB || op == 0x1BA;
}

bool x86_jit_flags_deferred(const x86_insn *i, const x86_insn *end, x86_jit_pending *p) {
    int op = deferrable_op(i);
    if (op < 0) return false;
    for (const x86_insn *j = i + 1; j < end; j++) {
        if (j->lock) return false;
        if (writes_all_flags(j)) {
            *p = (x86_jit_pending){.until = j, .op = (uint8_t)op};
            return true;
        }
        bool quiet = transparent(j) || memory_move(j) ||
                     (reads_for_own_flags(j) && !bit_op(j) && x86_jit_flags_dead(j, end));
        if (!quiet) return false;
    }
    return false;
}
