/* ARM MMU in system mode: FCSE, the ASID-tagged architectural TLB, the table walk for
 * ARMv4/v5 (sections; coarse and fine second-level tables; large, small and 1 KiB tiny pages
 * with four subpage permissions) and VMSAv6 (TTBR0/TTBR1/TTBCR, supersections, XN, nG,
 * APX; subpages off with SCTLR.XP), domains, access permissions with SCTLR.S/R, fault
 * status codes, and the memory hooks that put the shared software TLB in front of it all.
 * Sources: ARM ARM DDI 0100I B3.6 (FCSE B8), B4.3-B4.7; ARM1136JF-S TRM DDI 0211K ch. 6. */
#include "core/cpu/arm/arm_mmu.h"

#include "core/bus.h"
#include "core/log.h"

enum { RW = VT_PERM_R | VT_PERM_W };

static bool is_v6(const vt_arm_cpu *c) {
    return (c->features & VT_ARM_F_V6) != 0;
}

/* Subpages off: VMSAv6 tables (ARMv6 with SCTLR.XP). */
static bool xp_tables(const vt_arm_cpu *c) {
    return is_v6(c) && (c->cp15.sctlr & VT_SCTLR_XP);
}

static uint8_t current_asid(const vt_arm_cpu *c) {
    return (uint8_t)c->cp15.context_id;
}

/* Fast Context Switch Extension: VAs below 32 MiB are relocated by the PID (B8.2). */
static uint32_t fcse(const vt_arm_cpu *c, uint32_t va) {
    return va < (1u << 25) ? va | c->cp15.fcse_pid : va;
}

void vt_arm_fast_tlb_flush(vt_arm_cpu *c) {
    vt_tlb_flush(&c->tlb);
    c->cp15.fast_tlb_priv = false;
    vt_arm_forget_code_page(c);
}

void vt_arm_tlb_invalidate_all(vt_arm_cpu *c) {
    for (unsigned i = 0; i < VT_ARM_TLB_ENTRIES; i++)
        c->cp15.tlb[i].valid = false;
    vt_arm_fast_tlb_flush(c);
}

static bool entry_covers(const vt_arm_tlb_entry *e, uint32_t mva) {
    return e->valid && ((mva ^ e->va) >> e->size_log2) == 0;
}

void vt_arm_tlb_invalidate_mva(vt_arm_cpu *c, uint32_t mva, bool match_asid, uint8_t asid) {
    for (unsigned i = 0; i < VT_ARM_TLB_ENTRIES; i++) {
        vt_arm_tlb_entry *e = &c->cp15.tlb[i];
        /* v6: entries of that ASID, and global entries, for the MVA (ARM1136 TRM 3.3.17) */
        if (entry_covers(e, mva) && (!match_asid || !e->ng || e->asid == asid)) e->valid = false;
    }
    /* the software TLB is keyed by the unmodified VA: with a non-zero FCSE PID any of
     * them may alias this MVA */
    if (c->cp15.fcse_pid)
        vt_arm_fast_tlb_flush(c);
    else
        vt_tlb_flush_page(&c->tlb, mva);
    vt_arm_forget_code_page(c);
}

void vt_arm_tlb_invalidate_asid(vt_arm_cpu *c, uint8_t asid) {
    for (unsigned i = 0; i < VT_ARM_TLB_ENTRIES; i++) {
        vt_arm_tlb_entry *e = &c->cp15.tlb[i];
        if (e->valid && e->ng && e->asid == asid) e->valid = false;
    }
    vt_arm_fast_tlb_flush(c);
}

static vt_arm_tlb_entry *tlb_find(vt_arm_cpu *c, uint32_t mva) {
    uint8_t asid = current_asid(c);
    for (unsigned i = 0; i < VT_ARM_TLB_ENTRIES; i++) {
        vt_arm_tlb_entry *e = &c->cp15.tlb[i];
        if (entry_covers(e, mva) && (!e->ng || e->asid == asid)) return e;
    }
    return NULL;
}

/* Reads a descriptor; false on an external abort. */
static bool read_desc(vt_arm_cpu *c, uint64_t pa, uint32_t *d) {
    uint64_t v;
    if (vt_bus_read(c->base.bus, pa, 4, &v) != VT_BUS_OK) return false;
    *d = (uint32_t)v;
    return true;
}

static uint32_t fault(unsigned status, unsigned domain) {
    return status | domain << 4;
}

