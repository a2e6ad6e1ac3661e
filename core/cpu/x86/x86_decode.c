/* x86 instruction decoder: prefixes, opcode maps, ModRM/SIB with 16- and 32-bit addressing,
 * displacements and immediates, driven by the operand specs of the shared opcode table
 * (x86_optable.c). Also the register/r-m operand accessors the executors use.
 * Facts: Intel SDM vol. 2 ch. 2 (instruction format) and appendix A (opcode maps). */
#include "core/cpu/x86/x86_cpu.h"

/* Instruction bytes come from `code` (a host pointer to at least 15 readable bytes when the
 * instruction cannot cross a page or the CS limit), else byte by byte through the MMU. */
static uint32_t fetch(x86_cpu *c, x86_insn *i, unsigned n) {
    if (c->code) { /* the 15-byte window was checked once for the whole instruction */
        const uint8_t *p = c->code + i->len;
        i->len = (uint8_t)(i->len + n);
        if (i->len > 15) x86_raise(c, EXC_GP, 0);
        return n == 1 ? p[0] : n == 2 ? load_le16(p) : load_le32(p);
    }
    uint32_t v = 0;
    if (i->len + n > 15) x86_raise(c, EXC_GP, 0);
    for (unsigned k = 0; k < n; k++) {
        uint8_t b = x86_fetch8(c, c->eip + i->len);
        c->insn_bytes[i->len++] = b;
        v |= (uint32_t)b << (8 * k);
    }
    c->insn_len = i->len;
    return v;
}

static void decode_modrm(x86_cpu *c, x86_insn *i) {
    uint8_t m = (uint8_t)fetch(c, i, 1);
    i->has_modrm = true;
    i->modrm = m;
    i->mod = m >> 6;
    i->reg = (m >> 3) & 7;
    i->rm = m & 7;
    i->mem = i->mod != 3;
    i->base = i->index = 0xFF;
    if (!i->mem) return;
    uint8_t dseg = SEG_DS;
    if (i->asize == 2) {
        static const uint8_t base_r[8] = {X86_EBX, X86_EBX, X86_EBP, X86_EBP,
                                          X86_ESI, X86_EDI, X86_EBP, X86_EBX};
        static const uint8_t idx_r[8] = {X86_ESI, X86_EDI, X86_ESI, X86_EDI,
                                         0xFF,    0xFF,    0xFF,    0xFF};
        if (i->mod == 0 && i->rm == 6) {
            i->disp = fetch(c, i, 2);
        } else {
            i->base = base_r[i->rm];
            i->index = idx_r[i->rm];
            if (i->base == X86_EBP) dseg = SEG_SS;
            if (i->mod == 1)
                i->disp = x86_sext(fetch(c, i, 1), 1);
            else if (i->mod == 2)
                i->disp = fetch(c, i, 2);
        }
    } else {
        unsigned rm = i->rm;
        if (rm == 4) {
            uint8_t sib = (uint8_t)fetch(c, i, 1);
            i->has_sib = true;
            i->sib = sib;
            unsigned idx = (sib >> 3) & 7, base = sib & 7;
            i->scale = sib >> 6;
            if (idx != 4) i->index = (uint8_t)idx;
            if (base == 5 && i->mod == 0) {
                i->disp = fetch(c, i, 4);
            } else {
                i->base = (uint8_t)base;
                if (base == X86_ESP || base == X86_EBP) dseg = SEG_SS;
            }
        } else if (rm == 5 && i->mod == 0) {
            i->disp = fetch(c, i, 4);
        } else {
            i->base = (uint8_t)rm;
            if (rm == X86_EBP) dseg = SEG_SS;
        }
        if (i->mod == 1)
            i->disp = x86_sext(fetch(c, i, 1), 1);
        else if (i->mod == 2)
            i->disp = fetch(c, i, 4);
    }
    if (!i->seg_override) i->seg = dseg;
    x86_calc_ea(c, i);
}

/* Operand parts per opcode, derived once per core from the table's specs (x86_decode_init):
 * ModRM present, and up to two immediates with their size codes. */
enum { IMM_NONE, IMM_B, IMM_W, IMM_Z, IMM_ADDR, IMM_FAR };

