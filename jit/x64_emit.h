/* A small x86-64 machine-code emitter shared by the guest translators (ARM, x86): registers,
 * moves, ALU, shifts, compares, setcc/cmovcc, jumps and calls, memory operands
 * base + index*scale + disp (usually a guest-state pointer plus a field offset), labels with
 * forward references and rel32 patching for block chaining. Encodings follow the Intel SDM
 * vol. 2 (chapter 2, "Instruction Format"; the opcode tables of appendix A); hwdocs/jit.md. */
#ifndef VT_JIT_X64_EMIT_H
#define VT_JIT_X64_EMIT_H

#include "core/common.h"

typedef enum vt_x64_reg {
    VT_X64_RAX = 0,
    VT_X64_RCX,
    VT_X64_RDX,
    VT_X64_RBX,
    VT_X64_RSP,
    VT_X64_RBP,
    VT_X64_RSI,
    VT_X64_RDI,
    VT_X64_R8,
    VT_X64_R9,
    VT_X64_R10,
    VT_X64_R11,
    VT_X64_R12,
    VT_X64_R13,
    VT_X64_R14,
    VT_X64_R15,
    VT_X64_NOREG = -1,  /* no index register in a memory operand */
    VT_X64_DIRECT = -2, /* as the index: the operand is the base register itself */
} vt_x64_reg;

/* Condition codes in the order of their encoding (Jcc = 0F 80+cc, SETcc = 0F 90+cc). */
typedef enum vt_x64_cond {
    VT_X64_CC_O = 0,
    VT_X64_CC_NO,
    VT_X64_CC_B, /* unsigned <, CF=1 */
    VT_X64_CC_AE,
    VT_X64_CC_E,
    VT_X64_CC_NE,
    VT_X64_CC_BE,
    VT_X64_CC_A,
    VT_X64_CC_S,
    VT_X64_CC_NS,
    VT_X64_CC_P,
    VT_X64_CC_NP,
    VT_X64_CC_L,
    VT_X64_CC_GE,
    VT_X64_CC_LE,
    VT_X64_CC_G,
} vt_x64_cond;

/* The eight classic ALU operations (the /digit of opcodes 80/81/83 and the op<<3 row). */
typedef enum vt_x64_alu {
    VT_X64_ADD = 0,
    VT_X64_OR = 1,
    VT_X64_ADC = 2,
    VT_X64_SBB = 3,
    VT_X64_AND = 4,
    VT_X64_SUB = 5,
    VT_X64_XOR = 6,
    VT_X64_CMP = 7,
} vt_x64_alu;

/* Shift/rotate group (the /digit of C1/D3). */
typedef enum vt_x64_shift {
    VT_X64_ROL = 0,
    VT_X64_ROR = 1,
    VT_X64_RCL = 2,
    VT_X64_RCR = 3,
    VT_X64_SHL = 4,
    VT_X64_SHR = 5,
    VT_X64_SAR = 7,
} vt_x64_shift;

/* Operand size of an operation in bytes: 1, 2, 4 or 8 (lea, imul, cmov: 2, 4 or 8). */
typedef unsigned vt_x64_size;

/* A memory operand: [base + index*scale + disp]. index VT_X64_NOREG for none; scale 1/2/4/8.
 * index VT_X64_DIRECT makes it a register operand (ModRM mod 11) instead: the same instruction
 * then acts on the register `base` at the operation's size (not for LEA). A translator hands
 * such an operand to code written for memory when it keeps a guest register in a host one. */
typedef struct vt_x64_mem {
    vt_x64_reg base;
    vt_x64_reg index;
    uint8_t scale;
    int32_t disp;
} vt_x64_mem;

static inline vt_x64_mem vt_x64_at(vt_x64_reg base, int32_t disp) {
    return (vt_x64_mem){base, VT_X64_NOREG, 1, disp};
}
static inline vt_x64_mem vt_x64_direct(vt_x64_reg r) {
    return (vt_x64_mem){r, VT_X64_DIRECT, 1, 0};
}
static inline bool vt_x64_is_direct(vt_x64_mem m) {
    return m.index == VT_X64_DIRECT;
}
static inline vt_x64_mem vt_x64_at_index(vt_x64_reg base, vt_x64_reg index, uint8_t scale,
                                         int32_t disp) {
    return (vt_x64_mem){base, index, scale, disp};
}

