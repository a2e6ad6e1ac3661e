/* The APC audio DMA engine of the SPARCstation 4/5 CS4231 (SBus "SUNW,CS4231" at +0x10): a CSR
 * and, per direction, a current address/count and a next address/count that the engine loads
 * when the current buffer is done (double buffering). Used by cs4231_audio.c. */
#ifndef VT_SUN_APC_DMA_H
#define VT_SUN_APC_DMA_H

#include "core/dma.h"

/* CSR bits (Linux sound/sparc/cs4231.c names). */
enum {
    VT_APC_INT_PENDING = 0x800000,
    VT_APC_PLAY_INT = 0x400000,
    VT_APC_CAPT_INT = 0x200000,
    VT_APC_GENL_INT = 0x100000,
    VT_APC_XINT_ENA = 0x80000,
    VT_APC_XINT_PLAY = 0x40000,
    VT_APC_XINT_CAPT = 0x20000,
    VT_APC_XINT_GENL = 0x10000,
    VT_APC_XINT_EMPT = 0x8000,
    VT_APC_XINT_PEMP = 0x4000,
    VT_APC_XINT_PNVA = 0x2000,
    VT_APC_XINT_PENA = 0x1000,
    VT_APC_XINT_COVF = 0x800,
    VT_APC_XINT_CNVA = 0x400,
    VT_APC_XINT_CEMP = 0x200,
    VT_APC_XINT_CENA = 0x100,
    VT_APC_PPAUSE = 0x80,
    VT_APC_CPAUSE = 0x40,
    VT_APC_CDC_RESET = 0x20,
    VT_APC_PDMA_READY = 0x08,
    VT_APC_CDMA_READY = 0x04,
    VT_APC_CHIP_RESET = 0x01,
};

typedef struct vt_apc_chan {
    uint32_t va, c, nva, nc;
    bool next_loaded; /* NVA/NC written and not yet taken */
} vt_apc_chan;

typedef struct vt_apc {
    uint32_t csr;
    vt_apc_chan play, capt;
} vt_apc;

void vt_apc_reset(vt_apc *a);
/* Register window offsets 0x10 (CSR) and 0x20-0x3c, 32-bit. */
uint32_t vt_apc_read(const vt_apc *a, unsigned off);
void vt_apc_write(vt_apc *a, unsigned off, uint32_t v);
/* The interrupt output: enabled and a play, capture or general interrupt pending. */
bool vt_apc_irq(const vt_apc *a);
/* The direction is enabled (DMA ready, not paused). */
bool vt_apc_running(const vt_apc *a, bool play);
/* Moves up to len bytes between the direction's current buffers and buf (play: memory -> buf,
 * capture: buf -> memory) through port dma, taking the next buffer when one is done. Returns the
 * bytes moved; fewer than len means the pipe ran dry (or a DMA error, which stops the
 * direction and raises the general interrupt). */
size_t vt_apc_transfer(vt_apc *a, const vt_dma *dma, bool play, uint8_t *buf, size_t len);

#endif
