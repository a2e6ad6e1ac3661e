/* Zilog Z8530 / Z85C30 ESCC (two-channel serial controller): each channel has a control and a
 * data port; port index = offset >> `reg_shift`, control before data, the channel at the lower
 * ports first per `channel_order` (SS-5: shift 1, "ba" = ch B control +0, data +2, ch A control
 * +4, data +6; the G3's ESCC: shift 4). Models the WR0 register pointer and commands, WR1/WR9
 * interrupt enables, RR0 status, RR1, RR2 vector, RR3 interrupt-pending bits, receive FIFO (3 deep)
 * and transmit. Channels connect to the machine's serial endpoints (keys serial_a / serial_b:
 * endpoint index, -1 = none) or to a serial peer device (z8530_escc.h: the Sun keyboard).
 * Approximations: transmission completes instantly (Tx buffer empty at once); host input is sampled
 * every `rx_poll_us` of emulated time. Mac mac-io also decodes the four ports in the "legacy"
 * layout at `legacy` (when non-zero): 2 bytes apart, B control, A control, B data, A data. Sources:
 * Zilog Z80C30/Z85C30 user manual; QEMU hw/misc/macio/macio.c (legacy port order; facts only). */
#include "peripherals/z8530_escc.h"

#include "core/chardev.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>

/* Register bits (Z80C30/Z85C30 user manual, "Register descriptions"). */
enum {
    RR0_RX_AVAIL = 0x01,
    RR0_TX_EMPTY = 0x04,
    RR0_DCD = 0x08,
    RR0_CTS = 0x20,
    RR0_TXUNDER = 0x40
};
#define LEGACY_SIZE 0x100 /* the legacy view's block (ports, then enhancement/DMA registers) */
#define RR1_ALL_SENT_RESIDUE 0x07 /* all sent, residue code 011 (8-bit characters) */
#define RR3_RX_IP 0x04            /* channel B bits; channel A's are these << 3 */
#define RR3_TX_IP 0x02
#define RR3_CHA_SHIFT 3
#define WR0_REG_MASK 0x07 /* register pointer bits */
#define WR0_CMD(v) (((v) >> 3) & 7)
#define WR0_CMD_POINT_HIGH 1  /* pointer += 8 */
#define WR0_CMD_RESET_TX_IP 5 /* reset Tx interrupt pending */
#define WR1_TX_IE 0x02        /* Tx interrupt enable */
#define WR1_RX_MODE(v) (((v) >> 3) & 3)
#define WR1_RX_MODE_FIRST 1 /* Rx interrupt on first character or special condition */
#define WR1_RX_MODE_ALL 2   /* on all characters or special condition */
#define WR3_RX_ENABLE 0x01
#define WR4_X16_CLOCK 0x04 /* reset value: x16 clock mode */
#define WR5_TX_ENABLE 0x08
#define WR9_MIE 0x08            /* master interrupt enable */
#define WR9_RESET(v) ((v) >> 6) /* 1: channel B reset, 2: channel A reset, 3: hardware reset */
#define WR9_WRITABLE 0x3f
#define WR11_RESET 0x08 /* reset value: Tx clock from the TRxC pin */
#define RX_FIFO_DEPTH 3
enum { CH_A = 0, CH_B = 1 };

typedef struct escc_chan {
    uint8_t wr[16];
    uint8_t ptr;
    uint8_t rx[3];
    int nrx;
    bool tx_ip, rx_ip_armed;
    vt_chardev *host;
    vt_serial_peer peer; /* peer.rx NULL: none */
} escc_chan;

typedef struct escc {
    vt_device *dev;
    escc_chan ch[2]; /* CH_A, CH_B */
    unsigned reg_shift;
    char legacy_name[64];
    int low_channel; /* the channel whose ports come first (CH_B on the SS-5) */
    vt_event poll;
    vt_time poll_period;
    bool irq_level;
    bool peer_rx_always; /* peers' bytes arrive with the receiver never enabled (OpenBIOS) */
} escc;

static uint8_t rr3(const escc *e) {
    uint8_t v = 0;
    for (int c = 0; c < 2; c++) {
        const escc_chan *ch = &e->ch[c];
        unsigned rxmode = WR1_RX_MODE(ch->wr[1]);
        uint8_t bits = 0;
        if (ch->nrx && (rxmode == WR1_RX_MODE_FIRST || rxmode == WR1_RX_MODE_ALL))
            bits |= RR3_RX_IP;
        if (ch->tx_ip && (ch->wr[1] & WR1_TX_IE)) bits |= RR3_TX_IP;
        v |= c == CH_A ? (uint8_t)(bits << RR3_CHA_SHIFT) : bits;
    }
    return v;
}

