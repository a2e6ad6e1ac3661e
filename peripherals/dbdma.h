/* Apple descriptor-based DMA (DBDMA) channel engine, as the mac-io ASICs have one per device
 * (ATA, SCSI, serial, audio): the channel registers and the command-list interpreter. The
 * owning device maps the 256-byte register block, forwards accesses, supplies the data side
 * (`xfer`) and calls vt_dbdma_kick when its data becomes ready. */
#ifndef VT_DBDMA_H
#define VT_DBDMA_H

#include "core/dma.h"
#include "core/irq.h"
#include "core/savestate.h"
#include "core/sched.h"

/* Moves up to `len` bytes between the device and `buf` (to_memory: device -> buf) and returns
 * how many moved; 0 when the device has nothing to give or take now. */
typedef uint32_t (*vt_dbdma_xfer_fn)(void *opaque, uint8_t *buf, uint32_t len, bool to_memory);

typedef struct vt_dbdma {
    const char *name; /* for the log */
    vt_dma mem;       /* descriptors and data */
    vt_irq *irq;      /* the channel's interrupt output */
    vt_dbdma_xfer_fn xfer;
    void *opaque;
    uint32_t status, cmdptr, intr_sel, br_sel, wait_sel;
    uint32_t done; /* bytes of the current descriptor already moved */
    bool waiting;  /* held by a descriptor's wait condition */
    vt_sched *sched;
    vt_event resume; /* continues a long command list after a bounded slice */
} vt_dbdma;

#define VT_DBDMA_REGS 0x100

/* Sets up the channel (name, memory port, interrupt line, data side are filled by the caller
 * before or after; this arms nothing). */
void vt_dbdma_init(vt_dbdma *ch, vt_sched *sched);
void vt_dbdma_reset(vt_dbdma *ch);
/* 32-bit little-endian registers at `off` in the channel block. */
uint32_t vt_dbdma_read(vt_dbdma *ch, uint64_t off);
void vt_dbdma_write(vt_dbdma *ch, uint64_t off, uint32_t v);
/* Runs the command list as far as the device's data allows. */
void vt_dbdma_kick(vt_dbdma *ch);

void vt_dbdma_save(const vt_dbdma *ch, vt_state_writer *w);
int vt_dbdma_load(vt_dbdma *ch, vt_state_reader *r) VT_MUST_CHECK;

#endif
