/* x86-64 instruction encoder (see x64_emit.h). Every instruction goes through emit_insn, which
 * writes the legacy 66 prefix, REX, opcode, ModRM/SIB and displacement in that order (Intel SDM
 * vol. 2, 2.1 and 2.2.1: REX.W/R/X/B, the SIB byte for RSP/R12 bases, disp8 for RBP/R13). */
#include "jit/x64_emit.h"

void vt_x64_init(vt_x64_emitter *e, uint8_t *buf, size_t cap) {
    e->buf = buf;
    e->cap = cap;
    e->len = 0;
    e->overflow = false;
    e->store_end = SIZE_MAX;
    e->owner = NULL;
}

/* The load would re-read what the previous instruction stored from the same register. */
static bool reload(const vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_mem m) {
    return e->store_end == e->len && e->store_src == dst && e->store_size == sz &&
           e->store_at.base == m.base && e->store_at.index == m.index &&
           e->store_at.scale == m.scale && e->store_at.disp == m.disp;
}

void vt_x64_byte(vt_x64_emitter *e, uint8_t b) {
    if (e->len < e->cap)
        e->buf[e->len] = b;
    else
        e->overflow = true;
    e->len++;
}

void vt_x64_bytes(vt_x64_emitter *e, const void *p, size_t n) {
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        vt_x64_byte(e, b[i]);
}

void vt_x64_u32(vt_x64_emitter *e, uint32_t v) {
    for (int i = 0; i < 4; i++)
        vt_x64_byte(e, (uint8_t)(v >> (8 * i)));
}

/* An immediate of the operation's size (8-byte operations take a sign-extended imm32). */
static void emit_imm(vt_x64_emitter *e, vt_x64_size sz, int32_t imm) {
    vt_x64_byte(e, (uint8_t)imm);
    if (sz == 1) return;
    vt_x64_byte(e, (uint8_t)(imm >> 8));
    if (sz == 2) return;
    vt_x64_byte(e, (uint8_t)(imm >> 16));
    vt_x64_byte(e, (uint8_t)(imm >> 24));
}

void vt_x64_align(vt_x64_emitter *e, unsigned to) {
    while (e->len % to)
        vt_x64_byte(e, 0x90);
}

/* The r/m side of an instruction: a register or a memory operand. */
typedef struct rm_operand {
    bool is_mem;
    bool rex; /* a REX prefix even without bits: a byte access to SPL..DIL */
    vt_x64_reg r;
    vt_x64_mem m;
} rm_operand;

static rm_operand rm_reg(vt_x64_reg r) {
    return (rm_operand){false, false, r, {VT_X64_NOREG, VT_X64_NOREG, 1, 0}};
}
/* A direct operand (vt_x64_direct) becomes its register; one of RSP..RDI takes a REX prefix,
 * which changes nothing for wider operations and makes a byte operation mean its low byte. */
static rm_operand rm_mem(vt_x64_mem m) {
    if (vt_x64_is_direct(m))
        return (rm_operand){false, m.base >= VT_X64_RSP && m.base <= VT_X64_RDI, m.base, m};
    return (rm_operand){true, false, VT_X64_NOREG, m};
}

static bool fits_i8(int64_t v) {
    return v >= -128 && v <= 127;
}
static bool fits_i32(int64_t v) {
    return v >= INT32_MIN && v <= INT32_MAX;
}

static uint8_t scale_bits(uint8_t scale) {
    return scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;
}

/* One instruction: [66] [REX] opcode ModRM [SIB] [disp]. `reg` is the ModRM reg field (a
 * register number or an opcode extension /digit); `byte_regs` forces a REX prefix so byte
 * registers 4..7 mean SPL/BPL/SIL/DIL rather than AH/CH/DH/BH. */
