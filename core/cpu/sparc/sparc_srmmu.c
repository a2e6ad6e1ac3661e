/* SPARC Reference MMU of the microSPARC-II and alternate-space (ASI) memory access: the
 * context table and 3-level page-table walk, access permissions, referenced/modified bits,
 * fault status/address registers, probe/flush (ASI 3), MMU registers (ASI 4), MMU bypass
 * (ASI 0x20-0x2f), boot-mode instruction fetch from the PROM, with a software TLB in front.
 * Sources: SPARC V8 manual appendix H (SRMMU); MB86904 user's guide ch. "Memory management"
 * (control register BM bit 14, CTPR/CXR widths, ASI assignments). */
#include "core/cpu/sparc/sparc_cpu.h"

#include "core/log.h"

enum {
    FT_NONE = 0,
    FT_INVALID = 1,
    FT_PROTECTION = 2,
    FT_PRIVILEGE = 3,
    FT_TRANSLATION = 4,
    FT_BUS = 5
};
enum { ACC_R = 1, ACC_W = 2, ACC_X = 4 };

/* Access permissions by ACC field: [acc][0 user / 1 supervisor] (V8 table H-3). */
static const uint8_t acc_perm[8][2] = {
    {ACC_R, ACC_R},
    {ACC_R | ACC_W, ACC_R | ACC_W},
    {ACC_R | ACC_X, ACC_R | ACC_X},
    {ACC_R | ACC_W | ACC_X, ACC_R | ACC_W | ACC_X},
    {ACC_X, ACC_X},
    {ACC_R, ACC_R | ACC_W},
    {0, ACC_R | ACC_X},
    {0, ACC_R | ACC_W | ACC_X},
};

void vt_sparc_mmu_flush(vt_sparc_cpu *s) {
    vt_tlb_flush(&s->tlb[0]);
    vt_tlb_flush(&s->tlb[1]);
    vt_tlb_flush(&s->phys);
    s->fetch_epoch++;
}

static bool phys_read32(vt_sparc_cpu *s, uint64_t pa, uint32_t *v) {
    uint64_t x;
    if (vt_bus_read(s->cpu.bus, pa, 4, &x) != VT_BUS_OK) return false;
    *v = (uint32_t)x;
    return true;
}

/* Walks the tables for va down to `stop_level` (3 = page). Returns the fault type; on success
 * *entry is the PTE (or the PTD/PTE found at stop_level), *level its level, *entry_pa its
 * address. */
static int srmmu_walk(vt_sparc_cpu *s, uint32_t va, int stop_level, uint32_t *entry, int *level,
                      uint64_t *entry_pa) {
    uint64_t addr = ((uint64_t)(s->mmu_ctpr & ~3u) << 4) + ((uint64_t)s->mmu_ctx << 2);
    for (int lvl = 0;; lvl++) {
        uint32_t e;
        *level = lvl;
        if (!phys_read32(s, addr, &e)) return FT_BUS;
        *entry = e;
        *entry_pa = addr;
        unsigned type = e & 3;
        if (type == 0) return FT_INVALID;
        if (type == 3) return FT_TRANSLATION;
        if (type == 2 || lvl == stop_level) return FT_NONE;
        if (lvl == 3) return FT_TRANSLATION; /* PTD at the last level */
        uint64_t table = (uint64_t)(e & ~3u) << 4;
        unsigned idx = lvl == 0 ? va >> 24 : lvl == 1 ? (va >> 18) & 0x3f : (va >> 12) & 0x3f;
        addr = table + ((uint64_t)idx << 2);
    }
}

static const uint32_t level_mask[4] = {0xffffffffu, 0x00ffffffu, 0x0003ffffu, 0x00000fffu};

/* Translates va for an access of kind acc (ACC_R/W/X) at privilege `super`. Returns the fault
 * type (and level in *flevel) or 0 with *pa and the permissions the TLB may cache. */
