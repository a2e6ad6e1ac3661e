/* The x86-64 emitter: byte-exact encodings (checked against GNU as 2.40 / objdump; where the
 * assembler picks a short accumulator form the emitter's general ModRM form is listed), labels
 * and patching, and execution of emitted ALU/shift/flag code against C on many operands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "jit/jit_cache.h"

static void hex(const vt_x64_emitter *e, char *out) {
    out[0] = 0;
    for (size_t i = 0; i < e->len; i++)
        sprintf(out + strlen(out), "%s%02x", i ? " " : "", e->buf[i]);
}

#define ENC(expect, ...)                                                                           \
    do {                                                                                           \
        uint8_t buf_[32];                                                                          \
        char got_[128];                                                                            \
        vt_x64_emitter e_;                                                                         \
        vt_x64_init(&e_, buf_, sizeof buf_);                                                       \
        vt_x64_emitter *e = &e_;                                                                   \
        __VA_ARGS__;                                                                               \
        hex(e, got_);                                                                              \
        assert_string_equal(got_, expect);                                                         \
    } while (0)

#define R(n) VT_X64_##n
#define M(b, d) vt_x64_at(VT_X64_##b, d)

static void test_encodings(void **state) {
    (void)state;
    ENC("89 c8", vt_x64_mov_rr(e, 4, R(RAX), R(RCX)));
    ENC("49 89 c1", vt_x64_mov_rr(e, 8, R(R9), R(RAX)));
    ENC("45 89 e7", vt_x64_mov_rr(e, 4, R(R15), R(R12)));
    ENC("40 88 c6", vt_x64_mov_rr(e, 1, R(RSI), R(RAX)));
    ENC("88 d1", vt_x64_mov_rr(e, 1, R(RCX), R(RDX)));
    ENC("b8 78 56 34 12", vt_x64_mov_ri(e, 4, R(RAX), 0x12345678));
    ENC("41 ba 01 00 00 00", vt_x64_mov_ri(e, 8, R(R10), 1));
    ENC("48 c7 c0 fe ff ff ff", vt_x64_mov_ri(e, 8, R(RAX), (uint64_t)-2));
    ENC("49 bb 9a 78 56 34 12 00 00 00", vt_x64_mov_ri(e, 8, R(R11), 0x123456789aull));
    ENC("8b 43 10", vt_x64_load(e, 4, R(RAX), M(RBX, 0x10)));
    ENC("48 8b 03", vt_x64_load(e, 8, R(RAX), M(RBX, 0)));
    ENC("4c 8b 44 24 08", vt_x64_load(e, 8, R(R8), M(RSP, 8)));
    ENC("41 8b 04 24", vt_x64_load(e, 4, R(RAX), M(R12, 0)));
    ENC("8b 45 00", vt_x64_load(e, 4, R(RAX), M(RBP, 0)));
    ENC("41 8b 85 00 01 00 00", vt_x64_load(e, 4, R(RAX), M(R13, 0x100)));
    ENC("8b 44 8b 20", vt_x64_load(e, 4, R(RAX), vt_x64_at_index(R(RBX), R(RCX), 4, 0x20)));
    ENC("43 8b 04 d1", vt_x64_load(e, 4, R(RAX), vt_x64_at_index(R(R9), R(R10), 8, 0)));
    ENC("0f b6 43 03", vt_x64_load_zx(e, 1, R(RAX), M(RBX, 3)));
    ENC("44 0f b7 43 04", vt_x64_load_zx(e, 2, R(R8), M(RBX, 4)));
    ENC("0f be 03", vt_x64_load_sx(e, 1, 4, R(RAX), M(RBX, 0)));
    ENC("48 0f bf 03", vt_x64_load_sx(e, 2, 8, R(RAX), M(RBX, 0)));
    ENC("48 63 43 08", vt_x64_load_sx(e, 4, 8, R(RAX), M(RBX, 8)));
    ENC("89 43 40", vt_x64_store(e, 4, M(RBX, 0x40), R(RAX)));
    ENC("4c 89 6b 40", vt_x64_store(e, 8, M(RBX, 0x40), R(R13)));
    ENC("40 88 33", vt_x64_store(e, 1, M(RBX, 0), R(RSI)));
    ENC("88 0b", vt_x64_store(e, 1, M(RBX, 0), R(RCX)));
    ENC("66 89 43 02", vt_x64_store(e, 2, M(RBX, 2), R(RAX)));
    ENC("c7 43 04 44 33 22 11", vt_x64_store_i(e, 4, M(RBX, 4), 0x11223344));
    ENC("48 c7 43 04 ff ff ff ff", vt_x64_store_i(e, 8, M(RBX, 4), -1));
    ENC("c6 03 7f", vt_x64_store_i(e, 1, M(RBX, 0), 0x7f));
    ENC("66 c7 03 34 12", vt_x64_store_i(e, 2, M(RBX, 0), 0x1234));
    ENC("8d 44 4b 05", vt_x64_lea(e, 4, R(RAX), vt_x64_at_index(R(RBX), R(RCX), 2, 5)));
    ENC("4d 8d 81 00 10 00 00", vt_x64_lea(e, 8, R(R8), M(R9, 0x1000)));
    ENC("40 0f b6 c6", vt_x64_movzx_rr(e, 1, R(RAX), R(RSI)));
    ENC("0f b7 ca", vt_x64_movzx_rr(e, 2, R(RCX), R(RDX)));
    ENC("48 63 c1", vt_x64_movsx_rr(e, 4, 8, R(RAX), R(RCX)));
    ENC("01 c8", vt_x64_alu_rr(e, VT_X64_ADD, 4, R(RAX), R(RCX)));
    ENC("4d 29 c8", vt_x64_alu_rr(e, VT_X64_SUB, 8, R(R8), R(R9)));
    ENC("83 d0 05", vt_x64_alu_ri(e, VT_X64_ADC, 4, R(RAX), 5));
    ENC("81 d8 00 10 00 00", vt_x64_alu_ri(e, VT_X64_SBB, 4, R(RAX), 0x1000));
    ENC("48 83 f8 ff", vt_x64_alu_ri(e, VT_X64_CMP, 8, R(RAX), -1));
    ENC("41 81 f4 00 00 00 80", vt_x64_alu_ri(e, VT_X64_XOR, 4, R(R12), INT32_MIN));
    ENC("80 e0 0f", vt_x64_alu_ri(e, VT_X64_AND, 1, R(RAX), 0x0f));
    ENC("66 81 c0 34 12", vt_x64_alu_ri(e, VT_X64_ADD, 2, R(RAX), 0x1234));
    ENC("0b 4b 08", vt_x64_alu_rm(e, VT_X64_OR, 4, R(RCX), M(RBX, 8)));
    ENC("01 43 08", vt_x64_alu_mr(e, VT_X64_ADD, 4, M(RBX, 8), R(RAX)));
    ENC("83 7b 08 03", vt_x64_alu_mi(e, VT_X64_CMP, 4, M(RBX, 8), 3));
    ENC("80 7b 08 03", vt_x64_alu_mi(e, VT_X64_CMP, 1, M(RBX, 8), 3));
    ENC("85 c8", vt_x64_test_rr(e, 4, R(RAX), R(RCX)));
    ENC("49 f7 c1 00 01 00 00", vt_x64_test_ri(e, 8, R(R9), 0x100));
    ENC("f7 d2", vt_x64_not(e, 4, R(RDX)));
    ENC("49 f7 da", vt_x64_neg(e, 8, R(R10)));
    ENC("ff c2", vt_x64_inc(e, 4, R(RDX)));
    ENC("fe c2", vt_x64_inc(e, 1, R(RDX)));
    ENC("66 41 ff c9", vt_x64_dec(e, 2, R(R9)));
    ENC("fe ca", vt_x64_dec(e, 1, R(RDX)));
    ENC("0f af c1", vt_x64_imul_rr(e, 4, R(RAX), R(RCX)));
    ENC("f7 e1", vt_x64_mul_r(e, 4, R(RCX)));
    ENC("c1 e0 03", vt_x64_shift_ri(e, VT_X64_SHL, 4, R(RAX), 3));
    ENC("41 c1 f9 1f", vt_x64_shift_ri(e, VT_X64_SAR, 4, R(R9), 31));
    ENC("48 c1 c8 01", vt_x64_shift_ri(e, VT_X64_ROR, 8, R(RAX), 1));
    ENC("d3 e8", vt_x64_shift_rcl(e, VT_X64_SHR, 4, R(RAX)));
    ENC("c1 d9 01", vt_x64_shift_ri(e, VT_X64_RCR, 4, R(RCX), 1));
    ENC("0f ba e0 1f", vt_x64_bt_ri(e, 4, R(RAX), 31));
    ENC("0f c8", vt_x64_bswap(e, 4, R(RAX)));
    ENC("49 0f ca", vt_x64_bswap(e, 8, R(R10)));
    ENC("0f 94 c0", vt_x64_setcc(e, VT_X64_CC_E, R(RAX)));
    ENC("40 0f 92 c6", vt_x64_setcc(e, VT_X64_CC_B, R(RSI)));
    ENC("0f 95 43 03", vt_x64_setcc_m(e, VT_X64_CC_NE, M(RBX, 3)));
    ENC("41 0f 45 c1", vt_x64_cmov(e, VT_X64_CC_NE, 4, R(RAX), R(R9)));
    ENC("48 0f 4c c1", vt_x64_cmov(e, VT_X64_CC_L, 8, R(RAX), R(RCX)));
    ENC("f5 f9 f8", vt_x64_cmc(e); vt_x64_stc(e); vt_x64_clc(e));
    ENC("9c 41 5b 41 51 9d", vt_x64_pushf(e); vt_x64_pop(e, R(R11)); vt_x64_push(e, R(R9));
        vt_x64_popf(e));
    ENC("ff e0", vt_x64_jmp_r(e, R(RAX)));
    ENC("41 ff d3", vt_x64_call_r(e, R(R11)));
    ENC("c3 53 41 57 41 5c 5d cc", vt_x64_ret(e); vt_x64_push(e, R(RBX)); vt_x64_push(e, R(R15));
        vt_x64_pop(e, R(R12)); vt_x64_pop(e, R(RBP)); vt_x64_int3(e));
}

/* Register operands given where a memory operand goes (vt_x64_direct: the x86 register
 * cache): ModRM mod 11; RBP takes a REX prefix so a byte access means BPL. */
