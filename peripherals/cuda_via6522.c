/* Apple CUDA system controller as the host sees it: a 6522 VIA (registers 0x200 apart) whose
 * shift register and port B lines TIP (0x20, host out), TACK (0x10, host out) and TREQ (0x08,
 * CUDA out) carry packets to the CUDA microcontroller: ADB transactions (to adb_bus.c), the
 * real-time clock (seconds since 1904), PRAM, autopoll, power-down and reset. Replies are
 * [type, status, ...] as QEMU's model sends them; toggling TACK with TIP negated is the sync
 * handshake, answered on TREQ. With autopoll on, CUDA polls the ADB devices every auto rate
 * (default 11 ms) while one has data and sends [0, 0x40 (autopoll), command, data...] to the
 * host unasked (TREQ with the line idle). VIA timers 1 and 2 count at `via_hz`.
 * Sources: Rockwell R6522 datasheet (registers, IFR/IER, ACR, timers); Linux
 * drivers/macintosh/via-cuda.c and OpenBIOS drivers/cuda.c (handshake, as a client does it);
 * QEMU hw/misc/macio/cuda.c (reply layout, command numbers; facts only). */
#include "core/log.h"
#include "core/savestate.h"
#include "peripherals/adb_bus.h"
#include "peripherals/cuda.h"
#include "peripherals/rtc_start.h"

#include <stdio.h>
#include <stdlib.h>

/* VIA register numbers (offset >> 9) */
enum {
    VIA_B,
    VIA_A,
    VIA_DIRB,
    VIA_DIRA,
    VIA_T1CL,
    VIA_T1CH,
    VIA_T1LL,
    VIA_T1LH,
    VIA_T2CL,
    VIA_T2CH,
    VIA_SR,
    VIA_ACR,
    VIA_PCR,
    VIA_IFR,
    VIA_IER,
    VIA_ANH
};
#define VIA_REG_SHIFT 9

#define PB_TREQ 0x08 /* transfer request from CUDA, active low */
#define PB_TACK 0x10 /* transfer acknowledge from the host */
#define PB_TIP 0x20  /* transfer in progress, active low */
#define ACR_SR_OUT 0x10
#define ACR_T1_FREERUN 0x40
#define ACR_T2_COUNT_PB6 0x20
#define IFR_SR 0x04
#define IFR_T2 0x20
#define IFR_T1 0x40
#define IFR_ANY 0x80
#define IER_SET 0x80

/* packet types and CUDA commands */
#define PKT_ADB 0
#define PKT_CUDA 1
#define PKT_ERROR 2
#define CUDA_AUTOPOLL 0x01
#define CUDA_GET_PRAM 0x07
#define CUDA_GET_TIME 0x03
#define CUDA_SET_TIME 0x09
#define CUDA_POWERDOWN 0x0a
#define CUDA_SET_PRAM 0x0c
#define CUDA_RESET_SYSTEM 0x11
#define CUDA_FILE_SERVER_FLAG 0x13
#define CUDA_SET_DEVICE_LIST 0x19
#define CUDA_SET_AUTO_RATE 0x1b
#define CUDA_SET_POWER_MESSAGES 0x21
#define ADB_STATUS_TIMEOUT 0x02
#define ADB_STATUS_AUTOPOLL 0x40 /* an unasked packet from autopolling (Linux via-cuda.c) */
#define AUTOPOLL_MS_DEFAULT 11
#define ERR_UNKNOWN_COMMAND 0x02
#define MAC_EPOCH_OFFSET 2082844800ll /* seconds from 1904-01-01 to 1970-01-01 */
#define PRAM_SIZE 256
#define BUF_SIZE 32

typedef enum { XFER_IDLE, XFER_HOST_SENDING, XFER_REPLY_PENDING, XFER_REPLY } xfer_state;

