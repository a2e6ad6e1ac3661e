/* APC audio DMA of the SPARCstation 4/5 CS4231 (sun_apc_dma.h). What the model does, from the
 * register and bit names and the way Linux sound/sparc/cs4231.c drives it (no APC data sheet
 * was available, so the pipeline semantics below are the driver's view of the hardware):
 * writing the next count (PNC/CNC, after PNVA/CNVA) queues a buffer; the engine takes a queued
 * buffer at once when it has none, and otherwise when the current one is done, then raising
 * PLAY_INT/CAPT_INT; XINT_PNVA/XINT_CNVA read 1 while no next buffer is queued (the driver
 * queues one only then). A direction running dry sets XINT_EMPT plus XINT_PEMP/XINT_CEMP and,
 * with XINT_PENA/XINT_CENA, the general interrupt. Interrupt and empty bits are
 * write-one-to-clear (the driver acknowledges by writing the CSR back); CHIP_RESET clears the
 * engine. */
#include "peripherals/sun_apc_dma.h"

#include "core/log.h"

#define W1C                                                                                        \
    (VT_APC_INT_PENDING | VT_APC_PLAY_INT | VT_APC_CAPT_INT | VT_APC_GENL_INT | VT_APC_XINT_EMPT | \
     VT_APC_XINT_PEMP | VT_APC_XINT_COVF | VT_APC_XINT_CEMP)
#define CONTROL                                                                                    \
    (VT_APC_XINT_ENA | VT_APC_XINT_PLAY | VT_APC_XINT_CAPT | VT_APC_XINT_GENL | VT_APC_XINT_PENA | \
     VT_APC_XINT_CENA | VT_APC_PPAUSE | VT_APC_CPAUSE | VT_APC_CDC_RESET | VT_APC_PDMA_READY |     \
     VT_APC_CDMA_READY)

void vt_apc_reset(vt_apc *a) {
    *a = (vt_apc){0};
}

static vt_apc_chan *chan(vt_apc *a, bool play) {
    return play ? &a->play : &a->capt;
}

static uint32_t ready_bit(bool play) {
    return play ? VT_APC_PDMA_READY : VT_APC_CDMA_READY;
}

bool vt_apc_running(const vt_apc *a, bool play) {
    uint32_t pause = play ? VT_APC_PPAUSE : VT_APC_CPAUSE;
    return (a->csr & ready_bit(play)) && !(a->csr & pause);
}

/* Takes the queued buffer. */
static void take_next(vt_apc_chan *ch) {
    ch->va = ch->nva;
    ch->c = ch->nc;
    ch->next_loaded = false;
}

/* A buffer with nothing current and one queued starts at once (no interrupt). */
static void start_if_idle(vt_apc *a, bool play) {
    vt_apc_chan *ch = chan(a, play);
    if ((a->csr & ready_bit(play)) && ch->c == 0 && ch->next_loaded) take_next(ch);
}

static uint32_t status(const vt_apc *a) {
    uint32_t s = a->csr;
    s &= ~(VT_APC_XINT_PNVA | VT_APC_XINT_CNVA | VT_APC_INT_PENDING);
    if (!a->play.next_loaded) s |= VT_APC_XINT_PNVA;
    if (!a->capt.next_loaded) s |= VT_APC_XINT_CNVA;
    if (vt_apc_irq(a)) s |= VT_APC_INT_PENDING;
    return s;
}

bool vt_apc_irq(const vt_apc *a) {
    uint32_t s = a->csr;
    if (!(s & VT_APC_XINT_ENA)) return false;
    return ((s & VT_APC_PLAY_INT) && (s & VT_APC_XINT_PLAY)) ||
           ((s & VT_APC_CAPT_INT) && (s & VT_APC_XINT_CAPT)) ||
           ((s & VT_APC_GENL_INT) && (s & VT_APC_XINT_GENL));
}

uint32_t vt_apc_read(const vt_apc *a, unsigned off) {
    const vt_apc_chan *ch = off >= 0x30 ? &a->play : &a->capt;
    switch (off) {
    case 0x10:
        return status(a);
    case 0x20:
    case 0x30:
        return ch->va;
    case 0x24:
    case 0x34:
        return ch->c;
    case 0x28:
    case 0x38:
        return ch->nva;
    case 0x2c:
    case 0x3c:
        return ch->nc;
    default:
        return 0;
    }
}

void vt_apc_write(vt_apc *a, unsigned off, uint32_t v) {
    bool play = off >= 0x30;
    vt_apc_chan *ch = chan(a, play);
    switch (off) {
    case 0x10:
        if (v & VT_APC_CHIP_RESET) {
            vt_apc_reset(a);
            return;
        }
        a->csr = (a->csr & ~(v & W1C) & ~CONTROL) | (v & CONTROL);
        start_if_idle(a, true);
        start_if_idle(a, false);
        return;
    case 0x20:
    case 0x30:
        ch->va = v;
        return;
    case 0x24:
    case 0x34:
        ch->c = v;
        return;
    case 0x28:
    case 0x38:
        ch->nva = v;
        return;
    case 0x2c:
    case 0x3c:
        ch->nc = v;
        ch->next_loaded = v != 0;
        start_if_idle(a, play);
        return;
    default:
        vt_log(VT_LOG_MMIO, "apc dma: write to reserved register +0x%x = 0x%x", off, v);
    }
}

/* The current buffer is done: take the next one (interrupt) or run dry. */
static void buffer_done(vt_apc *a, bool play) {
    vt_apc_chan *ch = chan(a, play);
    if (ch->next_loaded) {
        take_next(ch);
        a->csr |= play ? VT_APC_PLAY_INT : VT_APC_CAPT_INT;
        return;
    }
    a->csr |= VT_APC_XINT_EMPT | (play ? VT_APC_XINT_PEMP : VT_APC_XINT_CEMP);
    if (a->csr & (play ? VT_APC_XINT_PENA : VT_APC_XINT_CENA)) a->csr |= VT_APC_GENL_INT;
}

size_t vt_apc_transfer(vt_apc *a, const vt_dma *dma, bool play, uint8_t *buf, size_t len) {
    vt_apc_chan *ch = chan(a, play);
    size_t done = 0;
    while (done < len && vt_apc_running(a, play) && ch->c) {
        uint32_t n = ch->c < len - done ? ch->c : (uint32_t)(len - done);
        int rc = play ? vt_dma_read(dma, ch->va, buf + done, n)
                      : vt_dma_write(dma, ch->va, buf + done, n);
        if (rc) {
            vt_log(VT_LOG_DEV, "apc dma: %s buffer at 0x%08x refused, direction stopped",
                   play ? "play" : "capture", ch->va);
            a->csr = (a->csr & ~ready_bit(play)) | VT_APC_GENL_INT;
            break;
        }
        ch->va += n;
        ch->c -= n;
        done += n;
        if (!ch->c) buffer_done(a, play);
    }
    return done;
}
