/* PowerPC 750 opcode tables shared by the decoder (ppc_exec.c) and the disassembler: one
 * X-macro row per instruction with its mnemonic, handler, operand form and issue cost in
 * cycles. Encodings: MPCFPE32B appendix A; the 750's subset (no fsqrt/fsqrts, no tlbia):
 * MPC750 UM appendix A and ch. 2. Cycle costs: MPC750 UM ch. 6 instruction timing tables
 * (see hwdocs/ppc.md for the table numbers and which figures are approximate). */
#ifndef VT_PPC_OPS_H
#define VT_PPC_OPS_H

// clang-format off
/* The tables keep one row per line. */

/* Operand forms, for the disassembler. */
enum ppc_form {
    F_NONE,  /* no operands */
    F_DA,    /* rD, rA, SIMM */
    F_DAU,   /* rA, rS, UIMM (logical immediate) */
    F_CMPI,  /* crfD, rA, SIMM */
    F_CMPLI, /* crfD, rA, UIMM */
    F_TI,    /* TO, rA, SIMM */
    F_MEM,   /* rD, d(rA) */
    F_FMEM,  /* frD, d(rA) */
    F_B,     /* target */
    F_BC,    /* BO, BI, target */
    F_BCR,   /* BO, BI */
    F_SC,
    F_CRL,    /* crbD, crbA, crbB */
    F_MCRF,   /* crfD, crfS */
    F_RLWI,   /* rA, rS, SH, MB, ME */
    F_RLW,    /* rA, rS, rB, MB, ME */
    F_XO3,    /* rD, rA, rB */
    F_XO2,    /* rD, rA */
    F_X3,     /* rA, rS, rB */
    F_X2,     /* rA, rS */
    F_SHI,    /* rA, rS, SH */
    F_CMP,    /* crfD, rA, rB */
    F_MEMX,   /* rD, rA, rB */
    F_FMEMX,  /* frD, rA, rB */
    F_CACHE,  /* rA, rB */
    F_TW,     /* TO, rA, rB */
    F_RDONLY, /* rD */
    F_RSONLY, /* rS */
    F_MFSPR,  /* rD, SPR */
    F_MTSPR,  /* SPR, rS */
    F_MTCRF,  /* CRM, rS */
    F_MFSR,   /* rD, SR */
    F_MTSR,   /* SR, rS */
    F_RBONLY, /* rB */
    F_XRB,    /* rD, rB (mfsrin, mtsrin) */
    F_LSWI,   /* rD, rA, NB */
    F_CRFD,   /* crfD */
    F_FA3,    /* frD, frA, frB */
    F_FAC,    /* frD, frA, frC */
    F_FMA,    /* frD, frA, frC, frB */
    F_FB,     /* frD, frB */
    F_FCMP,   /* crfD, frA, frB */
    F_FD,     /* frD */
    F_MTFSF,  /* FM, frB */
    F_MTFSFI, /* crfD, IMM */
    F_CRBD,   /* crbD */
};

/* Primary opcodes: X(opcd, mnemonic, handler, form, cycles). 4, 19, 31, 59 and 63 are
 * extended-opcode groups (tables below); anything not listed is illegal. */
