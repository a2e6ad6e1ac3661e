/* Vitrine PCI test function ("pci-testdev"): a device of our own with no hardware counterpart,
 * for tests of the PCI layer and of DMA ports. Vendor 0x1234 (an ID QEMU also uses for test
 * and emulator-only devices), device 0x7654, class 0xff0000 (unassigned), interrupt pin from
 * key `int_pin` (default 1 = INTA). The same 32-bit little-endian registers appear in BAR0
 * (memory, 4 KiB) and BAR1 (I/O, 32 ports; buffer in BAR0 only):
 *   0x00 ID reads 0x54494350 ("PCIT")   0x04 SCRATCH read/write   0x08 IRQ write 1/0: INTx level
 *   0x0c DMA_ADDR   0x10 DMA_LEN (1..256)   0x14 DMA_CMD write 1: memory -> buffer, 2: buffer ->
 *   memory, through the function's bus-master port (key `dma`, default `memory`; refused while
 *   the command register's bus-master bit is clear)   0x18 DMA_RESULT 0 ok, 1 refused,
 *   2 bad length or command   0x100-0x1ff buffer */
#include "core/device.h"
#include "core/pci.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    REG_ID = 0x00,
    REG_SCRATCH = 0x04,
    REG_IRQ = 0x08,
    REG_DMA_ADDR = 0x0c,
    REG_DMA_LEN = 0x10,
    REG_DMA_CMD = 0x14,
    REG_DMA_RESULT = 0x18,
    BUF_BASE = 0x100,
    BUF_SIZE = 0x100
};
enum { DMA_TO_BUFFER = 1, DMA_TO_MEMORY = 2 };
enum { RESULT_OK = 0, RESULT_REFUSED = 1, RESULT_BAD_REQUEST = 2 };
#define TESTDEV_ID 0x54494350u

typedef struct pcitest {
    vt_device *dev;
    vt_pci_func *fn;
    uint32_t scratch, irq, dma_addr, dma_len, dma_result;
    uint8_t buf[BUF_SIZE];
} pcitest;

static void run_dma(pcitest *t, uint32_t cmd) {
    if (t->dma_len == 0 || t->dma_len > BUF_SIZE ||
        (cmd != DMA_TO_BUFFER && cmd != DMA_TO_MEMORY)) {
        t->dma_result = RESULT_BAD_REQUEST;
        return;
    }
    const vt_dma *port = &t->fn->dma;
    int rc = cmd == DMA_TO_BUFFER ? vt_dma_read(port, t->dma_addr, t->buf, t->dma_len)
                                  : vt_dma_write(port, t->dma_addr, t->buf, t->dma_len);
    t->dma_result = rc ? RESULT_REFUSED : RESULT_OK;
}

static uint64_t pt_read(void *opaque, uint64_t off, unsigned size) {
    pcitest *t = opaque;
    if (off >= BUF_BASE && off + size <= BUF_BASE + BUF_SIZE)
        return vt_load(t->buf + off - BUF_BASE, size, VT_LITTLE_ENDIAN);
    if (size == 4) switch (off) {
        case REG_ID:
            return TESTDEV_ID;
        case REG_SCRATCH:
            return t->scratch;
        case REG_IRQ:
            return t->irq;
        case REG_DMA_ADDR:
            return t->dma_addr;
        case REG_DMA_LEN:
            return t->dma_len;
        case REG_DMA_RESULT:
            return t->dma_result;
        default:
            break;
        }
    vt_dev_log_unknown(t->dev, "read", off, size, 0);
    return 0;
}

static void pt_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    pcitest *t = opaque;
    uint32_t x = (uint32_t)v;
    if (off >= BUF_BASE && off + size <= BUF_BASE + BUF_SIZE) {
        vt_store(t->buf + off - BUF_BASE, size, VT_LITTLE_ENDIAN, v);
        return;
    }
    if (size == 4) switch (off) {
        case REG_SCRATCH:
            t->scratch = x;
            return;
        case REG_IRQ:
            t->irq = x & 1;
            vt_pci_set_irq(t->fn, t->irq);
            return;
        case REG_DMA_ADDR:
            t->dma_addr = x;
            return;
        case REG_DMA_LEN:
            t->dma_len = x;
            return;
        case REG_DMA_CMD:
            run_dma(t, x);
            return;
        default:
            break;
        }
    vt_dev_log_unknown(t->dev, "write", off, size, v);
}

static const vt_mmio_ops pt_ops = {pt_read, pt_write};

static int pt_create(vt_device *d, vt_error *err) {
    pcitest *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    t->dev = d;
    d->priv = t;
    uint64_t pin;
    if (vt_dev_u64(d, "int_pin", &pin, err)) return -1;
    if (pin > 4) return vt_fail(err, "int_pin must be 0 (none) or 1..4 (INTA..INTD)");
    vt_pci_func_def def = {
        .vendor = 0x1234,
        .device = 0x7654,
        .class_code = 0xff0000,
        .int_pin = (uint8_t)pin,
        .bars = {
            {.size = 0x1000, .ops = &pt_ops, .opaque = t, .endian = VT_LITTLE_ENDIAN},
            {.size = 0x20, .io = true, .ops = &pt_ops, .opaque = t, .endian = VT_LITTLE_ENDIAN}}};
    return vt_pci_attach(d, &def, &t->fn, err);
}

static void pt_reset(vt_device *d) {
    pcitest *t = d->priv;
    t->scratch = t->irq = t->dma_addr = t->dma_len = t->dma_result = 0;
    memset(t->buf, 0, sizeof t->buf);
    vt_pci_func_reset(t->fn);
}

static void pt_save(const vt_device *d, vt_state_writer *w) {
    const pcitest *t = d->priv;
    vt_pci_func_save(t->fn, w);
    vt_state_begin(w, "PCIT", 1);
    vt_state_put_u32(w, t->scratch);
    vt_state_put_u32(w, t->irq);
    vt_state_put_u32(w, t->dma_addr);
    vt_state_put_u32(w, t->dma_len);
    vt_state_put_u32(w, t->dma_result);
    vt_state_put_bytes(w, t->buf, sizeof t->buf);
    vt_state_end(w);
}

static int pt_load(vt_device *d, vt_state_reader *r) {
    pcitest *t = d->priv;
    uint32_t version;
    if (vt_pci_func_load(t->fn, r) || vt_state_open(r, "PCIT", 1, &version)) return -1;
    t->scratch = vt_state_get_u32(r);
    t->irq = vt_state_get_u32(r) & 1;
    t->dma_addr = vt_state_get_u32(r);
    t->dma_len = vt_state_get_u32(r);
    t->dma_result = vt_state_get_u32(r);
    vt_state_get_bytes(r, t->buf, sizeof t->buf);
    return vt_state_close(r);
}

static void pt_destroy(vt_device *d) {
    free(d->priv);
}

static const vt_dev_key pt_keys[] = {
    VT_PCI_DEV_KEYS,
    {"int_pin", VT_KEY_U64, "1", "interrupt pin: 0 none, 1..4 INTA..INTD"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_pci_testdev = {
    .name = "pci-testdev",
    .description = "Vitrine PCI test function: BARs, INTx and a DMA engine",
    .keys = pt_keys,
    .create = pt_create,
    .reset = pt_reset,
    .save = pt_save,
    .load = pt_load,
    .destroy = pt_destroy,
};