static void emit_insn(vt_x64_emitter *e, vt_x64_size sz, bool byte_regs, const uint8_t *op,
                      size_t oplen, unsigned reg, rm_operand rm) {
    if (sz == 2) vt_x64_byte(e, 0x66);
    unsigned rex = (sz == 8 ? 8u : 0u) | (reg & 8 ? 4u : 0u);
    if (rm.is_mem) {
        if (rm.m.index != VT_X64_NOREG && (rm.m.index & 8)) rex |= 2;
        if (rm.m.base & 8) rex |= 1;
    } else if (rm.r & 8) {
        rex |= 1;
    }
    if (rex || byte_regs || rm.rex) vt_x64_byte(e, (uint8_t)(0x40 | rex));
    vt_x64_bytes(e, op, oplen);
    if (!rm.is_mem) {
        vt_x64_byte(e, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm.r & 7)));
        return;
    }
    vt_x64_mem m = rm.m;
    unsigned base = (unsigned)m.base & 7;
    /* mod 00 with base 101 means RIP/disp32, so RBP/R13 always carry a displacement */
    unsigned mod = (m.disp == 0 && base != 5) ? 0 : fits_i8(m.disp) ? 1 : 2;
    bool sib = m.index != VT_X64_NOREG || base == 4;
    vt_x64_byte(e, (uint8_t)(mod << 6 | (reg & 7) << 3 | (sib ? 4 : base)));
    if (sib) {
        unsigned idx = m.index == VT_X64_NOREG ? 4 : ((unsigned)m.index & 7);
        vt_x64_byte(e, (uint8_t)(scale_bits(m.scale) << 6 | idx << 3 | base));
    }
    if (mod == 1) vt_x64_byte(e, (uint8_t)(int8_t)m.disp);
    if (mod == 2) vt_x64_u32(e, (uint32_t)m.disp);
}

static void emit1(vt_x64_emitter *e, vt_x64_size sz, uint8_t op, unsigned reg, rm_operand rm) {
    emit_insn(e, sz, false, &op, 1, reg, rm);
}
static void emit2(vt_x64_emitter *e, vt_x64_size sz, uint8_t op2, unsigned reg, rm_operand rm) {
    const uint8_t op[2] = {0x0f, op2};
    emit_insn(e, sz, false, op, 2, reg, rm);
}
/* Byte registers 4..7 need a REX prefix to name SPL..DIL. */
static bool is_high_byte_alias(vt_x64_reg r) {
    return r >= VT_X64_RSP && r <= VT_X64_RDI;
}

/* An opcode with a w bit (bit 0: 1 = 16/32/64-bit operands, 0 = byte operands), e.g. 89/88,
 * 81/80, F7/F6. `reg_is_reg` says whether the ModRM reg field names a register. */
static void emit_w(vt_x64_emitter *e, vt_x64_size sz, uint8_t op, unsigned reg, bool reg_is_reg,
                   rm_operand rm) {
    if (sz != 1) {
        emit1(e, sz, op, reg, rm);
        return;
    }
    uint8_t op8 = (uint8_t)(op & ~1u);
    bool byte_regs = (reg_is_reg && is_high_byte_alias((vt_x64_reg)reg)) ||
                     (!rm.is_mem && is_high_byte_alias(rm.r));
    emit_insn(e, 1, byte_regs, &op8, 1, reg, rm);
}

/* ---- moves ---- */

void vt_x64_mov_rr(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_reg src) {
    emit_w(e, sz, 0x89, src, true, rm_reg(dst));
}

void vt_x64_mov_ri(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, uint64_t imm) {
    if (sz != 8 || imm <= UINT32_MAX) { /* mov r32, imm32 zero-extends into the full register */
        if (dst & 8) vt_x64_byte(e, 0x41);
        vt_x64_byte(e, (uint8_t)(0xb8 + (dst & 7)));
        vt_x64_u32(e, (uint32_t)imm);
    } else if (fits_i32((int64_t)imm)) {
        emit1(e, 8, 0xc7, 0, rm_reg(dst));
        vt_x64_u32(e, (uint32_t)imm);
    } else {
        vt_x64_byte(e, (uint8_t)(0x48 | (dst & 8 ? 1 : 0)));
        vt_x64_byte(e, (uint8_t)(0xb8 + (dst & 7)));
        vt_x64_u32(e, (uint32_t)imm);
        vt_x64_u32(e, (uint32_t)(imm >> 32));
    }
}

