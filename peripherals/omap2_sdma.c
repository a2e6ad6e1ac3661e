/* OMAP2420 system DMA controller ("omap2-sdma", DMA4): 32 logical channels, each a block of
 * CEN elements x CFN frames of 8/16/32-bit elements (CSDP) from CSSA to CDSA with constant,
 * post-increment, single-index or double-index addressing (CCR, CSEI/CSFI, CDEI/CDFI); channel
 * status CSR (write 1 to clear) with its enables CICR, reported per channel on four interrupt
 * lines (IRQSTATUS_Ln / IRQENABLE_Ln, outputs irq..irq3); current addresses and counters (CSAC,
 * CDAC, CCEN, CCFN). Software-started (unsynchronised) channels run when ENABLE is set, in steps
 * of CHUNK elements on the scheduler at one element per L3 cycle (100 MHz on the N800) until
 * the block ends (BLOCK event, ENABLE clears) or a bus error (TRANS_ERR). Not modelled: DMA
 * requests from peripherals (synchronised channels are logged and wait), channel linking,
 * priorities, constant fill and transparent copy; CAPS registers read 0. Sources: OMAP2420 TRM
 * "System DMA" (register map, addressing modes, CSR events); Linux 6.1 drivers/dma/ti/omap-dma.c.
 */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define NCH 32
#define NLINES 4
enum {
    DMA_REVISION = 0x00,
    DMA_IRQSTATUS_L0 = 0x08, /* + 4 * line */
    DMA_IRQENABLE_L0 = 0x18, /* + 4 * line */
    DMA_SYSSTATUS = 0x28,
    DMA_OCP_SYSCONFIG = 0x2c,
    DMA_CAPS_0 = 0x64,
    DMA_CAPS_2 = 0x6c,
    DMA_CAPS_3 = 0x70,
    DMA_CAPS_4 = 0x74,
    DMA_GCR = 0x78,
    DMA_CH0 = 0x80, /* + 0x60 * channel */
    DMA_CH_STRIDE = 0x60,
};
/* Channel registers, as word indexes from the channel's base. */
enum {
    CCR,
    CLNK_CTRL,
    CICR,
    CSR,
    CSDP,
    CEN,
    CFN,
    CSSA,
    CDSA,
    CSEI,
    CSFI,
    CDEI,
    CDFI,
    CSAC,
    CDAC,
    CCEN,
    CCFN,
    COLOR,
    NCHREG
};
#define REV_VALUE 0x20
#define SYSC_SOFTRESET 0x2u
#define SYSS_RESETDONE 0x1u
#define CCR_SYNC(v) (((v)&0x1fu) | (((v) >> 14) & 0x60u)) /* bits 4:0 and 20:19 */
#define CCR_ENABLE 0x80u
#define CCR_SRC_AMODE(v) (((v) >> 12) & 3u)
#define CCR_DST_AMODE(v) (((v) >> 14) & 3u)
#define CSDP_ES(v) (1u << ((v)&3u)) /* 1, 2 or 4 bytes (3: reserved) */
#define CSR_FRAME 0x0008u
#define CSR_BLOCK 0x0020u
#define CSR_TRANS_ERR 0x0100u
#define CSR_MASK 0x0ffeu
enum { AMODE_CONST, AMODE_POSTINC, AMODE_SINGLE, AMODE_DOUBLE };
#define CHUNK 256u        /* elements moved per scheduler step */
#define ELEMENT_PS 10000u /* one element per L3 cycle at 100 MHz */

typedef struct chan {
    uint32_t r[NCHREG];
    bool running; /* an unsynchronised block in progress */
} chan;

typedef struct sdma {
    vt_device *dev;
    uint32_t irqstatus[NLINES], irqenable[NLINES], sysconfig, gcr;
    chan ch[NCH];
    vt_event ev;
} sdma;

static void update_irq(sdma *s) {
    for (int l = 0; l < NLINES; l++)
        vt_irq_set(&s->dev->irq[l], (s->irqstatus[l] & s->irqenable[l]) != 0);
}

