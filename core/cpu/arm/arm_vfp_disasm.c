/* Disassembly of the VFPv2 instructions (pre-UAL spelling as in ARM ARM DDI 0100I part C:
 * fadds, fmacd, fcmpezs, fldmiad, fmrx, ...), for traces and error messages. */
#include "core/cpu/arm/arm_vfp_disasm.h"

#include "core/cpu/arm/arm_exec.h"

static const char *const dp_names[9] = {"fmac",  "fnmac", "fmsc", "fnmsc", "fmul",
                                        "fnmul", "fadd",  "fsub", "fdiv"};
static const char *const ext_names[28] = {
    [0] = "fcpy",   [1] = "fabs",   [2] = "fneg",    [3] = "fsqrt",  [8] = "fcmp",
    [9] = "fcmpe",  [10] = "fcmpz", [11] = "fcmpez", [15] = "fcvt",  [16] = "fuito",
    [17] = "fsito", [24] = "ftoui", [25] = "ftouiz", [26] = "ftosi", [27] = "ftosiz"};
static const char *const sys_names[11] = {"fpsid", "fpscr", "?",     "?",      "?",      "?",
                                          "mvfr1", "mvfr0", "fpexc", "fpinst", "fpinst2"};
static const char *const regn[16] = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
                                     "r8", "r9", "sl", "fp", "ip", "sp", "lr", "pc"};

/* "s<n>" or "d<n>" of a register field with its extra bit */
static void reg(vt_strbuf *o, uint32_t insn, bool dbl, unsigned lo, unsigned bit) {
    unsigned f = BITS(insn, lo + 3, lo);
    if (dbl)
        vt_strbuf_put(o, "d%u", f);
    else
        vt_strbuf_put(o, "s%u", f << 1 | BIT(insn, bit));
}

static void data_processing(vt_strbuf *o, uint32_t insn, const char *cond, bool dbl) {
    unsigned opc = BIT(insn, 23) << 3 | BITS(insn, 21, 20) << 1 | BIT(insn, 6);
    unsigned ext = BITS(insn, 19, 16) << 1 | BIT(insn, 7);
    const char *sfx = dbl ? "d" : "s";
    if (opc <= 8) {
        vt_strbuf_put(o, "%s%s%s ", dp_names[opc], sfx, cond);
        reg(o, insn, dbl, 12, 22);
        vt_strbuf_put(o, ", ");
        reg(o, insn, dbl, 16, 7);
        vt_strbuf_put(o, ", ");
        reg(o, insn, dbl, 0, 5);
        return;
    }
    if (opc != 15 || ext >= 28 || !ext_names[ext]) {
        vt_strbuf_put(o, "undefined");
        return;
    }
    /* operand precisions: conversions mix them */
    bool d_dbl = dbl, m_dbl = dbl;
    if (ext == 15) {
        d_dbl = !dbl;
        sfx = dbl ? "sd" : "ds";
    } else if (ext == 16 || ext == 17) {
        m_dbl = false;
    } else if (ext >= 24) {
        d_dbl = false;
    }
    vt_strbuf_put(o, "%s%s%s ", ext_names[ext], sfx, cond);
    reg(o, insn, d_dbl, 12, 22);
    if (ext != 10 && ext != 11) {
        vt_strbuf_put(o, ", ");
        reg(o, insn, m_dbl, 0, 5);
    }
}

static void transfer(vt_strbuf *o, uint32_t insn, const char *cond, bool dbl) {
    bool load = BIT(insn, 20);
    unsigned op1 = BITS(insn, 23, 21), rd = BITS(insn, 15, 12), n = BITS(insn, 19, 16);
    if (!dbl && op1 == 7) {
        const char *sr = n < 11 ? sys_names[n] : "?";
        if (load && rd == 15 && n == 1)
            vt_strbuf_put(o, "fmstat%s", cond);
        else if (load)
            vt_strbuf_put(o, "fmrx%s %s, %s", cond, regn[rd], sr);
        else
            vt_strbuf_put(o, "fmxr%s %s, %s", cond, sr, regn[rd]);
        return;
    }
    const char *name = !dbl  ? (load ? "fmrs" : "fmsr")
                       : op1 ? (load ? "fmrdh" : "fmdhr")
                             : (load ? "fmrdl" : "fmdlr");
    vt_strbuf_put(o, "%s%s ", name, cond);
    if (load) vt_strbuf_put(o, "%s, ", regn[rd]);
    reg(o, insn, dbl, 16, 7);
    if (!load) vt_strbuf_put(o, ", %s", regn[rd]);
}

static void load_store(vt_strbuf *o, uint32_t insn, const char *cond, bool dbl) {
    bool p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), load = BIT(insn, 20);
    unsigned rn = BITS(insn, 19, 16), imm = insn & 0xff;
    if (!p && !u && !w && BIT(insn, 22)) { /* MCRR/MRRC */
        unsigned rt = BITS(insn, 15, 12);
        vt_strbuf_put(o, "%s%s ", dbl ? (load ? "fmrrd" : "fmdrr") : (load ? "fmrrs" : "fmsrr"),
                      cond);
        if (load) vt_strbuf_put(o, "%s, %s, ", regn[rt], regn[rn]);
        reg(o, insn, dbl, 0, 5);
        if (!dbl) vt_strbuf_put(o, ", s%u", (BITS(insn, 3, 0) << 1 | BIT(insn, 5)) + 1);
        if (!load) vt_strbuf_put(o, ", %s, %s", regn[rt], regn[rn]);
        return;
    }
    if (p && !w) {
        vt_strbuf_put(o, "%s%s%s ", load ? "fld" : "fst", dbl ? "d" : "s", cond);
        reg(o, insn, dbl, 12, 22);
        vt_strbuf_put(o, ", [%s, #%s%u]", regn[rn], u ? "" : "-", imm * 4);
        return;
    }
    bool x = dbl && (imm & 1);
    vt_strbuf_put(o, "%s%s%s%s %s%s, {", load ? "fldm" : "fstm", u ? "ia" : "db",
                  x     ? "x"
                  : dbl ? "d"
                        : "s",
                  cond, regn[rn], w ? "!" : "");
    reg(o, insn, dbl, 12, 22);
    unsigned count = dbl ? imm / 2 : imm;
    if (count > 1) {
        unsigned first = dbl ? BITS(insn, 15, 12) : BITS(insn, 15, 12) << 1 | BIT(insn, 22);
        vt_strbuf_put(o, "-%s%u", dbl ? "d" : "s", first + count - 1);
    }
    vt_strbuf_put(o, "}");
}

void vt_arm_vfp_disasm(vt_strbuf *o, uint32_t insn, const char *cond) {
    bool dbl = BIT(insn, 8);
    if (BITS(insn, 27, 25) == 6)
        load_store(o, insn, cond, dbl);
    else if (BIT(insn, 4))
        transfer(o, insn, cond, dbl);
    else
        data_processing(o, insn, cond, dbl);
}