static void test_direct_operands(void **state) {
    (void)state;
    ENC("40 88 c5", vt_x64_store(e, 1, vt_x64_direct(R(RBP)), R(RAX)));
    ENC("40 0f b6 c5", vt_x64_load_zx(e, 1, R(RAX), vt_x64_direct(R(RBP))));
    ENC("41 83 c4 04", vt_x64_alu_mi(e, VT_X64_ADD, 4, vt_x64_direct(R(R12)), 4));
    ENC("41 8b c5", vt_x64_load(e, 4, R(RAX), vt_x64_direct(R(R13)))); /* as: 44 89 e8 */
    ENC("66 41 c7 c6 34 12", vt_x64_store_i(e, 2, vt_x64_direct(R(R14)), 0x1234)); /* as: BE+r */
    ENC("40 0f 94 c5", vt_x64_setcc_m(e, VT_X64_CC_E, vt_x64_direct(R(RBP))));
    ENC("41 0f be d7", vt_x64_load_sx(e, 1, 4, R(RDX), vt_x64_direct(R(R15))));
    ENC("40 89 cd", vt_x64_store(e, 4, vt_x64_direct(R(RBP)), R(RCX))); /* as: 89 cd */
}

static void test_labels(void **state) {
    (void)state;
    /* forward: two jumps to one label, resolved at bind; backward: resolved at once */
    ENC("e9 06 00 00 00 0f 84 00 00 00 00 90 e9 fa ff ff ff", {
        vt_x64_label l = vt_x64_label_new();
        vt_x64_jmp(e, &l);
        vt_x64_jcc(e, VT_X64_CC_E, &l);
        assert_false(vt_x64_label_done(&l));
        vt_x64_bind(e, &l);
        assert_true(vt_x64_label_done(&l));
        vt_x64_byte(e, 0x90);
        vt_x64_jmp(e, &l);
    });
    /* overflow is sticky and never writes past the buffer */
    uint8_t small[4] = {0};
    vt_x64_emitter e;
    vt_x64_init(&e, small, 3);
    vt_x64_mov_ri(&e, 4, VT_X64_RAX, 0x11223344);
    assert_true(e.overflow);
    assert_int_equal(e.len, 5);
    assert_int_equal(small[3], 0);
    /* patching a rel32 field */
    uint8_t code[16] = {0xe9, 0, 0, 0, 0};
    assert_true(vt_x64_patch_rel32(code + 1, code + 12));
    assert_int_equal(load_le32(code + 1), 7);
}

