/* PowerPC 750 MMU: real mode, the 4 instruction + 4 data BATs, the 16 segment registers and
 * the hashed page table walk (primary and secondary PTEG, R/C bit updates, PP/key protection),
 * DSI/ISI reporting, and the slow path of every access behind the shared software TLB (MMIO,
 * page-crossing accesses, bus errors -> machine check). In user mode the owner's page
 * function stands in for the MMU.
 * Sources: MPCFPE32B ch. 7 (BATs, segments, the page table search, protection); MPC750 UM ch. 5
 * (hardware table search, R/C updates, direct-store segments not supported) and ch. 4 (TEA ->
 * machine check). */
#include "core/cpu/ppc/ppc_cpu.h"

#include "core/log.h"

void vt_ppc_tlb_flush_all(vt_ppc_cpu *s) {
    for (unsigned m = 0; m < 4; m++)
        vt_tlb_flush(&s->tlb[m]);
}

/* Caches a page: like vt_tlb_fill, but keeps the other access kinds already cached for the
 * same page (code and data of one page then share the slot). */
static void tlb_fill(vt_tlb *t, uint32_t ea, uint8_t *host, unsigned perms) {
    vt_tlb_entry *e = vt_tlb_slot(t, ea);
    uint64_t vpn = ea >> VT_TLB_PAGE_BITS;
    if (e->host == host)
        for (unsigned a = 0; a < 3; a++)
            if (e->tag[a] == vpn) perms |= 1u << a;
    vt_tlb_fill(t, ea, host, perms);
}

typedef struct xlate {
    uint64_t pa;
    unsigned perms; /* VT_PERM_* allowed for caching */
} xlate;

/* Protection (MPCFPE32B ch. 7): key 0 -> PP 0-2 read/write, 3 read-only; key 1 -> PP 0
 * none, 1 and 3 read-only, 2 read/write. */
static unsigned pp_perms(unsigned key, unsigned pp) {
    if (key == 0) return pp == 3 ? VT_PERM_R : VT_PERM_R | VT_PERM_W;
    return pp == 0 ? 0 : pp == 2 ? VT_PERM_R | VT_PERM_W : VT_PERM_R;
}

/* Raises DSI or ISI for ea with the given cause bits. */
static int fault(vt_ppc_cpu *s, uint32_t ea, ppc_xlate kind, bool write, uint32_t cause) {
    if (kind == PPC_XLATE_INSN) {
        vt_ppc_exception(s, PPC_EXC_ISI, s->pc, cause);
    } else {
        s->dar = ea;
        s->dsisr = cause | (write ? DSISR_STORE : 0);
        vt_ppc_exception(s, PPC_EXC_DSI, s->pc, 0);
    }
    return -1;
}

/* BAT match: BEPI under the block mask, and Vs/Vp for the current privilege (7.4.2). */
static bool bat_lookup(const vt_ppc_cpu *s, uint32_t ea, ppc_xlate kind, xlate *x, unsigned *pp) {
    const uint32_t *bat = kind == PPC_XLATE_INSN ? s->ibat : s->dbat;
    bool user = s->msr & MSR_PR;
    for (unsigned n = 0; n < 4; n++) {
        uint32_t u = bat[2 * n], l = bat[2 * n + 1];
        if (!(user ? (u & 1) : (u & 2))) continue;
        uint32_t bl = (u >> 2) & 0x7ff;
        uint32_t mask = ~(bl << 17) & 0xfffe0000u;
        if ((ea & mask) != (u & mask)) continue;
        x->pa = (l & mask) | (ea & ~mask);
        *pp = l & 3;
        return true;
    }
    return false;
}

/* Reads/writes a PTE word in physical memory (the page table must be in RAM). */
static bool pte_read(vt_ppc_cpu *s, uint64_t pa, uint32_t *w) {
    uint64_t v;
    if (vt_bus_read(s->cpu.bus, pa, 4, &v) != VT_BUS_OK) return false;
    *w = (uint32_t)v;
    return true;
}

/* The hashed page table search (7.6.1): primary hash, then the secondary (one's complement).
 * Returns 1 found, 0 not found. With `update` (a real access, not a peek) it sets R as the
 * 750's hardware does; the caller sets C for stores once protection allows them. */
