/* MMX (Pentium II): packed add/sub with wrap-around and saturation, compares, packs and
 * unpacks, multiplies, logic, shifts, MOVD/MOVQ and EMMS, on the registers aliased to the
 * x87 significands. Facts: Intel SDM vol. 1 ch. 9, vol. 2 P* pages. */
#include "core/cpu/x86/x86_cpu.h"

static uint64_t src_q(x86_cpu *c, x86_insn *i) {
    return i->mem ? x86_read64(c, i->seg, i->ea) : x86_mmx_get(c, i->rm);
}

static int64_t lane_s(uint64_t v, unsigned w, unsigned k) {
    uint64_t x = (v >> (k * w)) & ((1ull << w) - 1);
    return (int64_t)(x << (64 - w)) >> (64 - w);
}
static uint64_t lane_u(uint64_t v, unsigned w, unsigned k) {
    return w == 64 ? v : (v >> (k * w)) & ((1ull << w) - 1);
}
static int64_t sat_s(int64_t x, unsigned w) {
    int64_t hi = (1ll << (w - 1)) - 1, lo = -(1ll << (w - 1));
    return x > hi ? hi : x < lo ? lo : x;
}
static int64_t sat_u(int64_t x, unsigned w) {
    int64_t hi = (1ll << w) - 1;
    return x > hi ? hi : x < 0 ? 0 : x;
}

static uint64_t shift(uint64_t d, uint64_t cnt, unsigned w, int kind) { /* 0 srl 1 sra 2 sll */
    uint64_t r = 0;
    for (unsigned k = 0; k < 64 / w; k++) {
        uint64_t x;
        if (kind == 1) {
            int64_t s = lane_s(d, w, k);
            x = (uint64_t)(s >> (cnt >= w ? w - 1 : cnt));
        } else if (cnt >= w) {
            x = 0;
        } else {
            x = kind == 0 ? lane_u(d, w, k) >> cnt : lane_u(d, w, k) << cnt;
        }
        if (w < 64) x &= (1ull << w) - 1;
        r |= x << (k * w);
    }
    return r;
}

static uint64_t lanes(uint64_t d, uint64_t s, unsigned w, int op) {
    uint64_t r = 0;
    for (unsigned k = 0; k < 64 / w; k++) {
        int64_t a = lane_s(d, w, k), b = lane_s(s, w, k);
        uint64_t ua = lane_u(d, w, k), ub = lane_u(s, w, k);
        int64_t x;
        switch (op) {
        case 0:
            x = (int64_t)(ua + ub);
            break; /* padd */
        case 1:
            x = (int64_t)(ua - ub);
            break; /* psub */
        case 2:
            x = sat_s(a + b, w);
            break; /* padds */
        case 3:
            x = sat_s(a - b, w);
            break; /* psubs */
        case 4:
            x = sat_u((int64_t)(ua + ub), w);
            break; /* paddus */
        case 5:
            x = sat_u((int64_t)ua - (int64_t)ub, w);
            break; /* psubus */
        case 6:
            x = ua == ub ? -1 : 0;
            break; /* pcmpeq */
        case 7:
            x = a > b ? -1 : 0;
            break; /* pcmpgt */
        case 8:
            x = a * b;
            break; /* pmullw */
        default:
            x = (a * b) >> 16;
            break; /* pmulhw */
        }
        r |= ((uint64_t)x & ((1ull << w) - 1)) << (k * w);
    }
    return r;
}

static uint64_t pack(uint64_t d, uint64_t s, unsigned w, bool uns) {
    uint64_t r = 0;
    unsigned n = 64 / w, ow = w / 2;
    for (unsigned k = 0; k < 2 * n; k++) {
        int64_t x = lane_s(k < n ? d : s, w, k % n);
        x = uns ? sat_u(x, ow) : sat_s(x, ow);
        r |= ((uint64_t)x & ((1ull << ow) - 1)) << (k * ow);
    }
    return r;
}

static uint64_t unpack(uint64_t d, uint64_t s, unsigned w, bool high) {
    uint64_t r = 0;
    unsigned n = 32 / w, base = high ? n : 0;
    for (unsigned k = 0; k < n; k++) {
        r |= lane_u(d, w, base + k) << (2 * k * w);
        r |= lane_u(s, w, base + k) << ((2 * k + 1) * w);
    }
    return r;
}

