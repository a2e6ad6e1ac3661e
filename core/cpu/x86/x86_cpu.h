/* Internal state of the x86 core: general registers, lazily evaluated flags, segment
 * descriptor caches, control registers, x87/MMX state, the decoded-instruction record and the
 * helpers every executor file shares. Facts: Intel SDM vol. 1 (ch. 3, 8, 9) and vol. 3 (ch. 2-6);
 * Pentium Pro/II Family Developer's Manuals. */
#ifndef VT_X86_CPU_H
#define VT_X86_CPU_H

#include <setjmp.h>

#include "core/cpu/x86/x86.h"
#include "core/log.h"

/* EFLAGS bits (SDM vol. 1 §3.4.3). */
enum {
    F_CF = 1u << 0,
    F_PF = 1u << 2,
    F_AF = 1u << 4,
    F_ZF = 1u << 6,
    F_SF = 1u << 7,
    F_TF = 1u << 8,
    F_IF = 1u << 9,
    F_DF = 1u << 10,
    F_OF = 1u << 11,
    F_IOPL = 3u << 12,
    F_NT = 1u << 14,
    F_RF = 1u << 16,
    F_VM = 1u << 17,
    F_AC = 1u << 18,
    F_VIF = 1u << 19,
    F_VIP = 1u << 20,
    F_ID = 1u << 21,
    F_ARITH = F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF,
};

enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NONE = 7 };

/* Exception vectors (SDM vol. 3 §6.3.1). */
enum {
    EXC_DE = 0,
    EXC_DB = 1,
    EXC_NMI = 2,
    EXC_BP = 3,
    EXC_OF = 4,
    EXC_BR = 5,
    EXC_UD = 6,
    EXC_NM = 7,
    EXC_DF = 8,
    EXC_TS = 10,
    EXC_NP = 11,
    EXC_SS = 12,
    EXC_GP = 13,
    EXC_PF = 14,
    EXC_MF = 16,
    EXC_AC = 17,
};

/* Cycles an external interrupt (INTR/NMI) delivery costs: the INT n figure of the opcode
 * table (approximate; hwdocs/pc.md, "x86 interrupt acknowledge"). */
#define X86_INTERRUPT_CYCLES 30

/* Lazy flag operations: flags are derived from (op, size, result, src1, src2) when read. */
enum {
    CC_EAGER, /* x86->eflags holds the arithmetic flags */
    CC_ADD,
    CC_ADC,
    CC_SUB,
    CC_SBB,
    CC_LOGIC,
    CC_INC,
    CC_DEC,
};

typedef struct x86_seg {
    uint16_t sel;
    uint32_t base, limit; /* limit in bytes - 1 (granularity applied) */
    uint16_t attr;        /* descriptor access byte (bits 0-7) | D/B (bit 14) | G (bit 15) */
} x86_seg;
#define SEG_ATTR_DB 0x4000
#define SEG_ATTR_P 0x80

typedef struct x86_dtr {
    uint32_t base;
    uint16_t limit;
} x86_dtr;

/* One 80-bit x87 register: 64-bit significand with explicit integer bit + sign/exponent. */
typedef struct x87_reg {
    uint64_t mant;
    uint16_t se;
} x87_reg;

typedef struct x87_state {
    x87_reg st[8];   /* physical registers R0..R7 */
    uint16_t cw, sw; /* sw's TOP field lives in `top` */
    uint8_t top;
    uint8_t tag_empty; /* bit i set = physical register i empty */
    uint16_t fop;
    uint32_t fip, fdp;
    uint16_t fcs, fds;
} x87_state;

#define X86_MC_BANKS                                                                               \
    5 /* P6 family: IA32_MCG_CAP count (SDM vol. 3, "Machine-Check Architecture") */

typedef struct x86_cpu x86_cpu;
typedef struct x86_insn x86_insn;
typedef void x86_handler(x86_cpu *c, x86_insn *i);

