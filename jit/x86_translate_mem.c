/* The x86 translators' memory-operand helpers: the effective address of a decoded
 * instruction (as x86_calc_ea) and the inline fast path of x86_fast_ptr (flat data segment,
 * offset within the page, software-TLB hit through jit/jit_tlb.h). Segments flat when the block
 * was translated are checked once at its entry (x86_jit_emit_flat_check), not per access. Anything
 * else jumps to the caller's slow path, which calls the interpreter's handler, so segment faults,
 * #PF, TLB fills and stores to code pages stay the interpreter's. Facts: Intel SDM vol. 3 §3.4.5,
 * §5.3. */
#include "jit/jit_tlb.h"
#include "jit/x86_translate_int.h"

#define ST X86_JIT_ST

void x86_jit_emit_ea(vt_x64_emitter *e, const x86_insn *i) {
    vt_x64_mem base = i->base != 0xFF ? x86_jit_reg_src(e, i->base) : vt_x64_at(ST, 0);
    vt_x64_mem index =
        i->index != 0xFF ? x86_jit_reg_src(e, i->index) : vt_x64_direct(VT_X64_NOREG);
    if (vt_x64_is_direct(base) && vt_x64_is_direct(index)) { /* in host registers: one LEA */
        vt_x64_lea(
            e, 4, VT_X64_RCX,
            vt_x64_at_index(base.base, index.base, (uint8_t)(1u << i->scale), (int32_t)i->disp));
        return;
    }
    vt_x64_mov_ri(e, 4, VT_X64_RCX, i->disp);
    if (i->base != 0xFF) vt_x64_alu_rm(e, VT_X64_ADD, 4, VT_X64_RCX, x86_jit_reg_src(e, i->base));
    if (i->index != 0xFF) {
        vt_x64_load(e, 4, VT_X64_RAX, x86_jit_reg_src(e, i->index));
        if (i->scale) vt_x64_shift_ri(e, VT_X64_SHL, 4, VT_X64_RAX, i->scale);
        vt_x64_alu_rr(e, VT_X64_ADD, 4, VT_X64_RCX, VT_X64_RAX);
    }
}

uint8_t x86_jit_flat_assumed(const x86_cpu *c) {
    return (uint8_t)(~c->seg_not_flat & 0x7F);
}

void x86_jit_emit_flat_check(vt_jit_builder *bld, const x86_cpu *c) {
    uint8_t assumed = x86_jit_flat_assumed(c);
    if (!assumed) return;
    vt_x64_load_zx(&bld->e, 1, VT_X64_RAX, vt_x64_at(ST, X86_JIT_OFF(seg_not_flat)));
    vt_x64_test_ri(&bld->e, 4, VT_X64_RAX, assumed);
    vt_jit_emit_exit_cc(bld, VT_X64_CC_NE, VT_JIT_EXIT_END);
}

/* Jumps to slow unless segment seg_n (SS.B too for a stack access) passes every segment check
 * for the access: present, writable, expand-up data with a 4 GiB limit; then ECX += its base. */
static void emit_segment_checks(vt_x64_emitter *e, unsigned seg_n, unsigned size, bool stack,
                                vt_x64_label *slow) {
    int32_t seg = (int32_t)offsetof(x86_cpu, seg) + (int32_t)(seg_n * sizeof(x86_seg));
    int32_t db = stack ? SEG_ATTR_DB : 0;
    vt_x64_load_zx(e, 2, VT_X64_RAX, vt_x64_at(ST, seg + (int32_t)offsetof(x86_seg, attr)));
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, 0x8E | db);
    vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RAX, 0x82 | db);
    vt_x64_jcc(e, VT_X64_CC_NE, slow);
    vt_x64_alu_mi(e, VT_X64_CMP, 4, vt_x64_at(ST, seg + (int32_t)offsetof(x86_seg, limit)), -1);
    vt_x64_jcc(e, VT_X64_CC_NE, slow);
    if (size > 1) { /* the last byte must not wrap past 4 GiB (a byte cannot) */
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, -(int32_t)size);
        vt_x64_jcc(e, VT_X64_CC_A, slow);
    }
    vt_x64_alu_rm(e, VT_X64_ADD, 4, VT_X64_RCX,
                  vt_x64_at(ST, seg + (int32_t)offsetof(x86_seg, base)));
}

