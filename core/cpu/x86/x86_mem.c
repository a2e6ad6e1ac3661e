/* x86 memory path: segmentation (limit/type checks, descriptor loads in real, protected and
 * virtual-8086 mode), two-level paging with 4 MiB pages (CR4.PSE), the shared software TLB in
 * front of both, and the user-mode flat map. Faults unwind through x86_raise.
 * Facts: Intel SDM vol. 3 ch. 3 (segmentation), ch. 4 (paging), ch. 5 (protection). */
#include "core/bus.h"
#include "core/cpu/x86/x86_cpu.h"
#include "jit/x86_jit.h"

#define PAGE 4096u

/* ---- linear -> host translation ---- */

/* Result of translating one page: a host pointer (RAM) or a physical address (MMIO). */
typedef struct xlat {
    uint8_t *host; /* page base, or NULL for MMIO/unmapped */
    vt_paddr pa;   /* physical address of la */
} xlat;

static _Noreturn void page_fault(x86_cpu *c, uint32_t la, uint32_t err) {
    c->cr2 = la;
    c->trap.fault_addr = la;
    x86_raise(c, EXC_PF, err);
}

/* The A20M# input masks address bit 20 of every physical access (Pentium II datasheet, A20M#
 * signal description: the 8086 1 MiB wrap-around). */
static inline vt_paddr a20(const x86_cpu *c, vt_paddr pa) {
    return c->a20_masked ? pa & ~(vt_paddr)0x100000 : pa;
}

static uint32_t phys_read32(x86_cpu *c, vt_paddr pa) {
    uint64_t v = 0;
    pa = a20(c, pa);
    if (!c->cpu.bus || vt_bus_read(c->cpu.bus, pa, 4, &v) != VT_BUS_OK) return 0;
    return (uint32_t)v;
}

static void phys_write32(x86_cpu *c, vt_paddr pa, uint32_t v) {
    if (c->cpu.bus) (void)vt_bus_write(c->cpu.bus, a20(c, pa), 4, v);
    x86_jit_device_access(c); /* a RAM write past the code-page marks */
}

/* Page walk (SDM vol. 3 §4.3): returns the physical address and allowed VT_PERM_* bits. */
static vt_paddr walk(x86_cpu *c, uint32_t la, vt_access a, bool user, unsigned *perms) {
    bool write = a == VT_ACCESS_WRITE;
    uint32_t err = (write ? 2u : 0) | (user ? 4u : 0);
    vt_paddr pde_a = (c->cr3 & ~0xFFFu) + ((la >> 22) << 2);
    uint32_t pde = phys_read32(c, pde_a);
    if (!(pde & 1)) page_fault(c, la, err);
    uint32_t eff = pde, pte;
    vt_paddr pa, pte_a = 0;
    bool big = (pde & 0x80) && (c->cr4 & 0x10);
    if (big) {
        pte = pde;
        pa = (pde & 0xFFC00000u) | (la & 0x3FFFFFu);
    } else {
        pte_a = (pde & ~0xFFFu) + (((la >> 12) & 0x3FF) << 2);
        pte = phys_read32(c, pte_a);
        if (!(pte & 1)) page_fault(c, la, err);
        eff &= pte;
        pa = (pte & ~0xFFFu) | (la & 0xFFF);
    }
    bool uok = (eff & 4) != 0, wok = (eff & 2) != 0;
    if (user && !uok) page_fault(c, la, err | 1);
    if (write && !wok && (user || (c->cr0 & 0x10000))) page_fault(c, la, err | 1);
    /* accessed / dirty bits */
    if (!big && !(pde & 0x20)) phys_write32(c, pde_a, pde | 0x20);
    uint32_t npte = pte | 0x20 | (write ? 0x40 : 0);
    if (npte != pte) phys_write32(c, big ? pde_a : pte_a, npte);
    *perms = VT_PERM_R | VT_PERM_X;
    /* Only cache write permission once the dirty bit is set, so the first write walks. */
    if ((wok || (!user && !(c->cr0 & 0x10000))) && (npte & 0x40)) *perms |= VT_PERM_W;
    return pa;
}

