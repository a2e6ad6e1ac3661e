/* Decode tables built once per core from the instruction lists in arm_insns.c, for the
 * model's feature set: ARM instructions go through a 4096-entry index on bits [27:20,7:4]
 * to a short candidate list; Thumb through a full 64K-entry table. */
#include <stdlib.h>

#include "core/cpu/arm/arm_exec.h"

static bool usable(const vt_arm_cpu *c, const vt_arm_insn_desc *d) {
    return (d->features & c->features) == d->features;
}

/* Could an instruction with this key (bits 27:20 and 7:4) match d? */
static bool key_may_match(const vt_arm_insn_desc *d, unsigned key) {
    uint32_t kbits = (uint32_t)(key >> 4) << 20 | (uint32_t)(key & 15) << 4;
    uint32_t kmask = 0x0FF000F0u;
    return ((kbits ^ d->value) & d->mask & kmask) == 0;
}

/* What every decode-cache slot starts with: a slot never filled can still match its zero tag,
 * so instead of a NULL test on the hot path its handler decodes (the loop has set cur_pc). */
static void dcache_miss(vt_arm_cpu *c, uint32_t insn) {
    vt_arm_decode_fill(c, c->cur_pc, insn)(c, insn);
}

int vt_arm_decode_init(vt_arm_cpu *c, vt_error *err) {
    for (unsigned i = 0; i < VT_ARM_DCACHE_SIZE; i++)
        c->dcache[i] = (struct vt_arm_dcache_entry){0, dcache_miss};
    size_t total = 0;
    for (unsigned k = 0; k < 4096; k++)
        for (size_t i = 0; i < vt_arm_insns_count; i++)
            if (usable(c, &vt_arm_insns[i]) && key_may_match(&vt_arm_insns[i], k)) total++;
    const vt_arm_insn_desc **cand = malloc(total * sizeof *cand);
    c->thumb_index = malloc(65536);
    if (!cand || !c->thumb_index) {
        free(cand);
        free(c->thumb_index);
        c->thumb_index = NULL;
        return vt_fail(err, "out of memory for ARM decode tables");
    }
    size_t n = 0;
    for (unsigned k = 0; k < 4096; k++) {
        c->arm_index[k] = (uint16_t)n;
        for (size_t i = 0; i < vt_arm_insns_count; i++)
            if (usable(c, &vt_arm_insns[i]) && key_may_match(&vt_arm_insns[i], k))
                cand[n++] = &vt_arm_insns[i];
    }
    if (n > UINT16_MAX) return vt_fail(err, "ARM decode table too large");
    c->arm_index[4096] = (uint16_t)n;
    c->arm_cand = cand;
    for (uint32_t op = 0; op < 65536; op++) {
        size_t i = 0;
        while (!(usable(c, &vt_thumb_insns[i]) &&
                 (op & vt_thumb_insns[i].mask) == vt_thumb_insns[i].value))
            i++;
        c->thumb_index[op] = (uint8_t)i;
    }
    return 0;
}

void vt_arm_decode_free(vt_arm_cpu *c) {
    free((void *)c->arm_cand);
    free(c->thumb_index);
    c->arm_cand = NULL;
    c->thumb_index = NULL;
}

static const vt_arm_insn_desc *arm_decode_slow(const vt_arm_cpu *c, uint32_t insn) {
    if (insn >> 28 == 0xF) {
        for (size_t i = 0;; i++) {
            const vt_arm_insn_desc *d = &vt_arm_uncond_insns[i];
            if ((insn & d->mask) == d->value && usable(c, d)) return d;
        }
    }
    unsigned key = (insn >> 16 & 0xff0) | (insn >> 4 & 15);
    for (unsigned i = c->arm_index[key];; i++) {
        const vt_arm_insn_desc *d = c->arm_cand[i];
        if ((insn & d->mask) == d->value) return d;
    }
}

vt_arm_handler vt_arm_decode_fill(vt_arm_cpu *c, uint32_t pc, uint32_t insn) {
    struct vt_arm_dcache_entry *e = &c->dcache[(pc >> 2) & (VT_ARM_DCACHE_SIZE - 1)];
    e->insn = insn;
    e->fn = vt_arm_specialize(arm_decode_slow(c, insn)->fn, insn);
    return e->fn;
}

const vt_arm_insn_desc *vt_arm_decode_const(const vt_arm_cpu *c, uint32_t insn) {
    return arm_decode_slow(c, insn);
}