typedef struct cuda {
    vt_device *dev;
    vt_clock via_clock;
    vt_event t1_event, t2_event;
    vt_adb_bus adb;
    int64_t rtc_base; /* seconds since 1970 at emulated time 0, plus SET_TIME adjustments */
    uint8_t orb, ora, dirb, dira, sr, acr, pcr, ifr, ier;
    uint16_t t1_latch;
    vt_time t1_start, t2_start; /* when the counter was loaded with t*_value */
    uint16_t t1_value, t2_value;
    bool treq; /* asserted (line low) */
    xfer_state state;
    uint8_t in[BUF_SIZE], out[BUF_SIZE];
    int in_len, out_len, out_pos;
    uint8_t autopoll, autopoll_ms;
    vt_event poll_event;
    uint8_t poll[BUF_SIZE]; /* an autopoll packet not yet clocked out to the host */
    int poll_len;
    bool poll_offered; /* the pending reply (TREQ) is that packet */
    uint8_t pram[PRAM_SIZE];
} cuda;

static vt_time now(const cuda *c) {
    return vt_sched_now(vt_dev_sched(c->dev));
}

static void update_irq(cuda *c) {
    vt_irq_set(&c->dev->irq[0], (c->ifr & c->ier & 0x7f) != 0);
}

static void raise(cuda *c, uint8_t bits) {
    c->ifr |= bits;
    update_irq(c);
}

/* Counter value `start` ticks ago loaded with `value` (it keeps counting down through 0). */
static uint16_t counter(const cuda *c, vt_time start, uint16_t value) {
    uint64_t ticks = vt_clock_to_cycles(&c->via_clock, now(c) - start);
    return (uint16_t)(value - ticks);
}

static void arm_timer(cuda *c, vt_event *e, vt_time start, uint16_t value) {
    vt_sched_arm(vt_dev_sched(c->dev), e, start + vt_clock_to_time(&c->via_clock, value + 1u));
}

static void t1_fire(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(late);
    cuda *c = opaque;
    raise(c, IFR_T1);
    if (c->acr & ACR_T1_FREERUN) { /* reload from the latch and go on */
        c->t1_start = t;
        c->t1_value = c->t1_latch;
        arm_timer(c, &c->t1_event, t, c->t1_latch);
    }
}

static void t2_fire(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(t);
    VT_UNUSED(late);
    raise(opaque, IFR_T2);
}

static int64_t mac_time(const cuda *c) {
    return c->rtc_base + (int64_t)(now(c) / VT_PS_PER_SEC) + MAC_EPOCH_OFFSET;
}

static void reply(cuda *c, const uint8_t *data, int len) {
    memcpy(c->out, data, (size_t)len);
    c->out_len = len;
}

static void log_packet(const cuda *c, const char *what, const uint8_t *p, int len) {
    if (!vt_log_enabled(VT_LOG_DEV)) return;
    char hex[3 * BUF_SIZE + 1] = "";
    for (int i = 0; i < len; i++)
        snprintf(hex + 3 * i, 4, " %02x", p[i]);
    vt_log(VT_LOG_DEV, "%s: %s%s", c->dev->name, what, hex);
}

/* Autopoll runs while it is on and a device has something to report (a poll finding nothing
 * changes nothing the host sees, so idle polls are not scheduled). */
static void arm_poll(cuda *c) {
    vt_sched *s = vt_dev_sched(c->dev);
    if (c->autopoll && (c->poll_len || vt_adb_pending(&c->adb)) && !vt_event_armed(&c->poll_event))
        vt_sched_arm(s, &c->poll_event,
                     vt_sched_now(s) + (vt_time)c->autopoll_ms * (VT_PS_PER_SEC / 1000));
}

static void poll_fire(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(t);
    VT_UNUSED(late);
    cuda *c = opaque;
    if (c->autopoll && c->state == XFER_IDLE && !c->treq) {
        if (!c->poll_len) {
            uint8_t data[VT_ADB_MAX_REPLY], cmd = 0;
            int n = vt_adb_poll(&c->adb, &cmd, data);
            if (n > 0) {
                c->poll[0] = PKT_ADB;
                c->poll[1] = ADB_STATUS_AUTOPOLL;
                c->poll[2] = cmd;
                memcpy(c->poll + 3, data, (size_t)n);
                c->poll_len = n + 3;
            }
        }
        if (c->poll_len) { /* offer it: TREQ with the line idle */
            log_packet(c, "autopoll packet:", c->poll, c->poll_len);
            reply(c, c->poll, c->poll_len);
            c->out_pos = 0;
            c->state = XFER_REPLY_PENDING;
            c->poll_offered = true;
            c->treq = true;
            raise(c, IFR_SR);
        }
    }
    arm_poll(c);
}