static int translate(vt_sparc_cpu *s, uint32_t va, unsigned acc, bool super, uint64_t *pa,
                     unsigned *perms, int *flevel, bool side_effects) {
    *flevel = 0;
    if (!(s->mmu_cr & MMU_CR_E)) {
        if (acc == ACC_X && (s->mmu_cr & MMU_CR_BM)) {
            *pa = s->prom_base | (va & 0x7ffffu);
            *perms = VT_PERM_X;
            return FT_NONE;
        }
        *pa = va;
        *perms = VT_PERM_R | VT_PERM_W | VT_PERM_X;
        return FT_NONE;
    }
    uint32_t pte;
    int level;
    uint64_t pte_pa;
    int ft = srmmu_walk(s, va, 3, &pte, &level, &pte_pa);
    *flevel = level;
    if (ft) return ft;
    unsigned allowed = acc_perm[(pte >> 2) & 7][super];
    if (!(allowed & acc)) return (!super && ((pte >> 2) & 7) >= 6) ? FT_PRIVILEGE : FT_PROTECTION;
    uint32_t upd = pte | 0x20u | (acc == ACC_W ? 0x40u : 0);
    if (upd != pte && side_effects) {
        if (vt_bus_write(s->cpu.bus, pte_pa, 4, upd) != VT_BUS_OK) return FT_BUS;
        pte = upd;
    }
    uint32_t mask = level_mask[level];
    *pa = (((uint64_t)(pte >> 8) << 12) & ~(uint64_t)mask) | (va & mask);
    *perms = ((allowed & ACC_R) ? VT_PERM_R : 0) | ((allowed & ACC_X) ? VT_PERM_X : 0) |
             ((allowed & ACC_W) && (pte & 0x40u) ? VT_PERM_W : 0);
    return FT_NONE;
}

/* Records a fault in SFSR/SFAR (V8 H.4.5); returns whether the access traps. */
static bool record_fault(vt_sparc_cpu *s, uint32_t va, unsigned acc, bool super, int ft,
                         int level) {
    unsigned at = (acc == ACC_W ? 4 : 0) | (acc == ACC_X ? 2 : 0) | (super ? 1 : 0);
    uint32_t ow = s->mmu_sfsr ? 1 : 0;
    s->mmu_sfsr = (uint32_t)level << 8 | at << 5 | (uint32_t)ft << 2 | 2u | ow;
    s->mmu_sfar = va;
    if (vt_log_enabled(VT_LOG_MMU))
        vt_log(VT_LOG_MMU, "srmmu: fault ft=%d level=%d at=%u va=%08x pc=%08x", ft, level, at, va,
               s->pc);
    /* No-fault mode, or traps disabled: the access completes without a trap (loads read 0). */
    if (acc != ACC_X && ((s->mmu_cr & MMU_CR_NF) || !(s->psr & PSR_ET))) return false;
    return true;
}

/* Physical access of `size` bytes; MMIO accesses of 8 bytes are split into two words. */
static vt_bus_status phys_load(vt_sparc_cpu *s, uint64_t pa, unsigned size, uint64_t *out) {
    if (size == 8) {
        uint64_t hi = 0, lo = 0;
        vt_bus_status st = vt_bus_read(s->cpu.bus, pa, 4, &hi);
        if (st == VT_BUS_OK) st = vt_bus_read(s->cpu.bus, pa + 4, 4, &lo);
        *out = hi << 32 | (lo & 0xffffffffu);
        return st;
    }
    return vt_bus_read(s->cpu.bus, pa, size, out);
}

static vt_bus_status phys_store(vt_sparc_cpu *s, uint64_t pa, unsigned size, uint64_t v) {
    if (size == 8) {
        vt_bus_status st = vt_bus_write(s->cpu.bus, pa, 4, v >> 32);
        if (st == VT_BUS_OK) st = vt_bus_write(s->cpu.bus, pa + 4, 4, v & 0xffffffffu);
        return st;
    }
    return vt_bus_write(s->cpu.bus, pa, size, v);
}

/* Access through the MMU (ASIs 8..11). Loads from the instruction spaces (ASI 8/9) translate
 * as instruction accesses (boot mode included) but fault as data accesses. */