static int htab_search(vt_ppc_cpu *s, uint32_t ea, uint32_t vsid, bool update, uint32_t *pte1,
                       uint64_t *pte_pa) {
    uint32_t pidx = (ea >> 12) & 0xffff, api = (ea >> 22) & 0x3f;
    uint32_t htaborg = s->sdr1 & 0xffff0000u, htabmask = s->sdr1 & 0x1ffu;
    uint32_t hash = (vsid & 0x7ffff) ^ pidx;
    for (unsigned h = 0; h < 2; h++, hash = ~hash) {
        uint32_t pteg = (htaborg & 0xfe000000u) |
                        ((((htaborg >> 16) & 0x1ff) | ((hash >> 10) & htabmask)) << 16) |
                        ((hash & 0x3ff) << 6);
        uint32_t want = 0x80000000u | (vsid & 0xffffff) << 7 | h << 6 | api;
        for (unsigned k = 0; k < 8; k++) {
            uint32_t w0, w1;
            uint64_t pa = pteg + 8 * k;
            if (!pte_read(s, pa, &w0)) return 0;
            if (w0 != want || !pte_read(s, pa + 4, &w1)) continue;
            *pte1 = w1;
            *pte_pa = pa + 4;
            if (update && !(w1 & 0x100u)) (void)vt_bus_write(s->cpu.bus, pa + 4, 4, w1 | 0x100u);
            return 1;
        }
    }
    return 0;
}

/* Translates; with raise false it neither raises exceptions nor touches R/C (peeks). */
static int translate(vt_ppc_cpu *s, uint32_t ea, ppc_xlate kind, bool write, bool raise, xlate *x) {
    bool on = kind == PPC_XLATE_INSN ? (s->msr & MSR_IR) : (s->msr & MSR_DR);
    unsigned need = kind == PPC_XLATE_INSN ? VT_PERM_X : write ? VT_PERM_W : VT_PERM_R;
    if (!on) {
        x->pa = ea;
        x->perms = VT_PERM_R | VT_PERM_W | VT_PERM_X;
        return 0;
    }
    unsigned pp;
    if (bat_lookup(s, ea, kind, x, &pp)) {
        /* BAT PP: 00 none, x1 read-only, 10 read/write (MPCFPE32B ch. 7). */
        unsigned p = pp == 0 ? 0 : pp == 2 ? VT_PERM_R | VT_PERM_W : VT_PERM_R;
        if (kind == PPC_XLATE_INSN) p = p ? VT_PERM_X : 0;
        if (!(p & need)) return raise ? fault(s, ea, kind, write, DSISR_PROT) : -1;
        x->perms = p;
        return 0;
    }
    uint32_t sr = s->sr[ea >> 28];
    if (sr & 0x80000000u) {
        /* Direct-store segment: the 750 does not support them (UM ch. 5): DSI/ISI. */
        return raise
                   ? fault(s, ea, kind, write, kind == PPC_XLATE_INSN ? SRR1_ISI_GUARD : DSISR_RESV)
                   : -1;
    }
    if (kind == PPC_XLATE_INSN && (sr & 0x10000000u)) /* N: no-execute segment */
        return raise ? fault(s, ea, kind, write, SRR1_ISI_GUARD) : -1;
    unsigned key = (s->msr & MSR_PR) ? (sr >> 29) & 1 : (sr >> 30) & 1;
    uint32_t pte1;
    uint64_t pte_pa;
    if (!htab_search(s, ea, sr & 0xffffff, raise, &pte1, &pte_pa))
        return raise ? fault(s, ea, kind, write, DSISR_NOTRANS) : -1;
    unsigned p = pp_perms(key, pte1 & 3);
    if (kind == PPC_XLATE_INSN) p = p ? VT_PERM_X : 0;
    if (!(p & need)) return raise ? fault(s, ea, kind, write, DSISR_PROT) : -1;
    if (raise && write && !(pte1 & 0x80u)) (void)vt_bus_write(s->cpu.bus, pte_pa, 4, pte1 | 0x180u);
    /* Until C is set, stores must come back here to set it. */
    if (!write && !(pte1 & 0x80u)) p &= ~(unsigned)VT_PERM_W;
    x->pa = (pte1 & 0xfffff000u) | (ea & 0xfffu);
    x->perms = p;
    return 0;
}