void x86_jit_emit_fast_addr(vt_x64_emitter *e, const x86_cpu *c, unsigned seg_n, unsigned size,
                            bool write, bool stack, vt_x64_label *slow) {
    if (c->seg_not_flat & (stack ? X86_NOT_FLAT_STACK : 1u << seg_n)) {
        emit_segment_checks(e, seg_n, size, stack, slow);
    } else if (size > 1) { /* flat (checked at block entry): only the 4 GiB wrap */
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RCX, -(int32_t)size);
        vt_x64_jcc(e, VT_X64_CC_A, slow);
    }
    if (size > 1) { /* the access must not cross the page (a byte cannot) */
        vt_x64_mov_rr(e, 4, VT_X64_RAX, VT_X64_RCX);
        vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RAX, 0xFFF);
        vt_x64_alu_ri(e, VT_X64_CMP, 4, VT_X64_RAX, 0x1000 - (int32_t)size);
        vt_x64_jcc(e, VT_X64_CC_A, slow);
    }
    x86_jit_rsi_clobbered(e);
    vt_jit_emit_tlb_probe(e, (int32_t)offsetof(x86_cpu, tlb),
                          write ? VT_ACCESS_WRITE : VT_ACCESS_READ, VT_X64_RCX, VT_X64_RDX,
                          VT_X64_RSI, VT_X64_RSI, slow);
    vt_x64_alu_ri(e, VT_X64_AND, 4, VT_X64_RCX, 0xFFF);
}

/* The direct base for this translation: none in lockstep, where every access takes the path
 * the checker sees (stores must reach the logging slow path). */
static uint8_t *direct_base(const x86_cpu *c) {
    return c->jit->lockstep ? NULL : c->jit->direct_base;
}

/* In Linux user mode a software-TLB hit's access is a fault site too: its host page can still
 * fault (a shared file page past the end of its file: SIGBUS), and the slow path then repeats
 * the access in the handler with EIP and the counts exact. */
static void tlb_site(vt_jit_builder *bld, const x86_cpu *c) {
    if (c->user && c->jit->direct_base && !bld->site_open && !vt_jit_site_begin(bld))
        return; /* the block has its maximum of sites: this access stays as it was */
}

void x86_jit_load_direct_base(vt_x64_emitter *e, const x86_cpu *c) {
    x86_jit_tx *tx = e->owner;
    if (tx && tx->rsi_base) return;
    vt_x64_mov_ri(e, 8, VT_X64_RSI, (uint64_t)(uintptr_t)direct_base(c));
    if (tx) tx->rsi_base = true;
}

void x86_jit_emit_read_addr(vt_jit_builder *bld, const x86_cpu *c, unsigned seg_n, unsigned size,
                            bool stack, vt_x64_label *slow) {
    uint8_t *base = direct_base(c);
    if (base && !(c->seg_not_flat & (stack ? X86_NOT_FLAT_STACK : 1u << seg_n)) &&
        vt_jit_site_begin(bld)) {
        x86_jit_load_direct_base(&bld->e, c);
        return;
    }
    x86_jit_emit_fast_addr(&bld->e, c, seg_n, size, false, stack, slow);
    tlb_site(bld, c);
}

void x86_jit_emit_write_addr(vt_jit_builder *bld, const x86_cpu *c, unsigned seg_n, unsigned size,
                             bool stack, vt_x64_label *slow) {
    uint8_t *base = direct_base(c);
    if (base && !(c->seg_not_flat & (stack ? X86_NOT_FLAT_STACK : 1u << seg_n)) &&
        (bld->site_open || vt_jit_site_begin(bld))) {
        x86_jit_load_direct_base(&bld->e, c);
        return;
    }
    x86_jit_emit_fast_addr(&bld->e, c, seg_n, size, true, stack, slow);
    tlb_site(bld, c);
}

void x86_jit_load(vt_x64_emitter *e, unsigned size, vt_x64_reg dst, vt_x64_mem m) {
    if (size == 4)
        vt_x64_load(e, 4, dst, m);
    else
        vt_x64_load_zx(e, size, dst, m);
}