static void update_irq(escc *e) {
    bool level = (e->ch[CH_A].wr[9] & WR9_MIE) && rr3(e);
    if (level != e->irq_level) {
        e->irq_level = level;
        vt_irq_set(&e->dev->irq[0], level);
    }
}

static void chan_reset(escc_chan *ch) {
    memset(ch->wr, 0, sizeof ch->wr);
    ch->wr[4] = WR4_X16_CLOCK;
    ch->wr[11] = WR11_RESET;
    ch->ptr = 0;
    ch->nrx = 0;
    ch->tx_ip = false;
}

static uint8_t rr0(const escc_chan *ch) {
    return (uint8_t)((ch->nrx ? RR0_RX_AVAIL : 0) | RR0_TX_EMPTY | RR0_DCD | RR0_CTS | RR0_TXUNDER);
}

static uint8_t read_ctrl(escc *e, int c) {
    escc_chan *ch = &e->ch[c];
    unsigned r = ch->ptr;
    ch->ptr = 0;
    switch (r) {
    case 0:
    case 4:
        return rr0(ch);
    case 1:
    case 5:
        return RR1_ALL_SENT_RESIDUE;
    case 2:
    case 6:
        return e->ch[CH_A].wr[2]; /* vector (status not included here) */
    case 3:
    case 7:
        return c == CH_A ? rr3(e) : 0;
    case 8:
        return ch->nrx ? ch->rx[0] : 0;
    case 10:
    case 14:
        return 0;
    case 12:
        return ch->wr[12];
    case 13:
    case 9:
        return ch->wr[13];
    case 15:
    case 11:
        return ch->wr[15];
    default:
        return 0;
    }
}

static void write_ctrl(escc *e, int c, uint8_t v) {
    escc_chan *ch = &e->ch[c];
    unsigned r = ch->ptr;
    ch->ptr = 0;
    if (r == 0) {
        ch->ptr = v & WR0_REG_MASK;
        switch (WR0_CMD(v)) {
        case WR0_CMD_POINT_HIGH:
            ch->ptr |= 8;
            break;
        case WR0_CMD_RESET_TX_IP:
            ch->tx_ip = false;
            break;
        default:
            break; /* null, reset ext/status, abort, error reset, IUS */
        }
        update_irq(e);
        return;
    }
    if (r == 9) { /* shared between channels */
        unsigned reset = WR9_RESET(v);
        if (reset & 1) chan_reset(&e->ch[CH_B]);
        if (reset & 2) chan_reset(&e->ch[CH_A]);
        e->ch[CH_A].wr[9] = e->ch[CH_B].wr[9] = v & WR9_WRITABLE;
    } else if (r == 2) {
        e->ch[CH_A].wr[2] = e->ch[CH_B].wr[2] = v;
    } else {
        ch->wr[r] = v;
    }
    update_irq(e);
}

static uint8_t read_data(escc *e, int c) {
    escc_chan *ch = &e->ch[c];
    if (!ch->nrx) return 0;
    uint8_t b = ch->rx[0];
    memmove(ch->rx, ch->rx + 1, 2);
    ch->nrx--;
    update_irq(e);
    return b;
}

static void write_data(escc *e, int c, uint8_t v) {
    escc_chan *ch = &e->ch[c];
    if (ch->wr[5] & WR5_TX_ENABLE) {
        if (ch->peer.rx)
            ch->peer.rx(ch->peer.opaque, v);
        else
            vt_chardev_write(ch->host, &v, 1);
    }
    ch->tx_ip = true; /* the buffer empties at once */
    update_irq(e);
}

/* Decodes an offset into a port: index = off >> reg_shift, bit 0 data (else control), bit 1
 * the second channel. Returns false for anything else (logged by the caller). */
static bool decode(const escc *e, uint64_t off, unsigned size, int *chan, bool *data) {
    uint64_t idx = off >> e->reg_shift;
    if (size != 1 || (off & ((1u << e->reg_shift) - 1)) || idx >= 4) return false;
    *data = idx & 1;
    *chan = idx & 2 ? 1 - e->low_channel : e->low_channel;
    return true;
}

/* The Mac legacy view: port index = off >> 1, bit 0 the second channel, bit 1 data. */
static bool decode_legacy(const escc *e, uint64_t off, unsigned size, int *chan, bool *data) {
    uint64_t idx = off >> 1;
    if (size != 1 || (off & 1) || idx >= 4) return false;
    *data = idx & 2;
    *chan = idx & 1 ? 1 - e->low_channel : e->low_channel;
    return true;
}