void h_mmx(x86_cpu *c, x86_insn *i) {
    x86_mmx_enter(c);
    unsigned o = i->opc & 0xFF;
    uint64_t d = x86_mmx_get(c, i->reg), s, r;
    /* the low-half unpacks read only 32 bits from memory */
    if (o <= 0x62 && i->mem)
        s = x86_read(c, i->seg, i->ea, 4);
    else
        s = src_q(c, i);
    switch (o) {
    case 0x60:
        r = unpack(d, s, 8, false);
        break;
    case 0x61:
        r = unpack(d, s, 16, false);
        break;
    case 0x62:
        r = unpack(d, s, 32, false);
        break;
    case 0x63:
        r = pack(d, s, 16, false);
        break;
    case 0x64:
        r = lanes(d, s, 8, 7);
        break;
    case 0x65:
        r = lanes(d, s, 16, 7);
        break;
    case 0x66:
        r = lanes(d, s, 32, 7);
        break;
    case 0x67:
        r = pack(d, s, 16, true);
        break;
    case 0x68:
        r = unpack(d, s, 8, true);
        break;
    case 0x69:
        r = unpack(d, s, 16, true);
        break;
    case 0x6A:
        r = unpack(d, s, 32, true);
        break;
    case 0x6B:
        r = pack(d, s, 32, false);
        break;
    case 0x74:
        r = lanes(d, s, 8, 6);
        break;
    case 0x75:
        r = lanes(d, s, 16, 6);
        break;
    case 0x76:
        r = lanes(d, s, 32, 6);
        break;
    case 0xD1:
        r = shift(d, s, 16, 0);
        break;
    case 0xD2:
        r = shift(d, s, 32, 0);
        break;
    case 0xD3:
        r = shift(d, s, 64, 0);
        break;
    case 0xD5:
        r = lanes(d, s, 16, 8);
        break;
    case 0xD8:
        r = lanes(d, s, 8, 5);
        break;
    case 0xD9:
        r = lanes(d, s, 16, 5);
        break;
    case 0xDB:
        r = d & s;
        break;
    case 0xDC:
        r = lanes(d, s, 8, 4);
        break;
    case 0xDD:
        r = lanes(d, s, 16, 4);
        break;
    case 0xDF:
        r = ~d & s;
        break;
    case 0xE1:
        r = shift(d, s, 16, 1);
        break;
    case 0xE2:
        r = shift(d, s, 32, 1);
        break;
    case 0xE5:
        r = lanes(d, s, 16, 9);
        break;
    case 0xE8:
        r = lanes(d, s, 8, 3);
        break;
    case 0xE9:
        r = lanes(d, s, 16, 3);
        break;
    case 0xEB:
        r = d | s;
        break;
    case 0xEC:
        r = lanes(d, s, 8, 2);
        break;
    case 0xED:
        r = lanes(d, s, 16, 2);
        break;
    case 0xEF:
        r = d ^ s;
        break;
    case 0xF1:
        r = shift(d, s, 16, 2);
        break;
    case 0xF2:
        r = shift(d, s, 32, 2);
        break;
    case 0xF3:
        r = shift(d, s, 64, 2);
        break;
    case 0xF5: {
        r = 0;
        for (unsigned k = 0; k < 2; k++) {
            int64_t x = lane_s(d, 16, 2 * k) * lane_s(s, 16, 2 * k) +
                        lane_s(d, 16, 2 * k + 1) * lane_s(s, 16, 2 * k + 1);
            r |= ((uint64_t)x & 0xFFFFFFFFu) << (32 * k);
        }
        break;
    }
    case 0xF8:
        r = lanes(d, s, 8, 1);
        break;
    case 0xF9:
        r = lanes(d, s, 16, 1);
        break;
    case 0xFA:
        r = lanes(d, s, 32, 1);
        break;
    case 0xFC:
        r = lanes(d, s, 8, 0);
        break;
    case 0xFD:
        r = lanes(d, s, 16, 0);
        break;
    default:
        r = lanes(d, s, 32, 0);
        break;
    }
    x86_mmx_set(c, i->reg, r);
}

void h_mmx_shimm(x86_cpu *c, x86_insn *i) {
    if (i->mem) x86_raise_ud_quiet(c);
    unsigned o = i->opc & 0xFF, w = o == 0x71 ? 16 : o == 0x72 ? 32 : 64;
    int kind = i->reg == 2 ? 0 : i->reg == 4 ? 1 : i->reg == 6 ? 2 : -1;
    if (kind < 0 || (w == 64 && kind == 1)) x86_raise_ud(c);
    x86_mmx_enter(c);
    x86_mmx_set(c, i->rm, shift(x86_mmx_get(c, i->rm), i->imm & 0xFF, w, kind));
}

void h_mmx_movd(x86_cpu *c, x86_insn *i) {
    x86_mmx_enter(c);
    if (i->opc == 0x16E)
        x86_mmx_set(c, i->reg, x86_rm_read(c, i, 4));
    else
        x86_rm_write(c, i, 4, (uint32_t)x86_mmx_get(c, i->reg));
}

void h_mmx_movq(x86_cpu *c, x86_insn *i) {
    x86_mmx_enter(c);
    if (i->opc == 0x16F) {
        x86_mmx_set(c, i->reg, src_q(c, i));
    } else if (i->mem) {
        x86_write64(c, i->seg, i->ea, x86_mmx_get(c, i->reg));
    } else {
        x86_mmx_set(c, i->rm, x86_mmx_get(c, i->reg));
    }
}