/* First-level table address for mva (v6: TTBCR.N splits between TTBR0 and TTBR1, B4.7.3). */
static uint64_t l1_address(const vt_arm_cpu *c, uint32_t mva) {
    unsigned n = is_v6(c) ? c->cp15.ttbcr & 7 : 0;
    uint32_t base;
    if (n && mva >> (32 - n))
        base = c->cp15.ttbr1 & 0xffffc000u;
    else
        base = c->cp15.ttbr0 & ~((0x4000u >> n) - 1);
    return base | (mva >> 20) << 2;
}

/* Fills *e from the second-level descriptor d of a coarse (fine=false) or fine table. */
static uint32_t walk_l2(vt_arm_cpu *c, uint32_t d, bool fine, unsigned domain,
                        vt_arm_tlb_entry *e) {
    unsigned type = d & 3;
    e->page = true;
    if (type == 0) return fault(VT_FSR_TRANS_PAGE, domain);
    if (xp_tables(c)) {
        e->ap4 = (uint8_t)(((d >> 4) & 3) * 0x55);
        e->apx = (d >> 9) & 1;
        e->ng = (d >> 11) & 1;
        if (type == 1) {
            e->size_log2 = 16;
            e->pa = d & 0xffff0000u;
            e->xn = (d >> 15) & 1;
        } else {
            e->size_log2 = 12;
            e->pa = d & 0xfffff000u;
            e->xn = d & 1;
        }
        return 0;
    }
    switch (type) {
    case 1: /* large page, four 16 KiB subpages */
        e->size_log2 = 16;
        e->pa = d & 0xffff0000u;
        e->ap4 = (uint8_t)(d >> 4);
        return 0;
    case 2: /* small page, four 1 KiB subpages */
        e->size_log2 = 12;
        e->pa = d & 0xfffff000u;
        e->ap4 = (uint8_t)(d >> 4);
        return 0;
    default:
        if (fine) { /* tiny page (fine tables only, B4.7.5) */
            e->size_log2 = 10;
            e->pa = d & 0xfffffc00u;
        } else if (is_v6(c)) { /* extended small page, one AP (ARMv6 B4.7.x) */
            e->size_log2 = 12;
            e->pa = d & 0xfffff000u;
        } else {
            return fault(VT_FSR_TRANS_PAGE, domain);
        }
        e->ap4 = (uint8_t)(((d >> 4) & 3) * 0x55);
        return 0;
    }
}

/* Walks the tables for mva into *e; returns 0 or the fault status. */
static uint32_t walk(vt_arm_cpu *c, uint32_t mva, vt_arm_tlb_entry *e) {
    uint32_t d;
    *e = (vt_arm_tlb_entry){.asid = current_asid(c)};
    if (!read_desc(c, l1_address(c, mva), &d)) return fault(VT_FSR_EXT_L1, 0);
    unsigned domain = (d >> 5) & 15, type = d & 3;
    bool xp = xp_tables(c);
    e->domain = (uint8_t)domain;
    if (type == 0 || (type == 3 && is_v6(c))) return fault(VT_FSR_TRANS_SECTION, 0);
    if (type == 2) {
        e->ap4 = (uint8_t)(((d >> 10) & 3) * 0x55);
        if (xp) {
            e->xn = (d >> 4) & 1;
            e->apx = (d >> 15) & 1;
            e->ng = (d >> 17) & 1;
        }
        if (xp && (d >> 18) & 1) { /* supersection: 16 MiB, domain 0, PA[35:32] */
            e->size_log2 = 24;
            e->domain = 0;
            e->pa = (d & 0xff000000u) | (uint64_t)((d >> 20) & 15) << 32;
        } else {
            e->size_log2 = 20;
            e->pa = d & 0xfff00000u;
        }
        return 0;
    }
    bool fine = type == 3;
    uint64_t l2 = fine ? (d & 0xfffff000u) | ((mva >> 10) & 0x3ff) << 2
                       : (d & 0xfffffc00u) | ((mva >> 12) & 0xff) << 2;
    if (!read_desc(c, l2, &d)) return fault(VT_FSR_EXT_L2, domain);
    return walk_l2(c, d, fine, domain, e);
}

/* What a privilege level may do with access permission ap (ARM ARM B4.4.1 table B4-1;
 * ARM1136 TRM table 6-1 for APX; reserved encodings give no access). */