static uint64_t port_read(escc *e, bool ok, int c, bool data, uint64_t off, unsigned size) {
    if (!ok) {
        vt_dev_log_unknown(e->dev, "read", off, size, 0);
        return 0;
    }
    return data ? read_data(e, c) : read_ctrl(e, c);
}

static void port_write(escc *e, bool ok, int c, bool data, uint64_t off, uint64_t v,
                       unsigned size) {
    if (!ok)
        vt_dev_log_unknown(e->dev, "write", off, size, v);
    else if (data)
        write_data(e, c, (uint8_t)v);
    else
        write_ctrl(e, c, (uint8_t)v);
}

static uint64_t escc_read(void *opaque, uint64_t off, unsigned size) {
    escc *e = opaque;
    int c = 0;
    bool data = false, ok = decode(e, off, size, &c, &data);
    return port_read(e, ok, c, data, off, size);
}

static void escc_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    escc *e = opaque;
    int c = 0;
    bool data = false, ok = decode(e, off, size, &c, &data);
    port_write(e, ok, c, data, off, v, size);
}

static const vt_mmio_ops escc_ops = {escc_read, escc_write};

static uint64_t legacy_read(void *opaque, uint64_t off, unsigned size) {
    escc *e = opaque;
    int c = 0;
    bool data = false, ok = decode_legacy(e, off, size, &c, &data);
    return port_read(e, ok, c, data, off, size);
}

static void legacy_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    escc *e = opaque;
    int c = 0;
    bool data = false, ok = decode_legacy(e, off, size, &c, &data);
    port_write(e, ok, c, data, off, v, size);
}

static const vt_mmio_ops legacy_ops = {legacy_read, legacy_write};

int vt_z8530_attach(vt_device *d, int chan, const vt_serial_peer *peer, vt_error *err) {
    if (d->cls != &vt_dev_z8530) return vt_fail(err, "[%s] is not a z8530", d->name);
    if (chan != CH_A && chan != CH_B) return vt_fail(err, "z8530 channel must be a or b");
    escc *e = d->priv;
    escc_chan *ch = &e->ch[chan];
    if (ch->host || ch->peer.rx)
        return vt_fail(err, "[%s] channel %c is already connected", d->name, "ab"[chan]);
    ch->peer = *peer;
    return 0;
}

/* A byte on the receive wire: lost with the receiver off (unless peer_rx_always), overruns a full
 * FIFO (Z85C30 manual, "Receive data FIFO": the newest character is lost on overrun here, a
 * documented simplification of the chip overwriting its last FIFO entry). */
bool vt_z8530_receive(vt_device *d, int chan, uint8_t byte) {
    escc *e = d->priv;
    escc_chan *ch = &e->ch[chan];
    bool enabled = (ch->wr[3] & WR3_RX_ENABLE) || e->peer_rx_always;
    if (!enabled || ch->nrx >= RX_FIFO_DEPTH) return false;
    ch->rx[ch->nrx++] = byte;
    update_irq(e);
    return true;
}

static void poll_input(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(late);
    escc *e = opaque;
    for (int c = 0; c < 2; c++) {
        escc_chan *ch = &e->ch[c];
        if (!ch->host || ch->nrx >= RX_FIFO_DEPTH || !(ch->wr[3] & WR3_RX_ENABLE)) continue;
        int b = vt_chardev_read(ch->host);
        if (b >= 0) ch->rx[ch->nrx++] = (uint8_t)b;
    }
    update_irq(e);
    vt_sched_arm(vt_dev_sched(e->dev), &e->poll, now + e->poll_period);
}

