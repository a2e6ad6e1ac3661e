/* ARM and Thumb disassembler driven by the templates in the instruction lists
 * (arm_insns.c), for traces and error messages. Template codes: %c condition, %R<p> /
 * %t<p> a 4-/3-bit register field whose low bit is at position p ('a' = bit 0, 'i' = 8,
 * 'm' = 12, 'q' = 16); every other code formats one instruction-specific field (see
 * arm_code/thumb_code). Syntax follows the ARM ARM's unified-ish pre-UAL spelling. */
#include <stdio.h>

#include "core/cpu/arm/arm_exec.h"
#include "core/cpu/arm/arm_vfp_disasm.h"
#include "core/strbuf.h"

static const char *const regn[16] = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
                                     "r8", "r9", "sl", "fp", "ip", "sp", "lr", "pc"};
static const char *const conds[16] = {"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
                                      "hi", "ls", "ge", "lt", "gt", "le", "",   ""};
static const char *const shifts[4] = {"lsl", "lsr", "asr", "ror"};
static const char *const dpops[16] = {"and", "eor", "sub", "rsb", "add", "adc", "sbc", "rsc",
                                      "tst", "teq", "cmp", "cmn", "orr", "mov", "bic", "mvn"};

static void reglist(vt_strbuf *o, uint32_t list) {
    bool first = true;
    for (unsigned i = 0; i < 16; i++)
        if (list & (1u << i)) {
            vt_strbuf_put(o, "%s%s", first ? "" : ", ", regn[i]);
            first = false;
        }
}

static void shifter(vt_strbuf *o, uint32_t insn) {
    if (BIT(insn, 25)) {
        unsigned rot = BITS(insn, 11, 8) * 2;
        uint32_t imm = insn & 0xff;
        vt_strbuf_put(o, "#%u", rot ? (imm >> rot | imm << (32 - rot)) : imm);
        return;
    }
    unsigned type = BITS(insn, 6, 5), amt = BITS(insn, 11, 7);
    vt_strbuf_put(o, "%s", regn[insn & 15]);
    if (BIT(insn, 4))
        vt_strbuf_put(o, ", %s %s", shifts[type], regn[BITS(insn, 11, 8)]);
    else if (type == 3 && !amt)
        vt_strbuf_put(o, ", rrx");
    else if (amt || type)
        vt_strbuf_put(o, ", %s #%u", shifts[type], amt ? amt : 32);
}

static void mode2(vt_strbuf *o, uint32_t insn, bool v5pld) {
    bool p = BIT(insn, 24) || v5pld, w = BIT(insn, 21) && !v5pld;
    const char *sign = BIT(insn, 23) ? "" : "-";
    vt_strbuf_put(o, "[%s%s", regn[BITS(insn, 19, 16)], p ? "" : "]");
    if (!BIT(insn, 25)) {
        if (insn & 0xfff) vt_strbuf_put(o, ", #%s%u", sign, insn & 0xfff);
    } else {
        unsigned type = BITS(insn, 6, 5), amt = BITS(insn, 11, 7);
        vt_strbuf_put(o, ", %s%s", sign, regn[insn & 15]);
        if (type == 3 && !amt)
            vt_strbuf_put(o, ", rrx");
        else if (amt || type)
            vt_strbuf_put(o, ", %s #%u", shifts[type], amt ? amt : 32);
    }
    if (p) vt_strbuf_put(o, "]%s", w ? "!" : "");
}

static void mode3(vt_strbuf *o, uint32_t insn) {
    bool p = BIT(insn, 24), w = BIT(insn, 21);
    const char *sign = BIT(insn, 23) ? "" : "-";
    vt_strbuf_put(o, "[%s%s", regn[BITS(insn, 19, 16)], p ? "" : "]");
    if (BIT(insn, 22)) {
        unsigned imm = BITS(insn, 11, 8) << 4 | (insn & 15);
        if (imm) vt_strbuf_put(o, ", #%s%u", sign, imm);
    } else {
        vt_strbuf_put(o, ", %s%s", sign, regn[insn & 15]);
    }
    if (p) vt_strbuf_put(o, "]%s", w ? "!" : "");
}