void vt_x64_load(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_mem m) {
    if (sz < 4) {
        vt_x64_load_zx(e, sz, dst, m);
        return;
    }
    if (!reload(e, sz, dst, m)) emit1(e, sz, 0x8b, dst, rm_mem(m));
}

void vt_x64_load_zx(vt_x64_emitter *e, vt_x64_size from, vt_x64_reg dst, vt_x64_mem m) {
    if (from >= 4) {
        if (!reload(e, from, dst, m)) emit1(e, from, 0x8b, dst, rm_mem(m));
    } else {
        emit2(e, 4, from == 1 ? 0xb6 : 0xb7, dst, rm_mem(m));
    }
}

void vt_x64_load_sx(vt_x64_emitter *e, vt_x64_size from, vt_x64_size to, vt_x64_reg dst,
                    vt_x64_mem m) {
    if (from == 4)
        emit1(e, 8, 0x63, dst, rm_mem(m)); /* MOVSXD */
    else
        emit2(e, to, from == 1 ? 0xbe : 0xbf, dst, rm_mem(m));
}

void vt_x64_store(vt_x64_emitter *e, vt_x64_size sz, vt_x64_mem m, vt_x64_reg src) {
    emit_w(e, sz, 0x89, src, true, rm_mem(m));
    if (sz < 4) return;
    e->store_end = e->len;
    e->store_at = m;
    e->store_src = src;
    e->store_size = sz;
}

void vt_x64_store_i(vt_x64_emitter *e, vt_x64_size sz, vt_x64_mem m, int32_t imm) {
    emit_w(e, sz, 0xc7, 0, false, rm_mem(m));
    emit_imm(e, sz, imm);
}

void vt_x64_lea(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_mem m) {
    emit1(e, sz, 0x8d, dst, rm_mem(m));
}

void vt_x64_movzx_rr(vt_x64_emitter *e, vt_x64_size from, vt_x64_reg dst, vt_x64_reg src) {
    if (from >= 4) {
        vt_x64_mov_rr(e, 4, dst, src);
        return;
    }
    const uint8_t op[2] = {0x0f, from == 1 ? 0xb6 : 0xb7};
    emit_insn(e, 4, from == 1 && is_high_byte_alias(src), op, 2, dst, rm_reg(src));
}

void vt_x64_movsx_rr(vt_x64_emitter *e, vt_x64_size from, vt_x64_size to, vt_x64_reg dst,
                     vt_x64_reg src) {
    if (from == 4) {
        emit1(e, 8, 0x63, dst, rm_reg(src));
        return;
    }
    const uint8_t op[2] = {0x0f, from == 1 ? 0xbe : 0xbf};
    emit_insn(e, to, from == 1 && is_high_byte_alias(src), op, 2, dst, rm_reg(src));
}

/* ---- ALU ---- */

void vt_x64_alu_rr(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_reg dst,
                   vt_x64_reg src) {
    emit_w(e, sz, (uint8_t)(op << 3 | 1), src, true, rm_reg(dst));
}

static void alu_imm(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, rm_operand rm, int32_t imm) {
    if (sz != 1 && fits_i8(imm)) {
        emit1(e, sz, 0x83, op, rm);
        vt_x64_byte(e, (uint8_t)(int8_t)imm);
    } else {
        emit_w(e, sz, 0x81, op, false, rm);
        emit_imm(e, sz, imm);
    }
}

void vt_x64_alu_ri(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_reg dst, int32_t imm) {
    alu_imm(e, op, sz, rm_reg(dst), imm);
}

void vt_x64_alu_rm(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_reg dst, vt_x64_mem m) {
    emit_w(e, sz, (uint8_t)(op << 3 | 3), dst, true, rm_mem(m));
}

