/* PowerPC 750 disassembler (the operand syntax of MPCFPE32B appendix F), driven by the same
 * opcode table rows as the decoder (ppc_ops.h): the mnemonic and operand form come from the
 * entry; Rc adds ".", OE adds "o", LK/AA add "l"/"a". */
#include "core/cpu/ppc/ppc_cpu.h"
#include "core/cpu/ppc/ppc_ops.h"

#include <stdio.h>

static bool has_oe(uint32_t insn) {
    unsigned xo = (insn >> 1) & 0x3ff;
    if ((insn >> 26) != 31 || !(xo & 0x200)) return false;
    switch (xo & 0x1ff) {
    case 8:
    case 10:
    case 40:
    case 104:
    case 136:
    case 138:
    case 200:
    case 202:
    case 232:
    case 234:
    case 235:
    case 266:
    case 459:
    case 491:
        return true;
    default:
        return false;
    }
}

/* Primary opcodes whose bit 0 is Rc (the rest use it for LK or nothing). */
static bool has_rc(uint32_t insn, const ppc_op *op) {
    unsigned opcd = insn >> 26;
    if (opcd == 31) return op->form != F_MEMX && op->form != F_FMEMX && op->form != F_CACHE;
    return opcd == 20 || opcd == 21 || opcd == 23 || opcd == 59 || opcd == 63;
}