#define PPC_PRIMARY_OPS(X) \
    X(3, "twi", h_twi, F_TI, 2) \
    X(7, "mulli", h_mulli, F_DA, 3) \
    X(8, "subfic", h_subfic, F_DA, 1) \
    X(10, "cmpli", h_cmpli, F_CMPLI, 1) \
    X(11, "cmpi", h_cmpi, F_CMPI, 1) \
    X(12, "addic", h_addic, F_DA, 1) \
    X(13, "addic.", h_addic, F_DA, 1) \
    X(14, "addi", h_addi, F_DA, 1) \
    X(15, "addis", h_addis, F_DA, 1) \
    X(16, "bc", h_bc, F_BC, 1) \
    X(17, "sc", h_sc, F_SC, 2) \
    X(18, "b", h_b, F_B, 1) \
    X(20, "rlwimi", h_rlwimi, F_RLWI, 1) \
    X(21, "rlwinm", h_rlwinm, F_RLWI, 1) \
    X(23, "rlwnm", h_rlwnm, F_RLW, 1) \
    X(24, "ori", h_ori, F_DAU, 1) \
    X(25, "oris", h_oris, F_DAU, 1) \
    X(26, "xori", h_xori, F_DAU, 1) \
    X(27, "xoris", h_xoris, F_DAU, 1) \
    X(28, "andi.", h_andi, F_DAU, 1) \
    X(29, "andis.", h_andis, F_DAU, 1) \
    X(32, "lwz", h_lwz, F_MEM, 1) \
    X(33, "lwzu", h_lwz, F_MEM, 1) \
    X(34, "lbz", h_lbz, F_MEM, 1) \
    X(35, "lbzu", h_lbz, F_MEM, 1) \
    X(36, "stw", h_stw, F_MEM, 1) \
    X(37, "stwu", h_stw, F_MEM, 1) \
    X(38, "stb", h_stb, F_MEM, 1) \
    X(39, "stbu", h_stb, F_MEM, 1) \
    X(40, "lhz", h_lhz, F_MEM, 1) \
    X(41, "lhzu", h_lhz, F_MEM, 1) \
    X(42, "lha", h_lha, F_MEM, 1) \
    X(43, "lhau", h_lha, F_MEM, 1) \
    X(44, "sth", h_sth, F_MEM, 1) \
    X(45, "sthu", h_sth, F_MEM, 1) \
    X(46, "lmw", h_lmw, F_MEM, 2) \
    X(47, "stmw", h_stmw, F_MEM, 2) \
    X(48, "lfs", h_lfs, F_FMEM, 1) \
    X(49, "lfsu", h_lfs, F_FMEM, 1) \
    X(50, "lfd", h_lfd, F_FMEM, 1) \
    X(51, "lfdu", h_lfd, F_FMEM, 1) \
    X(52, "stfs", h_stfs, F_FMEM, 1) \
    X(53, "stfsu", h_stfs, F_FMEM, 1) \
    X(54, "stfd", h_stfd, F_FMEM, 1) \
    X(55, "stfdu", h_stfd, F_FMEM, 1)

/* Opcode 19: X(xo, mnemonic, handler, form, cycles). */
#define PPC_OP19_OPS(X) \
    X(0, "mcrf", h_mcrf, F_MCRF, 1) \
    X(16, "bclr", h_bclr, F_BCR, 1) \
    X(33, "crnor", h_crlogic, F_CRL, 1) \
    X(50, "rfi", h_rfi, F_NONE, 2) \
    X(129, "crandc", h_crlogic, F_CRL, 1) \
    X(150, "isync", h_sync, F_NONE, 2) \
    X(193, "crxor", h_crlogic, F_CRL, 1) \
    X(225, "crnand", h_crlogic, F_CRL, 1) \
    X(257, "crand", h_crlogic, F_CRL, 1) \
    X(289, "creqv", h_crlogic, F_CRL, 1) \
    X(417, "crorc", h_crlogic, F_CRL, 1) \
    X(449, "cror", h_crlogic, F_CRL, 1) \
    X(528, "bcctr", h_bcctr, F_BCR, 1)

/* Opcode 31, XO-form arithmetic with an OE bit (listed once, xo < 512; xo + 512 is the
 * o-form): X(xo, mnemonic, handler, form, cycles). */
#define PPC_OP31_XO_OPS(X) \
    X(8, "subfc", h_subfc, F_XO3, 1) \
    X(10, "addc", h_addc, F_XO3, 1) \
    X(11, "mulhwu", h_mulhwu, F_XO3, 6) \
    X(40, "subf", h_subf, F_XO3, 1) \
    X(75, "mulhw", h_mulhw, F_XO3, 5) \
    X(104, "neg", h_neg, F_XO2, 1) \
    X(136, "subfe", h_subfe, F_XO3, 1) \
    X(138, "adde", h_adde, F_XO3, 1) \
    X(200, "subfze", h_subfze, F_XO2, 1) \
    X(202, "addze", h_addze, F_XO2, 1) \
    X(232, "subfme", h_subfme, F_XO2, 1) \
    X(234, "addme", h_addme, F_XO2, 1) \
    X(235, "mullw", h_mullw, F_XO3, 5) \
    X(266, "add", h_add, F_XO3, 1) \
    X(459, "divwu", h_divwu, F_XO3, 19) \
    X(491, "divw", h_divw, F_XO3, 19)