static xlat translate(x86_cpu *c, uint32_t la, vt_access a, bool sys) {
    xlat x = {0};
    uint32_t page = la & ~(PAGE - 1);
    unsigned perms = 0;
    if (c->user) {
        uint8_t *h = c->page_fn(c->page_opaque, page, &perms);
        unsigned need = a == VT_ACCESS_WRITE  ? VT_PERM_W
                        : a == VT_ACCESS_EXEC ? VT_PERM_X
                                              : VT_PERM_R;
        if (!h || !(perms & need))
            page_fault(c, la, (h ? 1u : 0) | (a == VT_ACCESS_WRITE ? 2u : 0) | 4u);
        if (c->jit) perms = x86_jit_page_perms(c->jit, page, a, perms);
        vt_tlb_fill(&c->tlb, la, h, perms);
        x.host = h;
        x.pa = la;
        return x;
    }
    bool user = c->cpl == 3 && !sys;
    vt_paddr pa;
    if (c->cr0 & 0x80000000u) {
        pa = walk(c, la, a, user, &perms);
    } else {
        pa = la;
        perms = VT_PERM_R | VT_PERM_W | VT_PERM_X;
    }
    pa = a20(c, pa);
    x.pa = pa;
    vt_paddr ppage = pa & ~(vt_paddr)(PAGE - 1);
    if (c->cpu.bus) {
        uint8_t *h = vt_bus_host_ptr(c->cpu.bus, ppage, PAGE, false);
        if (h) {
            if (!vt_bus_host_ptr(c->cpu.bus, ppage, PAGE, true)) perms &= ~(unsigned)VT_PERM_W;
            if (c->jit) perms = x86_jit_page_perms(c->jit, (uint32_t)ppage, a, perms);
            /* system (descriptor) accesses at CPL 3 must not seed user-visible entries */
            if (!sys || c->cpl != 3) {
                vt_tlb_fill(&c->tlb, la, h, perms);
                if (c->jit)
                    c->jit->tlb_ppn[(la >> 12) & (VT_TLB_SIZE - 1)] = (uint32_t)(ppage >> 12);
            }
            x.host = h;
        }
    }
    return x;
}

static uint32_t read_slow_byte(x86_cpu *c, uint32_t la, bool sys, vt_access a) {
    xlat x = translate(c, la, a, sys);
    if (x.host) return x.host[la & (PAGE - 1)];
    uint64_t v = 0xFF;
    if (c->cpu.bus && vt_bus_read(c->cpu.bus, x.pa, 1, &v) != VT_BUS_OK) v = 0xFF;
    x86_jit_device_access(c);
    return (uint32_t)v & 0xFF;
}

uint32_t x86_read_lin(x86_cpu *c, uint32_t la, unsigned size, bool sys) {
    if ((la & (PAGE - 1)) <= PAGE - size && !sys) {
        uint8_t *p = vt_tlb_lookup(&c->tlb, la, VT_ACCESS_READ);
        if (p) return size == 1 ? *p : size == 2 ? load_le16(p) : load_le32(p);
    }
    if ((la & (PAGE - 1)) <= PAGE - size) {
        xlat x = translate(c, la, VT_ACCESS_READ, sys);
        if (x.host) {
            uint8_t *p = x.host + (la & (PAGE - 1));
            return size == 1 ? *p : size == 2 ? load_le16(p) : load_le32(p);
        }
        uint64_t v = ~0ull;
        if (c->cpu.bus && vt_bus_read(c->cpu.bus, x.pa, size, &v) != VT_BUS_OK) v = ~0ull;
        x86_jit_device_access(c);
        return (uint32_t)v & x86_mask(size);
    }
    uint32_t v = 0;
    for (unsigned k = 0; k < size; k++)
        v |= read_slow_byte(c, la + k, sys, VT_ACCESS_READ) << (8 * k);
    return v;
}

void x86_write_lin(x86_cpu *c, uint32_t la, unsigned size, uint32_t v, bool sys) {
    if ((la & (PAGE - 1)) <= PAGE - size) {
        uint8_t *p = sys ? NULL : vt_tlb_lookup(&c->tlb, la, VT_ACCESS_WRITE);
        if (!p) {
            xlat x = translate(c, la, VT_ACCESS_WRITE, sys);
            if (!x.host) {
                if (c->cpu.bus) (void)vt_bus_write(c->cpu.bus, x.pa, size, v);
                x86_jit_device_access(c);
                return;
            }
            p = x.host + (la & (PAGE - 1));
        }
        if (c->jit && c->jit->lockstep) x86_lockstep_note_store(c, la, size, v, p, NULL);
        if (size == 1)
            *p = (uint8_t)v;
        else if (size == 2)
            store_le16(p, (uint16_t)v);
        else
            store_le32(p, v);
        return;
    }
    /* Crossing a page: translate both halves before storing anything (a fault on the second
     * reports its first byte, as the CPU's CR2 does) */
    xlat x0 = translate(c, la, VT_ACCESS_WRITE, sys);
    xlat x1 = translate(c, (la + size - 1) & ~(PAGE - 1), VT_ACCESS_WRITE, sys);
    if (c->jit && c->jit->lockstep && x0.host && x1.host)
        x86_lockstep_note_store(c, la, size, v, x0.host + (la & (PAGE - 1)), x1.host);
    for (unsigned k = 0; k < size; k++) {
        uint32_t a = la + k;
        xlat *x = ((a ^ la) & ~(PAGE - 1)) ? &x1 : &x0;
        uint8_t byte = (uint8_t)(v >> (8 * k));
        if (x->host)
            x->host[a & (PAGE - 1)] = byte;
        else if (c->cpu.bus)
            (void)vt_bus_write(c->cpu.bus, (x->pa & ~(vt_paddr)(PAGE - 1)) | (a & (PAGE - 1)), 1,
                               byte);
    }
    if (!x0.host || !x1.host) x86_jit_device_access(c);
}

