/* Sun4m IOMMU ("sun4m-iommu"): control (implementation/version, DVMA range, enable), page
 * table base, TLB flush-all and flush-page, asynchronous fault status/address, SBus slot
 * configuration and arbitration registers. DVMA addresses in the top `range` of the 32-bit
 * space translate through 4-byte IOPTEs (PPN bits 31..8, W bit 2, V bit 1) in main memory.
 * Key: version (the CTRL implementation/version byte, SS-5: 0x05000000). Bus masters reach
 * memory through its DMA port 0 (`dma = iommu`): addressed transfers by DVMA address.
 * Sources: Sun4M System Architecture manual ch. 8 (IOMMU); QEMU hw/sparc/sun4m_iommu.c for
 * register offsets and the SS-5 version value. */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    CTRL = 0x0000,
    BASE = 0x0004,
    TLBFLUSH = 0x0014,
    PGFLUSH = 0x0018,
    AFSR = 0x1000,
    AFAR = 0x1004,
    SBCFG0 = 0x1010,
    SBCFG4 = 0x1020,
    ARBEN = 0x2000,
    MID = 0x3018,
};
#define CTRL_ENABLE 0x1u
#define CTRL_RANGE 0x1cu
#define AFSR_ERR 0x80000000u
#define AFSR_LE 0x40000000u   /* late error */
#define AFSR_TO 0x20000000u   /* time-out */
#define AFSR_BE 0x10000000u   /* bus error */
#define AFSR_RESV 0x00800000u /* reads as one */
#define AFSR_FAV 0x00400000u
#define IOPTE_VALID 0x2u
#define IOPTE_WRITE 0x4u

typedef struct iommu {
    vt_device *dev;
    uint32_t version, ctrl, base, afsr, afar, sbcfg[5], arben, mid;
} iommu;

static uint32_t dvma_base(const iommu *m) {
    /* RNGE n: 16 MB << n of DVMA space ending at 0xffffffff */
    uint32_t size = (16u << 20) << ((m->ctrl & CTRL_RANGE) >> 2);
    return 0u - size;
}

/* Translates a DVMA address; on an invalid entry, a write to a read-only page or a disabled
 * IOMMU records the fault in AFSR/AFAR and returns -1. */
static int translate(iommu *m, uint32_t dva, bool write, vt_paddr *pa) {
    vt_device *d = m->dev;
    uint32_t lo = dvma_base(m);
    if ((m->ctrl & CTRL_ENABLE) && dva >= lo) {
        uint64_t pte_addr = ((uint64_t)(m->base & ~0xfu) << 4) + (uint64_t)((dva - lo) >> 12) * 4;
        uint64_t pte;
        if (vt_bus_read(vt_dev_bus(d), pte_addr, 4, &pte) == VT_BUS_OK && (pte & IOPTE_VALID) &&
            (!write || (pte & IOPTE_WRITE))) {
            *pa = ((pte >> 8) << 12) | (dva & 0xfff);
            return 0;
        }
    }
    m->afsr = AFSR_ERR | AFSR_LE | AFSR_RESV | AFSR_FAV | (write ? 0 : 0x00200000u);
    m->afar = dva;
    vt_log(VT_LOG_DEV, "%s: DVMA fault at 0x%08x (%s)", d->name, dva, write ? "write" : "read");
    return -1;
}

/* DMA port: every page of the transfer is translated and checked before any byte moves. */
static int io_transfer(void *opaque, int channel, uint64_t addr, void *buf, uint64_t len,
                       bool to_memory) {
    VT_UNUSED(channel);
    iommu *m = opaque;
    vt_bus *bus = vt_dev_bus(m->dev);
    if (addr > UINT32_MAX || len > (UINT32_MAX - addr) + 1) {
        vt_log(VT_LOG_DEV, "%s: DVMA transfer 0x%llx+0x%llx leaves the 32-bit space", m->dev->name,
               (unsigned long long)addr, (unsigned long long)len);
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        uint8_t *p = buf;
        for (uint64_t dva = addr, left = len; left;) {
            uint64_t chunk = 0x1000 - (dva & 0xfff);
            if (chunk > left) chunk = left;
            vt_paddr pa;
            if (translate(m, (uint32_t)dva, to_memory, &pa)) return -1;
            if (pass == 0 && vt_bus_check_block(bus, pa, chunk, to_memory) != VT_BUS_OK)
                return -1; /* the DMA master reports it (DMA2: ERR_PEND) */
            if (pass == 1)
                (void)(to_memory ? vt_bus_write_block(bus, pa, p, chunk)
                                 : vt_bus_read_block(bus, pa, p, chunk)); /* checked in pass 0 */
            dva += chunk;
            p += chunk;
            left -= chunk;
        }
    }
    return 0;
}

