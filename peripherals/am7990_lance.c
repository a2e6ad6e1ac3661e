/* AMD Am7990 LANCE Ethernet controller ("am7990"), present without a network backend: the
 * register address port (RAP, +2) and data port (RDP, +0) reach CSR0-CSR3. CSR0 implements
 * INIT (reads the 24-byte initialization block through the addressed DMA port of key `dma`,
 * 24-bit addresses; on the SS-5 the DMA2 Lance channel: mode, station address, logical address
 * filter, receive/transmit ring pointers, then IDON), STRT (receiver and transmitter on), STOP, the
 * write-one-to-clear status bits, INEA and the summary bits ERR/INTR driving the interrupt output.
 * With no network backend nothing is ever received; a transmit demand (TDMD) walks the transmit
 * ring, hands every descriptor the host owns back (OWN cleared: the frame is dropped, logged under
 * --log dev) and raises TINT, so drivers see their frames "sent". Ring entries are big-endian
 * 16-bit words as the SBus host sees them. Source: AMD Am7990 LANCE data sheet (CSR0-3 bit
 * definitions, initialization block). */
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    ERR = 0x8000,
    BABL = 0x4000,
    CERR = 0x2000,
    MISS = 0x1000,
    MERR = 0x0800,
    RINT = 0x0400,
    TINT = 0x0200,
    IDON = 0x0100,
    INTR = 0x0080,
    INEA = 0x0040,
    RXON = 0x0020,
    TXON = 0x0010,
    TDMD = 0x0008,
    STOP = 0x0004,
    STRT = 0x0002,
    INIT = 0x0001,
};
#define W1C (BABL | CERR | MISS | MERR | RINT | TINT | IDON)

typedef struct lance {
    vt_device *dev;
    vt_dma dma;
    uint16_t csr[4], rap;
    uint8_t init_block[24];
    uint32_t tx_index; /* next transmit descriptor */
} lance;

static void update(lance *l) {
    uint16_t c = l->csr[0] & ~(ERR | INTR);
    if (c & (BABL | CERR | MISS | MERR)) c |= ERR;
    if (c & (BABL | MISS | MERR | RINT | TINT | IDON)) c |= INTR;
    l->csr[0] = c;
    vt_irq_set(&l->dev->irq[0], (c & INTR) && (c & INEA));
}

static void do_init(lance *l) {
    uint32_t iadr = (uint32_t)(l->csr[2] & 0xff) << 16 | (l->csr[1] & ~1u);
    if (vt_dma_read(&l->dma, iadr, l->init_block, sizeof l->init_block)) {
        l->csr[0] |= MERR; /* memory error: the DMA could not read the block */
        return;
    }
    l->csr[0] = (uint16_t)((l->csr[0] & ~STOP) | IDON);
    l->tx_index = 0;
    vt_log(VT_LOG_DEV, "%s: initialized, station %02x:%02x:%02x:%02x:%02x:%02x", l->dev->name,
           l->init_block[3], l->init_block[2], l->init_block[5], l->init_block[4], l->init_block[7],
           l->init_block[6]);
}

/* Transmit ring from the init block: TDRA (24 bits) at +0x14/+0x16, length 2^TLEN. */
static void transmit(lance *l) {
    uint32_t w0 = load_be16(l->init_block + 0x14), w1 = load_be16(l->init_block + 0x16);
    uint32_t tdra = (w1 & 0xff) << 16 | (w0 & ~7u), n = 1u << (w1 >> 13);
    bool sent = false;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t at = tdra + (l->tx_index % n) * 8;
        uint8_t d[8];
        if (vt_dma_read(&l->dma, at, d, sizeof d)) {
            l->csr[0] |= MERR;
            return;
        }
        uint16_t tmd1 = load_be16(d + 2);
        if (!(tmd1 & 0x8000)) break; /* not ours: the ring is empty */
        store_be16(d + 2, tmd1 & 0x7fff);
        if (vt_dma_write(&l->dma, at + 2, d + 2, 2)) {
            l->csr[0] |= MERR;
            return;
        }
        vt_log(VT_LOG_DEV, "%s: frame of %u bytes dropped (no network backend)", l->dev->name,
               (unsigned)(0x10000u - (load_be16(d + 4) | 0xf000u)) & 0xfff);
        l->tx_index = (l->tx_index + 1) % n;
        sent = true;
    }
    if (sent) l->csr[0] |= TINT;
}