/* Emits into a caller-owned buffer. Running out of room sets `overflow` and stops writing
 * (len keeps counting), so a translator emits a whole block and checks once at the end.
 * A 32/64-bit load of a register from the place the instruction just before it stored that
 * same register to (nothing emitted or bound in between) is dropped: the register already
 * holds the value, and the reload would only add a store-forwarding delay. */
typedef struct vt_x64_emitter {
    uint8_t *buf;
    size_t cap;
    size_t len;
    bool overflow;
    size_t store_end; /* len just after the last register store, SIZE_MAX when none */
    vt_x64_mem store_at;
    vt_x64_reg store_src;
    vt_x64_size store_size;
    void *owner; /* the translator's context for code that only has the emitter; NULL */
} vt_x64_emitter;

/* A jump target inside one emitter. Unbound labels chain their pending rel32 fields through
 * the fields themselves, so a label needs no allocation. */
typedef struct vt_x64_label {
    int64_t pos;     /* bound offset, -1 while unbound */
    int64_t pending; /* offset of the last unresolved rel32 field, -1 when none */
} vt_x64_label;

void vt_x64_init(vt_x64_emitter *e, uint8_t *buf, size_t cap);
static inline vt_x64_label vt_x64_label_new(void) {
    return (vt_x64_label){-1, -1};
}
/* Binds l to the current position and resolves every pending jump to it. */
void vt_x64_bind(vt_x64_emitter *e, vt_x64_label *l);
/* True when every label use was resolved (call after binding all labels of a block). */
static inline bool vt_x64_label_done(const vt_x64_label *l) {
    return l->pending < 0;
}

/* Raw bytes (prefixes, rare opcodes) and alignment padding with NOPs. */
void vt_x64_byte(vt_x64_emitter *e, uint8_t b);
void vt_x64_bytes(vt_x64_emitter *e, const void *p, size_t n);
void vt_x64_u32(vt_x64_emitter *e, uint32_t v);
void vt_x64_align(vt_x64_emitter *e, unsigned to);

/* Moves. Loads of 1/2 bytes zero- (or sign-) extend to 32 or 64 bits (size = destination). */
void vt_x64_mov_rr(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_reg src);
void vt_x64_mov_ri(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, uint64_t imm);
void vt_x64_load(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_mem m);
void vt_x64_load_zx(vt_x64_emitter *e, vt_x64_size from, vt_x64_reg dst, vt_x64_mem m);
void vt_x64_load_sx(vt_x64_emitter *e, vt_x64_size from, vt_x64_size to, vt_x64_reg dst,
                    vt_x64_mem m);
void vt_x64_store(vt_x64_emitter *e, vt_x64_size sz, vt_x64_mem m, vt_x64_reg src);
/* Stores a sign-extended 32-bit immediate (sz 1, 2: truncated; 8: sign-extended). */
void vt_x64_store_i(vt_x64_emitter *e, vt_x64_size sz, vt_x64_mem m, int32_t imm);
void vt_x64_lea(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_mem m);
/* Register-to-register zero/sign extension of the low `from` bytes (1 or 2, or 4 -> 8 signed). */
void vt_x64_movzx_rr(vt_x64_emitter *e, vt_x64_size from, vt_x64_reg dst, vt_x64_reg src);
void vt_x64_movsx_rr(vt_x64_emitter *e, vt_x64_size from, vt_x64_size to, vt_x64_reg dst,
                     vt_x64_reg src);

/* ALU: dst = dst op src / imm / [m]; [m] = [m] op src / imm. Immediates are sign-extended
 * 32-bit values (the short imm8 form is chosen when it fits). */
void vt_x64_alu_rr(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_reg dst,
                   vt_x64_reg src);