/* Opcode 31, other X-forms (10-bit xo): X(xo, mnemonic, handler, form, cycles). */
#define PPC_OP31_OPS(X) \
    X(0, "cmp", h_cmp, F_CMP, 1) \
    X(4, "tw", h_tw, F_TW, 2) \
    X(19, "mfcr", h_mfcr, F_RDONLY, 1) \
    X(20, "lwarx", h_lwarx, F_MEMX, 1) \
    X(23, "lwzx", h_lwz, F_MEMX, 1) \
    X(24, "slw", h_slw, F_X3, 1) \
    X(26, "cntlzw", h_cntlzw, F_X2, 1) \
    X(28, "and", h_and, F_X3, 1) \
    X(32, "cmpl", h_cmpl, F_CMP, 1) \
    X(54, "dcbst", h_dcbst, F_CACHE, 2) \
    X(55, "lwzux", h_lwz, F_MEMX, 1) \
    X(60, "andc", h_andc, F_X3, 1) \
    X(83, "mfmsr", h_mfmsr, F_RDONLY, 1) \
    X(86, "dcbf", h_dcbst, F_CACHE, 2) \
    X(87, "lbzx", h_lbz, F_MEMX, 1) \
    X(119, "lbzux", h_lbz, F_MEMX, 1) \
    X(124, "nor", h_nor, F_X3, 1) \
    X(144, "mtcrf", h_mtcrf, F_MTCRF, 1) \
    X(146, "mtmsr", h_mtmsr, F_RSONLY, 1) \
    X(150, "stwcx.", h_stwcx, F_MEMX, 8) \
    X(151, "stwx", h_stw, F_MEMX, 1) \
    X(183, "stwux", h_stw, F_MEMX, 1) \
    X(210, "mtsr", h_mtsr, F_MTSR, 2) \
    X(215, "stbx", h_stb, F_MEMX, 1) \
    X(242, "mtsrin", h_mtsrin, F_XRB, 2) \
    X(246, "dcbtst", h_dcbt, F_CACHE, 2) \
    X(247, "stbux", h_stb, F_MEMX, 1) \
    X(278, "dcbt", h_dcbt, F_CACHE, 2) \
    X(279, "lhzx", h_lhz, F_MEMX, 1) \
    X(284, "eqv", h_eqv, F_X3, 1) \
    X(306, "tlbie", h_tlbie, F_RBONLY, 3) \
    X(310, "eciwx", h_eciwx, F_MEMX, 1) \
    X(311, "lhzux", h_lhz, F_MEMX, 1) \
    X(316, "xor", h_xor, F_X3, 1) \
    X(339, "mfspr", h_mfspr, F_MFSPR, 1) \
    X(343, "lhax", h_lha, F_MEMX, 1) \
    X(371, "mftb", h_mftb, F_MFSPR, 1) \
    X(375, "lhaux", h_lha, F_MEMX, 1) \
    X(407, "sthx", h_sth, F_MEMX, 1) \
    X(412, "orc", h_orc, F_X3, 1) \
    X(438, "ecowx", h_ecowx, F_MEMX, 1) \
    X(439, "sthux", h_sth, F_MEMX, 1) \
    X(444, "or", h_or, F_X3, 1) \
    X(467, "mtspr", h_mtspr, F_MTSPR, 2) \
    X(470, "dcbi", h_dcbi, F_CACHE, 2) \
    X(476, "nand", h_nand, F_X3, 1) \
    X(512, "mcrxr", h_mcrxr, F_CRFD, 1) \
    X(533, "lswx", h_lswx, F_MEMX, 2) \
    X(534, "lwbrx", h_lwbrx, F_MEMX, 1) \
    X(535, "lfsx", h_lfs, F_FMEMX, 1) \
    X(536, "srw", h_srw, F_X3, 1) \
    X(566, "tlbsync", h_tlbsync, F_NONE, 1) \
    X(567, "lfsux", h_lfs, F_FMEMX, 1) \
    X(595, "mfsr", h_mfsr, F_MFSR, 3) \
    X(597, "lswi", h_lswi, F_LSWI, 2) \
    X(598, "sync", h_sync, F_NONE, 3) \
    X(599, "lfdx", h_lfd, F_FMEMX, 1) \
    X(631, "lfdux", h_lfd, F_FMEMX, 1) \
    X(659, "mfsrin", h_mfsrin, F_XRB, 3) \
    X(661, "stswx", h_stswx, F_MEMX, 2) \
    X(662, "stwbrx", h_stwbrx, F_MEMX, 1) \
    X(663, "stfsx", h_stfs, F_FMEMX, 1) \
    X(695, "stfsux", h_stfs, F_FMEMX, 1) \
    X(725, "stswi", h_stswi, F_LSWI, 2) \
    X(727, "stfdx", h_stfd, F_FMEMX, 1) \
    X(759, "stfdux", h_stfd, F_FMEMX, 1) \
    X(790, "lhbrx", h_lhbrx, F_MEMX, 1) \
    X(792, "sraw", h_sraw, F_X3, 1) \
    X(824, "srawi", h_srawi, F_SHI, 1) \
    X(854, "eieio", h_sync, F_NONE, 1) \
    X(918, "sthbrx", h_sthbrx, F_MEMX, 1) \
    X(922, "extsh", h_extsh, F_X2, 1) \
    X(954, "extsb", h_extsb, F_X2, 1) \
    X(982, "icbi", h_icbi, F_CACHE, 2) \
    X(983, "stfiwx", h_stfiwx, F_FMEMX, 1) \
    X(1014, "dcbz", h_dcbz, F_CACHE, 3)

