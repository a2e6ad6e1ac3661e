/* Inline evaluation of the x86 core's lazy flags for the JIT's native forms: the arithmetic
 * flags x86_get_flags would return, without a call in the common cases. An eager record is
 * read from EFLAGS; an ADD, SUB, ADC, SBB, INC or DEC record is replayed on the host at its size
 * (ADD a,b / CMP a,b / ADC a,b / SBB a,b with the carry-in loaded / INC a / DEC a with CF loaded
 * from cc_b give CF, OF, AF, SF, ZF and PF exactly as compute() in core/cpu/x86/x86_flags.c
 * derives them, since the interpreter's records keep res = a op b (+ carry-in), which is how
 * compute() recovers that carry-in too); a logic record is SZP of the result. Any other
 * record calls x86_get_flags. For a condition the same cases leave the flags in the host's
 * RFLAGS, where the host's own Jcc/SETcc with the guest's condition code (encoded alike) decides
 * it; for CF alone (ADC/SBB/INC/DEC operands) the host's CF is taken. Facts: Intel SDM vol. 1
 * §3.4.3.1 and appendix A (flag effects of ADD, ADC, SUB, SBB, INC, DEC, logic). */
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST
#define RAX VT_X64_RAX
#define RDX VT_X64_RDX
#define R8 VT_X64_R8
#define R9 VT_X64_R9

/* Jumps to `next` unless EAX (cc_op) is `op`. */
static void emit_unless_op(vt_x64_emitter *e, unsigned op, vt_x64_label *next) {
    vt_x64_alu_ri(e, VT_X64_CMP, 4, RAX, (int32_t)op);
    vt_x64_jcc(e, VT_X64_CC_NE, next);
}

/* The record of size sz (EAX = cc_op, EDX = cc_a), as emit_replay. */
static void emit_replay_size(vt_x64_emitter *e, unsigned sz, vt_x64_label *host,
                             vt_x64_label *logic, vt_x64_label *call) {
    vt_x64_mem b = vt_x64_at(ST, X86_JIT_OFF(cc_b)), res = vt_x64_at(ST, X86_JIT_OFF(cc_res));
    for (unsigned k = 0; k < 2; k++) { /* ADD a,b / CMP a,b */
        vt_x64_label next = vt_x64_label_new();
        emit_unless_op(e, k ? CC_SUB : CC_ADD, &next);
        vt_x64_alu_rm(e, k ? VT_X64_CMP : VT_X64_ADD, sz, RDX, b);
        vt_x64_jmp(e, host);
        vt_x64_bind(e, &next);
    }
    vt_x64_label not_logic = vt_x64_label_new();
    emit_unless_op(e, CC_LOGIC, &not_logic);
    vt_x64_load(e, 4, RDX, res);
    vt_x64_jmp(e, logic);
    vt_x64_bind(e, &not_logic);
    for (unsigned k = 0; k < 2; k++) { /* CF = bit 0 of cc_b, then INC/DEC a keep it */
        vt_x64_label next = vt_x64_label_new();
        emit_unless_op(e, k ? CC_DEC : CC_INC, &next);
        vt_x64_load(e, 4, RAX, b);
        vt_x64_shift_ri(e, VT_X64_SHR, 4, RAX, 1);
        if (k)
            vt_x64_dec(e, sz, RDX);
        else
            vt_x64_inc(e, sz, RDX);
        vt_x64_jmp(e, host);
        vt_x64_bind(e, &next);
    }
    for (unsigned k = 0; k < 2;
         k++) { /* the carry-in is res != a op b (as compute), then ADC/SBB */
        vt_x64_label next = vt_x64_label_new();
        emit_unless_op(e, k ? CC_SBB : CC_ADC, &next);
        vt_x64_mov_rr(e, 4, RAX, RDX);
        vt_x64_alu_rm(e, k ? VT_X64_SUB : VT_X64_ADD, sz, RAX, b);
        vt_x64_alu_rm(e, VT_X64_CMP, sz, RAX, res);
        vt_x64_setcc(e, VT_X64_CC_NE, RAX);
        vt_x64_shift_ri(e, VT_X64_SHR, 1, RAX, 1);
        vt_x64_alu_rm(e, k ? VT_X64_SBB : VT_X64_ADC, sz, RDX, b);
        vt_x64_jmp(e, host);
        vt_x64_bind(e, &next);
    }
    vt_x64_jmp(e, call);
}

/* Replays the lazy record whose cc_op is in EAX (not eager) on the host at its size (a record's
 * size is 1, 2 or 4):
 * ADD/SUB (cc_a op cc_b), INC/DEC (cc_a +/- 1 with CF loaded from cc_b) and ADC/SBB (cc_a op
 * cc_b with the carry-in loaded) leave every arithmetic flag in RFLAGS and jump to `host`; a
 * logic record jumps to `logic4` / `logic1` / `logic2` with EDX = cc_res; any other record
 * jumps to `call`. Clobbers RAX, RDX. */
static void emit_replay(vt_x64_emitter *e, vt_x64_label *host, vt_x64_label *logic4,
                        vt_x64_label *logic1, vt_x64_label *logic2, vt_x64_label *call) {
    static const unsigned sizes[3] = {4, 1, 2};
    for (unsigned k = 0; k < 3; k++) {
        vt_x64_label next = vt_x64_label_new();
        if (k < 2) {
            vt_x64_alu_mi(e, VT_X64_CMP, 1, vt_x64_at(ST, X86_JIT_OFF(cc_size)), (int32_t)sizes[k]);
            vt_x64_jcc(e, VT_X64_CC_NE, &next);
        }
        vt_x64_load(e, 4, RDX, vt_x64_at(ST, X86_JIT_OFF(cc_a)));
        emit_replay_size(e, sizes[k], host, k == 0 ? logic4 : k == 1 ? logic1 : logic2, call);
        vt_x64_bind(e, &next);
    }
}