void vt_ppc_disasm_insn(uint32_t pc, uint32_t i, char *buf, size_t len) {
    const ppc_op *op = vt_ppc_decode(i);
    if (!op->name) {
        snprintf(buf, len, ".long 0x%08x", i);
        return;
    }
    char mn[24];
    unsigned opcd = i >> 26;
    bool lk = (opcd == 16 || opcd == 18 || (opcd == 19 && (op->form == F_BCR))) && (i & 1);
    bool aa = (opcd == 16 || opcd == 18) && (i & 2);
    snprintf(mn, sizeof mn, "%s%s%s%s%s", op->name, has_oe(i) ? "o" : "",
             has_rc(i, op) && (i & 1) ? "." : "", lk ? "l" : "", aa ? "a" : "");
    unsigned d = RD(i), a = RA(i), b = RB(i), c = RC(i);
    int32_t simm = (int16_t)i;
    switch (op->form) {
    case F_DA:
        snprintf(buf, len, "%s r%u,r%u,%d", mn, d, a, simm);
        break;
    case F_DAU:
        snprintf(buf, len, "%s r%u,r%u,0x%x", mn, a, d, i & 0xffff);
        break;
    case F_CMPI:
        snprintf(buf, len, "%s cr%u,r%u,%d", mn, d >> 2, a, simm);
        break;
    case F_CMPLI:
        snprintf(buf, len, "%s cr%u,r%u,0x%x", mn, d >> 2, a, i & 0xffff);
        break;
    case F_TI:
        snprintf(buf, len, "%s %u,r%u,%d", mn, d, a, simm);
        break;
    case F_MEM:
        snprintf(buf, len, "%s r%u,%d(r%u)", mn, d, simm, a);
        break;
    case F_FMEM:
        snprintf(buf, len, "%s f%u,%d(r%u)", mn, d, simm, a);
        break;
    case F_B: {
        uint32_t disp = (uint32_t)((int32_t)(i << 6) >> 6) & ~3u;
        snprintf(buf, len, "%s 0x%08x", mn, (aa ? 0 : pc) + disp);
        break;
    }
    case F_BC:
        snprintf(buf, len, "%s %u,%u,0x%08x", mn, d, a, (aa ? 0 : pc) + ((uint32_t)simm & ~3u));
        break;
    case F_BCR:
        snprintf(buf, len, "%s %u,%u", mn, d, a);
        break;
    case F_CRL:
        snprintf(buf, len, "%s %u,%u,%u", mn, d, a, b);
        break;
    case F_MCRF:
        snprintf(buf, len, "%s cr%u,cr%u", mn, d >> 2, a >> 2);
        break;
    case F_RLWI:
        snprintf(buf, len, "%s r%u,r%u,%u,%u,%u", mn, a, d, b, c, (i >> 1) & 31);
        break;
    case F_RLW:
        snprintf(buf, len, "%s r%u,r%u,r%u,%u,%u", mn, a, d, b, c, (i >> 1) & 31);
        break;
    case F_XO3:
        snprintf(buf, len, "%s r%u,r%u,r%u", mn, d, a, b);
        break;
    case F_XO2:
        snprintf(buf, len, "%s r%u,r%u", mn, d, a);
        break;
    case F_X3:
        snprintf(buf, len, "%s r%u,r%u,r%u", mn, a, d, b);
        break;
    case F_X2:
        snprintf(buf, len, "%s r%u,r%u", mn, a, d);
        break;
    case F_SHI:
        snprintf(buf, len, "%s r%u,r%u,%u", mn, a, d, b);
        break;
    case F_CMP:
        snprintf(buf, len, "%s cr%u,r%u,r%u", mn, d >> 2, a, b);
        break;
    case F_MEMX:
        snprintf(buf, len, "%s r%u,r%u,r%u", mn, d, a, b);
        break;
    case F_FMEMX:
        snprintf(buf, len, "%s f%u,r%u,r%u", mn, d, a, b);
        break;
    case F_CACHE:
        snprintf(buf, len, "%s r%u,r%u", mn, a, b);
        break;
    case F_TW:
        snprintf(buf, len, "%s %u,r%u,r%u", mn, d, a, b);
        break;
    case F_RDONLY:
        snprintf(buf, len, "%s r%u", mn, d);
        break;
    case F_RSONLY:
        snprintf(buf, len, "%s r%u", mn, d);
        break;
    case F_MFSPR:
        snprintf(buf, len, "%s r%u,%u", mn, d, a | b << 5);
        break;
    case F_MTSPR:
        snprintf(buf, len, "%s %u,r%u", mn, a | b << 5, d);
        break;
    case F_MTCRF:
        snprintf(buf, len, "%s 0x%02x,r%u", mn, (i >> 12) & 0xff, d);
        break;
    case F_MFSR:
        snprintf(buf, len, "%s r%u,%u", mn, d, a & 15);
        break;
    case F_MTSR:
        snprintf(buf, len, "%s %u,r%u", mn, a & 15, d);
        break;
    case F_RBONLY:
        snprintf(buf, len, "%s r%u", mn, b);
        break;
    case F_XRB:
        snprintf(buf, len, "%s r%u,r%u", mn, d, b);
        break;
    case F_LSWI:
        snprintf(buf, len, "%s r%u,r%u,%u", mn, d, a, b);
        break;
    case F_CRFD:
        snprintf(buf, len, "%s cr%u", mn, d >> 2);
        break;
    case F_FA3:
        snprintf(buf, len, "%s f%u,f%u,f%u", mn, d, a, b);
        break;
    case F_FAC:
        snprintf(buf, len, "%s f%u,f%u,f%u", mn, d, a, c);
        break;
    case F_FMA:
        snprintf(buf, len, "%s f%u,f%u,f%u,f%u", mn, d, a, c, b);
        break;
    case F_FB:
        snprintf(buf, len, "%s f%u,f%u", mn, d, b);
        break;
    case F_FCMP:
        snprintf(buf, len, "%s cr%u,f%u,f%u", mn, d >> 2, a, b);
        break;
    case F_FD:
        snprintf(buf, len, "%s f%u", mn, d);
        break;
    case F_MTFSF:
        snprintf(buf, len, "%s 0x%02x,f%u", mn, (i >> 17) & 0xff, b);
        break;
    case F_MTFSFI:
        snprintf(buf, len, "%s cr%u,%u", mn, d >> 2, (i >> 12) & 0xf);
        break;
    case F_CRBD:
        snprintf(buf, len, "%s %u", mn, d);
        break;
    default:
        snprintf(buf, len, "%s", mn);
        break;
    }
}
