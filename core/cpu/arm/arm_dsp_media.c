/* ARM-state executor for the v5TE DSP extension (QADD family, SMLAxy/SMULWy/SMLALxy) and
 * the ARMv6 media instructions (parallel add/subtract, saturation, packing, extension,
 * byte reversal, SEL, dual and most-significant-word multiplies, USAD8) plus v6 system
 * instructions (CPS, SETEND, RFE, SRS). Semantics: ARM ARM (DDI 0100I) A4.1 entries. */
#include "core/cpu/arm/arm_handlers.h"

static inline int32_t half(uint32_t v, unsigned top) {
    return (int16_t)(top ? v >> 16 : v & 0xffff);
}

static inline uint32_t sat_add(vt_arm_cpu *c, int64_t v) {
    bool sat = false;
    int32_t r = arm_ssat(v, 32, &sat);
    if (sat) c->q = 1;
    return (uint32_t)r;
}

void vt_arm_i_qadd(vt_arm_cpu *c, uint32_t insn) {
    int64_t m = (int32_t)c->r[insn & 15], n = (int32_t)c->r[BITS(insn, 19, 16)];
    if (BIT(insn, 22)) n = (int32_t)sat_add(c, 2 * n);
    c->base.cycles += c->t.dp;
    arm_wr(c, BITS(insn, 15, 12), sat_add(c, BIT(insn, 21) ? m - n : m + n));
}

void vt_arm_i_smlaxy(vt_arm_cpu *c, uint32_t insn) {
    unsigned op = BITS(insn, 22, 21);
    uint32_t rm = c->r[insn & 15], rs = c->r[BITS(insn, 11, 8)];
    unsigned rd = BITS(insn, 19, 16), rn = BITS(insn, 15, 12);
    c->base.cycles += c->t.mul_dsp;
    if (op == 1) { /* SMLAWy / SMULWy: 32x16 keeping the top 32 of 48 bits */
        int64_t p = ((int64_t)(int32_t)rm * half(rs, BIT(insn, 6))) >> 16;
        if (BIT(insn, 5))
            arm_wr(c, rd, (uint32_t)p);
        else {
            int64_t r = p + (int32_t)c->r[rn];
            if (r != (int32_t)r) c->q = 1;
            arm_wr(c, rd, (uint32_t)r);
        }
        return;
    }
    int32_t p = half(rm, BIT(insn, 5)) * half(rs, BIT(insn, 6));
    if (op == 0) { /* SMLAxy */
        int64_t r = (int64_t)p + (int32_t)c->r[rn];
        if (r != (int32_t)r) c->q = 1;
        arm_wr(c, rd, (uint32_t)r);
    } else if (op == 2) { /* SMLALxy: RdHi 19:16, RdLo 15:12 */
        uint64_t acc = (uint64_t)c->r[rd] << 32 | c->r[rn];
        acc += (uint64_t)(int64_t)p;
        arm_wr(c, rn, (uint32_t)acc);
        arm_wr(c, rd, (uint32_t)(acc >> 32));
    } else { /* SMULxy */
        arm_wr(c, rd, (uint32_t)p);
    }
}

/* ---- v6 parallel add/subtract: op1 selects the flavour, op2 the lane operation ---- */

void vt_arm_i_parallel(vt_arm_cpu *c, uint32_t insn) {
    unsigned op1 = BITS(insn, 22, 20), op2 = BITS(insn, 7, 5);
    uint32_t a = c->r[BITS(insn, 19, 16)], b = c->r[insn & 15];
    bool sgn = op1 < 4, bytes = op2 >= 4;
    unsigned kind = op1 & 3; /* 1 plain (sets GE), 2 saturating, 3 halving */
    if (kind == 0 || op2 == 5 || op2 == 6) vt_arm_undefined(c, insn);
    unsigned lanes = bytes ? 4 : 2, w = bytes ? 8 : 16;
    uint32_t lmask = (1u << w) - 1, res = 0, ge = 0;
    for (unsigned i = 0; i < lanes; i++) {
        unsigned ai = i, bi = i;
        bool sub = op2 == 3 || op2 == 7;
        if (op2 == 1) {
            bi = 1 - i;
            sub = i == 0;
        } /* ASX: lo = a.lo - b.hi, hi = a.hi + b.lo */
        if (op2 == 2) {
            bi = 1 - i;
            sub = i == 1;
        } /* SAX: lo = a.lo + b.hi, hi = a.hi - b.lo */
        uint32_t ua = (a >> (w * ai)) & lmask, ub = (b >> (w * bi)) & lmask;
        int32_t va = sgn ? (int32_t)(ua << (32 - w)) >> (32 - w) : (int32_t)ua;
        int32_t vb = sgn ? (int32_t)(ub << (32 - w)) >> (32 - w) : (int32_t)ub;
        int32_t r = sub ? va - vb : va + vb;
        uint32_t lane;
        if (kind == 1) {
            bool g = sgn ? r >= 0 : (sub ? r >= 0 : r >= (int32_t)(1u << w));
            if (g) ge |= (bytes ? 1u : 3u) << (bytes ? i : 2 * i);
            lane = (uint32_t)r & lmask;
        } else if (kind == 2) {
            bool sat = false;
            lane = (sgn ? (uint32_t)arm_ssat(r, w, &sat) : arm_usat(r, w, &sat)) & lmask;
        } else {
            lane = (uint32_t)(r >> 1) & lmask;
        }
        res |= lane << (w * i);
    }
    if (kind == 1) c->ge = ge;
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 15, 12), res);
}