/* ---- segmentation ---- */

static _Noreturn void seg_fault(x86_cpu *c, int seg) {
    x86_raise(c, seg == SEG_SS ? EXC_SS : EXC_GP, 0);
}

/* Offset checks against the cached descriptor; returns the linear address. */
static inline uint32_t seg_lin(x86_cpu *c, int seg, uint32_t off, unsigned size, bool write) {
    const x86_seg *s = &c->seg[seg];
    if (!x86_pmode(c) || x86_vm86(c)) {
        if (off > s->limit || size - 1 > s->limit - off) seg_fault(c, seg);
        return s->base + off;
    }
    if (!(s->attr & SEG_ATTR_P)) seg_fault(c, seg);
    unsigned type = s->attr & 0xF;
    if (write && ((type & 8) || !(type & 2))) seg_fault(c, seg); /* code or read-only data */
    if (!write && (type & 0xA) == 0x8) seg_fault(c, seg);        /* execute-only code */
    if ((type & 0xC) == 0x4) {                                   /* expand-down data */
        uint32_t upper = (s->attr & SEG_ATTR_DB) ? 0xFFFFFFFFu : 0xFFFF;
        if (off <= s->limit || off > upper || size - 1 > upper - off) seg_fault(c, seg);
    } else if (off > s->limit || size - 1 > s->limit - off) {
        seg_fault(c, seg);
    }
    return s->base + off;
}

uint32_t x86_read_slow(x86_cpu *c, int seg, uint32_t off, unsigned size) {
    return x86_read_lin(c, seg_lin(c, seg, off, size, false), size, false);
}

void x86_write_slow(x86_cpu *c, int seg, uint32_t off, unsigned size, uint32_t v) {
    x86_write_lin(c, seg_lin(c, seg, off, size, true), size, v, false);
}

void x86_probe_write(x86_cpu *c, int seg, uint32_t off, unsigned size) {
    uint32_t la = seg_lin(c, seg, off, size, true);
    if (!vt_tlb_lookup(&c->tlb, la, VT_ACCESS_WRITE))
        (void)translate(c, la, VT_ACCESS_WRITE, false);
    if (((la + size - 1) ^ la) & ~(PAGE - 1))
        (void)translate(c, (la + size - 1) & ~(PAGE - 1), VT_ACCESS_WRITE, false);
}

uint64_t x86_read64(x86_cpu *c, int seg, uint32_t off) {
    uint32_t lo = x86_read(c, seg, off, 4);
    return lo | (uint64_t)x86_read(c, seg, off + 4, 4) << 32;
}

void x86_write64(x86_cpu *c, int seg, uint32_t off, uint64_t v) {
    x86_probe_write(c, seg, off, 4);
    x86_probe_write(c, seg, off + 4, 4);
    x86_write(c, seg, off, 4, (uint32_t)v);
    x86_write(c, seg, off + 4, 4, (uint32_t)(v >> 32));
}

uint8_t x86_fetch8(x86_cpu *c, uint32_t off) {
    const x86_seg *s = &c->seg[SEG_CS];
    if (off > s->limit) x86_raise(c, EXC_GP, 0);
    uint32_t la = s->base + off;
    uint8_t *p = vt_tlb_lookup(&c->tlb, la, VT_ACCESS_EXEC);
    if (p) return *p;
    return (uint8_t)read_slow_byte(c, la, false, VT_ACCESS_EXEC);
}

/* ---- descriptors ---- */

bool x86_read_desc(x86_cpu *c, uint16_t sel, uint32_t *lo, uint32_t *hi) {
    uint32_t base, limit;
    if (sel & 4) {
        if (!(c->ldtr.attr & SEG_ATTR_P)) return false;
        base = c->ldtr.base;
        limit = c->ldtr.limit;
    } else {
        base = c->gdtr.base;
        limit = c->gdtr.limit;
    }
    uint32_t off = sel & ~7u;
    if (off + 7 > limit) return false;
    *lo = x86_read_lin(c, base + off, 4, true);
    *hi = x86_read_lin(c, base + off + 4, 4, true);
    return true;
}

