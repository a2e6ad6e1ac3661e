/* Lazy EFLAGS: ALU instructions record (operation, size, result, operands) and the
 * arithmetic flags are computed only when something reads them (Jcc, SETcc, PUSHF, ADC...).
 * Instructions with irregular flag rules (shifts, MUL, BCD) set them eagerly.
 * Facts: Intel SDM vol. 1 §3.4.3 and appendix A (EFLAGS cross-reference). */
#include "core/cpu/x86/x86_cpu.h"

uint32_t x86_parity(uint32_t v) {
    return (__builtin_popcount(v & 0xFF) & 1) ? 0 : F_PF;
}

uint32_t x86_szp(uint32_t v, unsigned size) {
    v &= x86_mask(size);
    return (v == 0 ? F_ZF : 0) | ((v & x86_sign(size)) ? F_SF : 0) | x86_parity(v);
}

static uint32_t compute(const x86_cpu *c) {
    if (c->cc_op == CC_EAGER) return c->eflags & F_ARITH;
    unsigned size = c->cc_size;
    uint32_t m = x86_mask(size), sb = x86_sign(size);
    uint32_t r = c->cc_res & m, a = c->cc_a & m, b = c->cc_b & m;
    uint32_t f = x86_szp(r, size);
    switch (c->cc_op) {
    case CC_ADD:
    case CC_ADC: {
        /* ADC's carry-in is recovered from the result: r == a+b+1 exactly when it was set */
        uint64_t wide = (uint64_t)a + b + (c->cc_op == CC_ADC && r != ((a + b) & m));
        if (wide > m) f |= F_CF;
        if ((~(a ^ b) & (a ^ r)) & sb) f |= F_OF;
        f |= (a ^ b ^ r) & F_AF;
        break;
    }
    case CC_SUB:
    case CC_SBB: {
        uint32_t borrow_in = c->cc_op == CC_SBB && r != ((a - b) & m);
        if ((uint64_t)b + borrow_in > a) f |= F_CF;
        if (((a ^ b) & (a ^ r)) & sb) f |= F_OF;
        f |= (a ^ b ^ r) & F_AF;
        break;
    }
    case CC_LOGIC:
        break;
    case CC_INC: /* a = old value; CF preserved in cc_b */
        if (r == sb) f |= F_OF;
        if ((r & 0xF) == 0) f |= F_AF;
        f |= c->cc_b & F_CF;
        break;
    case CC_DEC:
        if (r == sb - 1) f |= F_OF;
        if ((r & 0xF) == 0xF) f |= F_AF;
        f |= c->cc_b & F_CF;
        break;
    default:
        return c->eflags & F_ARITH;
    }
    return f;
}

uint32_t x86_get_flags(x86_cpu *c) {
    return (c->eflags & ~F_ARITH) | compute(c) | 2;
}

bool x86_get_cf(x86_cpu *c) {
    if (c->cc_op == CC_EAGER) return c->eflags & F_CF;
    return compute(c) & F_CF;
}

void x86_set_arith(x86_cpu *c, uint32_t f) {
    c->eflags = (c->eflags & ~F_ARITH) | (f & F_ARITH);
    c->cc_op = CC_EAGER;
}

void x86_set_flags(x86_cpu *c, uint32_t v, uint32_t mask) {
    uint32_t cur = x86_get_flags(c);
    c->eflags = ((cur & ~mask) | (v & mask) | 2) & 0x003F7FD7u;
    c->cc_op = CC_EAGER;
}

/* A compare (SUB) or a logic operation decides the common conditions directly from its
 * operands, without materialising EFLAGS: after SUB, CF = a <u b, ZF = a == b and SF != OF
 * = a <s b; after a logic operation CF = OF = 0. Returns -1 when compute() is needed. */
static int cond_direct(const x86_cpu *c, unsigned cc) {
    unsigned size = c->cc_size;
    uint32_t m = x86_mask(size), r = c->cc_res & m;
    int32_t sr = (int32_t)x86_sext(r, size);
    int v;
    if (c->cc_op == CC_SUB) {
        uint32_t a = c->cc_a & m, b = c->cc_b & m;
        int32_t sa = (int32_t)x86_sext(a, size), sb = (int32_t)x86_sext(b, size);
        switch (cc >> 1) {
        case 1:
            v = a < b;
            break;
        case 2:
            v = a == b;
            break;
        case 3:
            v = a <= b;
            break;
        case 4:
            v = sr < 0;
            break;
        case 6:
            v = sa < sb;
            break;
        case 7:
            v = sa <= sb;
            break;
        default:
            return -1;
        }
    } else if (c->cc_op == CC_LOGIC) {
        switch (cc >> 1) {
        case 0:
        case 1:
            v = 0;
            break;
        case 2:
        case 3:
            v = r == 0;
            break;
        case 4:
        case 6:
            v = sr < 0;
            break;
        case 7:
            v = sr <= 0;
            break;
        default:
            return -1;
        }
    } else {
        return -1;
    }
    return (cc & 1) ? !v : v;
}

/* Condition codes 0-15 in Jcc/SETcc/CMOVcc order. */
bool x86_cond(x86_cpu *c, unsigned cc) {
    int direct = cond_direct(c, cc);
    if (direct >= 0) return direct;
    uint32_t f = c->cc_op == CC_EAGER ? c->eflags : compute(c);
    bool r;
    switch (cc >> 1) {
    case 0:
        r = f & F_OF;
        break;
    case 1:
        r = f & F_CF;
        break;
    case 2:
        r = f & F_ZF;
        break;
    case 3:
        r = f & (F_CF | F_ZF);
        break;
    case 4:
        r = f & F_SF;
        break;
    case 5:
        r = f & F_PF;
        break;
    case 6:
        r = !(f & F_SF) != !(f & F_OF);
        break;
    default:
        r = (f & F_ZF) || (!(f & F_SF) != !(f & F_OF));
        break;
    }
    return (cc & 1) ? !r : r;
}