static void arm_code(vt_strbuf *o, char code, uint32_t insn, uint32_t pc) {
    static const char *const pmodes[4] = {"da", "ia", "db", "ib"};
    switch (code) {
    case 'c':
        vt_strbuf_put(o, "%s", conds[insn >> 28]);
        break;
    case 's':
        vt_strbuf_put(o, "%s", BIT(insn, 20) ? "s" : "");
        break;
    case 'G':
        vt_strbuf_put(o, "%s", BIT(insn, 21) ? "mla" : "mul");
        break;
    case 'N':
        if (BIT(insn, 21)) vt_strbuf_put(o, ", %s", regn[BITS(insn, 15, 12)]);
        break;
    case 'g':
        vt_strbuf_put(o, "%s%s", BIT(insn, 22) ? "s" : "u", BIT(insn, 21) ? "mlal" : "mull");
        break;
    case 'b':
        vt_strbuf_put(o, "%s", BIT(insn, 22) ? "b" : "");
        break;
    case 'a':
        vt_strbuf_put(o, "%s", BIT(insn, 20) ? "ldr" : "str");
        break;
    case 'l':
        vt_strbuf_put(o, "%s", BIT(insn, 20) ? "ldr" : "str");
        break;
    case 't':
        vt_strbuf_put(o, "%s", !BIT(insn, 24) && BIT(insn, 21) ? "t" : "");
        break;
    case 'M':
        mode3(o, insn);
        break;
    case 'A':
        mode2(o, insn, insn >> 28 == 0xF);
        break;
    case 'S':
        vt_strbuf_put(o, "%s", BIT(insn, 22) ? "spsr" : "cpsr");
        break;
    case 'F':
        vt_strbuf_put(o, "%s_%s%s%s%s", BIT(insn, 22) ? "spsr" : "cpsr", BIT(insn, 19) ? "f" : "",
                      BIT(insn, 18) ? "s" : "", BIT(insn, 17) ? "x" : "", BIT(insn, 16) ? "c" : "");
        break;
    case 'q': {
        static const char *const q[4] = {"qadd", "qsub", "qdadd", "qdsub"};
        vt_strbuf_put(o, "%s", q[BITS(insn, 22, 21)]);
        break;
    }
    case 'K':
        vt_strbuf_put(o, "#0x%x", BITS(insn, 19, 8) << 4 | (insn & 15));
        break;
    case 'y':
        vt_strbuf_put(o, "%c%c", BIT(insn, 5) ? 't' : 'b', BIT(insn, 6) ? 't' : 'b');
        break;
    case 'Y':
        vt_strbuf_put(o, "%c", BIT(insn, 6) ? 't' : 'b');
        break;
    case 'D': {
        unsigned op = BITS(insn, 24, 21);
        vt_strbuf_put(o, "%s%s%s ", dpops[op], conds[insn >> 28],
                      BIT(insn, 20) && (op < 8 || op > 11) ? "s" : "");
        if (op < 8 || op > 11) vt_strbuf_put(o, "%s, ", regn[BITS(insn, 15, 12)]);
        if (op != 13 && op != 15) vt_strbuf_put(o, "%s, ", regn[BITS(insn, 19, 16)]);
        shifter(o, insn);
        break;
    }
    case 'o':
        shifter(o, insn | 1u << 25);
        break;
    case 'E': {
        static const char *const pre[8] = {"", "s", "q", "sh", "", "u", "uq", "uh"};
        static const char *const op[8] = {"add16", "addsubx", "subaddx", "sub16",
                                          "add8",  "?",       "?",       "sub8"};
        vt_strbuf_put(o, "%s%s", pre[BITS(insn, 22, 20)], op[BITS(insn, 7, 5)]);
        break;
    }
    case 'T':
        vt_strbuf_put(o, "%s", BIT(insn, 6) ? "tb" : "bt");
        break;
    case 'Z': {
        unsigned sh = BITS(insn, 11, 7);
        if (BIT(insn, 6))
            vt_strbuf_put(o, ", asr #%u", sh ? sh : 32);
        else if (sh)
            vt_strbuf_put(o, ", lsl #%u", sh);
        break;
    }
    case '0':
        vt_strbuf_put(o, "%u", BITS(insn, 19, 16));
        break;
    case '1':
        vt_strbuf_put(o, "%u", BITS(insn, 19, 16) + 1);
        break;
    case '2':
        vt_strbuf_put(o, "%u", BITS(insn, 20, 16));
        break;
    case '3':
        vt_strbuf_put(o, "%u", BITS(insn, 20, 16) + 1);
        break;
    case 'x': {
        static const char *const x[8] = {"sxtb16", "?", "sxtb", "sxth",
                                         "uxtb16", "?", "uxtb", "uxth"};
        const char *n = x[BITS(insn, 22, 20)];
        bool add = BITS(insn, 19, 16) != 15;
        vt_strbuf_put(o, "%.*s%s%s", 1, n, add ? "xta" : "xt", n + 3);
        break;
    }
    case '+':
        if (BITS(insn, 19, 16) != 15) vt_strbuf_put(o, "%s, ", regn[BITS(insn, 19, 16)]);
        break;
    case 'w':
        if (BITS(insn, 11, 10)) vt_strbuf_put(o, ", ror #%u", 8 * BITS(insn, 11, 10));
        break;
    case 'd': {
        bool lng = BIT(insn, 22), acc = lng || BITS(insn, 15, 12) != 15;
        vt_strbuf_put(o, "sm%s%s%s%s", acc ? "la" : "u", BIT(insn, 6) ? "s" : "a", lng ? "ld" : "d",
                      BIT(insn, 5) ? "x" : "");
        break;
    }
    case 'V':
        if (BITS(insn, 15, 12) != 15) vt_strbuf_put(o, ", %s", regn[BITS(insn, 15, 12)]);
        break;
    case 'e':
        vt_strbuf_put(o, "smm%s%s", BIT(insn, 6) ? "ls" : (BITS(insn, 15, 12) != 15 ? "la" : "ul"),
                      BIT(insn, 5) ? "r" : "");
        break;
    case 'W':
        vt_strbuf_put(o, "%s", BITS(insn, 15, 12) != 15 ? "a8" : "8");
        break;
    case 'L':
        vt_strbuf_put(o, "%s%s%s %s%s, {", BIT(insn, 20) ? "ldm" : "stm", conds[insn >> 28],
                      pmodes[BITS(insn, 24, 23)], regn[BITS(insn, 19, 16)],
                      BIT(insn, 21) ? "!" : "");
        reglist(o, insn & 0xffff);
        vt_strbuf_put(o, "}%s", BIT(insn, 22) ? "^" : "");
        break;
    case 'f':
        vt_strbuf_put(o, "%s", BIT(insn, 24) ? "l" : "");
        break;
    case 'B':
        vt_strbuf_put(o, "0x%08x", pc + 8 + (uint32_t)((int32_t)(insn << 8) >> 6));
        break;
    case 'X':
        vt_strbuf_put(o, "0x%08x",
                      pc + 8 + (uint32_t)((int32_t)(insn << 8) >> 6) + (BIT(insn, 24) << 1));
        break;
    case 'r':
        vt_strbuf_put(o, "%s", BIT(insn, 20) ? "mrc" : "mcr");
        break;
    case 'C':
        vt_strbuf_put(o, "p%u, %u, %s, c%u, c%u, %u", BITS(insn, 11, 8), BITS(insn, 23, 21),
                      regn[BITS(insn, 15, 12)], BITS(insn, 19, 16), insn & 15, BITS(insn, 7, 5));
        break;
    case 'u':
        vt_strbuf_put(o, "0x%06x", insn & 0xffffff);
        break;
    case 'P':
        vt_strbuf_put(o, "%s%s%s%s",
                      BITS(insn, 19, 18) == 3   ? "id "
                      : BITS(insn, 19, 18) == 2 ? "ie "
                                                : "",
                      BIT(insn, 8) ? "a" : "", BIT(insn, 7) ? "i" : "", BIT(insn, 6) ? "f" : "");
        if (BIT(insn, 17))
            vt_strbuf_put(o, "%s#%u", BITS(insn, 19, 18) >= 2 ? ", " : "", insn & 0x1f);
        break;
    case 'n':
        vt_strbuf_put(o, "%s", BIT(insn, 9) ? "be" : "le");
        break;
    case 'p':
        vt_strbuf_put(o, "%s", pmodes[BITS(insn, 24, 23)]);
        break;
    case '!':
        vt_strbuf_put(o, "%s", BIT(insn, 21) ? "!" : "");
        break;
    case 'j':
        vt_strbuf_put(o, "%u", insn & 0x1f);
        break;
    case 'v':
        vt_arm_vfp_disasm(o, insn, conds[insn >> 28]);
        break;
    case 'Q': /* MCRR/MRRC CRm */
        vt_strbuf_put(o, "c%u", insn & 15);
        break;
    default:
        vt_strbuf_put(o, "%%%c", code);
        break;
    }
}