static int mmu_access(vt_sparc_cpu *s, uint32_t va, bool super, unsigned acc, unsigned size,
                      uint64_t *val, bool fetch) {
    vt_tlb *tlb = &s->tlb[super];
    vt_access ta = acc == ACC_W ? VT_ACCESS_WRITE : acc == ACC_X ? VT_ACCESS_EXEC : VT_ACCESS_READ;
    uint8_t *h = vt_tlb_lookup(tlb, va, ta);
    if (!h) {
        uint64_t pa;
        unsigned perms;
        int level;
        int ft = translate(s, va, acc, super, &pa, &perms, &level, true);
        if (ft) {
            if (record_fault(s, va, acc, super, ft, level))
                return fetch ? SPARC_TT_INSN_ACCESS : SPARC_TT_DATA_ACCESS;
            if (acc != ACC_W) *val = 0;
            return 0;
        }
        uint64_t page = pa & ~(uint64_t)VT_TLB_PAGE_MASK;
        uint8_t *hp = vt_bus_host_ptr(s->cpu.bus, page, VT_PAGE_SIZE, false);
        if (hp) {
            if ((perms & VT_PERM_W) && !vt_bus_host_ptr(s->cpu.bus, page, VT_PAGE_SIZE, true))
                perms &= ~(unsigned)VT_PERM_W;
            vt_tlb_fill(tlb, va, hp, perms);
            h = vt_tlb_lookup(tlb, va, ta);
        }
        if (!h) {
            vt_bus_status st =
                acc == ACC_W ? phys_store(s, pa, size, *val) : phys_load(s, pa, size, val);
            if (st == VT_BUS_OK) return 0;
            if (st == VT_BUS_READONLY) return 0; /* ROM writes are ignored by the bus */
            /* sun4m: an access nobody answers is a bus error reported through the SRMMU
             * fault registers (FT=5); it traps only when translation is on. */
            if ((s->mmu_cr & MMU_CR_E) && record_fault(s, va, acc, super, FT_BUS, 0))
                return fetch ? SPARC_TT_INSN_ACCESS : SPARC_TT_DATA_ACCESS;
            if (acc != ACC_W) *val = 0;
            return 0;
        }
    }
    if (acc == ACC_W)
        store_be(h, size, *val);
    else
        *val = load_be(h, size);
    return 0;
}

int vt_sparc_fetch(vt_sparc_cpu *s, uint32_t va, uint32_t *insn) {
    bool super = (s->psr & PSR_S) != 0;
    uint8_t *h = vt_tlb_lookup(&s->tlb[super], va, VT_ACCESS_EXEC);
    if (h) {
        *insn = load_be32(h);
        return 0;
    }
    uint64_t v = 0;
    int tt = mmu_access(s, va, super, ACC_X, 4, &v, true);
    *insn = (uint32_t)v;
    return tt;
}

bool vt_sparc_peek(vt_sparc_cpu *s, uint32_t va, uint32_t *insn) {
    uint64_t pa;
    unsigned perms;
    int level;
    /* a debugger's look: no referenced bit is set, no fault is recorded */
    if (translate(s, va, ACC_X, true, &pa, &perms, &level, false)) return false;
    uint8_t *h = vt_bus_host_ptr(s->cpu.bus, pa, 4, false);
    if (!h) return false;
    *insn = load_be32(h);
    return true;
}

/* ASI 3 load: probe (V8 H.3.1). va[11:8] = type: 0 page, 1 segment, 2 region, 3 context,
 * 4 entire. Returns the entry found at that level, or 0. */
static uint32_t mmu_probe(vt_sparc_cpu *s, uint32_t va) {
    unsigned type = (va >> 8) & 0xf;
    if (type > 4) return 0;
    int stop = type == 4 ? 3 : 3 - (int)type;
    uint32_t e;
    int level;
    uint64_t epa;
    if (srmmu_walk(s, va, stop, &e, &level, &epa)) return 0;
    if (type != 4 && level != stop && (e & 3) != 2) return 0;
    return e;
}

static uint32_t mmu_reg_read(vt_sparc_cpu *s, uint32_t va) {
    switch ((va >> 8) & 0x1f) {
    case 0:
        return s->mmu_cr;
    case 1:
        return s->mmu_ctpr;
    case 2:
        return s->mmu_ctx;
    case 3: {
        uint32_t v = s->mmu_sfsr; /* reading clears it (V8 H.4.5) */
        s->mmu_sfsr = 0;
        return v;
    }
    case 4:
        return s->mmu_sfar;
    default:
        vt_log(VT_LOG_UNIMP, "unimplemented: sparc srmmu register read asi 4 va %08x at %08x", va,
               s->pc);
        return 0;
    }
}

static void mmu_reg_write(vt_sparc_cpu *s, uint32_t va, uint32_t v) {
    switch ((va >> 8) & 0x1f) {
    case 0: {
        uint32_t old = s->mmu_cr;
        s->mmu_cr = MMU_CR_IMPL_VER | (v & 0x00ffffffu);
        if ((old ^ s->mmu_cr) & (MMU_CR_E | MMU_CR_NF | MMU_CR_BM)) vt_sparc_mmu_flush(s);
        break;
    }
    case 1:
        s->mmu_ctpr = v & 0x00ffffc0u;
        vt_sparc_mmu_flush(s);
        break;
    case 2:
        s->mmu_ctx = v & 0xffu;
        vt_sparc_mmu_flush(s);
        break;
    case 3:
        s->mmu_sfsr = v & 0x00016fffu;
        break;
    case 4:
        s->mmu_sfar = v;
        break;
    default:
        vt_log(VT_LOG_UNIMP, "unimplemented: sparc srmmu register write asi 4 va %08x at %08x", va,
               s->pc);
        break;
    }
}

