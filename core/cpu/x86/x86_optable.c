/* The one x86 opcode table: one-byte map (0x00-0xFF) and 0F map (0x100-0x1FF). Each entry gives
 * the mnemonic, the operand spec in Intel SDM vol. 2 appendix A letters (it drives both the
 * decoder's immediate/ModRM parsing and the disassembler), the handler and the Pentium II
 * cycle cost (Agner Fog, "Instruction tables", PPro/PII/PIII section; see hwdocs/x86.md).
 * Missing entries are unimplemented opcodes (#UD + log). */
#include "core/cpu/x86/x86_cpu.h"

/* clang-format off */
#define H(name) x86_handler name;
#include "core/cpu/x86/x86_handlers.list"
#undef H

#define O(code, m, s, f, cyc) [code] = {m, s, f, cyc, 0},
#define G(code, g, s, f, cyc) [code] = {"grp", s, f, cyc, g},
#define ALU(base, m) O(base, m, "Eb,Gb", h_alu, 1) O(base + 1, m, "Ev,Gv", h_alu, 1) \
    O(base + 2, m, "Gb,Eb", h_alu, 1) O(base + 3, m, "Gv,Ev", h_alu, 1)            \
    O(base + 4, m, "AL,Ib", h_alu, 1) O(base + 5, m, "eAX,Iz", h_alu, 1)
#define R8(base, m, s, f, cyc) O(base, m, s, f, cyc) O(base + 1, m, s, f, cyc) \
    O(base + 2, m, s, f, cyc) O(base + 3, m, s, f, cyc) O(base + 4, m, s, f, cyc) \
    O(base + 5, m, s, f, cyc) O(base + 6, m, s, f, cyc) O(base + 7, m, s, f, cyc)

/* Group numbers index vt_x86_group_names. */
enum { G1 = 1, G2, G3, G4, G5, G6, G7, G8, G9, G12, G13, G14, G1A, G11 };

const char *const vt_x86_group_names[][8] = {
    [0] = {0},
    [G1] = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"},
    [G2] = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"},
    [G3] = {"test", "test", "not", "neg", "mul", "imul", "div", "idiv"},
    [G4] = {"inc", "dec", 0, 0, 0, 0, 0, 0},
    [G5] = {"inc", "dec", "call", "callf", "jmp", "jmpf", "push", 0},
    [G6] = {"sldt", "str", "lldt", "ltr", "verr", "verw", 0, 0},
    [G7] = {"sgdt", "sidt", "lgdt", "lidt", "smsw", 0, "lmsw", "invlpg"},
    [G8] = {0, 0, 0, 0, "bt", "bts", "btr", "btc"},
    [G9] = {0, "cmpxchg8b", 0, 0, 0, 0, 0, 0},
    [G12] = {0, 0, "psrlw", 0, "psraw", 0, "psllw", 0},
    [G13] = {0, 0, "psrld", 0, "psrad", 0, "pslld", 0},
    [G14] = {0, 0, "psrlq", 0, 0, 0, "psllq", 0},
    [G1A] = {"pop", 0, 0, 0, 0, 0, 0, 0},
    [G11] = {"mov", 0, 0, 0, 0, 0, 0, 0},
};