/* A decoded instruction. */
struct x86_insn {
    uint16_t opc; /* 0x000-0x0FF one-byte map, 0x100-0x1FF 0F map */
    uint8_t rep;  /* 0, 0xF2 or 0xF3 */
    uint8_t seg;  /* effective segment of the memory operand */
    bool seg_override;
    bool lock;
    uint8_t osize, asize; /* 2 or 4 */
    bool has_modrm;
    uint8_t modrm, mod, reg, rm;
    bool mem;             /* r/m names memory */
    uint8_t base;         /* base register of the address, 0xFF when none */
    uint8_t index, scale; /* index register (0xFF none) and its shift */
    bool has_sib;
    uint8_t sib;
    uint32_t disp; /* displacement as encoded (sign-extended) */
    uint32_t ea;   /* effective address (offset within seg) */
    uint32_t imm, imm2;
    uint8_t len;
    uint8_t cost; /* cycles: the opcode's issue cost + 1 for a memory operand */
    const struct x86_opdef *def;
    x86_handler *fn; /* def->fn, one load less per step */
};

/* Per-opcode decode facts derived from the operand specs (x86_decode_init). */
typedef struct x86_opinfo {
    uint8_t modrm;
    uint8_t imm[2]; /* immediate size codes */
    uint8_t sext;   /* bit k: immediate k is sign-extended */
} x86_opinfo;

/* Decoded-instruction cache entry: reused when the bytes at the same linear address and the
 * code size are unchanged (compared on every use, so self-modifying code is always seen).
 * The bytes are kept as two masked words (bytes 0-7 and 7-14 of the 15-byte code window) so
 * the check is two loads, two XORs and one compare whatever the length. */
#define X86_ICACHE_SIZE 8192
typedef struct x86_icache_ent {
    uint64_t tag;        /* linear address | (1 | code32 << 1) << 32; 0 = empty */
    uint64_t w[2], m[2]; /* the instruction's bytes within each word, and which bytes count */
    x86_insn insn;
} x86_icache_ent;

typedef struct x86_opdef {
    const char *mnem; /* or group name "grpN" */
    const char *spec; /* operand spec, Intel SDM appendix A letters */
    x86_handler *fn;
    uint8_t cycles; /* Pentium II issue cost (hwdocs/x86.md) */
    uint8_t group;  /* 0, or index into the group name tables */
} x86_opdef;

extern const x86_opdef vt_x86_ops[512];
extern const char *const vt_x86_group_names[][8];

struct x86_cpu {
    vt_cpu cpu;
    uint32_t r[8];
    uint32_t eip;
    uint32_t eflags; /* non-arithmetic bits always; arithmetic ones when CC_EAGER */
    uint32_t cc_res, cc_a, cc_b;
    uint8_t cc_op, cc_size;
    x86_seg seg[6];
    /* bit s set unless data segment s is flat (x86_seg_flat_update); bit X86_NOT_FLAT_STACK
     * unless SS is flat with a 32-bit stack; CS's bit is always set. The JIT's blocks assume
     * the flat segments of their translation and compare this byte at entry. */
    uint8_t seg_not_flat;
    x86_dtr gdtr, idtr;
    x86_seg ldtr, tr;
    uint32_t cr0, cr2, cr3, cr4;
    uint32_t dr[8];
    int cpl;
    x87_state fpu;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    /* machine-check architecture (P6: 5 banks); no error is ever logged, so the banks' STATUS
     * and ADDR registers stay 0 and only the control registers hold state */
    uint64_t mcg_ctl, mcg_status, mc_ctl[X86_MC_BANKS];
    /* performance counters (x86_pmu.c): selections, values at the last change, and the event
     * totals they were counting from then on */
    struct {
        uint64_t evtsel[2], ctr[2], at[2];
    } pmu;
    uint64_t halted_cycles; /* cycles spent in HLT, which CPU_CLK_UNHALTED leaves out */
    bool irq_line, nmi_line, nmi_pending;
    bool a20_masked;  /* A20M#: physical address bit 20 forced to 0 (line 2 low) */
    bool nmi_blocked; /* an NMI handler runs: further NMIs wait for its IRET (SDM §6.7.1) */
    bool intr_shadow; /* one-instruction interrupt inhibit after STI / MOV SS */

    vt_tlb tlb;
    struct x86_jit *jit; /* the block JIT (jit/x86_jit.h), NULL while off */
    /* user mode */
    bool user;
    vt_x86_page_fn page_fn;
    void *page_opaque;
    vt_x86_desc_fn desc_fn;
    vt_x86_trap trap;
    vt_x86_trap_fn trap_fn;
    void *trap_opaque;
    vt_x86_intack_fn intack; /* interrupt controller acknowledge (INTA): returns the vector */
    void *intack_opaque;

