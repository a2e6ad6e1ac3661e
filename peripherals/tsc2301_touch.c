/* TI TSC2301 touch-screen, keypad and audio controller ("tsc2301") on an SPI bus, as on the
 * Nokia N800 (McSPI1 chip select 0). 16-bit words: the first after chip select is a command
 * (bit 15 read, bits 12:11 page, bits 10:5 register), the following ones data, the register
 * number counting up. Page 0: touch results X, Y, Z1, Z2 (12 bits) and KPDATA (a bit per key of
 * the 4x4 matrix, masked by KPMASK); page 1: ADC (scan mode in bits 13:10), KEY (bit 14 stops
 * the keypad scan), DAC, REF, RESET (0xBB00 resets the chip), CONFIG, CONFIG2, KPMASK (16);
 * pages 2-3 (audio) are stored. A host touch becomes 12-bit X/Y with a middle pressure, a lifted
 * pen a result with Z1 = Z2 = 0; DAV (`irq`) is raised while a result is unread, KBIRQ (`irq1`)
 * while an unmasked key change is unread; both lines read as "asserted" (the pins are active
 * low). Approximations: results appear at once (no conversion time); the codec has no sound
 * path. Sources: TI TSC2301 data sheet (register pages); Nokia's tsc2301 drivers (linux-omap
 * 2.6.2x: register numbers, the N800 key matrix); QEMU hw/input/tsc210x.c (facts only). */
#include "peripherals/tsc2301_touch.h"

#include "core/savestate.h"

#include <stdlib.h>

#define NPAGES 4
#define NREGS 32
#define CMD_READ 0x8000u
#define CMD_PAGE(c) (((c) >> 11) & 3u)
#define CMD_REG(c) (((c) >> 5) & 0x1fu)
enum { P0_X, P0_Y, P0_Z1, P0_Z2, P0_KPDATA };
enum { P1_ADC, P1_KEY, P1_DAC, P1_REF, P1_RESET, P1_CONFIG, P1_CONFIG2, P1_KPMASK = 16 };
#define ADC_SCAN(v) (((v) >> 10) & 0xfu) /* 0: no conversions */
#define ADC_SCAN_XY 1u                   /* X and Y only */
#define KEY_STOP 0x4000u
#define RESET_CODE 0xbb00u
#define Z_TOUCH1 0x0400u /* Z1/Z2 of a firm touch: a mid-scale pressure */
#define Z_TOUCH2 0x0800u

typedef struct tsc {
    vt_device *dev;
    uint16_t reg[NPAGES][NREGS];
    uint16_t keys;   /* matrix keys held */
    bool dav, kbirq; /* a result / a key change not read yet */
    bool selected, have_cmd;
    uint16_t cmd_read; /* the command: CMD_READ or 0 */
    uint8_t page, addr;
} tsc;

static void update(tsc *t) {
    vt_irq_set(&t->dev->irq[0], t->dav);
    vt_irq_set(&t->dev->irq[1], t->kbirq);
}

static void chip_reset(tsc *t) {
    memset(t->reg, 0, sizeof t->reg);
    t->dav = t->kbirq = false;
}

static uint16_t read_reg(tsc *t, unsigned page, unsigned r) {
    uint16_t v = t->reg[page][r];
    if (page == 0 && r == P0_KPDATA) {
        t->kbirq = false;
        return t->keys & (uint16_t)~t->reg[1][P1_KPMASK];
    }
    /* the scan's last result read: the data is taken */
    unsigned last = ADC_SCAN(t->reg[1][P1_ADC]) == ADC_SCAN_XY ? P0_Y : P0_Z2;
    if (page == 0 && r == last) t->dav = false;
    return v;
}

static void write_reg(tsc *t, unsigned page, unsigned r, uint16_t v) {
    if (page == 0) {
        vt_dev_log_unknown(t->dev, "write to a result register (page 0)", r, 2, v);
        return;
    }
    if (page == 1 && r == P1_RESET) {
        if (v == RESET_CODE) chip_reset(t);
        return;
    }
    t->reg[page][r] = v;
}

static void spi_select(void *opaque, bool active) {
    tsc *t = opaque;
    t->selected = active;
    t->have_cmd = false;
}

