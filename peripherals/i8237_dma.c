/* Intel 8237A DMA controller ("i8237"), one of the PC's two: four channels with base/current
 * address and count (16-bit through the byte pointer flip-flop), mode (verify/write/read,
 * autoinitialise, address decrement, demand/single/block/cascade), mask, request and status
 * (terminal count, request) registers, command register (controller disable), master clear.
 * Registers are `reg_shift` apart (AT: DMA1 at 0x00-0x0F with 0, DMA2 at 0xC0-0xDF with 1);
 * `word = yes` makes a 16-bit controller (DMA2: counts words, address shifted left by one,
 * page bit 0 ignored). Address bits 23-16 come from the "dma-page" device named by `page`.
 * Devices move data with vt_i8237_transfer (no DREQ/DACK timing: a transfer happens when the
 * device calls it). Not modelled: memory-to-memory (command bit 0, logged), priority rotation
 * and DREQ/DACK polarity (no effect without bus timing), the temporary register.
 * Sources: Intel 8237A datasheet (231466); IBM PC AT Technical Reference, DMA channels. */
#include "peripherals/i8237_dma.h"

#include "core/log.h"
#include "core/device.h"
#include "core/savestate.h"
#include "peripherals/dma_page.h"

#include <stdio.h>
#include <stdlib.h>

enum {
    REG_STATUS_CMD = 8,
    REG_REQUEST = 9,
    REG_MASK_BIT = 10,
    REG_MODE = 11,
    REG_CLEAR_FLIPFLOP = 12,
    REG_MASTER_CLEAR = 13, /* read: temporary register */
    REG_CLEAR_MASKS = 14,
    REG_WRITE_MASKS = 15,
    CMD_MEM_TO_MEM = 0x01,
    CMD_DISABLE = 0x04,
    MODE_TYPE_SHIFT = 2, /* 0 verify, 1 write (to memory), 2 read (from memory) */
    MODE_AUTOINIT = 0x10,
    MODE_DECREMENT = 0x20,
    MODE_CASCADE = 0xC0,
    TYPE_VERIFY = 0,
    TYPE_WRITE = 1,
    TYPE_READ = 2,
};

typedef struct dma_chan {
    uint16_t base_addr, base_count, addr, count;
    uint8_t mode;
} dma_chan;

typedef struct dma {
    vt_device *dev;
    unsigned shift;
    bool word;
    const char *page_name;
    vt_device *page;
    uint8_t page_off[4];
    dma_chan ch[4];
    uint8_t command, mask, request, status_tc;
    bool flipflop; /* false: next access is the low byte */
} dma;

static void resolve_page(dma *c) {
    if (!c->page_name || c->page) return;
    vt_device *p = vt_dev_peer(c->dev, c->page_name);
    if (p && !strcmp(p->cls->name, "dma-page"))
        c->page = p;
    else
        vt_log(VT_LOG_DEV, "%s: page '%s' is not a dma-page device", c->dev->name, c->page_name);
}

static uint8_t reg_byte(dma *c, uint16_t v) {
    uint8_t b = c->flipflop ? (uint8_t)(v >> 8) : (uint8_t)v;
    c->flipflop = !c->flipflop;
    return b;
}

static void set_byte(dma *c, uint16_t *r, uint8_t v) {
    *r = c->flipflop ? (uint16_t)((*r & 0x00FF) | v << 8) : (uint16_t)((*r & 0xFF00) | v);
    c->flipflop = !c->flipflop;
}

static uint8_t dma_read_reg(dma *c, unsigned reg) {
    if (reg < 8) {
        dma_chan *ch = &c->ch[reg >> 1];
        return reg_byte(c, (reg & 1) ? ch->count : ch->addr);
    }
    switch (reg) {
    case REG_STATUS_CMD: {
        uint8_t v = (uint8_t)(c->status_tc | c->request << 4);
        c->status_tc = 0; /* reading status clears the TC bits */
        return v;
    }
    case REG_MASTER_CLEAR:
        return 0; /* temporary register (memory-to-memory only) */
    default:
        vt_dev_log_unknown(c->dev, "read", reg << c->shift, 1, 0);
        return 0xFF;
    }
}

static void master_clear(dma *c) {
    c->command = c->request = c->status_tc = 0;
    c->mask = 0x0F;
    c->flipflop = false;
}