    uint32_t insn_eip;   /* first byte of the executing instruction */
    jmp_buf abort;       /* exceptions unwind to the run loop */
    const uint8_t *code; /* host pointer to the current instruction, or NULL */
    const x86_insn *cur; /* the instruction being decoded/executed */
    x86_opinfo opinfo[512];
    x86_icache_ent icache[X86_ICACHE_SIZE];
    uint8_t insn_bytes[16]; /* bytes fetched by the decoder so far */
    uint8_t insn_len;
};

static inline x86_cpu *X86(vt_cpu *c) {
    return (x86_cpu *)c;
}

/* --- exceptions (x86_except.c) --- */
_Noreturn void x86_raise(x86_cpu *c, int vector, uint32_t error_code);
_Noreturn void x86_raise_ud(x86_cpu *c);       /* logs the unimplemented line */
_Noreturn void x86_raise_ud_quiet(x86_cpu *c); /* architecturally invalid encodings */
void x86_deliver(x86_cpu *c, int vector, bool sw, bool has_err, uint32_t err, uint32_t next_eip);
void x86_soft_int(x86_cpu *c, int vector, uint32_t next_eip);

/* --- memory (x86_mem.c): seg:offset accesses with segmentation and paging --- */
uint32_t x86_read_slow(x86_cpu *c, int seg, uint32_t off, unsigned size);
void x86_write_slow(x86_cpu *c, int seg, uint32_t off, unsigned size, uint32_t v);
uint64_t x86_read64(x86_cpu *c, int seg, uint32_t off);
void x86_write64(x86_cpu *c, int seg, uint32_t off, uint64_t v);
/* Checks a write is possible (for read-modify-write and multi-part stores before any commits). */
void x86_probe_write(x86_cpu *c, int seg, uint32_t off, unsigned size);
uint8_t x86_fetch8(x86_cpu *c, uint32_t off);
uint32_t x86_read_lin(x86_cpu *c, uint32_t la, unsigned size, bool sys);
void x86_write_lin(x86_cpu *c, uint32_t la, unsigned size, uint32_t v, bool sys);
void x86_load_seg(x86_cpu *c, int sreg, uint16_t sel);
void x86_set_seg_real(x86_cpu *c, int sreg, uint16_t sel);
bool x86_read_desc(x86_cpu *c, uint16_t sel, uint32_t *lo, uint32_t *hi);
void x86_seg_from_desc(x86_seg *s, uint16_t sel, uint32_t lo, uint32_t hi);
/* Recomputes seg_not_flat after any segment-register cache changed. A flat segment is a
 * present, writable, expand-up data segment with base 0 and a 4 GiB limit: no access through
 * it can fail a segment check and its linear address is the offset. */
#define X86_NOT_FLAT_STACK 0x40
void x86_seg_flat_update(x86_cpu *c);
static inline bool x86_pmode(const x86_cpu *c) {
    return c->cr0 & 1;
}
static inline bool x86_vm86(const x86_cpu *c) {
    return (c->eflags & F_VM) != 0;
}
static inline bool x86_code32(const x86_cpu *c) {
    return (c->seg[SEG_CS].attr & SEG_ATTR_DB) != 0;
}
static inline bool x86_stack32(const x86_cpu *c) {
    return (c->seg[SEG_SS].attr & SEG_ATTR_DB) != 0;
}

/* Fast path for the common case: a 4 GiB expand-up segment that allows the access (whatever
 * the mode, such a segment cannot fault on an in-range offset) and a TLB hit in one page. */
static inline uint8_t *x86_fast_ptr(x86_cpu *c, int seg, uint32_t off, unsigned size, bool write) {
    const x86_seg *s = &c->seg[seg];
    /* present writable expand-up data; or present and of a readable type other than
     * expand-down data (types 0-3, 10, 11, 14, 15: bit mask 0xCC0F) */
    bool ok = write ? (s->attr & 0x8E) == 0x82
                    : (s->attr & SEG_ATTR_P) && ((0xCC0Fu >> (s->attr & 0xF)) & 1);
    if (!ok || s->limit != 0xFFFFFFFFu || off > 0xFFFFFFFFu - (size - 1)) return NULL;
    uint32_t la = s->base + off;
    if ((la & 0xFFF) > 0x1000 - size) return NULL;
    return vt_tlb_lookup(&c->tlb, la, write ? VT_ACCESS_WRITE : VT_ACCESS_READ);
}