static void write_csr0(lance *l, uint16_t v) {
    if (v & STOP) {
        l->csr[0] = STOP;
        update(l);
        return;
    }
    l->csr[0] &= (uint16_t) ~(v & W1C);
    l->csr[0] = (uint16_t)((l->csr[0] & ~INEA) | (v & INEA));
    if ((v & INIT) && (l->csr[0] & STOP)) do_init(l);
    if (v & STRT) l->csr[0] = (uint16_t)((l->csr[0] & ~STOP) | STRT | RXON | TXON);
    if ((v & TDMD) && (l->csr[0] & TXON)) transmit(l);
    update(l);
}

static uint64_t lance_read(void *opaque, uint64_t off, unsigned size) {
    lance *l = opaque;
    if (size == 2 && off == 0) return l->csr[l->rap];
    if (size == 2 && off == 2) return l->rap;
    vt_dev_log_unknown(l->dev, "read", off, size, 0);
    return 0;
}

static void lance_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    lance *l = opaque;
    if (size == 2 && off == 2) {
        l->rap = v & 3;
        return;
    }
    if (size == 2 && off == 0) {
        if (l->rap == 0)
            write_csr0(l, (uint16_t)v);
        else if (l->csr[0] & STOP) /* CSR1-3 are writable only while stopped */
            l->csr[l->rap] = (uint16_t)(l->rap == 3 ? v & 7 : v);
        return;
    }
    vt_dev_log_unknown(l->dev, "write", off, size, v);
}

static const vt_mmio_ops lance_ops = {lance_read, lance_write};

static int lance_create(vt_device *d, vt_error *err) {
    lance *l = calloc(1, sizeof *l);
    if (!l) return vt_fail(err, "out of memory");
    l->dev = d;
    d->priv = l;
    if (vt_dev_dma(d, "dma", &l->dma, err)) return -1;
    return vt_dev_map_mmio(d, &lance_ops, l, VT_BIG_ENDIAN, err);
}

static void lance_reset(vt_device *d) {
    lance *l = d->priv;
    memset(l->csr, 0, sizeof l->csr);
    l->csr[0] = STOP;
    l->rap = 0;
    l->tx_index = 0;
    update(l);
}

static void lance_save(const vt_device *d, vt_state_writer *w) {
    const lance *l = d->priv;
    vt_state_begin(w, "LANC", 1);
    for (int i = 0; i < 4; i++)
        vt_state_put_u16(w, l->csr[i]);
    vt_state_put_u32(w, l->rap);
    vt_state_put_bytes(w, l->init_block, sizeof l->init_block);
    vt_state_put_u32(w, l->tx_index);
    vt_state_end(w);
}

static int lance_load(vt_device *d, vt_state_reader *r) {
    lance *l = d->priv;
    uint32_t v;
    if (vt_state_open(r, "LANC", 1, &v)) return -1;
    for (int i = 0; i < 4; i++)
        l->csr[i] = vt_state_get_u16(r);
    l->rap = (uint16_t)vt_state_get_index(r, 4);
    vt_state_get_bytes(r, l->init_block, sizeof l->init_block);
    l->tx_index = vt_state_get_index(r, 128);
    return vt_state_close(r);
}

static void lance_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_am7990 = {
    .name = "am7990",
    .description = "AMD Am7990 LANCE Ethernet (no network backend yet)",
    .keys = (const vt_dev_key[]){{"dma", VT_KEY_STR, "dma.1",
                                  "DMA port for descriptors and buffers (addressed, 24-bit)"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = lance_create,
    .reset = lance_reset,
    .save = lance_save,
    .load = lance_load,
    .destroy = lance_destroy,
};