static void dma_write_reg(dma *c, unsigned reg, uint8_t v) {
    if (reg < 8) {
        dma_chan *ch = &c->ch[reg >> 1];
        bool ff = c->flipflop;
        /* writes go to the base and the current register together */
        if (reg & 1) {
            set_byte(c, &ch->base_count, v);
            c->flipflop = ff;
            set_byte(c, &ch->count, v);
        } else {
            set_byte(c, &ch->base_addr, v);
            c->flipflop = ff;
            set_byte(c, &ch->addr, v);
        }
        return;
    }
    switch (reg) {
    case REG_STATUS_CMD:
        c->command = v;
        if (v & CMD_MEM_TO_MEM)
            vt_log(VT_LOG_UNIMP, "unimplemented: %s memory-to-memory transfer", c->dev->name);
        break;
    case REG_REQUEST:
        if (v & 4)
            c->request |= (uint8_t)(1u << (v & 3));
        else
            c->request &= (uint8_t) ~(1u << (v & 3));
        break;
    case REG_MASK_BIT:
        if (v & 4)
            c->mask |= (uint8_t)(1u << (v & 3));
        else
            c->mask &= (uint8_t) ~(1u << (v & 3));
        break;
    case REG_MODE:
        c->ch[v & 3].mode = v & 0xFC;
        break;
    case REG_CLEAR_FLIPFLOP:
        c->flipflop = false;
        break;
    case REG_MASTER_CLEAR:
        master_clear(c);
        break;
    case REG_CLEAR_MASKS:
        c->mask = 0;
        break;
    default:
        c->mask = v & 0x0F;
        break; /* REG_WRITE_MASKS */
    }
}

static uint64_t dma_read(void *opaque, uint64_t off, unsigned size) {
    dma *c = opaque;
    if (size == 1 && !(off & ((1u << c->shift) - 1)) && (off >> c->shift) < 16)
        return dma_read_reg(c, (unsigned)(off >> c->shift));
    vt_dev_log_unknown(c->dev, "read", off, size, 0);
    return 0xFF;
}

static void dma_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    dma *c = opaque;
    if (size == 1 && !(off & ((1u << c->shift) - 1)) && (off >> c->shift) < 16)
        dma_write_reg(c, (unsigned)(off >> c->shift), (uint8_t)v);
    else
        vt_dev_log_unknown(c->dev, "write", off, size, v);
}

static const vt_mmio_ops dma_ops = {dma_read, dma_write};

bool vt_i8237_ready(vt_device *d, int ch) {
    dma *c = d->priv;
    return ch >= 0 && ch < 4 && !(c->command & CMD_DISABLE) && !(c->mask & (1u << ch)) &&
           (c->ch[ch].mode & MODE_CASCADE) != MODE_CASCADE;
}

/* Physical address of the channel's current address. */
static vt_paddr phys(dma *c, int ch) {
    resolve_page(c);
    uint8_t page = c->page ? vt_dma_page_get(c->page, c->page_off[ch]) : 0;
    if (c->word) return (vt_paddr)(page & 0xFE) << 16 | (vt_paddr)c->ch[ch].addr << 1;
    return (vt_paddr)page << 16 | c->ch[ch].addr;
}

size_t vt_i8237_transfer(vt_device *d, int ch, uint8_t *buf, size_t len, bool *tc) {
    dma *c = d->priv;
    *tc = false;
    if (!vt_i8237_ready(d, ch)) return 0;
    dma_chan *chan = &c->ch[ch];
    unsigned type = (chan->mode >> MODE_TYPE_SHIFT) & 3, unit = c->word ? 2 : 1;
    vt_bus *bus = vt_dev_bus(d);
    size_t done = 0;
    while (done + unit <= len) {
        vt_paddr a = phys(c, ch);
        if (type == TYPE_WRITE) {
            if (vt_bus_write_block(bus, a, buf + done, unit) != VT_BUS_OK)
                vt_log(VT_LOG_DEV, "%s: channel %d write to 0x%llx lost", d->name, ch,
                       (unsigned long long)a);
        } else if (type == TYPE_READ) {
            if (vt_bus_read_block(bus, a, buf + done, unit) != VT_BUS_OK)
                memset(buf + done, 0xFF, unit); /* nothing answers: the bus floats high */
        } else if (type != TYPE_VERIFY) {
            vt_log(VT_LOG_UNIMP, "unimplemented: %s illegal transfer type 3", d->name);
            break;
        }
        done += unit;
        chan->addr = (uint16_t)(chan->addr + ((chan->mode & MODE_DECREMENT) ? -1 : 1));
        if (chan->count-- == 0) { /* terminal count: the count rolled over from 0 */
            *tc = true;
            c->status_tc |= (uint8_t)(1u << ch);
            c->request &= (uint8_t) ~(1u << ch);
            if (chan->mode & MODE_AUTOINIT) {
                chan->addr = chan->base_addr;
                chan->count = chan->base_count;
            } else {
                c->mask |= (uint8_t)(1u << ch);
            }
            break;
        }
    }
    return done;
}

