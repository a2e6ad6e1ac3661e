/* Vitrine test device ("vitrine-testdev"): a device of our own with no hardware counterpart,
 * used by the unit tests and tiny test profiles to exercise the bus, the scheduler and IRQ
 * wiring. Registers (32-bit, little-endian unless `endian = big`):
 *   0x00 ID      reads 0x56545354 ("VTST")     0x04 SCRATCH  read/write
 *   0x08 PERIOD  timer period in device clock cycles; 0 stops the timer; writing restarts it
 *   0x0c STATUS  bit 0 = timer expired (drives irq); write 1 to clear
 *   0x10 TICKS   number of expiries so far      0x14 CONSOLE  write: byte to serial `serial`
 *   0x18 EXIT    write: stop the machine with this exit status
 *   0x1c INPUTS  levels of the 32 interrupt inputs (`irq = thisdev.N` elsewhere)
 *   disk (key `disk = N`, machine disk N): 0x20 LBA, 0x24 CMD (1 read sector into the buffer,
 *   2 write the buffer to the sector, 3 flush), 0x28 RESULT (0 ok, 1 I/O error or LBA out of
 *   range, 2 no disk), 0x2c SECTORS (disk size in sectors, low 32 bits), 0x200-0x3ff buffer */
#include "core/block/block.h"
#include "core/chardev.h"
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    REG_ID = 0x00,
    REG_SCRATCH = 0x04,
    REG_PERIOD = 0x08,
    REG_STATUS = 0x0c,
    REG_TICKS = 0x10,
    REG_CONSOLE = 0x14,
    REG_EXIT = 0x18,
    REG_INPUTS = 0x1c,
    REG_LBA = 0x20,
    REG_CMD = 0x24,
    REG_RESULT = 0x28,
    REG_SECTORS = 0x2c,
    BUF_BASE = 0x200,
    BUF_END = 0x400
};

typedef struct testdev {
    vt_device *dev;
    vt_clock clock;
    vt_event timer;
    uint64_t start_cycle; /* device-clock cycle at which the current period started */
    uint32_t scratch, period, status, ticks, inputs;
    vt_chardev *serial;
    vt_block *disk;
    uint32_t lba, result;
    uint8_t buf[VT_SECTOR_SIZE];
} testdev;

static void update_irq(testdev *t) {
    vt_irq_set(&t->dev->irq[0], t->status & 1);
}

static void arm(testdev *t) {
    vt_sched *s = vt_dev_sched(t->dev);
    if (!t->period) {
        vt_sched_cancel(s, &t->timer);
        return;
    }
    vt_sched_arm(s, &t->timer, vt_clock_to_time(&t->clock, t->start_cycle + t->period));
}

static void expire(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    testdev *t = opaque;
    t->start_cycle += t->period; /* absolute cycle count: periods never drift */
    t->ticks++;
    t->status |= 1;
    update_irq(t);
    arm(t);
}

static void disk_command(testdev *t, uint32_t cmd) {
    vt_error err;
    int rc;
    if (!t->disk) {
        t->result = 2;
        return;
    }
    switch (cmd) {
    case 1:
        rc = vt_block_read_sectors(t->disk, t->lba, 1, t->buf, &err);
        break;
    case 2:
        rc = vt_block_write_sectors(t->disk, t->lba, 1, t->buf, &err);
        break;
    case 3:
        rc = vt_block_flush(t->disk, &err);
        break;
    default:
        vt_dev_log_unknown(t->dev, "disk command", REG_CMD, 4, cmd);
        t->result = 1;
        return;
    }
    if (rc) vt_log(VT_LOG_BLOCK, "%s: %s", t->dev->name, err.msg);
    t->result = rc ? 1 : 0;
}

static uint64_t td_read(void *opaque, uint64_t off, unsigned size) {
    testdev *t = opaque;
    if (off >= BUF_BASE && off < BUF_END && size <= BUF_END - off)
        return vt_load(t->buf + off - BUF_BASE, size, VT_LITTLE_ENDIAN);
    switch (off) {
    case REG_ID:
        return 0x56545354;
    case REG_SCRATCH:
        return t->scratch;
    case REG_PERIOD:
        return t->period;
    case REG_STATUS:
        return t->status;
    case REG_TICKS:
        return t->ticks;
    case REG_INPUTS:
        return t->inputs;
    case REG_LBA:
        return t->lba;
    case REG_RESULT:
        return t->result;
    case REG_SECTORS:
        return t->disk ? (uint32_t)vt_block_sectors(t->disk) : 0;
    default:
        vt_dev_log_unknown(t->dev, "read", off, size, 0);
        return 0;
    }
}