/* A CSR event: reported on every line that enables the channel, when CICR enables it. */
static void channel_event(sdma *s, int i, uint32_t bits) {
    chan *c = &s->ch[i];
    c->r[CSR] |= bits;
    if (!(bits & c->r[CICR])) return;
    for (int l = 0; l < NLINES; l++)
        if (s->irqenable[l] & (1u << i)) s->irqstatus[l] |= 1u << i;
}

/* The address after one element: `last` says it ended a frame (double indexing). */
static uint32_t next_addr(uint32_t a, unsigned mode, unsigned es, uint32_t ei, uint32_t fi,
                          bool last) {
    switch (mode) {
    case AMODE_CONST:
        return a;
    case AMODE_POSTINC:
        return a + es;
    case AMODE_SINGLE: /* indexes are signed: 16-bit element, 32-bit frame */
        return a + es + (uint32_t)(int16_t)ei - 1;
    default:
        return a + es + (last ? fi : (uint32_t)(int16_t)ei) - 1;
    }
}

/* Moves one element of channel i; false when the block is over or failed. */
static bool step(sdma *s, int i) {
    chan *c = &s->ch[i];
    unsigned es = CSDP_ES(c->r[CSDP]);
    uint64_t v;
    vt_bus *bus = vt_dev_bus(s->dev);
    if (es > 4 || vt_bus_read(bus, c->r[CSAC], es, &v) || vt_bus_write(bus, c->r[CDAC], es, v)) {
        channel_event(s, i, CSR_TRANS_ERR);
        return false;
    }
    bool last = c->r[CCEN] + 1 >= (c->r[CEN] & 0xffffffu);
    c->r[CSAC] = next_addr(c->r[CSAC], CCR_SRC_AMODE(c->r[CCR]), es, c->r[CSEI], c->r[CSFI], last);
    c->r[CDAC] = next_addr(c->r[CDAC], CCR_DST_AMODE(c->r[CCR]), es, c->r[CDEI], c->r[CDFI], last);
    if (!last) {
        c->r[CCEN]++;
        return true;
    }
    c->r[CCEN] = 0;
    c->r[CCFN]++;
    if (c->r[CCFN] < (c->r[CFN] & 0xffffu)) {
        channel_event(s, i, CSR_FRAME);
        return true;
    }
    channel_event(s, i, CSR_FRAME | CSR_BLOCK);
    return false;
}

static void stop_channel(chan *c) {
    c->running = false;
    c->r[CCR] &= ~CCR_ENABLE;
}

static void schedule(sdma *s, vt_time now) {
    for (int i = 0; i < NCH; i++)
        if (s->ch[i].running) {
            vt_sched_arm(vt_dev_sched(s->dev), &s->ev, now + (vt_time)CHUNK * ELEMENT_PS);
            return;
        }
}

/* One scheduler step: up to CHUNK elements, shared by the running channels in turn. */
static void run_event(void *opaque, vt_time now, vt_time late) {
    (void)late;
    sdma *s = opaque;
    unsigned budget = CHUNK;
    bool any = true;
    while (budget && any) {
        any = false;
        for (int i = 0; i < NCH && budget; i++) {
            chan *c = &s->ch[i];
            if (!c->running) continue;
            any = true;
            budget--;
            if (!step(s, i)) stop_channel(c);
        }
    }
    update_irq(s);
    schedule(s, now);
}

static void start_channel(sdma *s, int i) {
    chan *c = &s->ch[i];
    c->r[CSAC] = c->r[CSSA];
    c->r[CDAC] = c->r[CDSA];
    c->r[CCEN] = c->r[CCFN] = 0;
    if (CCR_SYNC(c->r[CCR])) {
        vt_dev_log_unknown(s->dev, "synchronised channel (DMA requests not modelled)",
                           DMA_CH0 + (uint64_t)i * DMA_CH_STRIDE, 4, c->r[CCR]);
        return;
    }
    if (!(c->r[CEN] & 0xffffffu) || !(c->r[CFN] & 0xffffu)) { /* an empty block ends at once */
        channel_event(s, i, CSR_BLOCK);
        stop_channel(c);
        return;
    }
    c->running = true;
    if (!vt_event_armed(&s->ev)) schedule(s, vt_sched_now(vt_dev_sched(s->dev)));
}