void vt_cuda_key(vt_device *d, uint16_t code, bool down) {
    cuda *c = d->priv;
    vt_adb_key(&c->adb, (uint8_t)code, down);
    arm_poll(c);
}

void vt_cuda_mouse(vt_device *d, int dx, int dy, unsigned buttons) {
    cuda *c = d->priv;
    vt_adb_mouse(&c->adb, dx, dy, buttons & 1);
    arm_poll(c);
}

static void cuda_command(cuda *c) {
    uint8_t cmd = c->in[1];
    uint8_t r[BUF_SIZE] = {PKT_CUDA, 0, cmd};
    int len = 3;
    switch (cmd) {
    case CUDA_AUTOPOLL:
        c->autopoll = c->in_len > 2 ? c->in[2] : 0;
        arm_poll(c);
        break;
    case CUDA_SET_AUTO_RATE:
        if (c->in_len > 2 && c->in[2]) c->autopoll_ms = c->in[2];
        break;
    case CUDA_GET_TIME: {
        uint32_t t = (uint32_t)mac_time(c);
        store_be32(r + 3, t);
        len = 7;
        break;
    }
    case CUDA_SET_TIME:
        if (c->in_len >= 6) c->rtc_base += (int64_t)load_be32(c->in + 2) - mac_time(c);
        break;
    case CUDA_GET_PRAM:
        if (c->in_len >= 4) {
            r[3] = c->pram[load_be16(c->in + 2) % PRAM_SIZE];
            len = 4;
        }
        break;
    case CUDA_SET_PRAM:
        for (int i = 4; i < c->in_len; i++)
            c->pram[(load_be16(c->in + 2) + i - 4) % PRAM_SIZE] = c->in[i];
        break;
    case CUDA_POWERDOWN:
        vt_dev_request_stop(c->dev, 0);
        break;
    case CUDA_RESET_SYSTEM:
        vt_dev_request_reset(c->dev);
        break;
    case CUDA_FILE_SERVER_FLAG:
    case CUDA_SET_DEVICE_LIST:
    case CUDA_SET_POWER_MESSAGES:
        break; /* settings that only shape autopolling and power keys: acknowledged */
    default:
        vt_log(VT_LOG_DEV, "%s: unknown CUDA command 0x%02x", c->dev->name, cmd);
        r[0] = PKT_ERROR;
        r[1] = ERR_UNKNOWN_COMMAND;
        r[2] = PKT_CUDA;
        r[3] = cmd;
        len = 4;
        break;
    }
    reply(c, r, len);
}

/* The host finished sending a packet: work out the reply CUDA will clock back. */
static void packet_done(cuda *c) {
    uint8_t r[BUF_SIZE] = {0};
    log_packet(c, "packet from host:", c->in, c->in_len);
    if (c->in_len >= 2 && c->in[0] == PKT_ADB) {
        uint8_t data[VT_ADB_MAX_REPLY];
        int n = vt_adb_request(&c->adb, c->in + 1, (size_t)c->in_len - 1, data);
        r[0] = PKT_ADB;
        if (n > 0) {
            memcpy(r + 2, data, (size_t)n);
            reply(c, r, n + 2);
        } else {
            r[1] = n < 0 ? ADB_STATUS_TIMEOUT : 0;
            r[2] = c->in[1];
            reply(c, r, 3);
        }
    } else if (c->in_len >= 2 && c->in[0] == PKT_CUDA) {
        cuda_command(c);
    } else {
        vt_log(VT_LOG_DEV, "%s: bad packet type 0x%02x (length %d)", c->dev->name, c->in[0],
               c->in_len);
        r[0] = PKT_ERROR;
        r[1] = ERR_UNKNOWN_COMMAND;
        r[2] = c->in[0];
        reply(c, r, 3);
    }
}