static void td_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    testdev *t = opaque;
    if (off >= BUF_BASE && off < BUF_END && size <= BUF_END - off) {
        vt_store(t->buf + off - BUF_BASE, size, VT_LITTLE_ENDIAN, v);
        return;
    }
    switch (off) {
    case REG_SCRATCH:
        t->scratch = (uint32_t)v;
        break;
    case REG_PERIOD:
        t->period = (uint32_t)v;
        t->start_cycle = vt_clock_to_cycles(&t->clock, vt_sched_now(vt_dev_sched(t->dev)));
        arm(t);
        break;
    case REG_STATUS:
        t->status &= ~(uint32_t)v;
        update_irq(t);
        break;
    case REG_CONSOLE: {
        uint8_t c = (uint8_t)v;
        vt_chardev_write(t->serial, &c, 1);
        break;
    }
    case REG_EXIT:
        vt_dev_request_stop(t->dev, (int)(v & 0xff));
        break;
    case REG_LBA:
        t->lba = (uint32_t)v;
        break;
    case REG_CMD:
        disk_command(t, (uint32_t)v);
        break;
    default:
        vt_dev_log_unknown(t->dev, "write", off, size, v);
        break;
    }
}

static const vt_mmio_ops td_ops = {td_read, td_write};

static int td_create(vt_device *d, vt_error *err) {
    uint64_t hz;
    vt_chardev *serial;
    vt_block *disk;
    if (vt_dev_u64(d, "clock", &hz, err) || vt_dev_serial(d, "serial", &serial, err) ||
        vt_dev_disk(d, "disk", &disk, err))
        return -1;
    const char *endian = vt_dev_str(d, "endian");
    if (strcmp(endian, "little") && strcmp(endian, "big"))
        return vt_fail(err, "endian must be 'little' or 'big'");
    if (d->size < BUF_END) return vt_fail(err, "size must be at least 0x%x", BUF_END);
    testdev *t = calloc(1, sizeof *t);
    if (!t) return vt_fail(err, "out of memory");
    d->priv = t;
    t->dev = d;
    t->clock.hz = hz;
    t->serial = serial;
    t->disk = disk;
    vt_event_init(&t->timer, "testdev-timer", expire, t);
    return vt_dev_map_mmio(d, &td_ops, t, strcmp(endian, "big") ? VT_LITTLE_ENDIAN : VT_BIG_ENDIAN,
                           err);
}

static void td_reset(vt_device *d) {
    testdev *t = d->priv;
    vt_sched_cancel(vt_dev_sched(d), &t->timer);
    t->scratch = t->period = t->status = t->ticks = 0;
    t->start_cycle = 0;
    t->lba = t->result = 0;
    memset(t->buf, 0, sizeof t->buf);
    update_irq(t);
}

static void td_save(const vt_device *d, vt_state_writer *w) {
    const testdev *t = d->priv;
    vt_state_put_u32(w, t->scratch);
    vt_state_put_u32(w, t->period);
    vt_state_put_u32(w, t->status);
    vt_state_put_u32(w, t->ticks);
    vt_state_put_u64(w, t->start_cycle);
    vt_state_put_u32(w, t->inputs);
    vt_state_put_u32(w, t->lba);
    vt_state_put_u32(w, t->result);
    vt_state_put_bytes(w, t->buf, sizeof t->buf);
}

static int td_load(vt_device *d, vt_state_reader *r) {
    testdev *t = d->priv;
    t->scratch = vt_state_get_u32(r);
    t->period = vt_state_get_u32(r);
    t->status = vt_state_get_u32(r) & 1;
    t->ticks = vt_state_get_u32(r);
    t->start_cycle = vt_state_get_u64(r);
    t->inputs = vt_state_get_u32(r);
    t->lba = vt_state_get_u32(r);
    t->result = vt_state_get_u32(r);
    vt_state_get_bytes(r, t->buf, sizeof t->buf);
    if (!vt_state_ok(r)) return -1;
    arm(t);
    update_irq(t);
    return 0;
}

static void input_set(void *opaque, int n, bool level) {
    testdev *t = opaque;
    t->inputs = level ? t->inputs | 1u << n : t->inputs & ~(1u << n);
}

static int td_irq_input(vt_device *d, int n, vt_irq *out, vt_error *err) {
    if (n < 0 || n > 31) return vt_fail(err, "%s has interrupt inputs 0..31, not %d", d->name, n);
    *out = (vt_irq){input_set, d->priv, n};
    return 0;
}

static void td_destroy(vt_device *d) {
    testdev *t = d->priv;
    if (t) vt_sched_cancel(vt_dev_sched(d), &t->timer);
    free(t);
}

static const vt_dev_key td_keys[] = {
    {"clock", VT_KEY_HZ, "1000000", "timer clock in Hz"},
    {"serial", VT_KEY_STR, "0", "serial endpoint index for CONSOLE, or none"},
    {"endian", VT_KEY_STR, "little", "register byte order"},
    {"disk", VT_KEY_STR, "none", "machine disk index (--disk order) or none"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_testdev = {
    .name = "vitrine-testdev",
    .description = "Vitrine test device: timer, IRQ, console and exit registers",
    .keys = td_keys,
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = td_create,
    .reset = td_reset,
    .save = td_save,
    .load = td_load,
    .destroy = td_destroy,
    .irq_input = td_irq_input,
};