/* Executed code: state[0] = state[1] op state[2] (32-bit), state[3] = host flags CF,ZF,SF,OF
 * as bits 0..3, built by setcc. */
typedef struct alu_state {
    uint64_t r, a, b, flags;
} alu_state;

static vt_jit_block *build_alu(vt_jit_cache *c, unsigned kind, unsigned op) {
    vt_jit_builder bld;
    for (int attempt = 0; attempt < 2; attempt++) {
        vt_jit_begin(c, &bld, (vt_jit_key){kind * 16 + op, 0}, 0, 0);
        vt_x64_emitter *e = &bld.e;
        vt_x64_load(e, 4, VT_X64_RAX, vt_x64_at(VT_JIT_STATE, offsetof(alu_state, a)));
        vt_x64_load(e, 4, VT_X64_RCX, vt_x64_at(VT_JIT_STATE, offsetof(alu_state, b)));
        if (kind == 0)
            vt_x64_alu_rr(e, (vt_x64_alu)op, 4, VT_X64_RAX, VT_X64_RCX);
        else if (kind == 1)
            vt_x64_shift_rcl(e, (vt_x64_shift)op, 4, VT_X64_RAX);
        else
            vt_x64_alu_rm(e, (vt_x64_alu)op, 4, VT_X64_RAX,
                          vt_x64_at(VT_JIT_STATE, offsetof(alu_state, b)));
        static const vt_x64_cond cc[4] = {VT_X64_CC_B, VT_X64_CC_E, VT_X64_CC_S, VT_X64_CC_O};
        vt_x64_reg tmp[4] = {VT_X64_RDX, VT_X64_RSI, VT_X64_RDI, VT_X64_R8};
        for (int i = 0; i < 4; i++)
            vt_x64_setcc(e, cc[i], tmp[i]);
        vt_x64_store(e, 8, vt_x64_at(VT_JIT_STATE, offsetof(alu_state, r)), VT_X64_RAX);
        vt_x64_movzx_rr(e, 1, VT_X64_RAX, VT_X64_RDX);
        for (int i = 1; i < 4; i++) {
            vt_x64_movzx_rr(e, 1, tmp[i], tmp[i]);
            vt_x64_shift_ri(e, VT_X64_SHL, 4, tmp[i], (uint8_t)i);
            vt_x64_alu_rr(e, VT_X64_OR, 4, VT_X64_RAX, tmp[i]);
        }
        vt_x64_store(e, 8, vt_x64_at(VT_JIT_STATE, offsetof(alu_state, flags)), VT_X64_RAX);
        vt_jit_emit_exit(&bld, VT_JIT_EXIT_END);
        vt_jit_block *b = vt_jit_commit(&bld);
        if (b) return b;
    }
    fail_msg("block did not fit an empty arena");
    return NULL;
}

