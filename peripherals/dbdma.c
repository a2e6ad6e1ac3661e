/* Apple DBDMA channel: control (mask in the high half, value in the low half), status (RUN,
 * PAUSE, FLUSH, WAKE, DEAD, ACTIVE, BT, device bits S7-S0), the command pointer and the
 * interrupt/branch/wait selects; the interpreter runs 16-byte little-endian descriptors
 * (req_count, command, address, cmd_dep, res_count, xfer_status): OUTPUT_MORE/LAST and
 * INPUT_MORE/LAST move data through the owning device, NOP, STOP; each completed descriptor
 * gets its status and residual count written back, then its interrupt, branch and wait
 * conditions apply. LOAD_QUAD/STORE_QUAD are not modelled (logged as unimplemented, channel
 * DEAD). A list is interpreted at most 1024 descriptors at a time, continuing 1 us later, so
 * a looping list cannot hold the host. Sources: Apple "Designing PCI Cards and Drivers for
 * Power Macintosh Computers" ch. 12 (DBDMA); Linux arch/powerpc/include/asm/dbdma.h (register
 * and bit layout); QEMU hw/misc/macio/mac_dbdma.c (behaviour checks; facts only). */
#include "peripherals/dbdma.h"

#include "core/log.h"

enum {
    REG_CONTROL = 0x00,
    REG_STATUS = 0x04,
    REG_CMDPTR_HI = 0x08,
    REG_CMDPTR = 0x0c,
    REG_INTR_SEL = 0x10,
    REG_BR_SEL = 0x14,
    REG_WAIT_SEL = 0x18
};
#define ST_RUN 0x8000u
#define ST_PAUSE 0x4000u
#define ST_FLUSH 0x2000u
#define ST_WAKE 0x1000u
#define ST_DEAD 0x0800u
#define ST_ACTIVE 0x0400u
#define ST_BT 0x0100u
#define ST_DEVICE 0x00ffu
#define CONTROL_BITS (ST_RUN | ST_PAUSE | ST_FLUSH | ST_WAKE | ST_DEVICE)
enum {
    OP_OUTPUT_MORE,
    OP_OUTPUT_LAST,
    OP_INPUT_MORE,
    OP_INPUT_LAST,
    OP_STORE_QUAD,
    OP_LOAD_QUAD,
    OP_NOP,
    OP_STOP
};
enum { COND_NEVER, COND_TRUE, COND_FALSE, COND_ALWAYS };
#define KEY_STREAM3 3 /* keys 0-3: data streams; 5 registers, 6 system, 7 device */
#define DESC 16u
#define SLICE 1024
#define CHUNK 4096u

static void pulse(vt_dbdma *ch) {
    vt_irq_set(ch->irq, true);
    vt_irq_set(ch->irq, false);
}

/* A select register's condition on the device bits: (S & mask) == (value & mask). */
static bool cond(const vt_dbdma *ch, uint32_t sel, unsigned mode) {
    uint32_t mask = (sel >> 16) & 0xff;
    bool hit = (ch->status & mask) == (sel & mask);
    return mode == COND_ALWAYS || (mode == COND_TRUE && hit) || (mode == COND_FALSE && !hit);
}

static void die(vt_dbdma *ch) {
    ch->status = (ch->status | ST_DEAD) & ~ST_ACTIVE;
    pulse(ch);
}

/* Moves the data of an INPUT/OUTPUT descriptor; false when the device or memory stalls it. */
static bool move(vt_dbdma *ch, uint32_t addr, uint32_t req, bool to_memory) {
    uint8_t tmp[CHUNK];
    while (ch->done < req) {
        uint32_t n = req - ch->done < CHUNK ? req - ch->done : CHUNK;
        uint32_t got;
        if (to_memory) {
            got = ch->xfer(ch->opaque, tmp, n, true);
            if (got && vt_dma_write(&ch->mem, addr + ch->done, tmp, got)) {
                vt_log(VT_LOG_DEV, "%s: DMA write to 0x%08x failed", ch->name, addr + ch->done);
                die(ch);
                return false;
            }
        } else {
            if (vt_dma_read(&ch->mem, addr + ch->done, tmp, n)) {
                vt_log(VT_LOG_DEV, "%s: DMA read from 0x%08x failed", ch->name, addr + ch->done);
                die(ch);
                return false;
            }
            got = ch->xfer(ch->opaque, tmp, n, false);
        }
        if (!got) return false; /* the device has no more now: the descriptor stays current */
        ch->done += got;
    }
    return true;
}