static int parse_offsets(vt_device *d, dma *c, vt_error *err) {
    const char *s = vt_dev_str(d, "page_offsets");
    unsigned v[4];
    char tail;
    if (sscanf(s, "%u,%u,%u,%u%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
        return vt_fail(err, "page_offsets must be four numbers 0..15, not '%s'", s);
    for (int i = 0; i < 4; i++) {
        if (v[i] > 15) return vt_fail(err, "page_offsets must be four numbers 0..15, not '%s'", s);
        c->page_off[i] = (uint8_t)v[i];
    }
    return 0;
}

static int dma_create(vt_device *d, vt_error *err) {
    uint64_t shift;
    bool word;
    if (vt_dev_u64(d, "reg_shift", &shift, err) || vt_dev_bool(d, "word", &word, err)) return -1;
    if (shift > 2) return vt_fail(err, "reg_shift must be 0..2");
    if (d->size < (16u << shift))
        return vt_fail(err, "size must cover 16 registers (0x%x)", 16u << shift);
    dma *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    c->dev = d;
    d->priv = c;
    c->shift = (unsigned)shift;
    c->word = word;
    const char *page = vt_dev_str(d, "page");
    c->page_name = strcmp(page, "none") ? page : NULL;
    if (parse_offsets(d, c, err)) return -1;
    return vt_dev_map_mmio(d, &dma_ops, c, VT_LITTLE_ENDIAN, err);
}

static void dma_reset(vt_device *d) {
    dma *c = d->priv;
    master_clear(c); /* RESET does what master clear does (datasheet) */
    for (int i = 0; i < 4; i++)
        c->ch[i].mode = 0;
    resolve_page(c);
}

static void dma_save(const vt_device *d, vt_state_writer *w) {
    const dma *c = d->priv;
    vt_state_begin(w, "8237", 1);
    for (int i = 0; i < 4; i++) {
        const dma_chan *ch = &c->ch[i];
        vt_state_put_u16(w, ch->base_addr);
        vt_state_put_u16(w, ch->base_count);
        vt_state_put_u16(w, ch->addr);
        vt_state_put_u16(w, ch->count);
        vt_state_put_u8(w, ch->mode);
    }
    const uint8_t b[] = {c->command, c->mask, c->request, c->status_tc, c->flipflop};
    vt_state_put_bytes(w, b, sizeof b);
    vt_state_end(w);
}

static int dma_load(vt_device *d, vt_state_reader *r) {
    dma *c = d->priv;
    uint32_t ver;
    uint8_t b[5];
    if (vt_state_open(r, "8237", 1, &ver)) return -1;
    for (int i = 0; i < 4; i++) {
        dma_chan *ch = &c->ch[i];
        ch->base_addr = vt_state_get_u16(r);
        ch->base_count = vt_state_get_u16(r);
        ch->addr = vt_state_get_u16(r);
        ch->count = vt_state_get_u16(r);
        ch->mode = vt_state_get_u8(r) & 0xFC;
    }
    vt_state_get_bytes(r, b, sizeof b);
    c->command = b[0], c->mask = b[1] & 0x0F, c->request = b[2] & 0x0F;
    c->status_tc = b[3] & 0x0F, c->flipflop = b[4];
    return vt_state_close(r);
}

static void dma_destroy(vt_device *d) {
    free(d->priv);
}

const vt_device_class vt_dev_i8237 = {
    .name = "i8237",
    .description = "Intel 8237A DMA controller (4 channels; 8- or 16-bit as on the PC AT)",
    .keys =
        (const vt_dev_key[]){
            {"reg_shift", VT_KEY_U64, "0", "registers are 1 << reg_shift bytes apart (AT DMA2: 1)"},
            {"word", VT_KEY_BOOL, "no", "16-bit controller: counts words (AT DMA2)"},
            {"page", VT_KEY_STR, "none", "dma-page device supplying address bits 23-16, or none"},
            {"page_offsets", VT_KEY_STR, "7,3,1,2", "page register offset per channel 0-3"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .create = dma_create,
    .reset = dma_reset,
    .save = dma_save,
    .load = dma_load,
    .destroy = dma_destroy,
};