static unsigned ap_perms(const vt_arm_cpu *c, unsigned ap, bool apx, bool user) {
    if (apx) return ap == 1 ? (user ? 0 : VT_PERM_R) : ap == 2 ? VT_PERM_R : 0;
    switch (ap) {
    case 0: {
        uint32_t sr = c->cp15.sctlr & (VT_SCTLR_S | VT_SCTLR_R);
        if (sr == VT_SCTLR_S) return user ? 0 : VT_PERM_R;
        return sr == VT_SCTLR_R ? VT_PERM_R : 0;
    }
    case 1:
        return user ? 0 : RW;
    case 2:
        return user ? VT_PERM_R : RW;
    default:
        return RW;
    }
}

static unsigned with_exec(unsigned perms, bool xn) {
    return (perms & VT_PERM_R) && !xn ? perms | VT_PERM_X : perms;
}

static unsigned needed(vt_access a) {
    return a == VT_ACCESS_WRITE ? VT_PERM_W : a == VT_ACCESS_EXEC ? VT_PERM_X : VT_PERM_R;
}

uint32_t vt_arm_mmu_translate(vt_arm_cpu *c, uint32_t va, vt_access a, bool user, vt_arm_xlat *x) {
    if (!(c->cp15.sctlr & VT_SCTLR_M)) {
        *x = (vt_arm_xlat){va, RW | VT_PERM_X, RW | VT_PERM_X, true};
        return 0;
    }
    uint32_t mva = fcse(c, va);
    vt_arm_tlb_entry *e = tlb_find(c, mva);
    if (!e) {
        vt_arm_tlb_entry n;
        uint32_t f = walk(c, mva, &n);
        if (f) {
            vt_log(VT_LOG_MMU, "arm mmu: %08x (mva %08x) walk fault fsr %03x", va, mva, f);
            return f;
        }
        n.valid = true;
        n.va = mva & ~((1u << n.size_log2) - 1);
        e = &c->cp15.tlb[c->cp15.tlb_next];
        c->cp15.tlb_next = (c->cp15.tlb_next + 1) % VT_ARM_TLB_ENTRIES;
        *e = n;
    }
    unsigned status_base = e->page ? 2 : 0; /* page codes are section codes + 2 */
    unsigned dom = (c->cp15.dacr >> (2 * e->domain)) & 3;
    if (dom == 0 || dom == 2) return fault(VT_FSR_DOMAIN_SECTION + status_base, e->domain);
    uint32_t off = mva & ((1u << e->size_log2) - 1);
    x->pa = e->pa + off;
    if (dom == 3) { /* manager: no permission checks, XN included (ARM1136 TRM 6.5.2) */
        x->perms_priv = x->perms_user = RW | VT_PERM_X;
        x->whole_page = e->size_log2 >= 12;
        return 0;
    }
    unsigned sub_log2 = e->size_log2 - 2, ap = (e->ap4 >> (2 * (off >> sub_log2))) & 3;
    x->perms_priv = with_exec(ap_perms(c, ap, e->apx, false), e->xn);
    x->perms_user = with_exec(ap_perms(c, ap, e->apx, true), e->xn);
    /* one software-TLB page needs one permission for its whole 4 KiB */
    x->whole_page = e->size_log2 >= 12 && (sub_log2 >= 12 || e->ap4 == (e->ap4 & 3) * 0x55);
    if (!((user ? x->perms_user : x->perms_priv) & needed(a)))
        return fault(VT_FSR_PERM_SECTION + status_base, e->domain);
    return 0;
}

void vt_arm_record_fault(vt_arm_cpu *c, uint32_t va, uint32_t fsr, vt_access a) {
    vt_log(VT_LOG_MMU, "arm mmu: %s abort at %08x (pc %08x) fsr %03x",
           a == VT_ACCESS_EXEC ? "prefetch" : "data", va, c->cur_pc, fsr);
    if (a == VT_ACCESS_EXEC) {
        /* ARMv4/v5 prefetch aborts leave FSR/FAR alone; v6 has IFSR (and IFAR) */
        if (is_v6(c)) {
            c->cp15.ifsr = fsr & 0xf;
            c->cp15.ifar = va;
        }
        return;
    }
    c->cp15.dfsr = fsr | (is_v6(c) && a == VT_ACCESS_WRITE ? VT_FSR_WNR : 0);
    c->cp15.far = va;
}

void vt_arm_alignment_fault(vt_arm_cpu *c, uint32_t va, bool write) {
    vt_arm_record_fault(c, va, VT_FSR_ALIGNMENT, write ? VT_ACCESS_WRITE : VT_ACCESS_READ);
    vt_arm_raise(c, VT_ARM_EXC_DABT, va);
}