static inline uint32_t x86_read(x86_cpu *c, int seg, uint32_t off, unsigned size) {
    const uint8_t *p = x86_fast_ptr(c, seg, off, size, false);
    if (p) return size == 1 ? *p : size == 2 ? load_le16(p) : load_le32(p);
    return x86_read_slow(c, seg, off, size);
}

static inline void x86_write(x86_cpu *c, int seg, uint32_t off, unsigned size, uint32_t v) {
    uint8_t *p = x86_fast_ptr(c, seg, off, size, true);
    if (!p) {
        x86_write_slow(c, seg, off, size, v);
    } else if (size == 1) {
        *p = (uint8_t)v;
    } else if (size == 2) {
        store_le16(p, (uint16_t)v);
    } else {
        store_le32(p, v);
    }
}

/* --- flags (x86_flags.c) --- */
uint32_t x86_get_flags(x86_cpu *c); /* full EFLAGS */
void x86_set_flags(x86_cpu *c, uint32_t v, uint32_t mask);
bool x86_cond(x86_cpu *c, unsigned cc);
bool x86_get_cf(x86_cpu *c);
static inline void x86_lazy(x86_cpu *c, uint8_t op, unsigned size, uint32_t res, uint32_t a,
                            uint32_t b) {
    c->cc_op = op;
    c->cc_size = (uint8_t)size;
    c->cc_res = res;
    c->cc_a = a;
    c->cc_b = b;
}
/* Sets the arithmetic flags eagerly (bits outside F_ARITH of `f` are ignored). */
void x86_set_arith(x86_cpu *c, uint32_t f);
uint32_t x86_parity(uint32_t v); /* F_PF if the low byte has even parity */
uint32_t x86_szp(uint32_t v, unsigned size);

/* --- operands (x86_decode.c) --- */
int x86_decode(x86_cpu *c, x86_insn *i);
/* Effective address from the decoded components and the current registers. */
static inline void x86_calc_ea(x86_cpu *c, x86_insn *i) {
    uint32_t ea = i->disp;
    if (i->base != 0xFF) ea += c->r[i->base];
    if (i->index != 0xFF) ea += c->r[i->index] << i->scale;
    i->ea = i->asize == 2 ? ea & 0xFFFF : ea;
}
void x86_decode_init(x86_cpu *c);
/* Register and r/m operand accessors (AL..BH numbering for byte registers). */
static inline uint32_t x86_get_reg(x86_cpu *c, unsigned n, unsigned size) {
    if (size == 1) return n < 4 ? c->r[n] & 0xFF : (c->r[n - 4] >> 8) & 0xFF;
    if (size == 2) return c->r[n] & 0xFFFF;
    return c->r[n];
}

static inline void x86_set_reg(x86_cpu *c, unsigned n, unsigned size, uint32_t v) {
    if (size == 1) {
        if (n < 4)
            c->r[n] = (c->r[n] & ~0xFFu) | (v & 0xFF);
        else
            c->r[n - 4] = (c->r[n - 4] & ~0xFF00u) | (v & 0xFF) << 8;
    } else if (size == 2) {
        c->r[n] = (c->r[n] & 0xFFFF0000u) | (v & 0xFFFF);
    } else {
        c->r[n] = v;
    }
}

static inline uint32_t x86_rm_read(x86_cpu *c, x86_insn *i, unsigned size) {
    if (!i->mem) return x86_get_reg(c, i->rm, size);
    return x86_read(c, i->seg, i->ea, size);
}

static inline void x86_rm_write(x86_cpu *c, x86_insn *i, unsigned size, uint32_t v) {
    if (!i->mem)
        x86_set_reg(c, i->rm, size, v);
    else
        x86_write(c, i->seg, i->ea, size, v);
}

