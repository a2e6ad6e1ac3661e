/* The PC's NMI status and control register, "port B" (port 0x61 on the AT and the PIIX3
 * NMISC): bit 0 gates 8254 channel 2 (output `irq`, wired to the PIT's GATE2), bit 1 enables
 * the speaker data (output `irq1`), bits 2-3 enable SERR#/IOCHK# NMIs; read-only bit 4 toggles
 * with every DRAM refresh request (15.085 us) and bit 5 is the PIT's OUT2. Sources: IBM PC AT
 * Technical Reference (port 61h); Intel 82371SB (PIIX3) datasheet §4.7.2 NMISC. */
#include "core/device.h"
#include "core/savestate.h"
#include "peripherals/i8254_pit.h"

#include <stdlib.h>

#define PORTB_TIM2_GATE 0x01
#define PORTB_SPKR_DATA 0x02
#define PORTB_WRITABLE 0x0f /* gate, speaker, SERR# and IOCHK# NMI enables */
#define PORTB_REFRESH 0x10  /* toggles per refresh request */
#define PORTB_TIM2_OUT 0x20
#define REFRESH_PERIOD_PS 15085000ull /* 15.085 us (PIIX3 refresh interval) */

typedef struct port_b {
    vt_device *dev, *pit;
    uint8_t reg;
} port_b;

static uint64_t pb_read(void *opaque, uint64_t off, unsigned size) {
    port_b *p = opaque;
    if (off != 0 || size != 1) {
        vt_dev_log_unknown(p->dev, "read", off, size, 0);
        return 0xff;
    }
    uint8_t v = p->reg;
    if ((vt_sched_now(vt_dev_sched(p->dev)) / REFRESH_PERIOD_PS) & 1) v |= PORTB_REFRESH;
    if (vt_i8254_out(p->pit, 2)) v |= PORTB_TIM2_OUT;
    return v;
}

static void set_reg(port_b *p, uint8_t v) {
    p->reg = v & PORTB_WRITABLE;
    vt_irq_set(&p->dev->irq[0], p->reg & PORTB_TIM2_GATE);
    vt_irq_set(&p->dev->irq[1], p->reg & PORTB_SPKR_DATA);
}

static void pb_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    port_b *p = opaque;
    if (off != 0 || size != 1) {
        vt_dev_log_unknown(p->dev, "write", off, size, v);
        return;
    }
    set_reg(p, (uint8_t)v);
}

static const vt_mmio_ops pb_ops = {pb_read, pb_write};

static int pb_create(vt_device *d, vt_error *err) {
    const char *pit = vt_dev_str(d, "pit");
    vt_device *peer = vt_dev_peer(d, pit);
    if (!peer || strcmp(peer->cls->name, "i8254"))
        return vt_fail(err, "'pit' must name an i8254 declared earlier (got '%s')", pit);
    port_b *p = calloc(1, sizeof *p);
    if (!p) return vt_fail(err, "out of memory");
    p->dev = d;
    p->pit = peer;
    d->priv = p;
    return vt_dev_map_mmio(d, &pb_ops, p, VT_LITTLE_ENDIAN, err);
}

static void pb_reset(vt_device *d) {
    set_reg(d->priv, 0);
}

static void pb_save(const vt_device *d, vt_state_writer *w) {
    const port_b *p = d->priv;
    vt_state_begin(w, "PRTB", 1);
    vt_state_put_u8(w, p->reg);
    vt_state_end(w);
}

static int pb_load(vt_device *d, vt_state_reader *r) {
    uint32_t version;
    if (vt_state_open(r, "PRTB", 1, &version)) return -1;
    set_reg(d->priv, vt_state_get_u8(r));
    return vt_state_close(r);
}

static void pb_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_pc_port_b = {
    .name = "pc-port-b",
    .description = "PC port B (0x61): PIT channel 2 gate, speaker enable, refresh, OUT2",
    .keys = (const vt_dev_key[]){{"pit", VT_KEY_STR, "pit", "the i8254 whose OUT2 bit 5 shows"},
                                 {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 2, /* irq = GATE2, irq1 = speaker data enable */
    .create = pb_create,
    .reset = pb_reset,
    .save = pb_save,
    .load = pb_load,
    .destroy = pb_destroy,
};