static void soft_reset(sdma *s) {
    memset(s->irqstatus, 0, sizeof s->irqstatus);
    memset(s->irqenable, 0, sizeof s->irqenable);
    s->sysconfig = s->gcr = 0;
    memset(s->ch, 0, sizeof s->ch);
    vt_sched_cancel(vt_dev_sched(s->dev), &s->ev);
}

static uint64_t ch_read(sdma *s, int i, unsigned r) {
    return s->ch[i].r[r];
}

static void ch_write(sdma *s, int i, unsigned r, uint32_t v) {
    chan *c = &s->ch[i];
    switch (r) {
    case CSR: /* write 1 to clear */
        c->r[CSR] &= ~v;
        break;
    case CCR: {
        bool was = c->r[CCR] & CCR_ENABLE;
        c->r[CCR] = v;
        if (!(v & CCR_ENABLE))
            c->running = false; /* disabling stops the channel where it is */
        else if (!was)
            start_channel(s, i);
        break;
    }
    case CSAC: /* counters and current addresses: read-only */
    case CDAC:
    case CCEN:
    case CCFN:
        vt_dev_log_unknown(s->dev, "write (read-only)",
                           DMA_CH0 + (uint64_t)i * DMA_CH_STRIDE + 4 * r, 4, v);
        return;
    case CICR:
        c->r[r] = v & CSR_MASK;
        break;
    default:
        c->r[r] = v;
        break;
    }
    update_irq(s);
}

static int chan_of(uint64_t off, unsigned *reg) {
    if (off < DMA_CH0 || off >= DMA_CH0 + NCH * DMA_CH_STRIDE) return -1;
    unsigned r = (unsigned)((off - DMA_CH0) % DMA_CH_STRIDE) / 4;
    if (r >= NCHREG) return -1;
    *reg = r;
    return (int)((off - DMA_CH0) / DMA_CH_STRIDE);
}

static uint64_t sdma_read(void *opaque, uint64_t off, unsigned size) {
    sdma *s = opaque;
    unsigned r;
    int i;
    if (size == 4 && !(off & 3)) {
        if ((i = chan_of(off, &r)) >= 0) return ch_read(s, i, r);
        if (off >= DMA_IRQSTATUS_L0 && off < DMA_IRQSTATUS_L0 + 4 * NLINES)
            return s->irqstatus[(off - DMA_IRQSTATUS_L0) / 4];
        if (off >= DMA_IRQENABLE_L0 && off < DMA_IRQENABLE_L0 + 4 * NLINES)
            return s->irqenable[(off - DMA_IRQENABLE_L0) / 4];
        switch (off) {
        case DMA_REVISION:
            return REV_VALUE;
        case DMA_SYSSTATUS:
            return SYSS_RESETDONE;
        case DMA_OCP_SYSCONFIG:
            return s->sysconfig;
        case DMA_CAPS_0:
        case DMA_CAPS_2:
        case DMA_CAPS_3:
        case DMA_CAPS_4:
            return 0;
        case DMA_GCR:
            return s->gcr;
        }
    }
    vt_dev_log_unknown(s->dev, "read", off, size, 0);
    return 0;
}

