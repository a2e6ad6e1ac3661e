/* SPARC V8 disassembler (SPARC assembly syntax of the V8 manual appendix A), driven by the
 * same opcode tables as the executor (sparc_ops.h). Used by traces, the debugger and tests. */
#include "core/cpu/sparc/sparc_cpu.h"
#include "core/cpu/sparc/sparc_ops.h"

#include <stdio.h>

static const char *const arith_names[64] = {
#define X(op3, name, cyc) [op3] = name,
    SPARC_ARITH_OPS(X)
#undef X
};
static const char *const mem_names[64] = {
#define X(op3, name, cyc) [op3] = name,
    SPARC_MEM_OPS(X)
#undef X
};
static const char *const fpop_names[0x200] = {
#define X(opf, name, cyc, impl) [opf] = name,
    SPARC_FPOPS(X)
#undef X
};
static const char *const icc_names[16] = SPARC_ICC_NAMES;
static const char *const fcc_names[16] = SPARC_FCC_NAMES;
static const char *const regs[32] = {"%g0", "%g1", "%g2", "%g3", "%g4", "%g5", "%g6", "%g7",
                                     "%o0", "%o1", "%o2", "%o3", "%o4", "%o5", "%sp", "%o7",
                                     "%l0", "%l1", "%l2", "%l3", "%l4", "%l5", "%l6", "%l7",
                                     "%i0", "%i1", "%i2", "%i3", "%i4", "%i5", "%fp", "%i7"};

/* Second operand: register or signed immediate. */
static void operand2(uint32_t insn, char *buf, size_t len) {
    if (insn & 0x2000)
        snprintf(buf, len, "%d", ((int32_t)(insn << 19)) >> 19);
    else
        snprintf(buf, len, "%s", regs[insn & 31]);
}

static void address(uint32_t insn, char *buf, size_t len) {
    char o2[16];
    operand2(insn, o2, sizeof o2);
    snprintf(buf, len, "[%s + %s]", regs[(insn >> 14) & 31], o2);
}

void vt_sparc_disasm_insn(uint32_t pc, uint32_t insn, char *buf, size_t len) {
    unsigned op = insn >> 30, rd = (insn >> 25) & 31, rs1 = (insn >> 14) & 31;
    unsigned op3 = (insn >> 19) & 0x3f;
    char o2[16], addr[48];
    if (op == 1) {
        snprintf(buf, len, "call 0x%08x", pc + (insn << 2));
        return;
    }
    if (op == 0) {
        unsigned op2 = (insn >> 22) & 7, cond = (insn >> 25) & 15;
        uint32_t target = pc + (uint32_t)(((int32_t)(insn << 10)) >> 8);
        const char *a = (insn >> 29) & 1 ? ",a" : "";
        switch (op2) {
        case 4:
            if (rd == 0 && (insn & 0x3fffff) == 0)
                snprintf(buf, len, "nop");
            else
                snprintf(buf, len, "sethi %%hi(0x%08x), %s", insn << 10, regs[rd]);
            return;
        case 2:
            snprintf(buf, len, "b%s%s 0x%08x", icc_names[cond], a, target);
            return;
        case 6:
            snprintf(buf, len, "fb%s%s 0x%08x", fcc_names[cond], a, target);
            return;
        case 7:
            snprintf(buf, len, "cb%u%s 0x%08x", cond, a, target);
            return;
        default:
            snprintf(buf, len, "unimp 0x%x", insn & 0x3fffff);
            return;
        }
    }
    operand2(insn, o2, sizeof o2);
    if (op == 2) {
        const char *name = arith_names[op3];
        if (!name) {
            snprintf(buf, len, ".word 0x%08x", insn);
            return;
        }
        switch (op3) {
        case 0x28:
            if (rs1 == 15 && rd == 0)
                snprintf(buf, len, "stbar");
            else
                snprintf(buf, len, "rd %%%s%u, %s", rs1 ? "asr" : "y", rs1 ? rs1 : 0, regs[rd]);
            if (rs1 == 0) snprintf(buf, len, "rd %%y, %s", regs[rd]);
            return;
        case 0x29:
            snprintf(buf, len, "rd %%psr, %s", regs[rd]);
            return;
        case 0x2a:
            snprintf(buf, len, "rd %%wim, %s", regs[rd]);
            return;
        case 0x2b:
            snprintf(buf, len, "rd %%tbr, %s", regs[rd]);
            return;
        case 0x30:
        case 0x31:
        case 0x32:
        case 0x33: {
            static const char *const sr[4] = {"%y", "%psr", "%wim", "%tbr"};
            snprintf(buf, len, "wr %s, %s, %s", regs[rs1], o2, sr[op3 - 0x30]);
            return;
        }
        case 0x34:
        case 0x35: {
            unsigned opf = (insn >> 5) & 0x1ff;
            const char *fname = fpop_names[opf];
            if (!fname)
                snprintf(buf, len, "fpop%d 0x%03x", op3 - 0x33, opf);
            else if (op3 == 0x35)
                snprintf(buf, len, "%s %%f%u, %%f%u", fname, rs1, insn & 31);
            else
                snprintf(buf, len, "%s %%f%u, %%f%u, %%f%u", fname, rs1, insn & 31, rd);
            return;
        }
        case 0x38:
            snprintf(buf, len, "jmpl %s + %s, %s", regs[rs1], o2, regs[rd]);
            return;
        case 0x39:
            snprintf(buf, len, "rett %s + %s", regs[rs1], o2);
            return;
        case 0x3a:
            snprintf(buf, len, "t%s %s + %s", icc_names[rd & 15], regs[rs1], o2);
            return;
        case 0x3b:
            snprintf(buf, len, "flush %s + %s", regs[rs1], o2);
            return;
        default:
            snprintf(buf, len, "%s %s, %s, %s", name, regs[rs1], o2, regs[rd]);
            return;
        }
    }
    const char *name = mem_names[op3];
    if (!name) {
        snprintf(buf, len, ".word 0x%08x", insn);
        return;
    }
    address(insn, addr, sizeof addr);
    char asi[16] = "";
    if ((op3 & 0x30) == 0x10) snprintf(asi, sizeof asi, " 0x%02x", (insn >> 5) & 0xff);
    char reg[8];
    if (op3 == 0x21 || op3 == 0x25)
        snprintf(reg, sizeof reg, "%%fsr");
    else if (op3 == 0x26)
        snprintf(reg, sizeof reg, "%%fq");
    else if (op3 >= 0x30)
        snprintf(reg, sizeof reg, "%%c%u", rd);
    else if (op3 >= 0x20)
        snprintf(reg, sizeof reg, "%%f%u", rd);
    else
        snprintf(reg, sizeof reg, "%s", regs[rd]);
    bool store = (op3 & 0xf) >= 4 && (op3 & 0xf) <= 7;
    if (store)
        snprintf(buf, len, "%s %s, %s%s", name, reg, addr, asi);
    else
        snprintf(buf, len, "%s %s%s, %s", name, addr, asi, reg);
}
