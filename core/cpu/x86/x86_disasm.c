/* x86 disassembler (Intel syntax) driven by the same opcode table and decoder as the
 * executor: mnemonic and group names, operand specs, ModRM/SIB formatting, x87 names.
 * Facts: Intel SDM vol. 2 appendix A (opcode maps) and A.4 (x87 escape maps). */
#include <stdio.h>

#include "core/cpu/x86/x86_cpu.h"
#include "core/strbuf.h"

static const char *const r32[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
static const char *const r16[8] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
static const char *const r8[8] = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
static const char *const sregs[8] = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};
static const char *const cc[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                   "s", "ns", "p", "np", "l", "ge", "le", "g"};
static const char *const fpu_mem[8][8] = {
    {"fadd dword", "fmul dword", "fcom dword", "fcomp dword", "fsub dword", "fsubr dword",
     "fdiv dword", "fdivr dword"},
    {"fld dword", 0, "fst dword", "fstp dword", "fldenv", "fldcw", "fnstenv", "fnstcw"},
    {"fiadd dword", "fimul dword", "ficom dword", "ficomp dword", "fisub dword", "fisubr dword",
     "fidiv dword", "fidivr dword"},
    {"fild dword", 0, "fist dword", "fistp dword", 0, "fld tbyte", 0, "fstp tbyte"},
    {"fadd qword", "fmul qword", "fcom qword", "fcomp qword", "fsub qword", "fsubr qword",
     "fdiv qword", "fdivr qword"},
    {"fld qword", 0, "fst qword", "fstp qword", "frstor", 0, "fnsave", "fnstsw"},
    {"fiadd word", "fimul word", "ficom word", "ficomp word", "fisub word", "fisubr word",
     "fidiv word", "fidivr word"},
    {"fild word", 0, "fist word", "fistp word", "fbld", "fild qword", "fbstp", "fistp qword"},
};
static const char *const fpu_reg[8][8] = {
    {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"},
    {"fld", "fxch", 0, "fstp1", 0, 0, 0, 0},
    {"fcmovb", "fcmove", "fcmovbe", "fcmovu", 0, 0, 0, 0},
    {"fcmovnb", "fcmovne", "fcmovnbe", "fcmovnu", 0, "fucomi", "fcomi", 0},
    {"fadd", "fmul", "fcom2", "fcomp3", "fsubr", "fsub", "fdivr", "fdiv"},
    {"ffree", "fxch4", "fst", "fstp", "fucom", "fucomp", 0, 0},
    {"faddp", "fmulp", "fcomp5", 0, "fsubrp", "fsubp", "fdivrp", "fdivp"},
    {"ffreep", "fxch7", "fstp8", "fstp9", 0, "fucomip", "fcomip", 0},
};
static const char *const d9_names[32] = {
    "fchs",  "fabs",    0,        0,         "ftst",    "fxam",   0,         0,
    "fld1",  "fldl2t",  "fldl2e", "fldpi",   "fldlg2",  "fldln2", "fldz",    0,
    "f2xm1", "fyl2x",   "fptan",  "fpatan",  "fxtract", "fprem1", "fdecstp", "fincstp",
    "fprem", "fyl2xp1", "fsqrt",  "fsincos", "frndint", "fscale", "fsin",    "fcos"};

static void mem_operand(vt_strbuf *o, const x86_insn *i, const char *size) {
    if (size) vt_strbuf_put(o, "%s ptr ", size);
    if (i->seg_override) vt_strbuf_put(o, "%s:", sregs[i->seg]);
    vt_strbuf_put(o, "[");
    bool any = false;
    if (i->asize == 2) {
        static const char *const m16[8] = {"bx+si", "bx+di", "bp+si", "bp+di",
                                           "si",    "di",    "bp",    "bx"};
        if (!(i->mod == 0 && i->rm == 6)) {
            vt_strbuf_put(o, "%s", m16[i->rm]);
            any = true;
        }
        if (i->mod != 0 && any)
            vt_strbuf_put(o, "%+d", (int)(int16_t)i->disp);
        else if (!any)
            vt_strbuf_put(o, "0x%x", i->disp & 0xFFFF);
    } else {
        if (i->base != 0xFF) {
            vt_strbuf_put(o, "%s", r32[i->base]);
            any = true;
        }
        if (i->has_sib && ((i->sib >> 3) & 7) != 4) {
            vt_strbuf_put(o, "%s%s*%u", any ? "+" : "", r32[(i->sib >> 3) & 7],
                          1u << (i->sib >> 6));
            any = true;
        }
        if (!any)
            vt_strbuf_put(o, "0x%x", i->disp);
        else if (i->disp)
            vt_strbuf_put(o, "%+d", (int32_t)i->disp);
    }
    vt_strbuf_put(o, "]");
}

static void operand(vt_strbuf *o, x86_insn *i, const char *t, size_t n, uint32_t next) {
    unsigned osz = i->osize;
    const char *const *rv = osz == 4 ? r32 : r16;
    char k = t[0], s = n > 1 ? t[1] : 0;
    unsigned sz = s == 'b' ? 1 : s == 'w' ? 2 : s == 'd' ? 4 : s == 'q' ? 8 : osz;
    const char *szname = sz == 1 ? "byte" : sz == 2 ? "word" : sz == 4 ? "dword" : "qword";
    /* two capitals name a fixed register (CL, DX, SS), not an addressing method (Cd, Sw) */
    if (s >= 'A' && s <= 'Z') k = 0;
    switch (k) {
    case 'E':
    case 'Q':
    case 'M':
        if (i->mem)
            mem_operand(o, i, k == 'M' ? NULL : szname);
        else if (k == 'Q')
            vt_strbuf_put(o, "mm%u", i->rm);
        else
            vt_strbuf_put(o, "%s", sz == 1 ? r8[i->rm] : sz == 2 ? r16[i->rm] : r32[i->rm]);
        return;
    case 'N':
        vt_strbuf_put(o, "mm%u", i->rm);
        return;
    case 'P':
        vt_strbuf_put(o, "mm%u", i->reg);
        return;
    case 'G':
        vt_strbuf_put(o, "%s", sz == 1 ? r8[i->reg] : sz == 2 ? r16[i->reg] : r32[i->reg]);
        return;
    case 'S':
        vt_strbuf_put(o, "%s", sregs[i->reg]);
        return;
    case 'C':
        vt_strbuf_put(o, "cr%u", i->reg);
        return;
    case 'D':
        vt_strbuf_put(o, "dr%u", i->reg);
        return;
    case 'R':
        vt_strbuf_put(o, "%s", r32[i->rm]);
        return;
    case 'Z':
        vt_strbuf_put(o, "%s",
                      s == 'b'   ? r8[i->opc & 7]
                      : s == 'd' ? r32[i->opc & 7]
                                 : rv[i->opc & 7]);
        return;
    case 'I':
        vt_strbuf_put(o, "0x%x", n == 3 ? i->imm & x86_mask(osz) : i->imm);
        return;
    case 'J':
        vt_strbuf_put(o, "0x%x", (next + i->imm) & (osz == 2 ? 0xFFFF : 0xFFFFFFFFu));
        return;
    case 'O':
        mem_operand(o,
                    &(x86_insn){.asize = 4,
                                .base = 0xFF,
                                .disp = i->imm,
                                .seg = i->seg,
                                .seg_override = i->seg_override},
                    NULL);
        return;
    case 'A':
        if (s != 'p') break;
        vt_strbuf_put(o, "0x%x:0x%x", i->imm2 & 0xFFFF, i->imm);
        return;
    default:
        break;
    }
    /* fixed registers: AL, eAX, DX, CL, ES.., 1 */
    if (!strncmp(t, "eAX", n))
        vt_strbuf_put(o, "%s", rv[0]);
    else
        vt_strbuf_put(o, "%.*s", (int)n, t);
    for (char *q = o->p - n; q < o->p && q >= o->p - (ptrdiff_t)n; q++)
        if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
}

int x86_disasm_insn(x86_cpu *c, const x86_insn *ci, uint32_t next, char *buf, size_t len) {
    VT_UNUSED(c);
    x86_insn i = *ci;
    vt_strbuf o = {buf, len};
    const x86_opdef *d = i.def;
    if (i.lock) vt_strbuf_put(&o, "lock ");
    if (i.rep) vt_strbuf_put(&o, i.rep == 0xF3 ? "rep " : "repne ");
    unsigned op = i.opc;
    if (op >= 0xD8 && op <= 0xDF) {
        unsigned e = op - 0xD8;
        if (i.mem) {
            const char *m = fpu_mem[e][i.reg];
            if (!m) return vt_strbuf_put(&o, "(bad)"), 0;
            const char *sp = strchr(m, ' ');
            if (sp) {
                vt_strbuf_put(&o, "%.*s ", (int)(sp - m), m);
                mem_operand(&o, &i, sp + 1);
            } else {
                vt_strbuf_put(&o, "%s ", m);
                mem_operand(&o, &i, NULL);
            }
        } else if (e == 1 && i.reg >= 4) {
            const char *m = d9_names[i.modrm - 0xE0];
            vt_strbuf_put(&o, "%s", m ? m : "(bad)");
        } else if (op == 0xDA && i.modrm == 0xE9) {
            vt_strbuf_put(&o, "fucompp");
        } else if (op == 0xDE && i.modrm == 0xD9) {
            vt_strbuf_put(&o, "fcompp");
        } else if (op == 0xDF && i.modrm == 0xE0) {
            vt_strbuf_put(&o, "fnstsw ax");
        } else if (op == 0xDB && i.reg == 4) {
            static const char *const dbx[8] = {"feni",   "fdisi", "fnclex", "fninit",
                                               "fsetpm", 0,       0,        0};
            vt_strbuf_put(&o, "%s", dbx[i.rm] ? dbx[i.rm] : "(bad)");
        } else if (op == 0xD9 && i.modrm == 0xD0) {
            vt_strbuf_put(&o, "fnop");
        } else {
            const char *m = fpu_reg[e][i.reg];
            vt_strbuf_put(&o, "%s st(%u)", m ? m : "(bad)", i.rm);
        }
        return 0;
    }
    const char *m = d->mnem;
    if (d->group) {
        m = vt_x86_group_names[d->group][i.reg];
        if (!m) m = "(bad)";
    }
    if (!strcmp(m, "j") || !strcmp(m, "set") || !strcmp(m, "cmov"))
        vt_strbuf_put(&o, "%s%s", m, cc[op & 0xF]);
    else if (i.osize == 2 && (op == 0x98 || op == 0x99))
        vt_strbuf_put(&o, "%s", op == 0x98 ? "cbw" : "cwd");
    else if ((op == 0xA5 || op == 0xA7 || op == 0xAB || op == 0xAD || op == 0xAF || op == 0x6D ||
              op == 0x6F))
        vt_strbuf_put(&o, "%s%c", m, i.osize == 4 ? 'd' : 'w');
    else
        vt_strbuf_put(&o, "%s", m);
    const char *s = d->spec;
    if (op == 0xF6 || op == 0xF7) s = i.reg < 2 ? (op == 0xF6 ? "Eb,Ib" : "Ev,Iz") : d->spec;
    bool first = true;
    while (*s) {
        const char *t = s;
        while (*s && *s != ',')
            s++;
        size_t n = (size_t)(s - t);
        if (*s == ',') s++;
        vt_strbuf_put(&o, first ? " " : ", ");
        first = false;
        operand(&o, &i, t, n, next);
    }
    return 0;
}