static bool user_mode(const vt_arm_cpu *c) {
    return (c->cpsr_ctl & 0x1f) == VT_ARM_MODE_USR;
}

/* Puts the page into the software TLB when it is RAM/ROM with one permission throughout. */
static void fill_fast(vt_arm_cpu *c, uint32_t va, const vt_arm_xlat *x, bool user) {
    if (!x->whole_page) return;
    uint64_t page = x->pa & ~(uint64_t)VT_TLB_PAGE_MASK;
    uint8_t *host = vt_bus_host_ptr(c->base.bus, page, VT_TLB_PAGE_MASK + 1, false);
    if (!host) return;
    unsigned perms = user ? x->perms_user : x->perms_priv;
    if (!vt_bus_host_ptr(c->base.bus, page, VT_TLB_PAGE_MASK + 1, true)) perms &= ~VT_PERM_W;
    if (!user && (perms & ~x->perms_user)) c->cp15.fast_tlb_priv = true;
    vt_tlb_fill(&c->tlb, va, host, perms);
    if (c->jit_hooks) c->jit_hooks->tlb_filled(c, va, page);
}

/* Translation for the memory hooks; records the fault when refused. */
static bool translate_for(vt_arm_cpu *c, uint32_t va, vt_access a, vt_arm_xlat *x) {
    bool user = user_mode(c);
    uint32_t f = vt_arm_mmu_translate(c, va, a, user, x);
    if (f) {
        vt_arm_record_fault(c, va, f, a);
        return false;
    }
    fill_fast(c, va, x, user);
    return true;
}

uint32_t vt_arm_user_access(vt_arm_cpu *c, uint32_t va, unsigned size, bool write, uint32_t v) {
    vt_access a = write ? VT_ACCESS_WRITE : VT_ACCESS_READ;
    vt_arm_xlat x;
    uint32_t f = vt_arm_mmu_translate(c, va, a, true, &x);
    if (!f && size) {
        uint64_t val = v;
        vt_bus_status st = write ? vt_bus_write(c->base.bus, x.pa, size, v)
                                 : vt_bus_read(c->base.bus, x.pa, size, &val);
        if (st != VT_BUS_UNMAPPED) return (uint32_t)val;
        f = c->cp15.sctlr & VT_SCTLR_M ? VT_FSR_EXT_PAGE : VT_FSR_EXT_SECTION;
    } else if (!f) {
        return 0;
    }
    vt_arm_record_fault(c, va, f, a);
    vt_arm_raise(c, VT_ARM_EXC_DABT, va);
}

static int sys_read(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, vt_access a,
                    uint32_t *val) {
    VT_UNUSED(ctx);
    vt_arm_xlat x;
    if (!translate_for(c, va, a, &x)) return -1;
    if (a == VT_ACCESS_WRITE) return 0; /* a probe before a page-crossing store */
    uint64_t v;
    if (vt_bus_read(c->base.bus, x.pa, size, &v) == VT_BUS_UNMAPPED) {
        vt_arm_record_fault(c, va,
                            c->cp15.sctlr & VT_SCTLR_M ? VT_FSR_EXT_PAGE : VT_FSR_EXT_SECTION, a);
        return -1;
    }
    *val = (uint32_t)v;
    return 0;
}

static int sys_write(void *ctx, vt_arm_cpu *c, uint32_t va, unsigned size, uint32_t val) {
    VT_UNUSED(ctx);
    vt_arm_xlat x;
    if (!translate_for(c, va, VT_ACCESS_WRITE, &x)) return -1;
    /* a write to ROM is ignored (and logged by the bus), as the hardware ignores it */
    if (vt_bus_write(c->base.bus, x.pa, size, val) == VT_BUS_UNMAPPED) {
        vt_arm_record_fault(c, va,
                            c->cp15.sctlr & VT_SCTLR_M ? VT_FSR_EXT_PAGE : VT_FSR_EXT_SECTION,
                            VT_ACCESS_WRITE);
        return -1;
    }
    return 0;
}

void vt_arm_sysmode_init(vt_arm_cpu *c) {
    c->sysmode = true;
    c->hooks = (vt_arm_hooks){
        .read = sys_read,
        .write = sys_write,
        .cp_read = vt_arm_cp15_read,
        .cp_write = vt_arm_cp15_write,
    };
}