void x86_seg_from_desc(x86_seg *s, uint16_t sel, uint32_t lo, uint32_t hi) {
    s->sel = sel;
    s->base = (lo >> 16) | (hi & 0xFF) << 16 | (hi & 0xFF000000u);
    uint32_t limit = (lo & 0xFFFF) | (hi & 0xF0000);
    if (hi & 0x800000) limit = limit << 12 | 0xFFF;
    s->limit = limit;
    s->attr = (uint16_t)(((hi >> 8) & 0xFF) | ((hi >> 8) & 0xF000));
}

void x86_seg_flat_update(x86_cpu *c) {
    unsigned not_flat = 1u << SEG_CS | X86_NOT_FLAT_STACK;
    for (int s = 0; s < 6; s++) {
        const x86_seg *g = &c->seg[s];
        bool flat =
            s != SEG_CS && (g->attr & 0x8E) == 0x82 && g->base == 0 && g->limit == 0xFFFFFFFFu;
        if (!flat) not_flat |= 1u << s;
        if (s == SEG_SS && flat && (g->attr & SEG_ATTR_DB)) not_flat &= ~X86_NOT_FLAT_STACK;
    }
    c->seg_not_flat = (uint8_t)not_flat;
}

void x86_set_seg_real(x86_cpu *c, int sreg, uint16_t sel) {
    x86_seg *s = &c->seg[sreg];
    s->sel = sel;
    s->base = (uint32_t)sel << 4;
    if (x86_vm86(c)) {
        s->limit = 0xFFFF;
        s->attr = SEG_ATTR_P | 0x10 | 3 << 5 | (sreg == SEG_CS ? 0xB : 0x3);
    } else if (!(s->attr & SEG_ATTR_P)) {
        s->attr = SEG_ATTR_P | 0x13;
    }
    if (sreg == SEG_CS && !x86_vm86(c)) s->attr = (uint16_t)((s->attr & ~SEG_ATTR_DB) | 0x9B);
    x86_seg_flat_update(c);
}

/* MOV/POP/LxS to a data or stack segment register (SDM vol. 3 §5.10 checks) in protected
 * mode. */
static void load_seg_pmode(x86_cpu *c, int sreg, uint16_t sel) {
    x86_seg *s = &c->seg[sreg];
    if ((sel & ~3u) == 0) {
        if (sreg == SEG_SS) x86_raise(c, EXC_GP, 0);
        s->sel = sel;
        s->attr = 0; /* unusable: any access faults */
        s->base = 0;
        s->limit = 0;
        return;
    }
    if (c->user) {
        uint32_t base, limit;
        if ((sel & 4) || (sel & 3) != 3 || !c->desc_fn ||
            !c->desc_fn(c->cpu.env, sel >> 3, &base, &limit))
            x86_raise(c, EXC_GP, sel & ~3u);
        s->sel = sel;
        s->base = base;
        s->limit = limit;
        s->attr = SEG_ATTR_P | 0x13 | 3 << 5 | SEG_ATTR_DB;
        return;
    }
    uint32_t lo, hi;
    if (!x86_read_desc(c, sel, &lo, &hi)) x86_raise(c, EXC_GP, sel & ~3u);
    unsigned type = (hi >> 8) & 0x1F, dpl = (hi >> 13) & 3, rpl = sel & 3;
    if (sreg == SEG_SS) {
        if (rpl != (unsigned)c->cpl || dpl != (unsigned)c->cpl || (type & 0x1A) != 0x12)
            x86_raise(c, EXC_GP, sel & ~3u);
        if (!(hi & 0x8000)) x86_raise(c, EXC_SS, sel & ~3u);
    } else {
        if (!(type & 0x10) || (type & 0x0A) == 0x08) x86_raise(c, EXC_GP, sel & ~3u);
        bool conforming_code = (type & 0x0C) == 0x0C;
        if (!conforming_code && (dpl < rpl || dpl < (unsigned)c->cpl))
            x86_raise(c, EXC_GP, sel & ~3u);
        if (!(hi & 0x8000)) x86_raise(c, EXC_NP, sel & ~3u);
    }
    if (!(hi & 0x100)) { /* set the accessed bit */
        hi |= 0x100;
        uint32_t base = (sel & 4) ? c->ldtr.base : c->gdtr.base;
        x86_write_lin(c, base + (sel & ~7u) + 4, 4, hi, true);
    }
    x86_seg_from_desc(s, sel, lo, hi);
}

void x86_load_seg(x86_cpu *c, int sreg, uint16_t sel) {
    if (!x86_pmode(c) || x86_vm86(c)) {
        x86_set_seg_real(c, sreg, sel);
        return;
    }
    load_seg_pmode(c, sreg, sel);
    x86_seg_flat_update(c);
}