/* Opcodes 59 and 63, A-forms (5-bit xo in bits 1-5): X(xo, mnemonic, handler, form, cycles).
 * fsqrts/fsqrt (22) are absent on the 750 (UM ch. 2) and decode as illegal. */
#define PPC_OP59_OPS(X) \
    X(18, "fdivs", h_fdiv, F_FA3, 17) \
    X(20, "fsubs", h_fsub, F_FA3, 1) \
    X(21, "fadds", h_fadd, F_FA3, 1) \
    X(24, "fres", h_fres, F_FB, 10) \
    X(25, "fmuls", h_fmul, F_FAC, 1) \
    X(28, "fmsubs", h_fmadd, F_FMA, 1) \
    X(29, "fmadds", h_fmadd, F_FMA, 1) \
    X(30, "fnmsubs", h_fmadd, F_FMA, 1) \
    X(31, "fnmadds", h_fmadd, F_FMA, 1)

#define PPC_OP63A_OPS(X) \
    X(18, "fdiv", h_fdiv, F_FA3, 31) \
    X(20, "fsub", h_fsub, F_FA3, 1) \
    X(21, "fadd", h_fadd, F_FA3, 1) \
    X(23, "fsel", h_fsel, F_FMA, 1) \
    X(25, "fmul", h_fmul, F_FAC, 2) \
    X(26, "frsqrte", h_frsqrte, F_FB, 1) \
    X(28, "fmsub", h_fmadd, F_FMA, 2) \
    X(29, "fmadd", h_fmadd, F_FMA, 2) \
    X(30, "fnmsub", h_fmadd, F_FMA, 2) \
    X(31, "fnmadd", h_fmadd, F_FMA, 2)

/* Opcode 63, X-forms (10-bit xo, all below 18 in their low 5 bits). */
#define PPC_OP63_OPS(X) \
    X(0, "fcmpu", h_fcmp, F_FCMP, 1) \
    X(12, "frsp", h_frsp, F_FB, 1) \
    X(14, "fctiw", h_fctiw, F_FB, 1) \
    X(15, "fctiwz", h_fctiw, F_FB, 1) \
    X(32, "fcmpo", h_fcmp, F_FCMP, 1) \
    X(38, "mtfsb1", h_mtfsb, F_CRBD, 3) \
    X(40, "fneg", h_fmove, F_FB, 1) \
    X(64, "mcrfs", h_mcrfs, F_MCRF, 3) \
    X(70, "mtfsb0", h_mtfsb, F_CRBD, 3) \
    X(72, "fmr", h_fmove, F_FB, 1) \
    X(134, "mtfsfi", h_mtfsfi, F_MTFSFI, 3) \
    X(136, "fnabs", h_fmove, F_FB, 1) \
    X(264, "fabs", h_fmove, F_FB, 1) \
    X(583, "mffs", h_mffs, F_FD, 3) \
    X(711, "mtfsf", h_mtfsf, F_MTFSF, 3)