int vt_ppc_translate(vt_ppc_cpu *s, uint32_t ea, ppc_xlate kind, bool write, bool raise,
                     uint64_t *pa) {
    if (s->page_fn) {
        unsigned perms = 0;
        uint8_t *h = s->page_fn(s->page_opaque, ea & ~0xfffu, &perms);
        unsigned need = kind == PPC_XLATE_INSN ? VT_PERM_X : write ? VT_PERM_W : VT_PERM_R;
        if (!h || !(perms & need))
            return raise ? fault(s, ea, kind, write, h ? DSISR_PROT : DSISR_NOTRANS) : -1;
        *pa = ea;
        return 0;
    }
    xlate x;
    if (translate(s, ea, kind, write, raise, &x)) return -1;
    *pa = x.pa;
    return 0;
}

/* A bus error (TEA) on a data or instruction access: machine check (UM ch. 4), SRR1[13]. */
static int bus_error(vt_ppc_cpu *s, uint64_t pa) {
    vt_log(VT_LOG_MMIO, "ppc: bus error at physical %09llx (pc %08x)", (unsigned long long)pa,
           s->pc);
    vt_ppc_exception(s, PPC_EXC_MCHECK, s->pc, 0x00040000u);
    return -1;
}

/* DABR (UM ch. 2): DAB = doubleword address, BT = MSR[DR] to match, DW/DR = match writes /
 * reads. Pages holding the breakpoint are never cached, so every access to them comes here. */
static bool dabr_page(const vt_ppc_cpu *s, uint32_t ea) {
    return (s->dabr & 3) && !((ea ^ s->dabr) & ~0xfffu);
}
static bool dabr_hit(vt_ppc_cpu *s, uint32_t ea, unsigned size, bool write) {
    uint32_t d = s->dabr;
    if (!(d & (write ? 2u : 1u)) || ((d >> 2) & 1) != ((s->msr & MSR_DR) ? 1u : 0u)) return false;
    if (((ea & ~7u) != (d & ~7u)) && (((ea + size - 1) & ~7u) != (d & ~7u))) return false;
    s->dar = ea;
    s->dsisr = DSISR_DABR | (write ? DSISR_STORE : 0);
    vt_ppc_exception(s, PPC_EXC_DSI, s->pc, 0);
    return true;
}

/* Host pointer of the page for this access, caching it; NULL for MMIO (then *pa is set). */
static int access_page(vt_ppc_cpu *s, uint32_t ea, ppc_xlate kind, bool write, uint8_t **host,
                       uint64_t *pa) {
    unsigned mode = kind == PPC_XLATE_INSN ? ppc_insn_mode(s) : ppc_data_mode(s);
    unsigned need = kind == PPC_XLATE_INSN ? VT_PERM_X : write ? VT_PERM_W : VT_PERM_R;
    bool cache = kind == PPC_XLATE_INSN || !dabr_page(s, ea);
    if (s->page_fn) {
        unsigned perms = 0;
        uint8_t *h = s->page_fn(s->page_opaque, ea & ~0xfffu, &perms);
        if (!h || !(perms & need)) return fault(s, ea, kind, write, h ? DSISR_PROT : DSISR_NOTRANS);
        /* Data fills cache R/W only, fetch fills X only (see tlb_fill). */
        if (cache)
            tlb_fill(&s->tlb[mode], ea & ~0xfffu, h,
                     perms & (kind == PPC_XLATE_INSN ? VT_PERM_X : VT_PERM_R | VT_PERM_W));
        *host = h + (ea & 0xfffu);
        return 0;
    }
    xlate x;
    if (translate(s, ea, kind, write, true, &x)) return -1;
    *pa = x.pa;
    uint8_t *h = vt_bus_host_ptr(s->cpu.bus, x.pa & ~0xfffull, 4096, false);
    if (!h) {
        *host = NULL;
        return 0;
    }
    unsigned perms = x.perms & (kind == PPC_XLATE_INSN ? VT_PERM_X : VT_PERM_R | VT_PERM_W);
    if (!vt_bus_host_ptr(s->cpu.bus, x.pa & ~0xfffull, 4096, true)) perms &= ~(unsigned)VT_PERM_W;
    if (cache) tlb_fill(&s->tlb[mode], ea & ~0xfffu, h, perms);
    if (write && !(perms & VT_PERM_W)) { /* ROM: the store is dropped like on the bus */
        *host = NULL;
        return 0;
    }
    *host = h + (x.pa & 0xfffu);
    return 0;
}