static void load_reply_byte(cuda *c) {
    c->sr = c->out[c->out_pos++];
    c->treq = c->out_pos < c->out_len; /* TREQ released with the last byte */
    raise(c, IFR_SR);
}

/* Port B edges drive the transfer (TIP framing, TACK per byte). */
static void port_b_write(cuda *c, uint8_t v) {
    uint8_t old = c->orb;
    c->orb = v;
    bool tip_fell = (old & PB_TIP) && !(v & PB_TIP);
    bool tip_rose = !(old & PB_TIP) && (v & PB_TIP);
    bool tack = ((old ^ v) & PB_TACK) && !(v & PB_TIP);
    bool out = c->acr & ACR_SR_OUT;
    if ((old & v & PB_TIP) && ((old ^ v) & PB_TACK)) {
        /* Sync without a transfer (TIP negated): TREQ follows TACK, with a shift-register
         * interrupt each time (Linux via-cuda.c cuda_init_via; QEMU cuda_update). */
        c->treq = !(v & PB_TACK);
        raise(c, IFR_SR);
    } else if (tip_fell && out) {
        /* the host sends over an offered autopoll packet: CUDA withdraws it (TREQ released)
         * and it stays queued for the next poll */
        if (c->poll_offered) c->treq = false;
        c->poll_offered = false;
        c->state = XFER_HOST_SENDING;
        c->in[0] = c->sr;
        c->in_len = 1;
        raise(c, IFR_SR);
    } else if (tack && out && c->state == XFER_HOST_SENDING) {
        if (c->in_len < BUF_SIZE) c->in[c->in_len++] = c->sr;
        raise(c, IFR_SR);
    } else if (tip_rose && c->state == XFER_HOST_SENDING) {
        packet_done(c);
        log_packet(c, "reply:", c->out, c->out_len);
        c->out_pos = 0;
        c->state = XFER_REPLY_PENDING;
        c->treq = true;
        raise(c, IFR_SR);
    } else if (tip_fell && c->state == XFER_REPLY_PENDING) {
        if (c->poll_offered) c->poll_len = 0; /* the host takes it now */
        c->poll_offered = false;
        c->state = XFER_REPLY;
        load_reply_byte(c);
    } else if (tack && c->state == XFER_REPLY && c->out_pos < c->out_len) {
        load_reply_byte(c);
    } else if (tip_rose && c->state == XFER_REPLY) {
        c->state = XFER_IDLE;
        c->treq = false;
        raise(c, IFR_SR);
        arm_poll(c);
    }
}

static uint64_t via_read(void *opaque, uint64_t off, unsigned size) {
    cuda *c = opaque;
    if (size != 1 || (off & ((1u << VIA_REG_SHIFT) - 1))) {
        vt_dev_log_unknown(c->dev, "read", off, size, 0);
        return 0;
    }
    switch (off >> VIA_REG_SHIFT) {
    case VIA_B:
        return (c->orb & ~PB_TREQ) | (c->treq ? 0 : PB_TREQ);
    case VIA_A:
    case VIA_ANH:
        return c->ora;
    case VIA_DIRB:
        return c->dirb;
    case VIA_DIRA:
        return c->dira;
    case VIA_T1CL:
        c->ifr &= (uint8_t)~IFR_T1;
        update_irq(c);
        return counter(c, c->t1_start, c->t1_value) & 0xff;
    case VIA_T1CH:
        return counter(c, c->t1_start, c->t1_value) >> 8;
    case VIA_T1LL:
        return c->t1_latch & 0xff;
    case VIA_T1LH:
        return c->t1_latch >> 8;
    case VIA_T2CL:
        c->ifr &= (uint8_t)~IFR_T2;
        update_irq(c);
        return counter(c, c->t2_start, c->t2_value) & 0xff;
    case VIA_T2CH:
        return counter(c, c->t2_start, c->t2_value) >> 8;
    case VIA_SR:
        c->ifr &= (uint8_t)~IFR_SR;
        update_irq(c);
        return c->sr;
    case VIA_ACR:
        return c->acr;
    case VIA_PCR:
        return c->pcr;
    case VIA_IFR:
        return c->ifr | ((c->ifr & c->ier & 0x7f) ? IFR_ANY : 0);
    default: /* VIA_IER */
        return c->ier | IER_SET;
    }
}

