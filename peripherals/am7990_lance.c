/* AMD Am7990 LANCE Ethernet controller ("am7990"): register address port (RAP, +2) and data
 * port (RDP, +0) reach CSR0-CSR3. INIT reads the 24-byte initialization block (mode, station
 * address, logical address filter, receive/transmit ring pointers) through the addressed DMA
 * port of key `dma` (24-bit addresses; on the SS-5 the DMA2 Lance channel supplies bits 31..24);
 * STRT, STOP, TDMD, INEA, the write-one-to-clear status bits and ERR/INTR as the data sheet
 * defines them. Transmit gathers STP..ENP descriptor chains and hands the frame to the network
 * backend of key `net` (core/net.h; internal loopback with mode LOOP); receive filters on the
 * station address, broadcast, the multicast hash (LADRF) or promiscuous mode, pads to 60 bytes,
 * appends the FCS, fills owned receive descriptors (chaining, MCNT, BUFF/OFLO) and raises RINT,
 * or MISS when the chip owns no buffer. Ring entries are big-endian 16-bit words as the SBus host
 * sees them. Sources: AMD Am7990 LANCE data sheet (CSR0-3, initialization block, descriptor
 * bits, logical address filter); Linux drivers/net/ethernet/sun/sunlance.c (Sun byte order). */
#include "core/device.h"
#include "core/log.h"
#include "core/net.h"
#include "core/savestate.h"

#include <stdlib.h>
#include <zlib.h>

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

/* Mode register (init block word 0). */
enum { MODE_PROM = 0x8000, MODE_LOOP = 0x0004, MODE_DTX = 0x0002, MODE_DRX = 0x0001 };
/* Descriptor word 1, high byte (RMD1/TMD1). */
enum { D_OWN = 0x8000, D_ERR = 0x4000, D_STP = 0x0200, D_ENP = 0x0100 };
enum { R_FRAM = 0x2000, R_OFLO = 0x1000, R_CRC = 0x0800, R_BUFF = 0x0400 };
enum { T3_BUFF = 0x8000, T3_UFLO = 0x4000 };

#define MIN_FRAME 60 /* without FCS */

typedef struct lance {
    vt_device *dev;
    vt_dma dma;
    vt_net *net;
    uint16_t csr[4], rap;
    uint8_t init_block[24];
    uint32_t tx_index, rx_index; /* next transmit / receive descriptor */
} lance;

static void update(lance *l) {
    uint16_t c = l->csr[0] & ~(ERR | INTR);
    if (c & (BABL | CERR | MISS | MERR)) c |= ERR;
    if (c & (BABL | MISS | MERR | RINT | TINT | IDON)) c |= INTR;
    l->csr[0] = c;
    vt_irq_set(&l->dev->irq[0], (c & INTR) && (c & INEA));
}

static uint16_t mode(const lance *l) {
    return load_be16(l->init_block);
}

/* A ring from the init block (receive at +0x10, transmit at +0x14): base and entry count. */
static void ring(const lance *l, unsigned at, uint32_t *base, uint32_t *n) {
    uint32_t w0 = load_be16(l->init_block + at), w1 = load_be16(l->init_block + at + 2);
    *base = (w1 & 0xff) << 16 | (w0 & ~7u);
    *n = 1u << (w1 >> 13);
}

/* Descriptor i of a ring: words 0-3 (big-endian). */
static int desc_read(lance *l, uint32_t base, uint32_t i, uint16_t w[4]) {
    uint8_t d[8];
    if (vt_dma_read(&l->dma, base + i * 8, d, sizeof d)) return -1;
    for (int k = 0; k < 4; k++)
        w[k] = load_be16(d + 2 * k);
    return 0;
}

static int desc_write_word(lance *l, uint32_t base, uint32_t i, int k, uint16_t v) {
    uint8_t b[2];
    store_be16(b, v);
    return vt_dma_write(&l->dma, base + i * 8 + 2 * (uint32_t)k, b, 2);
}

static uint32_t desc_buffer(const uint16_t w[4]) {
    return (uint32_t)(w[1] & 0xff) << 16 | w[0];
}

/* Buffer byte count: word 2 holds it as a 12-bit two's complement (0 means 4096). */
static uint32_t desc_bcnt(const uint16_t w[4]) {
    uint32_t n = (0x1000u - (w[2] & 0xfffu)) & 0xfffu;
    return n ? n : 0x1000u;
}