void x86_jit_emit_flags(vt_x64_emitter *e) {
    vt_x64_label lazy = vt_x64_label_new(), host = vt_x64_label_new(), logic4 = vt_x64_label_new(),
                 logic1 = vt_x64_label_new(), logic2 = vt_x64_label_new(),
                 call = vt_x64_label_new(), mask = vt_x64_label_new(), done = vt_x64_label_new();
    vt_x64_load_zx(e, 1, RAX, vt_x64_at(ST, X86_JIT_OFF(cc_op)));
    vt_x64_alu_ri(e, VT_X64_CMP, 4, RAX, CC_EAGER);
    vt_x64_jcc(e, VT_X64_CC_NE, &lazy);
    vt_x64_load(e, 4, R9, vt_x64_at(ST, X86_JIT_OFF(eflags)));
    vt_x64_jmp(e, &mask);
    vt_x64_bind(e, &lazy);
    emit_replay(e, &host, &logic4, &logic1, &logic2, &call);
    vt_x64_bind(e, &logic4); /* logic: SZP of the result, the rest 0 */
    x86_jit_emit_szp(e, 4, RDX, R9);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &logic1);
    x86_jit_emit_szp(e, 1, RDX, R9);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &logic2);
    x86_jit_emit_szp(e, 2, RDX, R9);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &host);
    vt_x64_pushf(e);
    vt_x64_pop(e, R9);
    vt_x64_jmp(e, &mask);
    vt_x64_bind(e, &call);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, ST);
    vt_x64_call(e, (const void *)x86_get_flags);
    vt_x64_mov_rr(e, 4, R9, RAX);
    vt_x64_bind(e, &mask);
    vt_x64_alu_ri(e, VT_X64_AND, 4, R9, F_ARITH);
    vt_x64_bind(e, &done);
}

void x86_jit_emit_cond_flags(vt_x64_emitter *e) {
    vt_x64_label lazy = vt_x64_label_new(), logic4 = vt_x64_label_new(),
                 logic1 = vt_x64_label_new(), logic2 = vt_x64_label_new(),
                 call = vt_x64_label_new(), load = vt_x64_label_new(), done = vt_x64_label_new();
    vt_x64_load_zx(e, 1, RAX, vt_x64_at(ST, X86_JIT_OFF(cc_op)));
    vt_x64_alu_ri(e, VT_X64_CMP, 4, RAX, CC_EAGER);
    vt_x64_jcc(e, VT_X64_CC_NE, &lazy);
    vt_x64_load(e, 4, RAX, vt_x64_at(ST, X86_JIT_OFF(eflags)));
    vt_x64_jmp(e, &load);
    vt_x64_bind(e, &lazy);
    emit_replay(e, &done, &logic4, &logic1, &logic2, &call);
    vt_x64_bind(e, &logic4); /* CF = OF = 0, SZP of the result */
    vt_x64_test_rr(e, 4, RDX, RDX);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &logic1);
    vt_x64_test_rr(e, 1, RDX, RDX);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &logic2);
    vt_x64_test_rr(e, 2, RDX, RDX);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &call);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, ST);
    vt_x64_call(e, (const void *)x86_get_flags);
    vt_x64_bind(e, &load); /* only the arithmetic flags reach RFLAGS: TF, IF, DF, AC stay clear */
    vt_x64_alu_ri(e, VT_X64_AND, 4, RAX, F_ARITH);
    vt_x64_push(e, RAX);
    vt_x64_popf(e);
    vt_x64_bind(e, &done);
}

void x86_jit_emit_cf(vt_x64_emitter *e) {
    vt_x64_label lazy = vt_x64_label_new(), host = vt_x64_label_new(), logic = vt_x64_label_new(),
                 call = vt_x64_label_new(), done = vt_x64_label_new();
    vt_x64_load_zx(e, 1, RAX, vt_x64_at(ST, X86_JIT_OFF(cc_op)));
    vt_x64_alu_ri(e, VT_X64_CMP, 4, RAX, CC_EAGER);
    vt_x64_jcc(e, VT_X64_CC_NE, &lazy);
    vt_x64_load(e, 4, R8, vt_x64_at(ST, X86_JIT_OFF(eflags)));
    vt_x64_alu_ri(e, VT_X64_AND, 4, R8, F_CF);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &lazy);
    emit_replay(e, &host, &logic, &logic, &logic, &call);
    vt_x64_bind(e, &host);
    vt_x64_setcc(e, VT_X64_CC_B, R8);
    vt_x64_movzx_rr(e, 1, R8, R8);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &logic); /* logic: CF = 0 */
    vt_x64_alu_rr(e, VT_X64_XOR, 4, R8, R8);
    vt_x64_jmp(e, &done);
    vt_x64_bind(e, &call);
    vt_x64_mov_rr(e, 8, VT_X64_RDI, ST);
    vt_x64_call(e, (const void *)x86_get_cf);
    vt_x64_movzx_rr(e, 1, R8, RAX);
    vt_x64_bind(e, &done);
}