static void via_write(void *opaque, uint64_t off, uint64_t v64, unsigned size) {
    cuda *c = opaque;
    uint8_t v = (uint8_t)v64;
    if (size != 1 || (off & ((1u << VIA_REG_SHIFT) - 1))) {
        vt_dev_log_unknown(c->dev, "write", off, size, v64);
        return;
    }
    switch (off >> VIA_REG_SHIFT) {
    case VIA_B:
        port_b_write(c, v);
        break;
    case VIA_A:
    case VIA_ANH:
        c->ora = v;
        break;
    case VIA_DIRB:
        c->dirb = v;
        break;
    case VIA_DIRA:
        c->dira = v;
        break;
    case VIA_T1CL:
    case VIA_T1LL:
        c->t1_latch = (uint16_t)((c->t1_latch & 0xff00) | v);
        break;
    case VIA_T1LH:
        c->t1_latch = (uint16_t)((c->t1_latch & 0xff) | v << 8);
        c->ifr &= (uint8_t)~IFR_T1;
        update_irq(c);
        break;
    case VIA_T1CH: /* loads the counter from the latch and starts it (R6522 §T1) */
        c->t1_latch = (uint16_t)((c->t1_latch & 0xff) | v << 8);
        c->ifr &= (uint8_t)~IFR_T1;
        update_irq(c);
        c->t1_start = now(c);
        c->t1_value = c->t1_latch;
        arm_timer(c, &c->t1_event, c->t1_start, c->t1_value);
        break;
    case VIA_T2CL:
        c->t2_value = (uint16_t)((c->t2_value & 0xff00) | v);
        break;
    case VIA_T2CH:
        if (c->acr & ACR_T2_COUNT_PB6)
            vt_log(VT_LOG_UNIMP, "%s: timer 2 pulse counting (PB6) not modelled", c->dev->name);
        c->t2_value = (uint16_t)((c->t2_value & 0xff) | v << 8);
        c->ifr &= (uint8_t)~IFR_T2;
        update_irq(c);
        c->t2_start = now(c);
        arm_timer(c, &c->t2_event, c->t2_start, c->t2_value);
        break;
    case VIA_SR:
        c->sr = v;
        c->ifr &= (uint8_t)~IFR_SR;
        update_irq(c);
        break;
    case VIA_ACR:
        c->acr = v;
        break;
    case VIA_PCR:
        c->pcr = v;
        break;
    case VIA_IFR:
        c->ifr &= (uint8_t) ~(v & 0x7f);
        update_irq(c);
        break;
    default: /* VIA_IER */
        if (v & IER_SET)
            c->ier |= v & 0x7f;
        else
            c->ier &= (uint8_t)~v;
        update_irq(c);
        break;
    }
}

static const vt_mmio_ops via_ops = {via_read, via_write};

static void cuda_reset(vt_device *d) {
    cuda *c = d->priv;
    vt_sched_cancel(vt_dev_sched(d), &c->t1_event);
    vt_sched_cancel(vt_dev_sched(d), &c->t2_event);
    vt_sched_cancel(vt_dev_sched(d), &c->poll_event);
    c->autopoll_ms = AUTOPOLL_MS_DEFAULT;
    c->poll_len = 0;
    c->poll_offered = false;
    c->orb = PB_TIP | PB_TACK;
    c->ora = c->dirb = c->dira = c->sr = c->acr = c->pcr = c->ifr = c->ier = 0;
    c->t1_latch = c->t1_value = c->t2_value = 0xffff;
    c->t1_start = c->t2_start = now(c);
    c->treq = false;
    c->state = XFER_IDLE;
    c->in_len = c->out_len = c->out_pos = 0;
    c->autopoll = 0;
    vt_adb_reset(&c->adb);
    update_irq(c);
}