void vt_arm_i_sel(vt_arm_cpu *c, uint32_t insn) {
    uint32_t a = c->r[BITS(insn, 19, 16)], b = c->r[insn & 15], r = 0;
    for (unsigned i = 0; i < 4; i++)
        r |= ((c->ge >> i) & 1 ? a : b) & (0xffu << (8 * i));
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 15, 12), r);
}

void vt_arm_i_pkh(vt_arm_cpu *c, uint32_t insn) {
    uint32_t n = c->r[BITS(insn, 19, 16)], m = c->r[insn & 15];
    unsigned sh = BITS(insn, 11, 7);
    uint32_t r;
    if (BIT(insn, 6)) { /* PKHTB: ASR, 0 encodes 32 */
        uint32_t t = (uint32_t)((int32_t)m >> (sh ? sh : 31));
        r = (n & 0xffff0000u) | (t & 0xffff);
    } else {
        r = (n & 0xffff) | ((m << sh) & 0xffff0000u);
    }
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 15, 12), r);
}

void vt_arm_i_sat(vt_arm_cpu *c, uint32_t insn) {
    unsigned sh = BITS(insn, 11, 7);
    uint32_t m = c->r[insn & 15];
    int32_t v = BIT(insn, 6) ? (int32_t)m >> (sh ? sh : 31) : (int32_t)(m << sh);
    bool sat = false;
    uint32_t r;
    if (BIT(insn, 22))
        r = arm_usat(v, BITS(insn, 20, 16), &sat);
    else
        r = (uint32_t)arm_ssat(v, BITS(insn, 20, 16) + 1, &sat);
    if (sat) c->q = 1;
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 15, 12), r);
}

void vt_arm_i_sat16(vt_arm_cpu *c, uint32_t insn) {
    uint32_t m = c->r[insn & 15], r = 0;
    bool sat = false;
    for (unsigned i = 0; i < 2; i++) {
        int32_t h = half(m, i);
        uint32_t lane = BIT(insn, 22) ? arm_usat(h, BITS(insn, 19, 16), &sat)
                                      : (uint32_t)arm_ssat(h, BITS(insn, 19, 16) + 1, &sat);
        r |= (lane & 0xffff) << (16 * i);
    }
    if (sat) c->q = 1;
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 15, 12), r);
}

/* SXTAB16/SXTAB/SXTAH/UXTAB16/UXTAB/UXTAH and the Rn=15 forms without the add. */
uint32_t vt_arm_extend(unsigned op, uint32_t n, uint32_t m, unsigned rot, bool add) {
    uint32_t v = rot ? (m >> rot | m << (32 - rot)) : m;
    uint32_t r;
    switch (op) {
    case 0:
    case 4: { /* 16-bit lanes of bytes 0 and 2 */
        uint32_t lo = v & 0xff, hi = (v >> 16) & 0xff;
        if (op == 0) {
            lo = (uint32_t)(int8_t)lo;
            hi = (uint32_t)(int8_t)hi;
        }
        if (add) {
            lo += n;
            hi += n >> 16;
        }
        return (lo & 0xffff) | (hi & 0xffff) << 16;
    }
    case 2:
        r = (uint32_t)(int8_t)v;
        break;
    case 3:
        r = (uint32_t)(int16_t)v;
        break;
    case 6:
        r = v & 0xff;
        break;
    default:
        r = v & 0xffff;
        break;
    }
    return add ? r + n : r;
}

void vt_arm_i_extend(vt_arm_cpu *c, uint32_t insn) {
    unsigned op = BITS(insn, 22, 20), rn = BITS(insn, 19, 16);
    if (op == 1 || op == 5) vt_arm_undefined(c, insn);
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 15, 12),
           vt_arm_extend(op, c->r[rn], c->r[insn & 15], 8 * BITS(insn, 11, 10), rn != 15));
}

uint32_t vt_arm_rev(unsigned kind, uint32_t v) {
    switch (kind) {
    case 0:
        return __builtin_bswap32(v);
    case 1:
        return (v & 0xff00ff00u) >> 8 | (v & 0x00ff00ffu) << 8;
    default:
        return (uint32_t)(int16_t)(uint16_t)((v & 0xff) << 8 | (v >> 8 & 0xff));
    }
}

void vt_arm_i_rev(vt_arm_cpu *c, uint32_t insn) {
    unsigned kind = BIT(insn, 22) ? 2 : BIT(insn, 7);
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 15, 12), vt_arm_rev(kind, c->r[insn & 15]));
}