void vt_x64_alu_ri(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_reg dst, int32_t imm);
void vt_x64_alu_rm(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_reg dst, vt_x64_mem m);
void vt_x64_alu_mr(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_mem m, vt_x64_reg src);
void vt_x64_alu_mi(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_mem m, int32_t imm);
void vt_x64_test_rr(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg a, vt_x64_reg b);
void vt_x64_test_ri(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg a, int32_t imm);
void vt_x64_not(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r);
void vt_x64_neg(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r);
/* INC/DEC r: every arithmetic flag but CF, which they keep. */
void vt_x64_inc(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r);
void vt_x64_dec(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r);
/* dst = dst * src (signed, low half; the low half is the same for unsigned). */
void vt_x64_imul_rr(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_reg src);
/* Unsigned RDX:RAX = RAX * r (sz 4: EDX:EAX) — the 64-bit products of UMULL-style insns. */
void vt_x64_mul_r(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r);

/* Shifts by an immediate (count masked by the CPU to 5/6 bits) or by CL. */
void vt_x64_shift_ri(vt_x64_emitter *e, vt_x64_shift op, vt_x64_size sz, vt_x64_reg r,
                     uint8_t count);
void vt_x64_shift_rcl(vt_x64_emitter *e, vt_x64_shift op, vt_x64_size sz, vt_x64_reg r);
/* Bit test (CF = bit `bit` of r), byte swap. */
void vt_x64_bt_ri(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r, uint8_t bit);
void vt_x64_bswap(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r);

/* SETcc into the low byte of r (upper bits unchanged: zero r first or movzx after). */
void vt_x64_setcc(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_reg r);
/* SETcc into a byte in memory. */
void vt_x64_setcc_m(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_mem m);
void vt_x64_cmov(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_size sz, vt_x64_reg dst, vt_x64_reg src);
/* CMC / STC / CLC: the host carry flag, for ARM's inverted borrow. */
void vt_x64_cmc(vt_x64_emitter *e);
void vt_x64_stc(vt_x64_emitter *e);
void vt_x64_clc(vt_x64_emitter *e);
/* PUSHFQ: the host RFLAGS onto the host stack (pop it into a register to read SF/ZF/PF/CF at
 * once, e.g. for a guest's eagerly computed flags). */
void vt_x64_pushf(vt_x64_emitter *e);
/* POPFQ: RFLAGS from the host stack (push a guest's arithmetic flags, popf, then SETcc/Jcc
 * decide a guest condition with the host's own condition logic). */
void vt_x64_popf(vt_x64_emitter *e);

/* Control flow. Jumps to labels always use rel32 so every jump site can be patched. */
void vt_x64_jmp(vt_x64_emitter *e, vt_x64_label *l);
void vt_x64_jcc(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_label *l);
/* A rel32 jump to an absolute host address (must lie within +-2 GiB of the code); returns the
 * offset of its rel32 field for vt_x64_patch_rel32, or -1 when out of range / no room. */
int64_t vt_x64_jmp_abs(vt_x64_emitter *e, const void *target);
void vt_x64_jmp_r(vt_x64_emitter *e, vt_x64_reg r);
/* Calls a host function: rel32 when reachable from the emitted code's final address, else
 * through RAX (so RAX is clobbered, as it is by any call). */
void vt_x64_call(vt_x64_emitter *e, const void *fn);
void vt_x64_call_r(vt_x64_emitter *e, vt_x64_reg r);
void vt_x64_ret(vt_x64_emitter *e);
void vt_x64_push(vt_x64_emitter *e, vt_x64_reg r);
void vt_x64_pop(vt_x64_emitter *e, vt_x64_reg r);
void vt_x64_int3(vt_x64_emitter *e);

/* Re-targets the rel32 field at `field` (an address in executable code) so the jump lands on
 * `target`. False when the distance does not fit in 32 bits. The caller handles W^X. */
bool vt_x64_patch_rel32(uint8_t *field, const void *target) VT_MUST_CHECK;
/* True when a rel32 from code at `from` can reach `to`. */
bool vt_x64_rel32_reaches(const void *from, const void *to);

#endif