static int cuda_create(vt_device *d, vt_error *err) {
    cuda *c = calloc(1, sizeof *c);
    if (!c) return vt_fail(err, "out of memory");
    c->dev = d;
    d->priv = c;
    uint64_t hz;
    if (vt_dev_u64(d, "via_hz", &hz, err)) return -1;
    c->via_clock.hz = hz;
    const char *rtc = vt_dev_str(d, "rtc");
    if (vt_rtc_parse_start(rtc, &c->rtc_base))
        return vt_fail(err, "bad rtc '%s' (expected YYYY-MM-DDTHH:MM:SS or host)", rtc);
    if (d->size < 16u << VIA_REG_SHIFT)
        return vt_fail(err, "size must cover the 16 VIA registers (0x%x)", 16u << VIA_REG_SHIFT);
    vt_event_init(&c->t1_event, "via-t1", t1_fire, c);
    vt_event_init(&c->t2_event, "via-t2", t2_fire, c);
    vt_event_init(&c->poll_event, "cuda-autopoll", poll_fire, c);
    cuda_reset(d);
    return vt_dev_map_mmio(d, &via_ops, c, VT_BIG_ENDIAN, err);
}

static void cuda_save(const vt_device *d, vt_state_writer *w) {
    const cuda *c = d->priv;
    vt_state_begin(w, "CUDA", 2);
    const uint8_t regs[] = {c->orb,
                            c->ora,
                            c->dirb,
                            c->dira,
                            c->sr,
                            c->acr,
                            c->pcr,
                            c->ifr,
                            c->ier,
                            c->treq,
                            (uint8_t)c->state,
                            c->autopoll,
                            c->adb.kbd.addr,
                            c->adb.kbd.handler,
                            c->adb.mouse.addr,
                            c->adb.mouse.handler};
    vt_state_put_bytes(w, regs, sizeof regs);
    vt_state_put_u16(w, c->t1_latch);
    vt_state_put_u16(w, c->t1_value);
    vt_state_put_u16(w, c->t2_value);
    vt_state_put_u64(w, c->t1_start);
    vt_state_put_u64(w, c->t2_start);
    vt_state_put_u64(w, (uint64_t)c->rtc_base);
    vt_state_put_u32(w, (uint32_t)c->in_len);
    vt_state_put_u32(w, (uint32_t)c->out_len);
    vt_state_put_u32(w, (uint32_t)c->out_pos);
    vt_state_put_bytes(w, c->in, BUF_SIZE);
    vt_state_put_bytes(w, c->out, BUF_SIZE);
    vt_state_put_bytes(w, c->pram, PRAM_SIZE);
    /* version 2: autopoll and the ADB devices' pending input */
    vt_state_put_u8(w, c->autopoll_ms);
    vt_state_put_u8(w, c->poll_offered);
    vt_state_put_u32(w, (uint32_t)c->poll_len);
    vt_state_put_bytes(w, c->poll, BUF_SIZE);
    vt_state_put_u32(w, (uint32_t)c->adb.nkeys);
    vt_state_put_bytes(w, c->adb.keys, VT_ADB_KEY_QUEUE);
    vt_state_put_u32(w, (uint32_t)c->adb.dx);
    vt_state_put_u32(w, (uint32_t)c->adb.dy);
    vt_state_put_u8(w, (uint8_t)(c->adb.button | c->adb.sent_button << 1));
    vt_state_put_u8(w, vt_event_armed(&c->poll_event));
    vt_state_put_u64(w, c->poll_event.when);
    vt_state_end(w);
}