static const vt_dma_ops io_dma_ops = {.addressed = io_transfer};

static int io_dma_port(vt_device *d, int n, vt_dma *out, vt_error *err) {
    if (n != 0) return vt_fail(err, "sun4m-iommu has one DMA port (0)");
    *out = (vt_dma){&io_dma_ops, d->priv, 0};
    return 0;
}

static uint32_t *reg(iommu *m, uint64_t off) {
    switch (off) {
    case CTRL:
        return &m->ctrl;
    case BASE:
        return &m->base;
    case AFSR:
        return &m->afsr;
    case AFAR:
        return &m->afar;
    case ARBEN:
        return &m->arben;
    case MID:
        return &m->mid;
    default:
        if (off >= SBCFG0 && off <= SBCFG4 && !(off & 3)) return &m->sbcfg[(off - SBCFG0) / 4];
        return NULL;
    }
}

static uint64_t io_read(void *opaque, uint64_t off, unsigned size) {
    iommu *m = opaque;
    uint32_t *r = size == 4 ? reg(m, off) : NULL;
    if (r) return *r;
    vt_dev_log_unknown(m->dev, "read", off, size, 0);
    return 0;
}

static void io_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    iommu *m = opaque;
    uint32_t x = (uint32_t)v;
    if (size == 4) {
        switch (off) {
        case CTRL:
            m->ctrl = m->version | (x & (CTRL_RANGE | CTRL_ENABLE));
            return;
        case BASE:
            m->base = x & 0x07fffc00u;
            return;
        case TLBFLUSH:
        case PGFLUSH:
            return; /* no IOTLB is cached: nothing to flush */
        case AFSR:
            m->afsr = (x & ~(AFSR_ERR | AFSR_LE | AFSR_TO | AFSR_BE)) | AFSR_RESV;
            return;
        case AFAR:
            m->afar = x;
            return;
        case ARBEN:
            m->arben = (x & 0x001f0000u) | 0x80000000u;
            return; /* MID of the IOMMU: fixed */
        default:
            if (off >= SBCFG0 && off <= SBCFG4 && !(off & 3)) {
                m->sbcfg[(off - SBCFG0) / 4] = x & 0x0001003fu;
                return;
            }
            break;
        }
    }
    vt_dev_log_unknown(m->dev, "write", off, size, v);
}

static const vt_mmio_ops io_ops = {io_read, io_write};

static int io_create(vt_device *d, vt_error *err) {
    iommu *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    m->dev = d;
    d->priv = m;
    uint64_t ver;
    if (vt_dev_u64(d, "version", &ver, err)) return -1;
    m->version = (uint32_t)ver & 0xff000000u;
    return vt_dev_map_mmio(d, &io_ops, m, VT_BIG_ENDIAN, err);
}

static void io_reset(vt_device *d) {
    iommu *m = d->priv;
    m->ctrl = m->version;
    m->base = 0;
    m->afsr = AFSR_RESV;
    m->afar = 0;
    memset(m->sbcfg, 0, sizeof m->sbcfg);
    m->arben = 0x80000000u;
    m->mid = 0x00080000u; /* IOMMU module id field */
}

static void io_save(const vt_device *d, vt_state_writer *w) {
    const iommu *m = d->priv;
    vt_state_begin(w, "IOMU", 1);
    vt_state_put_u32(w, m->ctrl);
    vt_state_put_u32(w, m->base);
    vt_state_put_u32(w, m->afsr);
    vt_state_put_u32(w, m->afar);
    for (int i = 0; i < 5; i++)
        vt_state_put_u32(w, m->sbcfg[i]);
    vt_state_put_u32(w, m->arben);
    vt_state_put_u32(w, m->mid);
    vt_state_end(w);
}

static int io_load(vt_device *d, vt_state_reader *r) {
    iommu *m = d->priv;
    uint32_t v;
    if (vt_state_open(r, "IOMU", 1, &v)) return -1;
    m->ctrl = vt_state_get_u32(r);
    m->base = vt_state_get_u32(r);
    m->afsr = vt_state_get_u32(r);
    m->afar = vt_state_get_u32(r);
    for (int i = 0; i < 5; i++)
        m->sbcfg[i] = vt_state_get_u32(r);
    m->arben = vt_state_get_u32(r);
    m->mid = vt_state_get_u32(r);
    return vt_state_close(r);
}

static void io_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_sun4m_iommu = {
    .name = "sun4m-iommu",
    .description = "Sun4m IOMMU (SBus DVMA translation)",
    .keys = (const vt_dev_key[]){{"version", VT_KEY_U64, "0x05000000",
                                  "CTRL implementation/version bits (31..24)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = io_create,
    .reset = io_reset,
    .save = io_save,
    .load = io_load,
    .destroy = io_destroy,
    .dma_port = io_dma_port,
};