static void do_init(lance *l) {
    uint32_t iadr = (uint32_t)(l->csr[2] & 0xff) << 16 | (l->csr[1] & ~1u);
    if (vt_dma_read(&l->dma, iadr, l->init_block, sizeof l->init_block)) {
        l->csr[0] |= MERR; /* memory error: the DMA could not read the block */
        return;
    }
    l->csr[0] = (uint16_t)((l->csr[0] & ~STOP) | IDON);
    l->tx_index = l->rx_index = 0;
    vt_log(VT_LOG_DEV, "%s: initialized, station %02x:%02x:%02x:%02x:%02x:%02x mode %04x",
           l->dev->name, l->init_block[3], l->init_block[2], l->init_block[5], l->init_block[4],
           l->init_block[7], l->init_block[6], mode(l));
}

/* Address filter: own station address (bytes swapped per 16-bit word, as the chip stores it
 * on a big-endian bus), broadcast, a logical-address-filter bit chosen by the top 6 bits of the
 * destination's CRC register, or everything in promiscuous mode. */
static bool accepts(const lance *l, const uint8_t *dst) {
    if (mode(l) & MODE_PROM) return true;
    if (dst[0] & 1) {
        static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
        if (!memcmp(dst, bcast, 6)) return true;
        uint32_t reg = ~(uint32_t)crc32(0, dst, 6); /* the CRC register, not inverted */
        unsigned bit = reg >> 26;
        return load_be16(l->init_block + 8 + 2 * (bit >> 4)) >> (bit & 15) & 1;
    }
    for (int i = 0; i < 6; i++)
        if (dst[i] != l->init_block[2 + (i ^ 1)]) return false;
    return true;
}

static void miss(lance *l) {
    l->csr[0] |= MISS;
    update(l);
}

static void receive(lance *l, const uint8_t *frame, size_t len) {
    if (!(l->csr[0] & RXON) || (mode(l) & MODE_DRX) || len < 14 || !accepts(l, frame)) return;
    uint8_t buf[VT_NET_MAX_FRAME];
    size_t body = len < MIN_FRAME ? MIN_FRAME : len;
    if (body + 4 > sizeof buf) return;
    memset(buf, 0, body);
    memcpy(buf, frame, len);
    uint32_t fcs = (uint32_t)crc32(0, buf, (uInt)body);
    for (int i = 0; i < 4; i++)
        buf[body + (size_t)i] = (uint8_t)(fcs >> (8 * i));
    size_t total = body + 4, done = 0;
    uint32_t base, n;
    ring(l, 0x10, &base, &n);
    uint16_t w[4];
    uint32_t i = l->rx_index % n;
    if (desc_read(l, base, i, w)) goto merr;
    if (!(w[1] & D_OWN)) return miss(l);
    uint16_t flags = D_STP;
    for (;;) {
        uint32_t chunk = desc_bcnt(w);
        if (chunk > total - done) chunk = (uint32_t)(total - done);
        if (vt_dma_write(&l->dma, desc_buffer(w), buf + done, chunk)) goto merr;
        done += chunk;
        uint32_t next = (i + 1) % n;
        if (done == total) {
            if (desc_write_word(l, base, i, 3, (uint16_t)total)) goto merr;
            if (desc_write_word(l, base, i, 1, (uint16_t)((w[1] & 0xff) | flags | D_ENP)))
                goto merr;
            i = next;
            break;
        }
        uint16_t nw[4];
        if (desc_read(l, base, next, nw)) goto merr;
        if (!(nw[1] & D_OWN)) {
            /* no buffer to chain into: the rest of the frame is lost */
            if (desc_write_word(l, base, i, 1,
                                (uint16_t)((w[1] & 0xff) | flags | D_ERR | R_BUFF | R_OFLO)))
                goto merr;
            i = next;
            break;
        }
        if (desc_write_word(l, base, i, 1, (uint16_t)((w[1] & 0xff) | flags))) goto merr;
        flags = 0;
        i = next;
        memcpy(w, nw, sizeof w);
    }
    l->rx_index = i;
    l->csr[0] |= RINT;
    update(l);
    return;
merr:
    l->csr[0] |= MERR;
    update(l);
}