const x86_opdef vt_x86_ops[512] = {
    ALU(0x00, "add") ALU(0x08, "or") ALU(0x10, "adc") ALU(0x18, "sbb")
    ALU(0x20, "and") ALU(0x28, "sub") ALU(0x30, "xor") ALU(0x38, "cmp")
    O(0x06, "push", "ES", h_push_sreg, 2) O(0x07, "pop", "ES", h_pop_sreg, 3)
    O(0x0E, "push", "CS", h_push_sreg, 2)
    O(0x16, "push", "SS", h_push_sreg, 2) O(0x17, "pop", "SS", h_pop_sreg, 3)
    O(0x1E, "push", "DS", h_push_sreg, 2) O(0x1F, "pop", "DS", h_pop_sreg, 3)
    O(0x27, "daa", "", h_daa, 1) O(0x2F, "das", "", h_das, 1)
    O(0x37, "aaa", "", h_aaa, 1) O(0x3F, "aas", "", h_aas, 1)
    R8(0x40, "inc", "Zv", h_incdec_r, 1) R8(0x48, "dec", "Zv", h_incdec_r, 1)
    R8(0x50, "push", "Zv", h_push_r, 1) R8(0x58, "pop", "Zv", h_pop_r, 1)
    O(0x60, "pusha", "", h_pusha, 8) O(0x61, "popa", "", h_popa, 8)
    O(0x62, "bound", "Gv,M", h_bound, 7) O(0x63, "arpl", "Ew,Gw", h_arpl, 3)
    O(0x68, "push", "Iz", h_push_i, 1) O(0x69, "imul", "Gv,Ev,Iz", h_imul3, 4)
    O(0x6A, "push", "Ibs", h_push_i, 1) O(0x6B, "imul", "Gv,Ev,Ibs", h_imul3, 4)
    O(0x6C, "insb", "", h_ins, 9) O(0x6D, "ins", "", h_ins, 9)
    O(0x6E, "outsb", "", h_outs, 9) O(0x6F, "outs", "", h_outs, 9)
    R8(0x70, "j", "Jb", h_jcc, 1) O(0x78, "j", "Jb", h_jcc, 1) O(0x79, "j", "Jb", h_jcc, 1)
    O(0x7A, "j", "Jb", h_jcc, 1) O(0x7B, "j", "Jb", h_jcc, 1) O(0x7C, "j", "Jb", h_jcc, 1)
    O(0x7D, "j", "Jb", h_jcc, 1) O(0x7E, "j", "Jb", h_jcc, 1) O(0x7F, "j", "Jb", h_jcc, 1)
    G(0x80, G1, "Eb,Ib", h_grp1, 1) G(0x81, G1, "Ev,Iz", h_grp1, 1)
    G(0x82, G1, "Eb,Ib", h_grp1, 1) G(0x83, G1, "Ev,Ibs", h_grp1, 1)
    O(0x84, "test", "Eb,Gb", h_test, 1) O(0x85, "test", "Ev,Gv", h_test, 1)
    O(0x86, "xchg", "Eb,Gb", h_xchg, 3) O(0x87, "xchg", "Ev,Gv", h_xchg, 3)
    O(0x88, "mov", "Eb,Gb", h_mov, 1) O(0x89, "mov", "Ev,Gv", h_mov, 1)
    O(0x8A, "mov", "Gb,Eb", h_mov, 1) O(0x8B, "mov", "Gv,Ev", h_mov, 1)
    O(0x8C, "mov", "Ew,Sw", h_mov_from_sreg, 1) O(0x8D, "lea", "Gv,M", h_lea, 1)
    O(0x8E, "mov", "Sw,Ew", h_mov_to_sreg, 8) G(0x8F, G1A, "Ev", h_pop_rm, 3)
    O(0x90, "nop", "", h_nop, 1)
    O(0x91, "xchg", "Zv,eAX", h_xchg_a, 2) O(0x92, "xchg", "Zv,eAX", h_xchg_a, 2)
    O(0x93, "xchg", "Zv,eAX", h_xchg_a, 2) O(0x94, "xchg", "Zv,eAX", h_xchg_a, 2)
    O(0x95, "xchg", "Zv,eAX", h_xchg_a, 2) O(0x96, "xchg", "Zv,eAX", h_xchg_a, 2)
    O(0x97, "xchg", "Zv,eAX", h_xchg_a, 2)
    O(0x98, "cwde", "", h_cbw, 1) O(0x99, "cdq", "", h_cwd, 1)
    O(0x9A, "callf", "Ap", h_callf_ap, 20) O(0x9B, "fwait", "", h_fwait, 1)
    O(0x9C, "pushf", "", h_pushf, 5) O(0x9D, "popf", "", h_popf, 10)
    O(0x9E, "sahf", "", h_sahf, 1) O(0x9F, "lahf", "", h_lahf, 1)
    O(0xA0, "mov", "AL,Ob", h_mov_moffs, 1) O(0xA1, "mov", "eAX,Ov", h_mov_moffs, 1)
    O(0xA2, "mov", "Ob,AL", h_mov_moffs, 1) O(0xA3, "mov", "Ov,eAX", h_mov_moffs, 1)
    O(0xA4, "movsb", "", h_movs, 3) O(0xA5, "movs", "", h_movs, 3)
    O(0xA6, "cmpsb", "", h_cmps, 4) O(0xA7, "cmps", "", h_cmps, 4)
    O(0xA8, "test", "AL,Ib", h_test, 1) O(0xA9, "test", "eAX,Iz", h_test, 1)
    O(0xAA, "stosb", "", h_stos, 3) O(0xAB, "stos", "", h_stos, 3)
    O(0xAC, "lodsb", "", h_lods, 2) O(0xAD, "lods", "", h_lods, 2)
    O(0xAE, "scasb", "", h_scas, 3) O(0xAF, "scas", "", h_scas, 3)
    R8(0xB0, "mov", "Zb,Ib", h_mov_ri, 1) R8(0xB8, "mov", "Zv,Iz", h_mov_ri, 1)
    G(0xC0, G2, "Eb,Ib", h_grp2, 1) G(0xC1, G2, "Ev,Ib", h_grp2, 1)
    O(0xC2, "ret", "Iw", h_ret, 2) O(0xC3, "ret", "", h_ret, 2)
    O(0xC4, "les", "Gv,M", h_lfp, 8) O(0xC5, "lds", "Gv,M", h_lfp, 8)
    G(0xC6, G11, "Eb,Ib", h_mov_rmi, 1) G(0xC7, G11, "Ev,Iz", h_mov_rmi, 1)
    O(0xC8, "enter", "Iw,Ib", h_enter, 12) O(0xC9, "leave", "", h_leave, 3)
    O(0xCA, "retf", "Iw", h_retf, 20) O(0xCB, "retf", "", h_retf, 20)
    O(0xCC, "int3", "", h_int3, 30) O(0xCD, "int", "Ib", h_int, 30)
    O(0xCE, "into", "", h_into, 30) O(0xCF, "iret", "", h_iret, 30)
    G(0xD0, G2, "Eb,1", h_grp2, 1) G(0xD1, G2, "Ev,1", h_grp2, 1)
    G(0xD2, G2, "Eb,CL", h_grp2, 2) G(0xD3, G2, "Ev,CL", h_grp2, 2)
    O(0xD4, "aam", "Ib", h_aam, 15) O(0xD5, "aad", "Ib", h_aad, 3)
    O(0xD6, "salc", "", h_salc, 2) O(0xD7, "xlat", "", h_xlat, 2)
    R8(0xD8, "fpu", "F", h_fpu, 1)
    O(0xE0, "loopne", "Jb", h_loop, 2) O(0xE1, "loope", "Jb", h_loop, 2)
    O(0xE2, "loop", "Jb", h_loop, 2) O(0xE3, "jecxz", "Jb", h_loop, 2)
    O(0xE4, "in", "AL,Ib", h_in, 20) O(0xE5, "in", "eAX,Ib", h_in, 20)
    O(0xE6, "out", "Ib,AL", h_out, 20) O(0xE7, "out", "Ib,eAX", h_out, 20)
    O(0xE8, "call", "Jz", h_call, 2) O(0xE9, "jmp", "Jz", h_jmp, 1)
    O(0xEA, "jmpf", "Ap", h_jmpf_ap, 20) O(0xEB, "jmp", "Jb", h_jmp, 1)
    O(0xEC, "in", "AL,DX", h_in, 20) O(0xED, "in", "eAX,DX", h_in, 20)
    O(0xEE, "out", "DX,AL", h_out, 20) O(0xEF, "out", "DX,eAX", h_out, 20)
    O(0xF1, "int1", "", h_int1, 30)
    O(0xF4, "hlt", "", h_hlt, 1) O(0xF5, "cmc", "", h_flagop, 1)
    G(0xF6, G3, "Eb", h_grp3, 1) G(0xF7, G3, "Ev", h_grp3, 1)
    O(0xF8, "clc", "", h_flagop, 1) O(0xF9, "stc", "", h_flagop, 1)
    O(0xFA, "cli", "", h_flagop, 1) O(0xFB, "sti", "", h_flagop, 1)
    O(0xFC, "cld", "", h_flagop, 1) O(0xFD, "std", "", h_flagop, 1)
    G(0xFE, G4, "Eb", h_grp4, 1) G(0xFF, G5, "Ev", h_grp5, 1)

    /* 0F map */
    G(0x100, G6, "Ew", h_grp6, 10) G(0x101, G7, "M", h_grp7, 10)
    O(0x102, "lar", "Gv,Ew", h_lar_lsl, 10) O(0x103, "lsl", "Gv,Ew", h_lar_lsl, 10)
    O(0x106, "clts", "", h_clts, 10) O(0x108, "invd", "", h_invd, 20)
    O(0x109, "wbinvd", "", h_invd, 20) O(0x10B, "ud2", "", h_ud2, 1)
    /* 0F 19-1F: the P6 "hint NOP" space (NOP Ev; ENDBR32 = F3 0F 1E FB runs as one) */
    O(0x119, "nop", "Ev", h_nop, 1) O(0x11A, "nop", "Ev", h_nop, 1) O(0x11B, "nop", "Ev", h_nop, 1)
    O(0x11C, "nop", "Ev", h_nop, 1) O(0x11D, "nop", "Ev", h_nop, 1) O(0x11E, "nop", "Ev", h_nop, 1)
    O(0x11F, "nop", "Ev", h_nop, 1)
    O(0x120, "mov", "Rd,Cd", h_mov_cr, 10) O(0x121, "mov", "Rd,Dd", h_mov_dr, 10)
    O(0x122, "mov", "Cd,Rd", h_mov_cr, 10) O(0x123, "mov", "Dd,Rd", h_mov_dr, 10)
    O(0x130, "wrmsr", "", h_wrmsr, 30) O(0x131, "rdtsc", "", h_rdtsc, 31)
    O(0x132, "rdmsr", "", h_rdmsr, 30)
        O(0x133, "rdpmc", "", h_rdpmc, 31)
    O(0x134, "sysenter", "", h_sysenter, 20) O(0x135, "sysexit", "", h_sysexit, 20)
    R8(0x140, "cmov", "Gv,Ev", h_cmov, 2) R8(0x148, "cmov", "Gv,Ev", h_cmov, 2)
    O(0x160, "punpcklbw", "Pq,Qd", h_mmx, 1) O(0x161, "punpcklwd", "Pq,Qd", h_mmx, 1)
    O(0x162, "punpckldq", "Pq,Qd", h_mmx, 1) O(0x163, "packsswb", "Pq,Qq", h_mmx, 1)
    O(0x164, "pcmpgtb", "Pq,Qq", h_mmx, 1) O(0x165, "pcmpgtw", "Pq,Qq", h_mmx, 1)
    O(0x166, "pcmpgtd", "Pq,Qq", h_mmx, 1) O(0x167, "packuswb", "Pq,Qq", h_mmx, 1)
    O(0x168, "punpckhbw", "Pq,Qq", h_mmx, 1) O(0x169, "punpckhwd", "Pq,Qq", h_mmx, 1)
    O(0x16A, "punpckhdq", "Pq,Qq", h_mmx, 1) O(0x16B, "packssdw", "Pq,Qq", h_mmx, 1)
    O(0x16E, "movd", "Pq,Ed", h_mmx_movd, 1) O(0x16F, "movq", "Pq,Qq", h_mmx_movq, 1)
    G(0x171, G12, "Nq,Ib", h_mmx_shimm, 1) G(0x172, G13, "Nq,Ib", h_mmx_shimm, 1)
    G(0x173, G14, "Nq,Ib", h_mmx_shimm, 1)
    O(0x174, "pcmpeqb", "Pq,Qq", h_mmx, 1) O(0x175, "pcmpeqw", "Pq,Qq", h_mmx, 1)
    O(0x176, "pcmpeqd", "Pq,Qq", h_mmx, 1) O(0x177, "emms", "", h_emms, 6)
    O(0x17E, "movd", "Ed,Pq", h_mmx_movd, 1) O(0x17F, "movq", "Qq,Pq", h_mmx_movq, 1)
    R8(0x180, "j", "Jz", h_jcc, 1) R8(0x188, "j", "Jz", h_jcc, 1)
    R8(0x190, "set", "Eb", h_setcc, 1) R8(0x198, "set", "Eb", h_setcc, 1)
    O(0x1A0, "push", "FS", h_push_sreg, 2) O(0x1A1, "pop", "FS", h_pop_sreg, 3)
    O(0x1A2, "cpuid", "", h_cpuid, 40) O(0x1A3, "bt", "Ev,Gv", h_bt, 1)
    O(0x1A4, "shld", "Ev,Gv,Ib", h_shd, 2) O(0x1A5, "shld", "Ev,Gv,CL", h_shd, 2)
    O(0x1A8, "push", "GS", h_push_sreg, 2) O(0x1A9, "pop", "GS", h_pop_sreg, 3)
    O(0x1AB, "bts", "Ev,Gv", h_bt, 1)
    O(0x1AC, "shrd", "Ev,Gv,Ib", h_shd, 2) O(0x1AD, "shrd", "Ev,Gv,CL", h_shd, 2)
    O(0x1AF, "imul", "Gv,Ev", h_imul2, 4)
    O(0x1B0, "cmpxchg", "Eb,Gb", h_cmpxchg, 5) O(0x1B1, "cmpxchg", "Ev,Gv", h_cmpxchg, 5)
    O(0x1B2, "lss", "Gv,M", h_lfp, 8) O(0x1B3, "btr", "Ev,Gv", h_bt, 1)
    O(0x1B4, "lfs", "Gv,M", h_lfp, 8) O(0x1B5, "lgs", "Gv,M", h_lfp, 8)
    O(0x1B6, "movzx", "Gv,Eb", h_movx, 1) O(0x1B7, "movzx", "Gv,Ew", h_movx, 1)
    G(0x1BA, G8, "Ev,Ib", h_bt, 1) O(0x1BB, "btc", "Ev,Gv", h_bt, 1)
    O(0x1BC, "bsf", "Gv,Ev", h_bsf_bsr, 2) O(0x1BD, "bsr", "Gv,Ev", h_bsf_bsr, 2)
    O(0x1BE, "movsx", "Gv,Eb", h_movx, 1) O(0x1BF, "movsx", "Gv,Ew", h_movx, 1)
    O(0x1C0, "xadd", "Eb,Gb", h_xadd, 3) O(0x1C1, "xadd", "Ev,Gv", h_xadd, 3)
    G(0x1C7, G9, "Mq", h_cmpxchg8b, 6)
    R8(0x1C8, "bswap", "Zd", h_bswap, 1)
    O(0x1D1, "psrlw", "Pq,Qq", h_mmx, 1) O(0x1D2, "psrld", "Pq,Qq", h_mmx, 1)
    O(0x1D3, "psrlq", "Pq,Qq", h_mmx, 1) O(0x1D5, "pmullw", "Pq,Qq", h_mmx, 3)
    O(0x1D8, "psubusb", "Pq,Qq", h_mmx, 1) O(0x1D9, "psubusw", "Pq,Qq", h_mmx, 1)
    O(0x1DB, "pand", "Pq,Qq", h_mmx, 1) O(0x1DC, "paddusb", "Pq,Qq", h_mmx, 1)
    O(0x1DD, "paddusw", "Pq,Qq", h_mmx, 1) O(0x1DF, "pandn", "Pq,Qq", h_mmx, 1)
    O(0x1E1, "psraw", "Pq,Qq", h_mmx, 1) O(0x1E2, "psrad", "Pq,Qq", h_mmx, 1)
    O(0x1E5, "pmulhw", "Pq,Qq", h_mmx, 3)
    O(0x1E8, "psubsb", "Pq,Qq", h_mmx, 1) O(0x1E9, "psubsw", "Pq,Qq", h_mmx, 1)
    O(0x1EB, "por", "Pq,Qq", h_mmx, 1) O(0x1EC, "paddsb", "Pq,Qq", h_mmx, 1)
    O(0x1ED, "paddsw", "Pq,Qq", h_mmx, 1) O(0x1EF, "pxor", "Pq,Qq", h_mmx, 1)
    O(0x1F1, "psllw", "Pq,Qq", h_mmx, 1) O(0x1F2, "pslld", "Pq,Qq", h_mmx, 1)
    O(0x1F3, "psllq", "Pq,Qq", h_mmx, 1) O(0x1F5, "pmaddwd", "Pq,Qq", h_mmx, 3)
    O(0x1F8, "psubb", "Pq,Qq", h_mmx, 1) O(0x1F9, "psubw", "Pq,Qq", h_mmx, 1)
    O(0x1FA, "psubd", "Pq,Qq", h_mmx, 1) O(0x1FC, "paddb", "Pq,Qq", h_mmx, 1)
    O(0x1FD, "paddw", "Pq,Qq", h_mmx, 1) O(0x1FE, "paddd", "Pq,Qq", h_mmx, 1)
};
/* clang-format on */