static uint32_t ref_flags(uint64_t wide, uint32_t r, bool cf, bool of) {
    (void)wide;
    return (cf ? 1u : 0u) | (r == 0 ? 2u : 0u) | (r >> 31 ? 4u : 0u) | (of ? 8u : 0u);
}

static void test_execute_alu(void **state) {
    (void)state;
    vt_error err;
    vt_jit_cache *c = vt_jit_cache_create(1 << 20, 64, 1ull << 32, 12, &err);
    assert_non_null(c);
    static const uint32_t vals[] = {0,          1,          2,          0x7fffffff, 0x80000000,
                                    0xffffffff, 0x12345678, 0x80000001, 31,         32,
                                    33,         0xfffffffe, 0x00010000, 0x55aa55aa};
    static const vt_x64_alu ops[] = {VT_X64_ADD, VT_X64_OR,  VT_X64_AND,
                                     VT_X64_SUB, VT_X64_XOR, VT_X64_CMP};
    for (unsigned kind = 0; kind < 3; kind += 2) {
        for (size_t o = 0; o < VT_ARRAY_LEN(ops); o++) {
            vt_jit_block *b = build_alu(c, kind, ops[o]);
            for (size_t i = 0; i < VT_ARRAY_LEN(vals); i++) {
                for (size_t j = 0; j < VT_ARRAY_LEN(vals); j++) {
                    uint32_t a = vals[i], x = vals[j], r = 0;
                    bool cf = false, of = false;
                    switch (ops[o]) {
                    case VT_X64_ADD:
                        r = a + x;
                        cf = r < a;
                        of = ((a ^ r) & (x ^ r)) >> 31;
                        break;
                    case VT_X64_SUB:
                    case VT_X64_CMP:
                        r = a - x;
                        cf = a < x;
                        of = ((a ^ x) & (a ^ r)) >> 31;
                        break;
                    case VT_X64_OR:
                        r = a | x;
                        break;
                    case VT_X64_AND:
                        r = a & x;
                        break;
                    case VT_X64_XOR:
                        r = a ^ x;
                        break;
                    default:
                        break;
                    }
                    alu_state s = {0, a, x, 0};
                    vt_jit_result res = vt_jit_run(c, b, &s);
                    assert_int_equal(res.reason, VT_JIT_EXIT_END);
                    assert_null(res.exit);
                    assert_int_equal(s.flags, ref_flags(0, r, cf, of));
                    assert_int_equal(s.r, ops[o] == VT_X64_CMP ? a : r);
                }
            }
        }
    }
    /* shifts by CL: count masked to 5 bits; CF = last bit shifted out when count != 0 */
    static const vt_x64_shift sh[] = {VT_X64_SHL, VT_X64_SHR, VT_X64_SAR, VT_X64_ROR, VT_X64_ROL};
    for (size_t o = 0; o < VT_ARRAY_LEN(sh); o++) {
        vt_jit_block *b = build_alu(c, 1, sh[o]);
        for (size_t i = 0; i < VT_ARRAY_LEN(vals); i++) {
            for (uint32_t n = 1; n < 32; n += 3) {
                uint32_t a = vals[i], r = 0;
                bool cf = false;
                switch (sh[o]) {
                case VT_X64_SHL:
                    r = a << n;
                    cf = a >> (32 - n) & 1;
                    break;
                case VT_X64_SHR:
                    r = a >> n;
                    cf = a >> (n - 1) & 1;
                    break;
                case VT_X64_SAR:
                    r = (uint32_t)((int32_t)a >> n);
                    cf = (uint32_t)((int32_t)a >> (n - 1)) & 1;
                    break;
                case VT_X64_ROR:
                    r = a >> n | a << (32 - n);
                    cf = r >> 31;
                    break;
                default:
                    r = a << n | a >> (32 - n);
                    cf = r & 1;
                    break;
                }
                alu_state s = {0, a, n, 0};
                vt_jit_run(c, b, &s);
                assert_int_equal(s.r, r);
                assert_int_equal(s.flags & 1, cf);
                if (sh[o] != VT_X64_ROR && sh[o] != VT_X64_ROL) /* rotates keep ZF/SF */
                    assert_int_equal(s.flags & 6, ref_flags(0, r, false, false) & 6);
            }
        }
    }
    vt_jit_cache_destroy(c);
}

