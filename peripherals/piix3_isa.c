/* Intel 82371SB PIIX3 function 0, the PCI-to-ISA bridge (00:01.0, 8086:7000): its PCI identity,
 * the configuration registers firmware programs (stored), and PIRQ routing: inputs 0-3 are the
 * PCI INTA#-INTD# lines (PIRQA-D), each PIRQRC register (0x60-0x63) steers one to ISA IRQ 3-7,
 * 9-12, 14 or 15 (bit 7 = routing disabled) and outputs irq..irq15 are ISA IRQ 0-15. Several
 * PIRQs on one IRQ are wire-ORed (active-low open drain). Sources: Intel 82371SB datasheet
 * (290550) §2.2 (function 0 registers), §4.1.6 PIRQRC[A:D]; QEMU `pc` (device ID 7000). */
#include "core/device.h"
#include "core/log.h"
#include "core/pci.h"
#include "core/savestate.h"

#include <stdlib.h>

#define PIIX_PIRQRC 0x60      /* PIRQRC[A:D], one byte each */
#define PIRQRC_DISABLE 0x80   /* IRQ routing disabled */
#define PIRQRC_IRQ 0x0f       /* ISA IRQ number */
#define PIIX_ROUTABLE 0xdef8u /* IRQ 3-7, 9-12, 14, 15 (datasheet §4.1.6) */
#define PIIX_ISA_IRQS 16

typedef struct piix3 {
    vt_device *dev;
    vt_pci_func *fn;
    bool pirq[4];       /* PCI interrupt input levels */
    uint16_t isa_level; /* ISA IRQ outputs as driven */
} piix3;

static void route(piix3 *p) {
    uint16_t want = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t rc = p->fn->config[PIIX_PIRQRC + i];
        unsigned irq = rc & PIRQRC_IRQ;
        if (p->pirq[i] && !(rc & PIRQRC_DISABLE) && (PIIX_ROUTABLE >> irq & 1)) want |= 1u << irq;
    }
    uint16_t changed = want ^ p->isa_level;
    p->isa_level = want;
    for (int irq = 0; irq < PIIX_ISA_IRQS; irq++)
        if (changed >> irq & 1) vt_irq_set(&p->dev->irq[irq], want >> irq & 1);
}

static void pirq_input(void *opaque, int n, bool level) {
    piix3 *p = opaque;
    p->pirq[n] = level;
    route(p);
}

static int piix_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 3) return vt_fail(err, "%s has PIRQ inputs 0..3 (A-D), not %d", d->name, n);
    *out = (vt_irq){pirq_input, d->priv, n};
    return 0;
}

static void piix_config_written(void *opaque, unsigned reg, unsigned size) {
    VT_UNUSED(reg);
    VT_UNUSED(size);
    route(opaque);
}

/* Power-on values of the registers firmware reads back (datasheet §2.2). */
static void set_defaults(piix3 *p) {
    uint8_t *c = p->fn->config;
    for (unsigned r = VT_PCI_DEVICE_SPECIFIC; r < 256; r++)
        c[r] = 0;
    c[0x4c] = 0x4d; /* IORT: ISA I/O recovery */
    c[0x4e] = 0x03; /* XBCS: BIOS ROM and keyboard controller decode */
    for (int i = 0; i < 4; i++)
        c[PIIX_PIRQRC + i] = PIRQRC_DISABLE;
    c[0x69] = 0x02;                     /* TOM */
    c[0x6a] = 0x00;                     /* MSTAT */
    c[0x70] = c[0x71] = PIRQRC_DISABLE; /* MBIRQ0/1 */
    c[0x76] = c[0x77] = 0x0c;           /* MBDMA0/1: disabled */
    c[0x82] = 0x00;                     /* DLC */
}

static int piix_create(vt_device *d, vt_error *err) {
    piix3 *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    d->priv = p;
    const vt_pci_func_def def = {.vendor = 0x8086,
                                 .device = 0x7000,
                                 .revision = 0x00,
                                 .class_code = 0x060100, /* ISA bridge */
                                 .config_written = piix_config_written,
                                 .opaque = p};
    if (vt_pci_attach(d, &def, &p->fn, err)) return -1;
    /* PIIX3 function 0 is the first of several functions (IDE, USB) */
    p->fn->config[VT_PCI_HEADER_TYPE] |= VT_PCI_HEADER_MULTIFUNCTION;
    for (unsigned r = 0x4c; r < 0xb0; r++)
        p->fn->wmask[r] = 0xff;
    return 0;
}

static void piix_reset(vt_device *d) {
    piix3 *p = d->priv;
    vt_pci_func_reset(p->fn);
    set_defaults(p);
    route(p);
}

static void piix_save(const vt_device *d, vt_state_writer *w) {
    const piix3 *p = d->priv;
    vt_pci_func_save(p->fn, w);
    vt_state_begin(w, "PIX3", 1);
    for (int i = 0; i < 4; i++)
        vt_state_put_u8(w, p->pirq[i]);
    vt_state_end(w);
}

static int piix_load(vt_device *d, vt_state_reader *r) {
    piix3 *p = d->priv;
    uint32_t version;
    if (vt_pci_func_load(p->fn, r) || vt_state_open(r, "PIX3", 1, &version)) return -1;
    for (int i = 0; i < 4; i++)
        p->pirq[i] = vt_state_get_u8(r) != 0;
    route(p);
    return vt_state_close(r);
}

static void piix_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_piix3_isa = {
    .name = "piix3-isa",
    .description = "Intel PIIX3 PCI-to-ISA bridge function (PIRQ routing)",
    .keys = (const vt_dev_key[]){VT_PCI_DEV_KEYS, {NULL, 0, NULL, NULL}},
    .irq_outputs = PIIX_ISA_IRQS, /* irq = ISA IRQ 0 ... irq15 = ISA IRQ 15 */
    .create = piix_create,
    .reset = piix_reset,
    .save = piix_save,
    .load = piix_load,
    .destroy = piix_destroy,
    .irq_input = piix_irq_input,
};