static int escc_create(vt_device *d, vt_error *err) {
    escc *e = calloc(1, sizeof *e);
    if (!e) return vt_fail(err, "out of memory");
    e->dev = d;
    d->priv = e;
    vt_event_init(&e->poll, "z8530-rx", poll_input, e);
    uint64_t us, shift;
    if (vt_dev_serial(d, "serial_a", &e->ch[CH_A].host, err) ||
        vt_dev_serial(d, "serial_b", &e->ch[CH_B].host, err) ||
        vt_dev_u64(d, "rx_poll_us", &us, err) || vt_dev_u64(d, "reg_shift", &shift, err))
        return -1;
    if (!us) return vt_fail(err, "rx_poll_us must be > 0");
    if (shift > 8) return vt_fail(err, "reg_shift must be 0..8");
    e->reg_shift = (unsigned)shift;
    const char *order = vt_dev_str(d, "channel_order");
    if (strcmp(order, "ba") && strcmp(order, "ab"))
        return vt_fail(err, "channel_order must be 'ba' (channel B at the lower ports) or 'ab'");
    e->low_channel = order[0] == 'a' ? CH_A : CH_B;
    if (d->size < 4ull << e->reg_shift)
        return vt_fail(err, "size must cover the four ports (0x%llx)", 4ull << e->reg_shift);
    e->poll_period = us * 1000000ull;
    uint64_t legacy;
    if (vt_dev_u64(d, "legacy", &legacy, err) ||
        vt_dev_bool(d, "peer_rx_always", &e->peer_rx_always, err) ||
        vt_dev_map_mmio(d, &escc_ops, e, VT_BIG_ENDIAN, err))
        return -1;
    snprintf(e->legacy_name, sizeof e->legacy_name, "%s-legacy", d->name);
    vt_error sub;
    if (legacy && vt_bus_add_mmio(vt_dev_bus(d), e->legacy_name, legacy, LEGACY_SIZE, &legacy_ops,
                                  e, VT_BIG_ENDIAN, &sub))
        return vt_fail(err, "[%s] legacy: %s", d->name, sub.msg);
    return 0;
}

static void escc_reset(vt_device *d) {
    escc *e = d->priv;
    chan_reset(&e->ch[CH_A]);
    chan_reset(&e->ch[CH_B]);
    e->irq_level = false;
    vt_irq_lower(&d->irq[0]);
    vt_sched *s = vt_dev_sched(d);
    if (e->ch[CH_A].host || e->ch[CH_B].host) /* nothing to sample without a host endpoint */
        vt_sched_arm(s, &e->poll, s->now + e->poll_period);
}

static void escc_save(const vt_device *d, vt_state_writer *w) {
    const escc *e = d->priv;
    vt_state_begin(w, "ESCC", 1);
    for (int c = 0; c < 2; c++) {
        const escc_chan *ch = &e->ch[c];
        vt_state_put_bytes(w, ch->wr, 16);
        vt_state_put_u8(w, ch->ptr);
        vt_state_put_bytes(w, ch->rx, 3);
        vt_state_put_u32(w, (uint32_t)ch->nrx);
        vt_state_put_u8(w, ch->tx_ip);
    }
    vt_state_put_u8(w, e->irq_level);
    vt_state_put_u64(w, e->poll.when);
    vt_state_end(w);
}

static int escc_load(vt_device *d, vt_state_reader *r) {
    escc *e = d->priv;
    uint32_t v;
    if (vt_state_open(r, "ESCC", 1, &v)) return -1;
    for (int c = 0; c < 2; c++) {
        escc_chan *ch = &e->ch[c];
        vt_state_get_bytes(r, ch->wr, 16);
        ch->ptr = vt_state_get_u8(r) & 15;
        vt_state_get_bytes(r, ch->rx, 3);
        ch->nrx = (int)vt_state_get_index(r, 4);
        ch->tx_ip = vt_state_get_u8(r) != 0;
    }
    e->irq_level = vt_state_get_u8(r) != 0;
    uint64_t when = vt_state_get_u64(r);
    if (e->ch[CH_A].host || e->ch[CH_B].host) vt_sched_arm(vt_dev_sched(d), &e->poll, when);
    return vt_state_close(r);
}

static void escc_destroy(vt_device *d) {
    escc *e = d->priv;
    if (e) vt_sched_cancel(vt_dev_sched(d), &e->poll);
    free(e);
}

const vt_device_class vt_dev_z8530 = {
    .name = "z8530",
    .description = "Zilog Z8530 ESCC dual serial controller",
    .keys =
        (const vt_dev_key[]){
            {"serial_a", VT_KEY_STR, "none", "serial endpoint index for channel A, or none"},
            {"serial_b", VT_KEY_STR, "none", "serial endpoint index for channel B, or none"},
            {"rx_poll_us", VT_KEY_U64, "1000", "how often host input is sampled (emulated us)"},
            {"reg_shift", VT_KEY_U64, "1", "port index = offset >> reg_shift (SS-5: 1, G3: 4)"},
            {"channel_order", VT_KEY_STR, "ba", "which channel's ports come first: ba or ab"},
            {"legacy", VT_KEY_U64, "0", "address of the Mac legacy port view (0: none)"},
            {"peer_rx_always", VT_KEY_BOOL, "no",
             "a serial peer's bytes arrive even with the receiver disabled (firmware that "
             "never enables it, as OpenBIOS on the SS-5's keyboard channel)"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = escc_create,
    .reset = escc_reset,
    .save = escc_save,
    .load = escc_load,
    .destroy = escc_destroy,
};