/* A reload of the register just stored to the same place is dropped; a label in between, another
 * register, place or size, or a byte store keep it. */
static void test_reload_dropped(void **state) {
    (void)state;
    ENC("89 43 70", {
        vt_x64_store(e, 4, M(RBX, 0x70), R(RAX));
        vt_x64_load(e, 4, R(RAX), M(RBX, 0x70));
    });
    ENC("89 43 70 8b 43 70", {
        vt_x64_label l = vt_x64_label_new();
        vt_x64_store(e, 4, M(RBX, 0x70), R(RAX));
        vt_x64_bind(e, &l);
        vt_x64_load(e, 4, R(RAX), M(RBX, 0x70));
    });
    ENC("89 43 70 8b 53 70 8b 43 74 48 8b 43 70", {
        vt_x64_store(e, 4, M(RBX, 0x70), R(RAX));
        vt_x64_load(e, 4, R(RDX), M(RBX, 0x70));
        vt_x64_load(e, 4, R(RAX), M(RBX, 0x74));
        vt_x64_load(e, 8, R(RAX), M(RBX, 0x70));
    });
    ENC("88 43 70 0f b6 43 70", {
        vt_x64_store(e, 1, M(RBX, 0x70), R(RAX));
        vt_x64_load(e, 1, R(RAX), M(RBX, 0x70));
    });
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encodings),   cmocka_unit_test(test_direct_operands),
        cmocka_unit_test(test_labels),      cmocka_unit_test(test_reload_dropped),
        cmocka_unit_test(test_execute_alu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
