/* OMAP2420 McSPI master ("omap2-mcspi"): up to four channels, each with CHCONF (word length
 * WL, transmit/receive mode TRM, FORCE of the chip select), CHSTAT (RXS, TXS, EOT), CHCTRL (EN),
 * TX and RX; IRQSTATUS/IRQENABLE with TX_EMPTY and RX_FULL per channel. A word written to TX
 * goes to the channel's target at once (no bit timing): its answer lands in RX (RXS, RX_FULL)
 * and TX is empty again (TXS, TX_EMPTY, EOT). In receive-only mode enabling the channel and
 * each RX read clock the next word in. The chip select is active while FORCE is set (single
 * channel mode, MODULCTRL.SINGLE) or while the channel is enabled (multi-channel mode).
 * Targets come from the profile: `cs0 = tsc` names an SPI target device. Not modelled: slave
 * mode, DMA requests, turbo. Sources: OMAP2420 TRM "McSPI" (register map, status bits); Linux
 * 6.1 drivers/spi/spi-omap2-mcspi.c (the sequence it uses). */
#include "peripherals/spi_target.h"

#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_CH 4
enum {
    MCSPI_REVISION = 0x00,
    MCSPI_SYSCONFIG = 0x10,
    MCSPI_SYSSTATUS = 0x14,
    MCSPI_IRQSTATUS = 0x18,
    MCSPI_IRQENABLE = 0x1c,
    MCSPI_WAKEUPENABLE = 0x20,
    MCSPI_SYST = 0x24,
    MCSPI_MODULCTRL = 0x28,
    MCSPI_CH0 = 0x2c, /* + 0x14 * channel */
    MCSPI_CH_STRIDE = 0x14,
};
enum { CH_CONF = 0x0, CH_STAT = 0x4, CH_CTRL = 0x8, CH_TX = 0xc, CH_RX = 0x10 };
#define REV_VALUE 0x10 /* revision 1.0 */
#define SYSC_SOFTRESET 0x2u
#define SYSS_RESETDONE 0x1u
#define MODUL_SINGLE 0x1u
#define MODUL_MS 0x4u /* slave mode */
#define CONF_WL(v) ((((v) >> 7) & 0x1fu) + 1)
#define CONF_TRM(v) (((v) >> 12) & 3u)
#define TRM_RX_ONLY 1u
#define TRM_TX_ONLY 2u
#define CONF_FORCE (1u << 20)
#define CONF_MASK 0x001fffffu
#define CONF_RESET 0x00060000u /* IS | DPE1 (TRM reset value) */
#define STAT_RXS 0x1u
#define STAT_TXS 0x2u
#define STAT_EOT 0x4u
#define CTRL_EN 0x1u
#define IRQ_TX_EMPTY(ch) (1u << (4 * (ch)))
#define IRQ_RX_FULL(ch) (1u << (4 * (ch) + 2))
#define IRQ_MASK 0x0001777fu /* the events of four channels and WKS */

typedef struct channel {
    uint32_t conf, stat, ctrl, tx, rx;
    bool cs; /* chip select asserted */
    bool has_target;
    vt_spi_target target;
} channel;

typedef struct mcspi {
    vt_device *dev;
    int nch;
    uint32_t sysconfig, irqstatus, irqenable, wakeup, syst, modulctrl;
    channel ch[MAX_CH];
} mcspi;

static void update_irq(mcspi *m) {
    vt_irq_set(&m->dev->irq[0], (m->irqstatus & m->irqenable) != 0);
}

/* Drives each channel's chip select from FORCE (single mode) or EN (multi-channel mode). */
static void update_cs(mcspi *m) {
    for (int i = 0; i < m->nch; i++) {
        channel *c = &m->ch[i];
        bool cs =
            (m->modulctrl & MODUL_SINGLE) ? (c->conf & CONF_FORCE) != 0 : (c->ctrl & CTRL_EN) != 0;
        if (cs == c->cs) continue;
        c->cs = cs;
        if (c->has_target) c->target.select(c->target.opaque, cs);
    }
}

/* One word on the wire: out goes to the target, its answer to RX unless transmit-only. */
static void shift_word(mcspi *m, int i, uint32_t out) {
    channel *c = &m->ch[i];
    unsigned bits = CONF_WL(c->conf);
    uint32_t mask = bits == 32 ? 0xffffffffu : (1u << bits) - 1;
    uint32_t in = mask; /* nothing attached: the line is pulled high */
    if (c->has_target) in = c->target.transfer(c->target.opaque, out & mask, bits) & mask;
    if (CONF_TRM(c->conf) != TRM_TX_ONLY) {
        c->rx = in;
        c->stat |= STAT_RXS;
        m->irqstatus |= IRQ_RX_FULL(i);
    }
    c->stat |= STAT_TXS | STAT_EOT;
    m->irqstatus |= IRQ_TX_EMPTY(i);
}