static int cuda_load(vt_device *d, vt_state_reader *r) {
    cuda *c = d->priv;
    uint32_t version;
    uint8_t regs[16];
    if (vt_state_open(r, "CUDA", 2, &version)) return -1;
    vt_state_get_bytes(r, regs, sizeof regs);
    c->orb = regs[0], c->ora = regs[1], c->dirb = regs[2], c->dira = regs[3];
    c->sr = regs[4], c->acr = regs[5], c->pcr = regs[6], c->ifr = regs[7], c->ier = regs[8];
    c->treq = regs[9] != 0;
    c->state = regs[10] <= XFER_REPLY ? (xfer_state)regs[10] : XFER_IDLE;
    c->autopoll = regs[11];
    c->adb.kbd.addr = regs[12] & 0x0f, c->adb.kbd.handler = regs[13];
    c->adb.mouse.addr = regs[14] & 0x0f, c->adb.mouse.handler = regs[15];
    c->t1_latch = vt_state_get_u16(r);
    c->t1_value = vt_state_get_u16(r);
    c->t2_value = vt_state_get_u16(r);
    c->t1_start = vt_state_get_u64(r);
    c->t2_start = vt_state_get_u64(r);
    c->rtc_base = (int64_t)vt_state_get_u64(r);
    uint32_t in_len = vt_state_get_u32(r), out_len = vt_state_get_u32(r);
    uint32_t out_pos = vt_state_get_u32(r);
    vt_state_get_bytes(r, c->in, BUF_SIZE);
    vt_state_get_bytes(r, c->out, BUF_SIZE);
    vt_state_get_bytes(r, c->pram, PRAM_SIZE);
    vt_sched_cancel(vt_dev_sched(d), &c->poll_event);
    c->autopoll_ms = AUTOPOLL_MS_DEFAULT;
    c->poll_offered = false;
    c->poll_len = c->adb.nkeys = 0;
    c->adb.dx = c->adb.dy = 0;
    c->adb.button = c->adb.sent_button = false;
    if (version >= 2) {
        c->autopoll_ms = vt_state_get_u8(r);
        c->poll_offered = vt_state_get_u8(r) != 0;
        c->poll_len = (int)vt_state_get_index(r, BUF_SIZE + 1);
        vt_state_get_bytes(r, c->poll, BUF_SIZE);
        c->adb.nkeys = (int)vt_state_get_index(r, VT_ADB_KEY_QUEUE + 1);
        vt_state_get_bytes(r, c->adb.keys, VT_ADB_KEY_QUEUE);
        c->adb.dx = (int32_t)vt_state_get_u32(r);
        c->adb.dy = (int32_t)vt_state_get_u32(r);
        uint8_t b = vt_state_get_u8(r);
        c->adb.button = b & 1, c->adb.sent_button = (b & 2) != 0;
        bool armed = vt_state_get_u8(r) != 0;
        vt_time when = vt_state_get_u64(r);
        if (armed) vt_sched_arm(vt_dev_sched(d), &c->poll_event, when);
        if (!c->autopoll_ms || c->adb.dx <= -65536 || c->adb.dx >= 65536 || c->adb.dy <= -65536 ||
            c->adb.dy >= 65536)
            vt_state_fail(r, "cuda: bad autopoll rate or mouse motion");
    }
    if (vt_state_close(r)) return -1;
    if (in_len > BUF_SIZE || out_len > BUF_SIZE || out_pos > out_len) return -1;
    c->in_len = (int)in_len, c->out_len = (int)out_len, c->out_pos = (int)out_pos;
    update_irq(c);
    return 0;
}

static void cuda_destroy(vt_device *d) {
    cuda *c = d->priv;
    if (!c) return;
    vt_sched_cancel(vt_dev_sched(d), &c->t1_event);
    vt_sched_cancel(vt_dev_sched(d), &c->t2_event);
    vt_sched_cancel(vt_dev_sched(d), &c->poll_event);
    free(c);
}

static const vt_dev_key cuda_keys[] = {
    {"via_hz", VT_KEY_HZ, "783360", "VIA timer clock (CUDA: 4.7 MHz / 6)"},
    {"rtc", VT_KEY_STR, "2000-01-01T00:00:00", "clock at power-on (ISO date, UTC) or 'host'"},
    {NULL, 0, NULL, NULL},
};

const vt_device_class vt_dev_cuda = {
    .name = "cuda",
    .description = "Apple CUDA (6522 VIA + ADB + RTC + PRAM + power/reset)",
    .keys = cuda_keys,
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = cuda_create,
    .reset = cuda_reset,
    .save = cuda_save,
    .load = cuda_load,
    .destroy = cuda_destroy,
};
