/* The x86 block former: decodes a guest basic block through the core's decoder (x86_decode,
 * the same code the interpreter runs) and records per-instruction cycle costs from the model's
 * opcode table. Block enders are the opcodes that transfer control or change CS, EFLAGS.TF/IF,
 * control registers or the interrupt shadow (Intel SDM vol. 2 opcode maps; vol. 3 §8.3 for the
 * serializing instructions); in Linux user mode a conditional branch does not end a block. */
#include "jit/x86_block.h"

#include "jit/x86_jit.h"

int x86_block_ends_after(const x86_insn *i) {
    unsigned op = i->opc;
    if ((op >= 0x70 && op <= 0x7F) || (op >= 0x180 && op <= 0x18F)) return X86_BLOCK_END_BRANCH;
    switch (op) {
    case 0x9A:
    case 0xC2:
    case 0xC3:
    case 0xCA:
    case 0xCB: /* CALLF, RET, RETF */
    case 0xCC:
    case 0xCD:
    case 0xCE:
    case 0xCF: /* INT3, INT n, INTO, IRET */
    case 0xE0:
    case 0xE1:
    case 0xE2:
    case 0xE3: /* LOOPcc, JCXZ */
    case 0xE8:
    case 0xE9:
    case 0xEA:
    case 0xEB: /* CALL, JMP near/far/short */
    case 0xF1:
    case 0xF4: /* ICEBP, HLT */
    case 0x105:
    case 0x107:
    case 0x10B: /* SYSCALL, SYSRET, UD2 */
    case 0x134:
    case 0x135:
    case 0x1AA: /* SYSENTER, SYSEXIT, RSM */
        return X86_BLOCK_END_BRANCH;
    case 0x17:
    case 0x8E: /* POP SS, MOV Sreg (interrupt shadow) */
    case 0x9D:
    case 0xFA:
    case 0xFB: /* POPF (TF), CLI, STI */
    case 0x100:
    case 0x101: /* groups 6/7: LGDT, LMSW, INVLPG... */
    case 0x106:
    case 0x108:
    case 0x109: /* CLTS, INVD, WBINVD */
    case 0x120:
    case 0x121:
    case 0x122:
    case 0x123: /* MOV CRn/DRn */
    case 0x130:
    case 0x132:
    case 0x1A2: /* WRMSR, RDMSR, CPUID */
        return X86_BLOCK_END_SERIAL;
    case 0xFF: /* group 5: CALL/CALLF/JMP/JMPF indirect */
        return i->reg >= 2 && i->reg <= 5 ? X86_BLOCK_END_BRANCH : 0;
    default:
        return 0;
    }
}

/* Linux user mode (not lockstep) with 32-bit code: a block goes on past a conditional branch,
 * which leaves from the middle when taken (x86_jit_emit_jcc_inside). */
static bool goes_on_after(const x86_cpu *c, const x86_insn *i) {
    bool jcc = (i->opc >= 0x70 && i->opc <= 0x7F) || (i->opc >= 0x180 && i->opc <= 0x18F);
    return jcc && c->user && x86_code32(c) && c->jit && !c->jit->lockstep;
}

unsigned x86_block_form(x86_cpu *c, x86_block *b, uint32_t eip, const uint8_t *code) {
    const x86_seg *cs = &c->seg[SEG_CS];
    bool code32 = x86_code32(c);
    uint32_t la = cs->base + eip;
    uint32_t save_eip = c->eip, save_cr2 = c->cr2;
    vt_x86_trap save_trap = c->trap;
    jmp_buf save;
    memcpy(save, c->abort, sizeof save);
    volatile unsigned n = 0, off = 0, cost = 0;
    volatile uint8_t end = X86_BLOCK_END_MAX;
    if (setjmp(c->abort) == 0) {
        while (n < VT_X86_BLOCK_MAX) {
            uint32_t e = eip + off;
            /* a 15-byte window within CS (and no 16-bit wrap). In user mode the decoder
             * fetches the page's last bytes through the MMU and an instruction crossing the
             * page ends the block; a machine's blocks stop before the last 15-byte window
             * (its MMU walk of the next page would set accessed bits the guest can see) */
            unsigned room = c->user ? 1 : 15;
            if ((!code32 && e > 0xFFFF - 15) || e > cs->limit || cs->limit - e < 14 ||
                (la & 0xFFF) + off > 0x1000 - room) {
                end = X86_BLOCK_END_PAGE;
                break;
            }
            c->eip = e;
            x86_insn *in = &b->insn[n];
            if (x86_decode(c, in) < 0 || (c->code && c->code != code + off)) {
                end = X86_BLOCK_END_UNDECODED;
                break;
            }
            if ((la & 0xFFF) + off + in->len > 0x1000) {
                end = X86_BLOCK_END_PAGE;
                break;
            }
            off += in->len;
            cost += in->cost;
            n++;
            int why = x86_block_ends_after(in);
            if (why && !goes_on_after(c, in)) {
                end = (uint8_t)why;
                break;
            }
        }
    } else {
        end = X86_BLOCK_END_UNDECODED; /* the decoder raised (#GP: more than 15 bytes) */
    }
    memcpy(c->abort, save, sizeof save);
    c->eip = save_eip;
    c->cr2 = save_cr2;
    c->trap = save_trap;
    c->cur = NULL;
    c->code = NULL;
    b->n = (uint8_t)n;
    b->len = (uint16_t)off;
    b->cost = cost;
    b->lead_cost = n ? cost - b->insn[n - 1].cost : 0;
    b->end = end;
    memcpy(b->bytes, code, off);
    b->tag = n ? x86_block_tag(la, code32) : 0;
    return n;
}