static void channel_enable(mcspi *m, int i, bool on) {
    channel *c = &m->ch[i];
    bool was = (c->ctrl & CTRL_EN) != 0;
    c->ctrl = on ? CTRL_EN : 0;
    update_cs(m);
    if (!on || was) return;
    c->stat |= STAT_TXS | STAT_EOT; /* an empty transmitter, nothing in flight */
    m->irqstatus |= IRQ_TX_EMPTY(i);
    if (CONF_TRM(c->conf) == TRM_RX_ONLY) shift_word(m, i, 0);
}

static void soft_reset(mcspi *m) {
    m->sysconfig = m->irqstatus = m->irqenable = m->wakeup = m->syst = 0;
    m->modulctrl = MODUL_MS; /* the reset value (TRM): slave, multi-channel */
    for (int i = 0; i < m->nch; i++) {
        channel *c = &m->ch[i];
        c->conf = CONF_RESET;
        c->stat = c->ctrl = c->tx = c->rx = 0;
    }
    update_cs(m);
}

static uint64_t ch_read(mcspi *m, int i, unsigned r) {
    channel *c = &m->ch[i];
    switch (r) {
    case CH_CONF:
        return c->conf;
    case CH_STAT:
        return c->stat;
    case CH_CTRL:
        return c->ctrl;
    case CH_TX:
        return c->tx;
    default: { /* CH_RX */
        uint32_t v = c->rx;
        c->stat &= ~STAT_RXS;
        if ((c->ctrl & CTRL_EN) && CONF_TRM(c->conf) == TRM_RX_ONLY) shift_word(m, i, 0);
        update_irq(m);
        return v;
    }
    }
}

static uint64_t mcspi_read(void *opaque, uint64_t off, unsigned size) {
    mcspi *m = opaque;
    if (size == 4 && !(off & 3)) {
        if (off >= MCSPI_CH0 && off < MCSPI_CH0 + (uint64_t)m->nch * MCSPI_CH_STRIDE)
            return ch_read(m, (int)((off - MCSPI_CH0) / MCSPI_CH_STRIDE),
                           (unsigned)((off - MCSPI_CH0) % MCSPI_CH_STRIDE));
        switch (off) {
        case MCSPI_REVISION:
            return REV_VALUE;
        case MCSPI_SYSCONFIG:
            return m->sysconfig;
        case MCSPI_SYSSTATUS:
            return SYSS_RESETDONE;
        case MCSPI_IRQSTATUS:
            return m->irqstatus;
        case MCSPI_IRQENABLE:
            return m->irqenable;
        case MCSPI_WAKEUPENABLE:
            return m->wakeup;
        case MCSPI_SYST:
            return m->syst;
        case MCSPI_MODULCTRL:
            return m->modulctrl;
        }
    }
    vt_dev_log_unknown(m->dev, "read", off, size, 0);
    return 0;
}

static void ch_write(mcspi *m, int i, unsigned r, uint32_t v, uint64_t off) {
    channel *c = &m->ch[i];
    switch (r) {
    case CH_CONF:
        c->conf = v & CONF_MASK;
        update_cs(m);
        break;
    case CH_CTRL:
        channel_enable(m, i, v & CTRL_EN);
        break;
    case CH_TX:
        c->tx = v;
        if (!(c->ctrl & CTRL_EN) || CONF_TRM(c->conf) == TRM_RX_ONLY) {
            vt_dev_log_unknown(m->dev, "TX write to a disabled or receive-only channel", off, 4, v);
            break;
        }
        c->stat &= ~(STAT_TXS | STAT_EOT);
        shift_word(m, i, v);
        break;
    default:
        vt_dev_log_unknown(m->dev, "write (read-only)", off, 4, v);
        return;
    }
    update_irq(m);
}

static void mcspi_write(void *opaque, uint64_t off, uint64_t v64, unsigned size) {
    mcspi *m = opaque;
    uint32_t v = (uint32_t)v64;
    if (size != 4 || (off & 3)) {
        vt_dev_log_unknown(m->dev, "write", off, size, v64);
        return;
    }
    if (off >= MCSPI_CH0 && off < MCSPI_CH0 + (uint64_t)m->nch * MCSPI_CH_STRIDE) {
        ch_write(m, (int)((off - MCSPI_CH0) / MCSPI_CH_STRIDE),
                 (unsigned)((off - MCSPI_CH0) % MCSPI_CH_STRIDE), v, off);
        return;
    }
    switch (off) {
    case MCSPI_SYSCONFIG:
        if (v & SYSC_SOFTRESET) soft_reset(m);
        m->sysconfig = v & 0x319u; /* AUTOIDLE, ENAWAKEUP, SIDLEMODE, CLOCKACTIVITY */
        break;
    case MCSPI_IRQSTATUS: /* write 1 to clear */
        m->irqstatus &= ~v;
        break;
    case MCSPI_IRQENABLE:
        m->irqenable = v & IRQ_MASK;
        break;
    case MCSPI_WAKEUPENABLE:
        m->wakeup = v & 1;
        break;
    case MCSPI_SYST:
        m->syst = v;
        break;
    case MCSPI_MODULCTRL:
        m->modulctrl = v & 0xfu;
        if (m->modulctrl & MODUL_MS)
            vt_dev_log_unknown(m->dev, "slave mode (not modelled)", off, size, v);
        update_cs(m);
        break;
    default:
        vt_dev_log_unknown(m->dev, "write", off, size, v64);
        return;
    }
    update_irq(m);
}