static uint32_t spi_transfer(void *opaque, uint32_t out, unsigned bits) {
    tsc *t = opaque;
    if (!t->selected) return 0xffff; /* not addressed: the line floats high */
    if (bits != 16) {
        vt_dev_log_unknown(t->dev, "SPI word that is not 16 bits", bits, 2, out);
        return 0;
    }
    uint16_t w = (uint16_t)out, in = 0;
    if (!t->have_cmd) {
        t->have_cmd = true;
        t->cmd_read = w & CMD_READ;
        t->page = (uint8_t)CMD_PAGE(w);
        t->addr = (uint8_t)CMD_REG(w);
    } else {
        if (t->cmd_read)
            in = read_reg(t, t->page, t->addr);
        else
            write_reg(t, t->page, t->addr, w);
        t->addr = (t->addr + 1) % NREGS;
    }
    update(t);
    return in;
}

void vt_tsc2301_spi(vt_device *dev, vt_spi_target *out) {
    *out = (vt_spi_target){spi_select, spi_transfer, dev->priv};
}

static uint16_t to12(int32_t v) {
    return (uint16_t)((v < 0 ? 0 : v > 65535 ? 65535 : v) >> 4);
}

void vt_tsc2301_touch(vt_device *dev, int32_t x, int32_t y, bool down) {
    tsc *t = dev->priv;
    if (!ADC_SCAN(t->reg[1][P1_ADC])) return; /* no conversions: nothing is measured */
    t->reg[0][P0_X] = down ? to12(x) : 0;
    t->reg[0][P0_Y] = down ? to12(y) : 0;
    t->reg[0][P0_Z1] = down ? Z_TOUCH1 : 0;
    t->reg[0][P0_Z2] = down ? Z_TOUCH2 : 0;
    t->dav = true;
    update(t);
}

void vt_tsc2301_key(vt_device *dev, unsigned key, bool down) {
    tsc *t = dev->priv;
    if (key > 15) return;
    uint16_t was = t->keys, bit = (uint16_t)(1u << key);
    t->keys = down ? was | bit : was & (uint16_t)~bit;
    if (((was ^ t->keys) & ~t->reg[1][P1_KPMASK]) && !(t->reg[1][P1_KEY] & KEY_STOP))
        t->kbirq = true;
    update(t);
}

static int tsc_create(vt_device *d, vt_error *err) {
    tsc *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    d->priv = t;
    t->dev = d;
    return 0;
}

static void tsc_reset(vt_device *d) {
    tsc *t = d->priv;
    chip_reset(t);
    t->keys = 0;
    t->selected = t->have_cmd = false;
    update(t);
}

static void tsc_save(const vt_device *d, vt_state_writer *w) {
    const tsc *t = d->priv;
    vt_state_begin(w, "T231", 1);
    for (int p = 0; p < NPAGES; p++)
        for (int r = 0; r < NREGS; r++)
            vt_state_put_u16(w, t->reg[p][r]);
    vt_state_put_u16(w, t->keys);
    vt_state_put_u16(w, t->cmd_read);
    const uint8_t b[] = {t->dav, t->kbirq, t->selected, t->have_cmd, t->page, t->addr};
    vt_state_put_bytes(w, b, sizeof b);
    vt_state_end(w);
}

static int tsc_load(vt_device *d, vt_state_reader *r) {
    tsc *t = d->priv;
    uint32_t ver;
    if (vt_state_open(r, "T231", 1, &ver)) return -1;
    for (int p = 0; p < NPAGES; p++)
        for (int i = 0; i < NREGS; i++)
            t->reg[p][i] = vt_state_get_u16(r);
    t->keys = vt_state_get_u16(r);
    t->cmd_read = vt_state_get_u16(r) & CMD_READ;
    uint8_t b[6];
    vt_state_get_bytes(r, b, sizeof b);
    t->dav = b[0], t->kbirq = b[1], t->selected = b[2], t->have_cmd = b[3];
    t->page = b[4] & 3, t->addr = b[5] % NREGS;
    if (vt_state_close(r)) return -1;
    update(t);
    return 0;
}

static void tsc_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_tsc2301 = {
    .name = "tsc2301",
    .description = "TI TSC2301 touch-screen/keypad/audio controller on SPI (irq DAV, irq1 KBIRQ)",
    .keys = (const vt_dev_key[]){{NULL, 0, NULL, NULL}},
    .irq_outputs = 2,
    .create = tsc_create,
    .reset = tsc_reset,
    .save = tsc_save,
    .load = tsc_load,
    .destroy = tsc_destroy,
};