void vt_arm_i_smlad(vt_arm_cpu *c, uint32_t insn) {
    uint32_t m = c->r[insn & 15], s = c->r[BITS(insn, 11, 8)];
    unsigned rd = BITS(insn, 19, 16), ra = BITS(insn, 15, 12);
    if (BIT(insn, 5)) s = s >> 16 | s << 16;
    int64_t p1 = (int64_t)half(m, 0) * half(s, 0), p2 = (int64_t)half(m, 1) * half(s, 1);
    int64_t sum = BIT(insn, 6) ? p1 - p2 : p1 + p2;
    c->base.cycles += c->t.mul_dsp;
    if (BIT(insn, 22)) { /* SMLALD/SMLSLD */
        uint64_t acc = ((uint64_t)c->r[rd] << 32 | c->r[ra]) + (uint64_t)sum;
        arm_wr(c, ra, (uint32_t)acc);
        arm_wr(c, rd, (uint32_t)(acc >> 32));
        return;
    }
    if (ra != 15) sum += (int32_t)c->r[ra];
    if (sum != (int32_t)sum) c->q = 1;
    arm_wr(c, rd, (uint32_t)sum);
}

void vt_arm_i_smmla(vt_arm_cpu *c, uint32_t insn) {
    unsigned rd = BITS(insn, 19, 16), ra = BITS(insn, 15, 12);
    int64_t p = (int64_t)(int32_t)c->r[insn & 15] * (int32_t)c->r[BITS(insn, 11, 8)];
    int64_t acc = (ra == 15 && !BIT(insn, 6)) ? 0 : (int64_t)((uint64_t)c->r[ra] << 32);
    uint64_t r = BIT(insn, 6) ? (uint64_t)acc - (uint64_t)p : (uint64_t)acc + (uint64_t)p;
    if (BIT(insn, 5)) r += 0x80000000u;
    c->base.cycles += c->t.mul_dsp;
    arm_wr(c, rd, (uint32_t)(r >> 32));
}

void vt_arm_i_usad8(vt_arm_cpu *c, uint32_t insn) {
    uint32_t m = c->r[insn & 15], s = c->r[BITS(insn, 11, 8)], sum = 0;
    unsigned ra = BITS(insn, 15, 12);
    for (unsigned i = 0; i < 4; i++) {
        int d = (int)((m >> (8 * i)) & 0xff) - (int)((s >> (8 * i)) & 0xff);
        sum += (uint32_t)(d < 0 ? -d : d);
    }
    if (ra != 15) sum += c->r[ra];
    c->base.cycles += c->t.media;
    arm_wr(c, BITS(insn, 19, 16), sum);
}

/* ---- v6 system instructions (unconditional space) ---- */

void vt_arm_i_cps(vt_arm_cpu *c, uint32_t insn) {
    c->base.cycles += c->t.dp;
    if ((c->cpsr_ctl & 0x1f) == VT_ARM_MODE_USR) return; /* no effect in User mode */
    uint32_t v = vt_arm_get_cpsr(c);
    uint32_t aif = insn & 0x1c0;
    if (BITS(insn, 19, 18) == 2)
        v &= ~aif;
    else if (BITS(insn, 19, 18) == 3)
        v |= aif;
    if (BIT(insn, 17)) v = (v & ~0x1fu) | (insn & 0x1f);
    vt_arm_set_cpsr(c, v);
}

void vt_arm_i_setend(vt_arm_cpu *c, uint32_t insn) {
    /* big-endian data accesses are not modelled: SETEND BE is reported, not ignored */
    if (BIT(insn, 9)) vt_arm_undefined(c, insn);
    c->base.cycles += c->t.dp;
}

void vt_arm_i_rfe(vt_arm_cpu *c, uint32_t insn) {
    unsigned rn = BITS(insn, 19, 16);
    bool p = BIT(insn, 24), u = BIT(insn, 23);
    uint32_t base = c->r[rn];
    uint32_t addr = u ? base + (p ? 4 : 0) : base - 8 + (p ? 0 : 4);
    uint32_t pc = vt_arm_ld32(c, addr), psr = vt_arm_ld32(c, addr + 4);
    if (BIT(insn, 21)) c->r[rn] = u ? base + 8 : base - 8;
    c->base.cycles += c->t.ldm_base + 2 * c->t.per_reg;
    vt_arm_set_cpsr(c, psr);
    c->next_pc = pc & (c->thumb ? ~1u : ~3u);
}

void vt_arm_i_srs(vt_arm_cpu *c, uint32_t insn) {
    unsigned mode = c->cpsr_ctl & 0x1f, target = insn & 0x1f;
    bool p = BIT(insn, 24), u = BIT(insn, 23);
    uint32_t lr = c->r[14], spsr = c->spsr;
    vt_arm_switch_mode(c, target);
    uint32_t base = c->r[13];
    uint32_t addr = u ? base + (p ? 4 : 0) : base - 8 + (p ? 0 : 4);
    vt_arm_switch_mode(c, mode);
    vt_arm_st32(c, addr, lr);
    vt_arm_st32(c, addr + 4, spsr);
    if (BIT(insn, 21)) {
        vt_arm_switch_mode(c, target);
        c->r[13] = u ? base + 8 : base - 8;
        vt_arm_switch_mode(c, mode);
    }
    c->base.cycles += c->t.stm_base + 2 * c->t.per_reg;
}