/* Writes res_count and xfer_status back into the descriptor. */
static bool write_back(vt_dbdma *ch, uint32_t req) {
    uint8_t tail[4];
    uint32_t res = req - ch->done;
    tail[0] = (uint8_t)res;
    tail[1] = (uint8_t)(res >> 8);
    tail[2] = (uint8_t)ch->status;
    tail[3] = (uint8_t)(ch->status >> 8);
    if (vt_dma_write(&ch->mem, ch->cmdptr + 12, tail, sizeof tail)) {
        die(ch);
        return false;
    }
    return true;
}

static bool runnable(const vt_dbdma *ch) {
    return (ch->status & (ST_RUN | ST_ACTIVE)) == (ST_RUN | ST_ACTIVE) &&
           !(ch->status & (ST_PAUSE | ST_DEAD));
}

void vt_dbdma_kick(vt_dbdma *ch) {
    if (ch->waiting) {
        if (cond(ch, ch->wait_sel, COND_TRUE)) return;
        ch->waiting = false;
    }
    for (int steps = 0; runnable(ch); steps++) {
        if (steps == SLICE) {
            vt_sched_arm(ch->sched, &ch->resume, vt_sched_now(ch->sched) + VT_PS_PER_SEC / 1000000);
            return;
        }
        uint8_t d[DESC];
        if (vt_dma_read(&ch->mem, ch->cmdptr, d, DESC)) {
            vt_log(VT_LOG_DEV, "%s: no memory at command pointer 0x%08x", ch->name, ch->cmdptr);
            die(ch);
            return;
        }
        uint32_t req = load_le16(d), cmd = load_le16(d + 2), addr = load_le32(d + 4);
        uint32_t dep = load_le32(d + 8);
        unsigned op = cmd >> 12, key = (cmd >> 8) & 7;
        unsigned i = (cmd >> 4) & 3, b = (cmd >> 2) & 3, w = cmd & 3;
        if (op <= OP_INPUT_LAST) {
            if (key > KEY_STREAM3) {
                vt_log(VT_LOG_UNIMP, "%s: data descriptor with key %u not modelled", ch->name, key);
                die(ch);
                return;
            }
            if (!move(ch, addr, req, op >= OP_INPUT_MORE)) return;
        } else if (op == OP_STOP) {
            ch->status &= ~ST_ACTIVE;
            return;
        } else if (op != OP_NOP) {
            vt_log(VT_LOG_UNIMP, "%s: DBDMA %s not modelled", ch->name,
                   op == OP_LOAD_QUAD ? "LOAD_QUAD" : "STORE_QUAD");
            die(ch);
            return;
        }
        if (!write_back(ch, req)) return;
        ch->done = 0;
        if (cond(ch, ch->intr_sel, i)) pulse(ch);
        if (cond(ch, ch->br_sel, b)) {
            ch->cmdptr = dep & ~(DESC - 1);
            ch->status |= ST_BT;
        } else {
            ch->cmdptr += DESC;
            ch->status &= ~ST_BT;
        }
        if (cond(ch, ch->wait_sel, w)) {
            ch->waiting = true;
            return;
        }
    }
}

static void resume(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(t);
    VT_UNUSED(late);
    vt_dbdma_kick(opaque);
}

void vt_dbdma_init(vt_dbdma *ch, vt_sched *sched) {
    ch->sched = sched;
    vt_event_init(&ch->resume, "dbdma", resume, ch);
}

void vt_dbdma_reset(vt_dbdma *ch) {
    vt_sched_cancel(ch->sched, &ch->resume);
    ch->status = ch->cmdptr = ch->intr_sel = ch->br_sel = ch->wait_sel = ch->done = 0;
    ch->waiting = false;
}