static void sdma_write(void *opaque, uint64_t off, uint64_t v64, unsigned size) {
    sdma *s = opaque;
    uint32_t v = (uint32_t)v64;
    unsigned r;
    int i;
    if (size != 4 || (off & 3)) {
        vt_dev_log_unknown(s->dev, "write", off, size, v64);
        return;
    }
    if ((i = chan_of(off, &r)) >= 0) {
        ch_write(s, i, r, v);
        return;
    }
    if (off >= DMA_IRQSTATUS_L0 && off < DMA_IRQSTATUS_L0 + 4 * NLINES) {
        s->irqstatus[(off - DMA_IRQSTATUS_L0) / 4] &= ~v; /* write 1 to clear */
    } else if (off >= DMA_IRQENABLE_L0 && off < DMA_IRQENABLE_L0 + 4 * NLINES) {
        s->irqenable[(off - DMA_IRQENABLE_L0) / 4] = v;
    } else if (off == DMA_OCP_SYSCONFIG) {
        if (v & SYSC_SOFTRESET) soft_reset(s);
        s->sysconfig = v & ~SYSC_SOFTRESET;
    } else if (off == DMA_GCR) {
        s->gcr = v;
    } else {
        vt_dev_log_unknown(s->dev, "write", off, size, v64);
        return;
    }
    update_irq(s);
}

static const vt_mmio_ops sdma_ops = {sdma_read, sdma_write};

static int sdma_create(vt_device *d, vt_error *err) {
    sdma *s = calloc(1, sizeof *s);
    if (!s) return vt_fail(err, "out of memory");
    d->priv = s;
    s->dev = d;
    vt_event_init(&s->ev, "omap2-sdma", run_event, s);
    return vt_dev_map_mmio(d, &sdma_ops, s, VT_LITTLE_ENDIAN, err);
}

static void sdma_reset(vt_device *d) {
    sdma *s = d->priv;
    soft_reset(s);
    update_irq(s);
}

static void sdma_save(const vt_device *d, vt_state_writer *w) {
    const sdma *s = d->priv;
    vt_state_begin(w, "O2DM", 1);
    for (int l = 0; l < NLINES; l++) {
        vt_state_put_u32(w, s->irqstatus[l]);
        vt_state_put_u32(w, s->irqenable[l]);
    }
    vt_state_put_u32(w, s->sysconfig);
    vt_state_put_u32(w, s->gcr);
    for (int i = 0; i < NCH; i++) {
        for (int r = 0; r < NCHREG; r++)
            vt_state_put_u32(w, s->ch[i].r[r]);
        vt_state_put_u8(w, s->ch[i].running);
    }
    vt_state_put_u64(w, vt_event_armed(&s->ev) ? s->ev.when : VT_TIME_NEVER);
    vt_state_end(w);
}

static int sdma_load(vt_device *d, vt_state_reader *r) {
    sdma *s = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "O2DM", 1, &ver)) return -1;
    for (int l = 0; l < NLINES; l++) {
        s->irqstatus[l] = vt_state_get_u32(r);
        s->irqenable[l] = vt_state_get_u32(r);
    }
    s->sysconfig = vt_state_get_u32(r);
    s->gcr = vt_state_get_u32(r);
    for (int i = 0; i < NCH; i++) {
        for (int k = 0; k < NCHREG; k++)
            s->ch[i].r[k] = vt_state_get_u32(r);
        s->ch[i].running = vt_state_get_u8(r) != 0;
    }
    vt_time when = vt_state_get_u64(r);
    if (vt_state_close(r)) return -1;
    vt_sched_cancel(vt_dev_sched(d), &s->ev);
    if (when != VT_TIME_NEVER) vt_sched_arm(vt_dev_sched(d), &s->ev, when);
    update_irq(s);
    return 0;
}

static void sdma_destroy(vt_device *d) {
    sdma *s = d->priv;
    if (!s) return;
    vt_sched_cancel(vt_dev_sched(d), &s->ev);
    free(s);
}

const vt_device_class vt_dev_omap2_sdma = {
    .name = "omap2-sdma",
    .description = "OMAP2420 system DMA (32 channels, software-started block transfers)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = NLINES,
    .create = sdma_create,
    .reset = sdma_reset,
    .save = sdma_save,
    .load = sdma_load,
    .destroy = sdma_destroy,
};