/* Every handler, declared once. */
#define PPC_HANDLERS(X) \
    X(h_illegal) X(h_twi) X(h_mulli) X(h_subfic) X(h_cmpli) X(h_cmpi) X(h_addic) X(h_addi) \
    X(h_addis) X(h_bc) X(h_sc) X(h_b) X(h_rlwimi) X(h_rlwinm) X(h_rlwnm) X(h_ori) X(h_oris) \
    X(h_xori) X(h_xoris) X(h_andi) X(h_andis) X(h_lwz) X(h_lbz) X(h_stw) X(h_stb) X(h_lhz) \
    X(h_lha) X(h_sth) X(h_lmw) X(h_stmw) X(h_lfs) X(h_lfd) X(h_stfs) X(h_stfd) X(h_mcrf) \
    X(h_bclr) X(h_crlogic) X(h_rfi) X(h_sync) X(h_bcctr) X(h_subfc) X(h_addc) X(h_mulhwu) \
    X(h_subf) X(h_mulhw) X(h_neg) X(h_subfe) X(h_adde) X(h_subfze) X(h_addze) X(h_subfme) \
    X(h_addme) X(h_mullw) X(h_add) X(h_divwu) X(h_divw) X(h_cmp) X(h_tw) X(h_mfcr) X(h_lwarx) \
    X(h_slw) X(h_cntlzw) X(h_and) X(h_cmpl) X(h_dcbst) X(h_andc) X(h_mfmsr) X(h_nor) X(h_mtcrf) \
    X(h_mtmsr) X(h_stwcx) X(h_mtsr) X(h_mtsrin) X(h_dcbt) X(h_eqv) X(h_tlbie) X(h_eciwx) \
    X(h_xor) X(h_mfspr) X(h_mftb) X(h_orc) X(h_ecowx) X(h_or) X(h_mtspr) X(h_dcbi) X(h_nand) \
    X(h_mcrxr) X(h_lswx) X(h_lwbrx) X(h_srw) X(h_tlbsync) X(h_mfsr) X(h_lswi) X(h_mfsrin) \
    X(h_stswx) X(h_stwbrx) X(h_stswi) X(h_lhbrx) X(h_sraw) X(h_srawi) X(h_sthbrx) X(h_extsh) \
    X(h_extsb) X(h_icbi) X(h_stfiwx) X(h_dcbz) X(h_fdiv) X(h_fsub) X(h_fadd) X(h_fres) \
    X(h_fmul) X(h_fmadd) X(h_fsel) X(h_frsqrte) X(h_fcmp) X(h_frsp) X(h_fctiw) X(h_mtfsb) \
    X(h_fmove) X(h_mcrfs) X(h_mtfsfi) X(h_mffs) X(h_mtfsf)

#define PPC_DECLARE_HANDLER(h) unsigned h(vt_ppc_cpu *s, uint32_t insn);
PPC_HANDLERS(PPC_DECLARE_HANDLER)
#undef PPC_DECLARE_HANDLER

/* Replicates an A-form row over the 32 values of the unused 5 bits above its xo. */
#define PPC_REP32(xo, ...) \
    [(xo)] = __VA_ARGS__, [32 + (xo)] = __VA_ARGS__, [64 + (xo)] = __VA_ARGS__, \
    [96 + (xo)] = __VA_ARGS__, [128 + (xo)] = __VA_ARGS__, [160 + (xo)] = __VA_ARGS__, \
    [192 + (xo)] = __VA_ARGS__, [224 + (xo)] = __VA_ARGS__, [256 + (xo)] = __VA_ARGS__, \
    [288 + (xo)] = __VA_ARGS__, [320 + (xo)] = __VA_ARGS__, [352 + (xo)] = __VA_ARGS__, \
    [384 + (xo)] = __VA_ARGS__, [416 + (xo)] = __VA_ARGS__, [448 + (xo)] = __VA_ARGS__, \
    [480 + (xo)] = __VA_ARGS__, [512 + (xo)] = __VA_ARGS__, [544 + (xo)] = __VA_ARGS__, \
    [576 + (xo)] = __VA_ARGS__, [608 + (xo)] = __VA_ARGS__, [640 + (xo)] = __VA_ARGS__, \
    [672 + (xo)] = __VA_ARGS__, [704 + (xo)] = __VA_ARGS__, [736 + (xo)] = __VA_ARGS__, \
    [768 + (xo)] = __VA_ARGS__, [800 + (xo)] = __VA_ARGS__, [832 + (xo)] = __VA_ARGS__, \
    [864 + (xo)] = __VA_ARGS__, [896 + (xo)] = __VA_ARGS__, [928 + (xo)] = __VA_ARGS__, \
    [960 + (xo)] = __VA_ARGS__, [992 + (xo)] = __VA_ARGS__

// clang-format on

/* One decoded table entry. */
typedef struct ppc_op {
    ppc_handler fn;
    const char *name;
    uint8_t form;
    uint8_t cycles;
} ppc_op;

/* ppc_decode.c: the primary table, the extended-opcode table of each group opcode (NULL for
 * the others) and the entry of every encoding the tables do not list. */
extern const ppc_op vt_ppc_primary[64];
extern const ppc_op *const vt_ppc_groups[64];
extern const ppc_op vt_ppc_illegal_op;

/* The entry for an instruction word (never NULL: unknown encodings give the illegal entry,
 * whose name is NULL). */
static inline const ppc_op *vt_ppc_decode(uint32_t insn) {
    unsigned opcd = insn >> 26;
    const ppc_op *group = vt_ppc_groups[opcd];
    const ppc_op *op = group ? &group[(insn >> 1) & 0x3ff] : &vt_ppc_primary[opcd];
    return op->fn ? op : &vt_ppc_illegal_op;
}

#endif