void x86_decode_init(x86_cpu *c) {
    for (unsigned op = 0; op < 512; op++) {
        x86_opinfo *o = &c->opinfo[op];
        memset(o, 0, sizeof *o);
        const char *s = vt_x86_ops[op].spec;
        if (!vt_x86_ops[op].fn) continue;
        unsigned k = 0;
        while (*s) {
            const char *t = s;
            while (*s && *s != ',')
                s++;
            size_t n = (size_t)(s - t);
            if (*s == ',') s++;
            uint8_t code = IMM_NONE;
            bool sext = false;
            /* two capitals name a fixed register (DX, CL, ES, SS...), not an addressing mode
             * such as Dd or Sw: no ModRM byte (in/out via DX, push/pop of a segment register) */
            bool fixed_reg = n >= 2 && t[1] >= 'A' && t[1] <= 'Z';
            switch (fixed_reg ? 0 : t[0]) {
            case 'E':
            case 'G':
            case 'M':
            case 'S':
            case 'C':
            case 'D':
            case 'R':
            case 'P':
            case 'Q':
            case 'N':
            case 'F':
                o->modrm = 1;
                break;
            case 'I':
                code = t[1] == 'b' ? IMM_B : t[1] == 'w' ? IMM_W : IMM_Z;
                sext = n == 3; /* Ibs */
                break;
            case 'J':
                code = t[1] == 'b' ? IMM_B : IMM_Z;
                sext = true;
                break;
            case 'O':
                code = IMM_ADDR;
                break;
            case 'A':
                if (t[1] == 'p') code = IMM_FAR;
                break;
            default:
                break;
            }
            if (code != IMM_NONE && k < 2) {
                o->imm[k] = code;
                if (sext) o->sext |= (uint8_t)(1u << k);
                k++;
            }
        }
    }
}

static void decode_operands(x86_cpu *c, x86_insn *i) {
    const x86_opinfo *o = &c->opinfo[i->opc];
    if (o->modrm) decode_modrm(c, i);
    for (unsigned k = 0; k < 2 && o->imm[k]; k++) {
        uint32_t v;
        unsigned isz;
        switch (o->imm[k]) {
        case IMM_B:
            isz = 1;
            break;
        case IMM_W:
            isz = 2;
            break;
        case IMM_Z:
            isz = i->osize;
            break;
        case IMM_ADDR:
            isz = i->asize;
            break;
        default:
            i->imm = fetch(c, i, i->osize);
            i->imm2 = fetch(c, i, 2);
            return;
        }
        v = fetch(c, i, isz);
        if ((o->sext >> k) & 1) v = x86_sext(v, isz);
        if (k == 0)
            i->imm = v;
        else
            i->imm2 = v;
    }
}

/* Decodes the instruction at CS:EIP. Returns 0, or raises #GP/#PF through the abort path. */
int x86_decode(x86_cpu *c, x86_insn *i) {
    memset(i, 0, sizeof *i);
    c->insn_len = 0;
    c->cur = i;
    bool d32 = x86_code32(c);
    /* fast path: the whole (max 15-byte) instruction is on one cached code page */
    c->code = NULL;
    const x86_seg *cs = &c->seg[SEG_CS];
    uint32_t la = cs->base + c->eip;
    if ((la & 0xFFF) <= 0x1000 - 15 && c->eip <= cs->limit && cs->limit - c->eip >= 14)
        c->code = vt_tlb_lookup(&c->tlb, la, VT_ACCESS_EXEC);
    i->osize = i->asize = d32 ? 4 : 2;
    i->seg = SEG_DS;
    uint8_t b;
    for (;;) {
        b = (uint8_t)fetch(c, i, 1);
        switch (b) {
        case 0x26:
            i->seg = SEG_ES;
            i->seg_override = true;
            continue;
        case 0x2E:
            i->seg = SEG_CS;
            i->seg_override = true;
            continue;
        case 0x36:
            i->seg = SEG_SS;
            i->seg_override = true;
            continue;
        case 0x3E:
            i->seg = SEG_DS;
            i->seg_override = true;
            continue;
        case 0x64:
            i->seg = SEG_FS;
            i->seg_override = true;
            continue;
        case 0x65:
            i->seg = SEG_GS;
            i->seg_override = true;
            continue;
        case 0x66:
            i->osize = d32 ? 2 : 4;
            continue;
        case 0x67:
            i->asize = d32 ? 2 : 4;
            continue;
        case 0xF0:
            i->lock = true;
            continue;
        case 0xF2:
        case 0xF3:
            i->rep = b;
            continue;
        default:
            break;
        }
        break;
    }
    i->opc = b;
    if (b == 0x0F) i->opc = (uint16_t)(0x100 | fetch(c, i, 1));
    const x86_opdef *d = &vt_x86_ops[i->opc];
    i->def = d;
    i->fn = d->fn;
    if (!d->fn) return -1;
    decode_operands(c, i);
    /* TEST Eb/Ev,imm inside group 3 carries an immediate the other members lack. */
    if ((i->opc == 0xF6 || i->opc == 0xF7) && i->reg < 2)
        i->imm = fetch(c, i, i->opc == 0xF6 ? 1 : i->osize);
    i->cost = (uint8_t)(d->cycles + (i->mem ? 1u : 0u));
    x86_handler *fast = x86_alu_fast(i);
    if (!fast) fast = x86_data_fast(i);
    if (fast) i->fn = fast;
    return 0;
}