static void control(vt_dbdma *ch, uint32_t v) {
    uint32_t mask = (v >> 16) & CONTROL_BITS, old = ch->status;
    ch->status = (ch->status & ~mask) | (v & mask);
    if ((old & ST_RUN) && !(ch->status & ST_RUN)) { /* stopped: idle, errors cleared */
        ch->status &= ~(ST_ACTIVE | ST_DEAD);
        ch->done = 0;
        ch->waiting = false;
    } else if (!(old & ST_RUN) && (ch->status & ST_RUN)) { /* started at the command pointer */
        ch->status = (ch->status | ST_ACTIVE) & ~ST_DEAD;
        ch->done = 0;
    }
    if (ch->status & ST_WAKE) { /* resume at the command pointer after a STOP or a wait */
        ch->status &= ~ST_WAKE;
        if (ch->status & ST_RUN) ch->status |= ST_ACTIVE;
        ch->waiting = false;
    }
    if (ch->status & ST_FLUSH) { /* no FIFO to drain: report the descriptor's progress */
        ch->status &= ~ST_FLUSH;
        if (runnable(ch) && ch->done) {
            uint8_t d[DESC];
            if (!vt_dma_read(&ch->mem, ch->cmdptr, d, DESC) && !write_back(ch, load_le16(d)))
                return;
        }
    }
    vt_dbdma_kick(ch);
}

uint32_t vt_dbdma_read(vt_dbdma *ch, uint64_t off) {
    switch (off) {
    case REG_CONTROL:
        return 0; /* write-only */
    case REG_STATUS:
        return ch->status;
    case REG_CMDPTR_HI:
        return 0;
    case REG_CMDPTR:
        return ch->cmdptr;
    case REG_INTR_SEL:
        return ch->intr_sel;
    case REG_BR_SEL:
        return ch->br_sel;
    case REG_WAIT_SEL:
        return ch->wait_sel;
    default:
        vt_log(VT_LOG_MMIO, "%s: unknown DBDMA register read offset 0x%llx", ch->name,
               (unsigned long long)off);
        return 0;
    }
}

void vt_dbdma_write(vt_dbdma *ch, uint64_t off, uint32_t v) {
    switch (off) {
    case REG_CONTROL:
        control(ch, v);
        break;
    case REG_CMDPTR:
        if (!(ch->status & (ST_RUN | ST_ACTIVE))) ch->cmdptr = v & ~(DESC - 1);
        break;
    case REG_CMDPTR_HI:
        break; /* 32-bit addresses only */
    case REG_INTR_SEL:
        ch->intr_sel = v & 0x00ff00ff;
        break;
    case REG_BR_SEL:
        ch->br_sel = v & 0x00ff00ff;
        break;
    case REG_WAIT_SEL:
        ch->wait_sel = v & 0x00ff00ff;
        vt_dbdma_kick(ch);
        break;
    default:
        vt_log(VT_LOG_MMIO, "%s: unknown DBDMA register write offset 0x%llx value 0x%x", ch->name,
               (unsigned long long)off, v);
        break;
    }
}

void vt_dbdma_save(const vt_dbdma *ch, vt_state_writer *w) {
    vt_state_begin(w, "DBDM", 1);
    vt_state_put_u32(w, ch->status);
    vt_state_put_u32(w, ch->cmdptr);
    vt_state_put_u32(w, ch->intr_sel);
    vt_state_put_u32(w, ch->br_sel);
    vt_state_put_u32(w, ch->wait_sel);
    vt_state_put_u32(w, ch->done);
    vt_state_put_u8(w, ch->waiting);
    vt_state_put_u8(w, vt_event_armed(&ch->resume));
    vt_state_put_u64(w, ch->resume.when);
    vt_state_end(w);
}

int vt_dbdma_load(vt_dbdma *ch, vt_state_reader *r) {
    uint32_t version;
    if (vt_state_open(r, "DBDM", 1, &version)) return -1;
    ch->status = vt_state_get_u32(r) & (CONTROL_BITS | ST_DEAD | ST_ACTIVE | ST_BT);
    ch->cmdptr = vt_state_get_u32(r) & ~(DESC - 1);
    ch->intr_sel = vt_state_get_u32(r) & 0x00ff00ff;
    ch->br_sel = vt_state_get_u32(r) & 0x00ff00ff;
    ch->wait_sel = vt_state_get_u32(r) & 0x00ff00ff;
    ch->done = vt_state_get_index(r, 0x10000);
    ch->waiting = vt_state_get_u8(r) != 0;
    bool armed = vt_state_get_u8(r) != 0;
    vt_time when = vt_state_get_u64(r);
    if (vt_state_close(r)) return -1;
    vt_sched_cancel(ch->sched, &ch->resume);
    if (armed) vt_sched_arm(ch->sched, &ch->resume, when);
    return 0;
}