static void thumb_code(vt_strbuf *o, char code, uint32_t insn, uint32_t pc) {
    switch (code) {
    case 'i':
        vt_strbuf_put(o, "%u",
                      BITS(insn, 10, 6) ? BITS(insn, 10, 6)
                                        : (BITS(insn, 12, 11) && BITS(insn, 15, 13) == 0 ? 32 : 0));
        break;
    case 's':
        vt_strbuf_put(o, "%s", BIT(insn, 9) ? "subs" : "adds");
        break;
    case 'I':
        vt_strbuf_put(o, "%u", BITS(insn, 8, 6));
        break;
    case 'o': {
        static const char *const n[4] = {"movs", "cmp", "adds", "subs"};
        vt_strbuf_put(o, "%s", n[BITS(insn, 12, 11)]);
        break;
    }
    case 'k':
        vt_strbuf_put(o, "%u", insn & 0xff);
        break;
    case 'K':
        vt_strbuf_put(o, "%u", 4 * (insn & 0xff));
        break;
    case 'D': {
        static const char *const n[16] = {"ands", "eors", "lsls", "lsrs", "asrs", "adcs",
                                          "sbcs", "rors", "tst",  "negs", "cmp",  "cmn",
                                          "orrs", "muls", "bics", "mvns"};
        vt_strbuf_put(o, "%s", n[BITS(insn, 9, 6)]);
        break;
    }
    case 'h': {
        static const char *const n[4] = {"add", "cmp", "mov", "bx"};
        vt_strbuf_put(o, "%s", BITS(insn, 9, 8) == 3 && BIT(insn, 7) ? "blx" : n[BITS(insn, 9, 8)]);
        break;
    }
    case 'H':
        vt_strbuf_put(o, "%s", regn[BITS(insn, 6, 3)]);
        break;
    case 'r':
        vt_strbuf_put(o, "%s", regn[(insn & 7) | BIT(insn, 7) << 3]);
        break;
    case 'l': {
        unsigned top = BITS(insn, 15, 12);
        if (top == 5) {
            static const char *const n[8] = {"str", "strh", "strb", "ldrsb",
                                             "ldr", "ldrh", "ldrb", "ldrsh"};
            vt_strbuf_put(o, "%s", n[BITS(insn, 11, 9)]);
        } else {
            vt_strbuf_put(o, "%s%s", BIT(insn, 11) ? "ldr" : "str",
                          top == 7   ? "b"
                          : top == 8 ? "h"
                                     : "");
        }
        break;
    }
    case 'j': {
        unsigned top = BITS(insn, 15, 12), imm = BITS(insn, 10, 6);
        vt_strbuf_put(o, "%u", top == 7 ? imm : top == 8 ? 2 * imm : 4 * imm);
        break;
    }
    case 'p':
        vt_strbuf_put(o, "%s", BIT(insn, 11) ? "sp" : "pc");
        break;
    case 'a':
        vt_strbuf_put(o, "%s", BIT(insn, 7) ? "sub" : "add");
        break;
    case 'n':
        vt_strbuf_put(o, "%u", 4 * (insn & 0x7f));
        break;
    case 'x': {
        static const char *const n[4] = {"sxth", "sxtb", "uxth", "uxtb"};
        vt_strbuf_put(o, "%s", n[BITS(insn, 7, 6)]);
        break;
    }
    case 'v': {
        static const char *const n[4] = {"rev", "rev16", "?", "revsh"};
        vt_strbuf_put(o, "%s", n[BITS(insn, 7, 6)]);
        break;
    }
    case 'E':
        vt_strbuf_put(o, "%s", BIT(insn, 3) ? "be" : "le");
        break;
    case 'F':
        vt_strbuf_put(o, "%s %s%s%s", BIT(insn, 4) ? "id" : "ie", BIT(insn, 2) ? "a" : "",
                      BIT(insn, 1) ? "i" : "", BIT(insn, 0) ? "f" : "");
        break;
    case 'P':
        vt_strbuf_put(o, "%s", BIT(insn, 11) ? "pop" : "push");
        break;
    case 'L':
        reglist(o, (insn & 0xff) | (BITS(insn, 15, 12) == 0xB && BIT(insn, 8)
                                        ? (BIT(insn, 11) ? 0x8000u : 0x4000u)
                                        : 0));
        break;
    case 'm':
        vt_strbuf_put(o, "%s", BIT(insn, 11) ? "ldmia" : "stmia");
        break;
    case 'c':
        vt_strbuf_put(o, "%s", conds[BITS(insn, 11, 8)]);
        break;
    case 'B':
        if (BITS(insn, 15, 12) == 0xD)
            vt_strbuf_put(o, "0x%08x", pc + 4 + (uint32_t)((int32_t)(int8_t)(insn & 0xff) * 2));
        else
            vt_strbuf_put(o, "0x%08x", pc + 4 + (uint32_t)((int32_t)(insn << 21) >> 20));
        break;
    case 'J':
        vt_strbuf_put(o, "0x%03x", insn & 0x7ff);
        break;
    default:
        vt_strbuf_put(o, "%%%c", code);
        break;
    }
}

void vt_arm_disasm_insn(const vt_arm_cpu *c, uint32_t pc, uint32_t insn, bool thumb, char *buf,
                        size_t len) {
    const vt_arm_insn_desc *d = thumb ? vt_thumb_decode(c, insn) : vt_arm_decode_const(c, insn);
    vt_strbuf o = {buf, len};
    if (len) buf[0] = 0;
    for (const char *f = d->fmt; *f; f++) {
        if (*f != '%') {
            vt_strbuf_put(&o, "%c", *f);
            continue;
        }
        char code = *++f;
        if (!code) break;
        if (code == 'R' || (thumb && code == 't')) {
            char posc = *++f;
            if (!posc) break;
            unsigned pos = (unsigned)(posc - 'a');
            vt_strbuf_put(&o, "%s", regn[(insn >> pos) & (code == 'R' ? 15u : 7u)]);
        } else if (thumb) {
            thumb_code(&o, code, insn, pc);
        } else {
            arm_code(&o, code, insn, pc);
        }
    }
    if (!strcmp(d->fmt, "undefined")) vt_strbuf_put(&o, " 0x%0*x", thumb ? 4 : 8, insn);
}