void vt_x64_alu_mr(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_mem m, vt_x64_reg src) {
    emit_w(e, sz, (uint8_t)(op << 3 | 1), src, true, rm_mem(m));
}

void vt_x64_alu_mi(vt_x64_emitter *e, vt_x64_alu op, vt_x64_size sz, vt_x64_mem m, int32_t imm) {
    alu_imm(e, op, sz, rm_mem(m), imm);
}

void vt_x64_test_rr(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg a, vt_x64_reg b) {
    emit_w(e, sz, 0x85, b, true, rm_reg(a));
}

void vt_x64_test_ri(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg a, int32_t imm) {
    emit_w(e, sz, 0xf7, 0, false, rm_reg(a));
    emit_imm(e, sz, imm);
}

void vt_x64_not(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r) {
    emit_w(e, sz, 0xf7, 2, false, rm_reg(r));
}

void vt_x64_neg(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r) {
    emit_w(e, sz, 0xf7, 3, false, rm_reg(r));
}

void vt_x64_inc(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r) {
    emit_w(e, sz, 0xff, 0, false, rm_reg(r));
}

void vt_x64_dec(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r) {
    emit_w(e, sz, 0xff, 1, false, rm_reg(r));
}

void vt_x64_imul_rr(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg dst, vt_x64_reg src) {
    emit2(e, sz, 0xaf, dst, rm_reg(src));
}

void vt_x64_mul_r(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r) {
    emit_w(e, sz, 0xf7, 4, false, rm_reg(r));
}

/* ---- shifts, bits ---- */

void vt_x64_shift_ri(vt_x64_emitter *e, vt_x64_shift op, vt_x64_size sz, vt_x64_reg r,
                     uint8_t count) {
    emit_w(e, sz, 0xc1, op, false, rm_reg(r));
    vt_x64_byte(e, count);
}

void vt_x64_shift_rcl(vt_x64_emitter *e, vt_x64_shift op, vt_x64_size sz, vt_x64_reg r) {
    emit_w(e, sz, 0xd3, op, false, rm_reg(r));
}

void vt_x64_bt_ri(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r, uint8_t bit) {
    emit2(e, sz, 0xba, 4, rm_reg(r));
    vt_x64_byte(e, bit);
}

void vt_x64_bswap(vt_x64_emitter *e, vt_x64_size sz, vt_x64_reg r) {
    unsigned rex = (sz == 8 ? 8u : 0u) | (r & 8 ? 1u : 0u);
    if (rex) vt_x64_byte(e, (uint8_t)(0x40 | rex));
    vt_x64_byte(e, 0x0f);
    vt_x64_byte(e, (uint8_t)(0xc8 + (r & 7)));
}

void vt_x64_setcc(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_reg r) {
    const uint8_t op[2] = {0x0f, (uint8_t)(0x90 + cc)};
    emit_insn(e, 4, is_high_byte_alias(r), op, 2, 0, rm_reg(r));
}

void vt_x64_setcc_m(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_mem m) {
    emit2(e, 4, (uint8_t)(0x90 + cc), 0, rm_mem(m));
}

void vt_x64_cmov(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_size sz, vt_x64_reg dst,
                 vt_x64_reg src) {
    emit2(e, sz, (uint8_t)(0x40 + cc), dst, rm_reg(src));
}

void vt_x64_cmc(vt_x64_emitter *e) {
    vt_x64_byte(e, 0xf5);
}
void vt_x64_stc(vt_x64_emitter *e) {
    vt_x64_byte(e, 0xf9);
}
void vt_x64_clc(vt_x64_emitter *e) {
    vt_x64_byte(e, 0xf8);
}

void vt_x64_pushf(vt_x64_emitter *e) {
    vt_x64_byte(e, 0x9c);
}
void vt_x64_popf(vt_x64_emitter *e) {
    vt_x64_byte(e, 0x9d);
}

/* ---- control flow ---- */

static int32_t read_i32(const uint8_t *p) {
    return (int32_t)load_le32(p);
}