static void net_rx(void *opaque, const uint8_t *frame, size_t len) {
    receive(opaque, frame, len);
}

/* Sends every frame the host queued: each STP..ENP chain of owned descriptors. */
static void transmit(lance *l) {
    uint32_t base, n;
    ring(l, 0x14, &base, &n);
    uint8_t frame[VT_NET_MAX_FRAME];
    size_t len = 0;
    bool sent = false;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t i = l->tx_index % n;
        uint16_t w[4];
        if (desc_read(l, base, i, w)) goto merr;
        if (!(w[1] & D_OWN)) break; /* the ring is empty */
        if (w[1] & D_STP) len = 0;
        uint32_t bcnt = desc_bcnt(w);
        uint16_t t3 = 0;
        if (len + bcnt > sizeof frame) {
            t3 = T3_BUFF; /* longer than any Ethernet frame: refuse it */
        } else if (vt_dma_read(&l->dma, desc_buffer(w), frame + len, bcnt)) {
            goto merr;
        } else {
            len += bcnt;
        }
        if (!t3 && (w[1] & D_ENP)) {
            if (mode(l) & MODE_LOOP)
                receive(l, frame, len);
            else if (!(mode(l) & MODE_DTX))
                vt_net_send(l->net, frame, len);
        }
        if (desc_write_word(l, base, i, 3, t3) ||
            desc_write_word(l, base, i, 1, (uint16_t)((w[1] & ~D_OWN) | (t3 ? D_ERR : 0))))
            goto merr;
        l->tx_index = (i + 1) % n;
        sent = true;
        if (t3) {
            l->csr[0] &= (uint16_t)~TXON; /* a buffer error turns the transmitter off */
            break;
        }
    }
    if (sent) l->csr[0] |= TINT;
    return;
merr:
    l->csr[0] |= MERR;
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
    if (vt_dev_dma(d, "dma", &l->dma, err) || vt_dev_net(d, "net", &l->net, err) ||
        vt_net_attach(l->net, vt_dev_sched(d), net_rx, l, err))
        return -1;
    return vt_dev_map_mmio(d, &lance_ops, l, VT_BIG_ENDIAN, err);
}

static void lance_reset(vt_device *d) {
    lance *l = d->priv;
    memset(l->csr, 0, sizeof l->csr);
    l->csr[0] = STOP;
    l->rap = 0;
    l->tx_index = l->rx_index = 0;
    update(l);
}

static void lance_save(const vt_device *d, vt_state_writer *w) {
    const lance *l = d->priv;
    vt_state_begin(w, "LANC", 2);
    for (int i = 0; i < 4; i++)
        vt_state_put_u16(w, l->csr[i]);
    vt_state_put_u32(w, l->rap);
    vt_state_put_bytes(w, l->init_block, sizeof l->init_block);
    vt_state_put_u32(w, l->tx_index);
    vt_state_put_u32(w, l->rx_index);
    vt_state_end(w);
}

static int lance_load(vt_device *d, vt_state_reader *r) {
    lance *l = d->priv;
    uint32_t v;
    if (vt_state_open(r, "LANC", 2, &v)) return -1;
    for (int i = 0; i < 4; i++)
        l->csr[i] = vt_state_get_u16(r);
    l->rap = (uint16_t)vt_state_get_index(r, 4);
    vt_state_get_bytes(r, l->init_block, sizeof l->init_block);
    l->tx_index = vt_state_get_index(r, 128);
    l->rx_index = v >= 2 ? vt_state_get_index(r, 128) : 0;
    return vt_state_close(r);
}

static void lance_destroy(vt_device *d) {
    lance *l = d->priv;
    if (l) vt_net_detach(l->net);
    free(l);
}

const vt_device_class vt_dev_am7990 = {
    .name = "am7990",
    .description = "AMD Am7990 LANCE Ethernet",
    .keys = (const vt_dev_key[]){{"dma", VT_KEY_STR, "dma.1",
                                  "DMA port for descriptors and buffers (addressed, 24-bit)"},
                                 {"net", VT_KEY_STR, "0",
                                  "network backend: 0 = the first --net, none = unplugged"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = lance_create,
    .reset = lance_reset,
    .save = lance_save,
    .load = lance_load,
    .destroy = lance_destroy,
};