static int load_one_page(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t *out) {
    uint8_t *h;
    uint64_t pa;
    if (dabr_page(s, ea) && dabr_hit(s, ea, size, false)) return -1;
    if (access_page(s, ea, PPC_XLATE_DATA, false, &h, &pa)) return -1;
    if (h) {
        *out = load_be(h, size);
        return 0;
    }
    if (vt_bus_read(s->cpu.bus, pa, size, out) != VT_BUS_OK) return bus_error(s, pa);
    return 0;
}

int vt_ppc_load_slow(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t *out) {
    if ((ea & 0xfffu) + size <= 0x1000u) return load_one_page(s, ea, size, out);
    /* Crossing a page: byte by byte, each translated (the 750 splits such accesses). */
    uint64_t v = 0;
    for (unsigned k = 0; k < size; k++) {
        uint64_t b;
        if (load_one_page(s, ea + k, 1, &b)) return -1;
        v = v << 8 | b;
    }
    *out = v;
    return 0;
}

static int store_one_page(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t v) {
    uint8_t *h;
    uint64_t pa;
    if (dabr_page(s, ea) && dabr_hit(s, ea, size, true)) return -1;
    if (access_page(s, ea, PPC_XLATE_DATA, true, &h, &pa)) return -1;
    if (h) {
        store_be(h, size, v);
        return 0;
    }
    if (s->page_fn) return 0;
    vt_bus_status st = vt_bus_write(s->cpu.bus, pa, size, v);
    if (st == VT_BUS_UNMAPPED) return bus_error(s, pa);
    return 0;
}

int vt_ppc_store_slow(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t v) {
    if ((ea & 0xfffu) + size <= 0x1000u) return store_one_page(s, ea, size, v);
    /* Crossing a page: both pages must translate before any byte is written; a fault in the
     * second reports its first byte in DAR (MPCFPE32B ch. 6: an address in the faulting page). */
    uint64_t pa;
    if (vt_ppc_translate(s, ea, PPC_XLATE_DATA, true, true, &pa) ||
        vt_ppc_translate(s, (ea + size - 1) & ~0xfffu, PPC_XLATE_DATA, true, true, &pa))
        return -1;
    for (unsigned k = 0; k < size; k++)
        if (store_one_page(s, ea + k, 1, (v >> (8 * (size - 1 - k))) & 0xff)) return -1;
    return 0;
}

static inline uint32_t le_munge(uint32_t ea, unsigned size) {
    return size < 8 ? ea ^ (8 - size) : ea;
}

int vt_ppc_load_le(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t *out) {
    if (ea & (size - 1)) {
        vt_ppc_alignment(s, ea);
        return -1;
    }
    return vt_ppc_load_slow(s, le_munge(ea, size), size, out);
}

int vt_ppc_store_le(vt_ppc_cpu *s, uint32_t ea, unsigned size, uint64_t v) {
    if (ea & (size - 1)) {
        vt_ppc_alignment(s, ea);
        return -1;
    }
    return vt_ppc_store_slow(s, le_munge(ea, size), size, v);
}

int vt_ppc_fetch_slow(vt_ppc_cpu *s, uint32_t ea, uint32_t *insn) {
    uint8_t *h;
    uint64_t pa;
    if (access_page(s, ea, PPC_XLATE_INSN, false, &h, &pa)) return -1;
    if (h) {
        *insn = load_be32(h);
        return 0;
    }
    uint64_t v;
    if (vt_bus_read(s->cpu.bus, pa, 4, &v) != VT_BUS_OK) return bus_error(s, pa);
    *insn = (uint32_t)v;
    return 0;
}

bool vt_ppc_peek(vt_ppc_cpu *s, uint32_t ea, uint32_t *insn) {
    ea ^= (s->msr & MSR_LE) << 2; /* as the fetch does in little-endian mode */
    if (s->page_fn) {
        unsigned perms = 0;
        uint8_t *h = s->page_fn(s->page_opaque, ea & ~0xfffu, &perms);
        if (!h) return false;
        *insn = load_be32(h + (ea & 0xfffu));
        return true;
    }
    xlate x;
    uint64_t v;
    if (translate(s, ea, PPC_XLATE_INSN, false, false, &x)) return false;
    if (vt_bus_read(s->cpu.bus, x.pa, 4, &v) != VT_BUS_OK) return false;
    *insn = (uint32_t)v;
    return true;
}
