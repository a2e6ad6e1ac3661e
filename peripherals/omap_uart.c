/* TI OMAP UART (OMAP1510/310, OMAP2420): the ns16550 class for registers 0-7 (reg_shift 2) and
 * the OMAP registers after them (MDR1/MDR2, SCR, SSR, MVR, SYSC soft reset, SYSS, WER) in a
 * window of their own. Sources: OMAP5910 and OMAP2420 TRMs (UART/IrDA); Linux 6.1
 * include/uapi/linux/serial_reg.h (UART_OMAP_*), arch/arm/mach-omap1/serial.c. */
#include "core/device.h"
#include "core/savestate.h"

#include <stdlib.h>

#define SHIFT 2
#define FIRST_EXTRA 8 /* MDR1 */
#define LAST_EXTRA 0x17
#define NEXTRA (LAST_EXTRA - FIRST_EXTRA + 1)
enum { MDR1 = 0x08, SCR = 0x10, SSR = 0x11, MVR = 0x14, SYSC = 0x15, SYSS = 0x16 };
enum { MDR1_DISABLE = 0x07, SYSC_SOFTRESET = 0x02, SYSS_RESETDONE = 0x01 };

extern const vt_device_class vt_dev_ns16550;

typedef struct omap_uart {
    vt_device *dev;
    void *core; /* the ns16550 model's state (its class functions take it as d->priv) */
    uint8_t reg[NEXTRA];
    uint8_t mvr;
} omap_uart;

/* Runs an ns16550 class function on this device with the 16550's state in d->priv. */
#define WITH_CORE(d, call)                                                                         \
    do {                                                                                           \
        omap_uart *u_ = (d)->priv;                                                                 \
        (d)->priv = u_->core;                                                                      \
        call;                                                                                      \
        (d)->priv = u_;                                                                            \
    } while (0)

static void extras_reset(omap_uart *u) {
    memset(u->reg, 0, sizeof u->reg);
    u->reg[MDR1 - FIRST_EXTRA] = MDR1_DISABLE;
}

static uint64_t ou_read(void *opaque, uint64_t off, unsigned size) {
    omap_uart *u = opaque;
    unsigned r = (unsigned)(off >> SHIFT) + FIRST_EXTRA;
    if ((off & 3) || size > 4 || r > LAST_EXTRA) {
        vt_dev_log_unknown(u->dev, "read", off + (FIRST_EXTRA << SHIFT), size, 0);
        return 0;
    }
    switch (r) {
    case SSR:
        return 0;
    case MVR:
        return u->mvr;
    case SYSS:
        return SYSS_RESETDONE;
    default:
        return u->reg[r - FIRST_EXTRA];
    }
}

static void ou_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    omap_uart *u = opaque;
    unsigned r = (unsigned)(off >> SHIFT) + FIRST_EXTRA;
    if ((off & 3) || size > 4 || r > LAST_EXTRA || r == MVR || r == SYSS || r == SSR) {
        vt_dev_log_unknown(u->dev, "write", off + (FIRST_EXTRA << SHIFT), size, v);
        return;
    }
    if (r == SYSC && (v & SYSC_SOFTRESET)) {
        WITH_CORE(u->dev, vt_dev_ns16550.reset(u->dev));
        extras_reset(u);
        return;
    }
    u->reg[r - FIRST_EXTRA] = (uint8_t)v;
}

static const vt_mmio_ops ou_ops = {ou_read, ou_write};

static int ou_create(vt_device *d, vt_error *err) {
    uint64_t mvr, shift;
    if (vt_dev_u64(d, "revision", &mvr, err) || vt_dev_u64(d, "reg_shift", &shift, err)) return -1;
    if (mvr > 0xff) return vt_fail(err, "revision is 8-bit");
    if (shift != SHIFT) return vt_fail(err, "reg_shift must be 2 on an OMAP UART");
    uint64_t window = (uint64_t)(LAST_EXTRA + 1) << SHIFT;
    if (d->size < window)
        return vt_fail(err, "size must be at least 0x%llx", (unsigned long long)window);
    omap_uart *u = calloc(1, sizeof *u);
    if (!u) return vt_fail(err, "out of memory");
    u->dev = d;
    u->mvr = (uint8_t)mvr;
    /* the 16550 maps its eight registers; the OMAP ones follow in a window of their own */
    uint64_t size = d->size;
    d->size = FIRST_EXTRA << SHIFT;
    int rc = vt_dev_ns16550.create(d, err);
    d->size = size;
    u->core = d->priv;
    d->priv = u;
    if (rc) return -1;
    return vt_bus_add_mmio(vt_dev_bus(d), d->name, d->base + (FIRST_EXTRA << SHIFT),
                           window - (FIRST_EXTRA << SHIFT), &ou_ops, u, VT_LITTLE_ENDIAN, err);
}

static void ou_reset(vt_device *d) {
    WITH_CORE(d, vt_dev_ns16550.reset(d));
    extras_reset(d->priv);
}

static void ou_save(const vt_device *d, vt_state_writer *w) {
    const omap_uart *u = d->priv;
    vt_device tmp = *d; /* the 16550's save takes a const device: hand it a view */
    tmp.priv = u->core;
    vt_dev_ns16550.save(&tmp, w);
    vt_state_begin(w, "OUAR", 1);
    vt_state_put_bytes(w, u->reg, sizeof u->reg);
    vt_state_end(w);
}

static int ou_load(vt_device *d, vt_state_reader *r) {
    int rc = 0;
    WITH_CORE(d, rc = vt_dev_ns16550.load(d, r));
    if (rc) return -1;
    omap_uart *u = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "OUAR", 1, &ver)) return -1;
    vt_state_get_bytes(r, u->reg, sizeof u->reg);
    return vt_state_close(r);
}

static void ou_destroy(vt_device *d) {
    omap_uart *u = d->priv;
    if (!u) return;
    if (u->core) WITH_CORE(d, vt_dev_ns16550.destroy(d));
    free(u);
    d->priv = NULL;
}

const vt_device_class vt_dev_omap_uart = {
    .name = "omap-uart",
    .description = "TI OMAP UART: NS16550 registers plus MDR1/SCR/SSR/MVR/SYSC/SYSS",
    .keys =
        (const vt_dev_key[]){
            {"serial", VT_KEY_STR, "none", "serial endpoint index (--serial order), or none"},
            {"clock", VT_KEY_U64, "12000000", "UART input clock in Hz (OMAP1510: 12 MHz)"},
            {"reg_shift", VT_KEY_U64, "2", "must be 2: registers are 4 bytes apart"},
            {"divisor", VT_KEY_U64, "0", "divisor latch as the boot loader leaves it"},
            {"endian", VT_KEY_STR, "little", "byte order of the register window"},
            {"out2_gates_irq", VT_KEY_BOOL, "no", "unused on OMAP (keep no)"},
            {"fifo_size", VT_KEY_U64, "64", "FIFO depth: the OMAP UARTs' FIFOs hold 64 bytes"},
            {"enhanced", VT_KEY_BOOL, "yes", "EFR/XON/XOFF behind LCR = 0xBF, as on OMAP UARTs"},
            {"revision", VT_KEY_U64, "0x10", "MVR module revision"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = ou_create,
    .reset = ou_reset,
    .save = ou_save,
    .load = ou_load,
    .destroy = ou_destroy,
};