int vt_sparc_asi_access(vt_sparc_cpu *s, uint32_t va, unsigned asi, unsigned size, bool store,
                        uint64_t *val) {
    unsigned acc = store ? ACC_W : ACC_R;
    switch (asi) {
    case 0x08:
    case 0x09:
        return mmu_access(s, va, asi & 1, store ? ACC_W : ACC_X, size, val, false);
    case 0x0a:
    case 0x0b:
        return mmu_access(s, va, asi & 1, acc, size, val, false);
    case 0x03:
        if (store)
            vt_sparc_mmu_flush(s); /* any flush type: our TLB is a pure cache */
        else
            *val = mmu_probe(s, va);
        return 0;
    case 0x04:
        if (store)
            mmu_reg_write(s, va, (uint32_t)*val);
        else
            *val = mmu_reg_read(s, va);
        return 0;
    case 0x0c:
    case 0x0d:
    case 0x0e:
    case 0x0f:
        /* I/D cache tags and data: caches are not modelled, so every tag reads invalid (0) and
         * diagnostic writes have no effect. */
        if (!store) *val = 0;
        return 0;
    case 0x10:
    case 0x11:
    case 0x12:
    case 0x13:
    case 0x14:
    case 0x18:
    case 0x19:
    case 0x1a:
    case 0x1b:
    case 0x1c:
        /* Cache flushes (page/segment/region/context/user): nothing cached to flush. */
        if (!store) *val = 0;
        return 0;
    case 0x02:
        /* MBus port address register (0x01c00f00): bits 27..24 hold this module's MBus ID,
         * 8 for CPU 0. QEMU's sun4m CPUs answer it whatever the CPU type, and OpenBIOS reads it
         * to find the boot CPU; the rest of ASI 2 (SuperSPARC MXCC) is not decoded here. */
        if (va == 0x01c00f00 && !store) {
            *val = size == 8 ? 0x08000000ull : 0;
            return 0;
        }
        break;
    default:
        break;
    }
    if (asi >= 0x20 && asi <= 0x2f) {
        uint64_t pa = (uint64_t)(asi & 0xf) << 32 | va;
        /* RAM/ROM pages: a physically keyed TLB (the bus map never changes while running) */
        uint8_t *h = vt_tlb_lookup(&s->phys, pa, store ? VT_ACCESS_WRITE : VT_ACCESS_READ);
        if (!h) {
            uint64_t page = pa & ~(uint64_t)VT_TLB_PAGE_MASK;
            uint8_t *hp = vt_bus_host_ptr(s->cpu.bus, page, VT_PAGE_SIZE, false);
            if (hp) {
                unsigned perms =
                    VT_PERM_R |
                    (vt_bus_host_ptr(s->cpu.bus, page, VT_PAGE_SIZE, true) ? VT_PERM_W : 0);
                vt_tlb_fill(&s->phys, pa, hp, perms);
                h = vt_tlb_lookup(&s->phys, pa, store ? VT_ACCESS_WRITE : VT_ACCESS_READ);
            }
        }
        if (h) {
            if (store)
                store_be(h, size, *val);
            else
                *val = load_be(h, size);
            return 0;
        }
        vt_bus_status st = store ? phys_store(s, pa, size, *val) : phys_load(s, pa, size, val);
        if (st == VT_BUS_UNMAPPED) {
            if (!store) *val = 0;
            if ((s->mmu_cr & MMU_CR_E) &&
                record_fault(s, va, acc, (s->psr & PSR_S) != 0, FT_BUS, 0))
                return SPARC_TT_DATA_ACCESS;
        }
        return 0;
    }
    /* An ASI the MB86904 does not decode (e.g. the rest of ASI 2, the SuperSPARC MXCC space):
     * like an unanswered bus cycle, loads read 0 and stores are dropped, as QEMU's microSPARC
     * model behaves. Listed by --log mmio. */
    vt_log(VT_LOG_MMIO, "sparc: access to undecoded asi 0x%02x (%s va %08x size %u) at %08x", asi,
           store ? "store" : "load", va, size, s->pc);
    if (!store) *val = 0;
    return 0;
}
