/* The x86 translator's register cache: guest EAX..EDI in host registers within a block
 * (x86_translate_int.h). The registers are chosen once per block by how often its decoded
 * instructions name them (ModRM operands, address base and index, the register in the opcode,
 * ESP of stack instructions), so the cache never evicts and its state at any point of the
 * translation is the state on every path there: code emitted on one path only (a slow path, an
 * exit) writes back and reloads on that path and leaves the bookkeeping alone. A high byte
 * register (AH..BH) has no host name inside R12-R15/RBP: meeting one of a cached register
 * asks for the block to be translated again without caching it. jit/README.md "x86 register
 * cache". */
#include <string.h>

#include "jit/x86_translate_int.h"

static const vt_x64_reg rc_host[X86_JIT_RC_SLOTS] = {VT_X64_RBP, VT_X64_R12, VT_X64_R13, VT_X64_R14,
                                                     VT_X64_R15};

static x86_jit_rc *rc_of(vt_x64_emitter *e) {
    return e->owner ? &((x86_jit_tx *)e->owner)->rc : NULL;
}

static vt_x64_mem state_reg(unsigned n) {
    return vt_x64_at(X86_JIT_ST, X86_JIT_REG(n));
}

static bool is_stack_insn(unsigned op, unsigned reg) {
    return (op >= 0x50 && op <= 0x61) || op == 0x68 || op == 0x6A || op == 0xC9 || op == 0xC3 ||
           op == 0xC2 || op == 0xE8 || op == 0x8F || op == 0x9C || op == 0x9D ||
           (op == 0xFF && (reg == 2 || reg == 6));
}

/* How often block b names each register (a guess: a ModRM reg field may be an opcode
 * extension; only the choice depends on it). */
static void count_uses(const x86_block *b, unsigned uses[8]) {
    for (unsigned k = 0; k < b->n; k++) {
        const x86_insn *i = &b->insn[k];
        unsigned op = i->opc;
        if (i->has_modrm) {
            uses[i->reg & 7]++;
            if (!i->mem) uses[i->rm & 7]++;
        }
        if (i->mem && i->base != 0xFF) uses[i->base & 7]++;
        if (i->mem && i->index != 0xFF) uses[i->index & 7]++;
        if ((op >= 0x40 && op <= 0x5F) || (op >= 0x91 && op <= 0x97) || (op >= 0xB8 && op <= 0xBF))
            uses[op & 7]++;
        if (is_stack_insn(op, i->reg)) uses[X86_ESP]++;
        if (op == 0xC9) uses[X86_EBP]++;
    }
}

void x86_jit_rc_plan(x86_jit_tx *tx, vt_x64_emitter *e, const x86_block *b, uint8_t poison) {
    unsigned uses[8] = {0};
    x86_jit_rc *rc = &tx->rc;
    memset(tx, 0, offsetof(x86_jit_tx, slow));
    memset(rc->slot, -1, sizeof rc->slot);
    rc->poison = poison;
    e->owner = tx;
    count_uses(b, uses);
    for (unsigned s = 0; s < X86_JIT_RC_SLOTS; s++) {
        int best = -1;
        for (unsigned n = 0; n < 8; n++) {
            if ((rc->cached | poison) >> n & 1 || uses[n] < 2) continue;
            if (best < 0 || uses[n] > uses[best]) best = (int)n;
        }
        if (best < 0) break;
        rc->slot[best] = (int8_t)s;
        rc->cached |= (uint8_t)(1u << best);
    }
}

void x86_jit_rc_writeback(vt_x64_emitter *e) {
    const x86_jit_rc *rc = rc_of(e);
    if (!rc) return;
    for (unsigned n = 0; n < 8; n++)
        if (rc->dirty >> n & 1) vt_x64_store(e, 4, state_reg(n), rc_host[rc->slot[n]]);
}

void x86_jit_rc_reload(vt_x64_emitter *e) {
    const x86_jit_rc *rc = rc_of(e);
    if (!rc) return;
    for (unsigned n = 0; n < 8; n++)
        if (rc->cached >> n & 1) vt_x64_load(e, 4, rc_host[rc->slot[n]], state_reg(n));
}

void x86_jit_rc_load(vt_x64_emitter *e) {
    x86_jit_rc_reload(e);
    rc_of(e)->dirty = 0;
}

void x86_jit_rc_clean(vt_x64_emitter *e) {
    x86_jit_rc_writeback(e);
    if (rc_of(e)) rc_of(e)->dirty = 0;
}

void x86_jit_rc_forget(vt_x64_emitter *e) {
    x86_jit_rc_clean(e);
    x86_jit_rc *rc = rc_of(e);
    if (!rc) return;
    rc->cached = 0;
    memset(rc->slot, -1, sizeof rc->slot);
}

vt_x64_mem x86_jit_reg_at(vt_x64_emitter *e, unsigned n, unsigned size) {
    x86_jit_rc *rc = rc_of(e);
    if (size == 1 && n >= 4) { /* AH..BH: bits 8-15 of register n - 4, in the state */
        if (rc && rc->cached >> (n & 3) & 1) {
            rc->poison |= (uint8_t)(1u << (n & 3));
            rc->retry = true;
        }
        return vt_x64_at(X86_JIT_ST, X86_JIT_REG(n & 3) + 1);
    }
    if (!rc || !(rc->cached >> n & 1)) return state_reg(n);
    rc->dirty |= (uint8_t)(1u << n);
    return vt_x64_direct(rc_host[rc->slot[n]]);
}

vt_x64_mem x86_jit_reg_src(vt_x64_emitter *e, unsigned n) {
    const x86_jit_rc *rc = rc_of(e);
    if (!rc || !(rc->cached >> n & 1)) return state_reg(n);
    return vt_x64_direct(rc_host[rc->slot[n]]);
}