static inline uint32_t x86_mask(unsigned size) {
    return size == 4 ? 0xFFFFFFFFu : (1u << (size * 8)) - 1;
}
static inline uint32_t x86_sign(unsigned size) {
    return 1u << (size * 8 - 1);
}
static inline uint32_t x86_sext(uint32_t v, unsigned size) {
    return size == 1 ? (uint32_t)(int32_t)(int8_t)v : size == 2 ? (uint32_t)(int32_t)(int16_t)v : v;
}
/* Adds to a register of address size asize (SI/DI/CX when 16-bit). */
static inline void x86_addr_add(x86_cpu *c, unsigned n, unsigned asize, int32_t d) {
    if (asize == 4)
        c->r[n] += (uint32_t)d;
    else
        c->r[n] = (c->r[n] & 0xFFFF0000u) | ((c->r[n] + (uint32_t)d) & 0xFFFF);
}
static inline uint32_t x86_addr_reg(x86_cpu *c, unsigned n, unsigned asize) {
    return asize == 4 ? c->r[n] : c->r[n] & 0xFFFF;
}
static inline uint32_t x86_sp_mask(x86_cpu *c) {
    return x86_stack32(c) ? 0xFFFFFFFFu : 0xFFFF;
}

/* --- stack (inline: PUSH/POP/CALL/RET are ~30% of the awk benchmark's instructions) --- */
static inline void x86_push(x86_cpu *c, unsigned size, uint32_t v) {
    uint32_t m = x86_sp_mask(c);
    uint32_t sp = (c->r[X86_ESP] - size) & m;
    x86_write(c, SEG_SS, sp, size, v);
    c->r[X86_ESP] = (c->r[X86_ESP] & ~m) | sp;
}

static inline uint32_t x86_pop(x86_cpu *c, unsigned size) {
    uint32_t m = x86_sp_mask(c);
    uint32_t v = x86_read(c, SEG_SS, c->r[X86_ESP] & m, size);
    c->r[X86_ESP] = (c->r[X86_ESP] & ~m) | ((c->r[X86_ESP] + size) & m);
    return v;
}

/* --- executor entry points shared through the op table --- */
/* Size-specialised handlers for the hottest forms of a decoded instruction, or NULL. They
 * only replace the table handler; the cycle cost stays the table's. */
x86_handler *x86_alu_fast(const x86_insn *i);
x86_handler *x86_data_fast(const x86_insn *i);
void x86_jump_near(x86_cpu *c, uint32_t target, unsigned osize);
void x86_far_jump(x86_cpu *c, uint16_t sel, uint32_t off, unsigned osize, bool call,
                  uint32_t next_eip);
void x86_far_return(x86_cpu *c, unsigned osize, uint16_t extra);
void x86_iret(x86_cpu *c, unsigned osize);

/* --- x87 / MMX (x86_fpu.c, x86_mmx.c) --- */
void x86_fpu_reset(x86_cpu *c);
void x86_fpu_exec(x86_cpu *c, x86_insn *i);
void x86_fpu_fsave(x86_cpu *c, uint8_t *p, bool is32);
void x86_fpu_frstor(x86_cpu *c, const uint8_t *p, bool is32);
void x86_mmx_enter(x86_cpu *c);
uint64_t x86_mmx_get(x86_cpu *c, unsigned n);
void x86_mmx_set(x86_cpu *c, unsigned n, uint64_t v);

/* One instruction as run() executes it (decode cache, handler, counts); exceptions longjmp to
 * c->abort. For the JIT's lockstep check (x86_model.c). */
void x86_interp_step(x86_cpu *c);

/* --- control/system helpers (x86_system.c) --- */
void x86_set_cr0(x86_cpu *c, uint32_t v);
void x86_cpuid(x86_cpu *c);

/* P6 performance counters (x86_pmu.c) */
#define X86_MSR_PERFCTR0 0xC1
#define X86_MSR_PERFEVTSEL0 0x186
#define X86_CR4_PCE 0x100u
/* RDMSR/WRMSR of PerfEvtSel0/1 or PerfCtr0/1; false for any other MSR number. */
bool x86_pmu_msr(x86_cpu *c, uint32_t n, bool write, uint64_t *v);
uint64_t x86_pmu_counter(const x86_cpu *c, unsigned k); /* counter k's 40-bit value */
void x86_pmu_restart(x86_cpu *c); /* after a reset or a state load: count on from now */
int x86_disasm_insn(x86_cpu *c, const x86_insn *i, uint32_t next_eip, char *buf, size_t len);
uint32_t x86_io_in(x86_cpu *c, uint16_t port, unsigned size);
void x86_io_out(x86_cpu *c, uint16_t port, uint32_t v, unsigned size);

#endif