static const vt_mmio_ops mcspi_ops = {mcspi_read, mcspi_write};

static int mcspi_create(vt_device *d, vt_error *err) {
    mcspi *m = calloc(1, sizeof *m);
    if (!m) return vt_fail(err, "out of memory");
    d->priv = m;
    m->dev = d;
    uint64_t n;
    if (vt_dev_u64(d, "channels", &n, err)) return -1;
    if (n < 1 || n > MAX_CH) return vt_fail(err, "channels: 1..%d", MAX_CH);
    m->nch = (int)n;
    for (int i = 0; i < MAX_CH; i++) {
        char key[16];
        snprintf(key, sizeof key, "cs%d", i);
        const char *name = vt_dev_str(d, key);
        if (!strcmp(name, "none")) continue;
        if (i >= m->nch) return vt_fail(err, "%s: this McSPI has %d channels", key, m->nch);
        vt_device *peer = vt_dev_peer(d, name);
        if (!peer)
            return vt_fail(err, "%s: no device '%s' (declare it before this one)", key, name);
        if (vt_spi_target_of(peer, &m->ch[i].target, err)) return -1;
        m->ch[i].has_target = true;
    }
    return vt_dev_map_mmio(d, &mcspi_ops, m, VT_LITTLE_ENDIAN, err);
}

static void mcspi_reset(vt_device *d) {
    mcspi *m = d->priv;
    soft_reset(m);
    update_irq(m);
}

static void mcspi_save(const vt_device *d, vt_state_writer *w) {
    const mcspi *m = d->priv;
    vt_state_begin(w, "O2SP", 1);
    const uint32_t g[] = {m->sysconfig, m->irqstatus, m->irqenable,
                          m->wakeup,    m->syst,      m->modulctrl};
    for (size_t i = 0; i < VT_ARRAY_LEN(g); i++)
        vt_state_put_u32(w, g[i]);
    for (int i = 0; i < m->nch; i++) {
        const channel *c = &m->ch[i];
        const uint32_t r[] = {c->conf, c->stat, c->ctrl, c->tx, c->rx, c->cs};
        for (size_t k = 0; k < VT_ARRAY_LEN(r); k++)
            vt_state_put_u32(w, r[k]);
    }
    vt_state_end(w);
}

static int mcspi_load(vt_device *d, vt_state_reader *r) {
    mcspi *m = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O2SP", 1, &ver)) return -1;
    uint32_t *g[] = {&m->sysconfig, &m->irqstatus, &m->irqenable,
                     &m->wakeup,    &m->syst,      &m->modulctrl};
    for (size_t i = 0; i < VT_ARRAY_LEN(g); i++)
        *g[i] = vt_state_get_u32(r);
    for (int i = 0; i < m->nch; i++) {
        channel *c = &m->ch[i];
        uint32_t *f[] = {&c->conf, &c->stat, &c->ctrl, &c->tx, &c->rx};
        for (size_t k = 0; k < VT_ARRAY_LEN(f); k++)
            *f[k] = vt_state_get_u32(r);
        c->cs = vt_state_get_u32(r) != 0; /* the target restores its own select state */
    }
    if (vt_state_close(r)) return -1;
    update_irq(m);
    return 0;
}

static void mcspi_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key mcspi_keys[] = {
    {"channels", VT_KEY_U64, "4", "chip-select channels (McSPI1: 4, McSPI2: 2)"},
    {"cs0", VT_KEY_STR, "none", "SPI target device on chip select 0, or none"},
    {"cs1", VT_KEY_STR, "none", "SPI target device on chip select 1"},
    {"cs2", VT_KEY_STR, "none", "SPI target device on chip select 2"},
    {"cs3", VT_KEY_STR, "none", "SPI target device on chip select 3"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_omap2_mcspi = {
    .name = "omap2-mcspi",
    .description = "OMAP2420 McSPI master (up to 4 chip selects, SPI targets by profile)",
    .keys = mcspi_keys,
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = mcspi_create,
    .reset = mcspi_reset,
    .save = mcspi_save,
    .load = mcspi_load,
    .destroy = mcspi_destroy,
};