/* The rel32 field just emitted: resolved now when l is bound, else linked into its list. */
static void label_ref(vt_x64_emitter *e, vt_x64_label *l) {
    int64_t field = (int64_t)e->len;
    if (l->pos >= 0) {
        vt_x64_u32(e, (uint32_t)(int32_t)(l->pos - (field + 4)));
    } else {
        vt_x64_u32(e, (uint32_t)(int32_t)l->pending);
        l->pending = field;
    }
}

void vt_x64_bind(vt_x64_emitter *e, vt_x64_label *l) {
    l->pos = (int64_t)e->len;
    e->store_end = SIZE_MAX; /* another path may arrive here */
    int64_t field = l->pending;
    while (field >= 0 && (size_t)field + 4 <= e->cap && !e->overflow) {
        int64_t prev = read_i32(e->buf + field);
        store_le32(e->buf + field, (uint32_t)(int32_t)(l->pos - (field + 4)));
        field = prev;
    }
    l->pending = -1;
}

void vt_x64_jmp(vt_x64_emitter *e, vt_x64_label *l) {
    vt_x64_byte(e, 0xe9);
    label_ref(e, l);
}

void vt_x64_jcc(vt_x64_emitter *e, vt_x64_cond cc, vt_x64_label *l) {
    vt_x64_byte(e, 0x0f);
    vt_x64_byte(e, (uint8_t)(0x80 + cc));
    label_ref(e, l);
}

bool vt_x64_rel32_reaches(const void *from, const void *to) {
    return fits_i32((intptr_t)to - (intptr_t)from);
}

int64_t vt_x64_jmp_abs(vt_x64_emitter *e, const void *target) {
    vt_x64_byte(e, 0xe9);
    int64_t field = (int64_t)e->len;
    const uint8_t *next = e->buf + field + 4;
    if (!vt_x64_rel32_reaches(next, target)) {
        e->overflow = true; /* the caller's arena is larger than rel32 allows: cannot encode */
        return -1;
    }
    vt_x64_u32(e, (uint32_t)((intptr_t)target - (intptr_t)next));
    return e->overflow ? -1 : field;
}

void vt_x64_jmp_r(vt_x64_emitter *e, vt_x64_reg r) {
    emit1(e, 4, 0xff, 4, rm_reg(r));
}

void vt_x64_call(vt_x64_emitter *e, const void *fn) {
    const uint8_t *next = e->buf + e->len + 5;
    if (vt_x64_rel32_reaches(next, fn)) {
        vt_x64_byte(e, 0xe8);
        vt_x64_u32(e, (uint32_t)((intptr_t)fn - (intptr_t)next));
        return;
    }
    vt_x64_mov_ri(e, 8, VT_X64_RAX, (uint64_t)(uintptr_t)fn);
    vt_x64_call_r(e, VT_X64_RAX);
}

void vt_x64_call_r(vt_x64_emitter *e, vt_x64_reg r) {
    emit1(e, 4, 0xff, 2, rm_reg(r));
}

void vt_x64_ret(vt_x64_emitter *e) {
    vt_x64_byte(e, 0xc3);
}

void vt_x64_push(vt_x64_emitter *e, vt_x64_reg r) {
    if (r & 8) vt_x64_byte(e, 0x41);
    vt_x64_byte(e, (uint8_t)(0x50 + (r & 7)));
}

void vt_x64_pop(vt_x64_emitter *e, vt_x64_reg r) {
    if (r & 8) vt_x64_byte(e, 0x41);
    vt_x64_byte(e, (uint8_t)(0x58 + (r & 7)));
}

void vt_x64_int3(vt_x64_emitter *e) {
    vt_x64_byte(e, 0xcc);
}

bool vt_x64_patch_rel32(uint8_t *field, const void *target) {
    if (!vt_x64_rel32_reaches(field + 4, target)) return false;
    store_le32(field, (uint32_t)((intptr_t)target - (intptr_t)(field + 4)));
    return true;
}
