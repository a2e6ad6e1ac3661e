/* National Semiconductor PC16550D UART ("ns16550", the 16550A of PC COM ports): RBR/THR,
 * IER, IIR/FCR, LCR, MCR, LSR, MSR, SCR and the divisor latch; 16-byte receive and transmit
 * FIFOs with the receive trigger levels and character timeout; interrupt priorities (line
 * status, received data / timeout, THR empty, modem status); loopback. Characters take their
 * real time on the timeline: (start + data + parity + stop bits) x 16 x divisor cycles of
 * the `clock` input (PC: 1.8432 MHz). Host input is taken at most one character per
 * character time while the receive FIFO has room, so it never overruns. Registers are
 * `reg_shift` apart (PC 0, OMAP 2) in byte order `endian`; `out2_gates_irq` models the PC's
 * OUT2-controlled interrupt driver; `fifo_size = 64` gives the 64-byte FIFOs of the OMAP
 * UARTs (their Linux driver loads 64 bytes per THR-empty interrupt) and `enhanced` their
 * 16C650-style configuration mode B (LCR = 0xBF: EFR, XON/XOFF stored). Not modelled:
 * parity/framing errors and break (a host byte is always good; LCR set-break sends nothing), DMA
 * mode pins. Sources: National Semiconductor PC16550D datasheet (1995); IBM PC AT Technical
 * Reference (serial adapter, OUT2). */
#include "core/chardev.h"
#include "core/device.h"
#include "core/log.h"
#include "core/savestate.h"

#include <stdlib.h>

enum {
    REG_RBR_THR = 0, /* DLL with DLAB */
    REG_IER = 1,     /* DLM with DLAB */
    REG_IIR_FCR = 2,
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
    REG_MSR = 6,
    REG_SCR = 7,
    IER_ERBFI = 0x01, /* received data available */
    IER_ETBEI = 0x02, /* THR empty */
    IER_ELSI = 0x04,  /* receiver line status */
    IER_EDSSI = 0x08, /* modem status */
    IIR_NONE = 0x01,
    IIR_MSR = 0x00,
    IIR_THRE = 0x02,
    IIR_RDA = 0x04,
    IIR_RLS = 0x06,
    IIR_TIMEOUT = 0x0C,
    IIR_FIFO = 0xC0,
    FCR_ENABLE = 0x01,
    FCR_CLEAR_RX = 0x02,
    FCR_CLEAR_TX = 0x04,
    FCR_DMA_MODE = 0x08,
    FCR_TRIGGER_SHIFT = 6,
    LCR_WLS = 0x03,
    LCR_STB = 0x04,
    LCR_PEN = 0x08,
    LCR_DLAB = 0x80,
    LCR_CONFIG_B = 0xBF, /* enhanced UARTs: registers 2, 4-7 become EFR, XON1/2, XOFF1/2 */
    MCR_DTR = 0x01,
    MCR_RTS = 0x02,
    MCR_OUT1 = 0x04,
    MCR_OUT2 = 0x08,
    MCR_LOOP = 0x10,
    LSR_DR = 0x01,
    LSR_OE = 0x02,
    LSR_THRE = 0x20,
    LSR_TEMT = 0x40,
    MSR_DCTS = 0x01,
    MSR_DDSR = 0x02,
    MSR_TERI = 0x04,
    MSR_DDCD = 0x08,
    MSR_CTS = 0x10,
    MSR_DSR = 0x20,
    MSR_RI = 0x40,
    MSR_DCD = 0x80,
    FIFO_MAX = 64, /* the 16550's FIFOs hold 16 bytes; OMAP UARTs (fifo_size = 64) 64 */
};

typedef struct fifo {
    uint8_t b[FIFO_MAX];
    uint8_t head, n, size;
} fifo;

typedef struct uart {
    vt_device *dev;
    vt_clock clock;
    unsigned shift;
    bool big, out2_gates;
    vt_chardev *host;
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
    uint8_t lsr_err;   /* OE (cleared by reading LSR) */
    uint8_t msr_lines; /* CTS, DSR, RI, DCD (bits 4-7) */
    uint8_t msr_delta; /* bits 0-3 (cleared by reading MSR) */
    fifo rx, tx;
    uint8_t tsr;
    bool tsr_busy, thr_ip, timeout_ip, irq_level;
    bool enhanced;    /* 16C650-style configuration mode B (OMAP UARTs) */
    uint8_t efr_x[5]; /* EFR, XON1, XON2, XOFF1, XOFF2: stored (no flow control) */
    uint64_t tx_end;  /* clock cycle at which the character in the TSR is sent */
    vt_event tx_ev, rx_ev, timeout_ev;
} uart;

static void fifo_push(fifo *f, uint8_t v) {
    f->b[(f->head + f->n) % f->size] = v;
    f->n++;
}

static uint8_t fifo_pop(fifo *f) {
    uint8_t v = f->b[f->head];
    f->head = (uint8_t)((f->head + 1) % f->size);
    f->n--;
    return v;
}

static bool fifo_mode(const uart *u) {
    return u->fcr & FCR_ENABLE;
}
static unsigned depth(const uart *u) {
    return fifo_mode(u) ? u->tx.size : 1;
}
static bool loopback(const uart *u) {
    return u->mcr & MCR_LOOP;
}
static vt_sched *sched(const uart *u) {
    return vt_dev_sched(u->dev);
}

/* One character in cycles of the UART clock (datasheet: 16 clocks per bit; 1.5 stop bits for
 * 5-bit words with STB). */
static uint64_t char_cycles(const uart *u) {
    unsigned bits16 = 16 * (1 + 5 + (u->lcr & LCR_WLS) + ((u->lcr & LCR_PEN) ? 1 : 0));
    bits16 += !(u->lcr & LCR_STB) ? 16 : (u->lcr & LCR_WLS) == 0 ? 24 : 32;
    unsigned div = (unsigned)(u->dlm << 8 | u->dll);
    return (uint64_t)bits16 * (div ? div : 65536);
}

static uint64_t now_cycle(const uart *u) {
    return vt_clock_to_cycles_ceil(&u->clock, vt_sched_now(sched(u)));
}

static vt_time at_cycle(const uart *u, uint64_t c) {
    return vt_clock_to_time(&u->clock, c);
}

static uint8_t iir(const uart *u) {
    static const uint8_t trigger[4] = {1, 4, 8, 14};
    uint8_t id = IIR_NONE;
    bool rda = fifo_mode(u) ? u->rx.n >= trigger[u->fcr >> FCR_TRIGGER_SHIFT] : u->rx.n > 0;
    if ((u->ier & IER_ELSI) && u->lsr_err)
        id = IIR_RLS;
    else if ((u->ier & IER_ERBFI) && rda)
        id = IIR_RDA;
    else if ((u->ier & IER_ERBFI) && u->timeout_ip)
        id = IIR_TIMEOUT;
    else if ((u->ier & IER_ETBEI) && u->thr_ip)
        id = IIR_THRE;
    else if ((u->ier & IER_EDSSI) && u->msr_delta)
        id = IIR_MSR;
    return (uint8_t)(id | (fifo_mode(u) ? IIR_FIFO : 0));
}

static void update_irq(uart *u) {
    bool level = !(iir(u) & IIR_NONE);
    /* PC: OUT2 enables the interrupt driver; loopback forces the OUT2 pin inactive */
    if (u->out2_gates && (!(u->mcr & MCR_OUT2) || loopback(u))) level = false;
    if (level != u->irq_level) {
        u->irq_level = level;
        vt_irq_set(&u->dev->irq[0], level);
    }
}

static void arm_timeout(uart *u) {
    if (fifo_mode(u) && u->rx.n)
        vt_sched_arm(sched(u), &u->timeout_ev,
                     at_cycle(u, now_cycle(u) + 4 * char_cycles(u))); /* 4 characters */
    else
        vt_sched_cancel(sched(u), &u->timeout_ev);
}

static void receive(uart *u, uint8_t v) {
    if (u->rx.n >= depth(u)) {
        u->lsr_err |= LSR_OE; /* the character in the shift register is lost */
    } else {
        fifo_push(&u->rx, v);
    }
    u->timeout_ip = false;
    arm_timeout(u);
    update_irq(u);
}

/* Moves the next THR/FIFO byte into the transmitter shift register starting at cycle c. */
static void start_tx(uart *u, uint64_t c) {
    u->tsr = fifo_pop(&u->tx);
    u->tsr_busy = true;
    u->tx_end = c + char_cycles(u);
    vt_sched_arm(sched(u), &u->tx_ev, at_cycle(u, u->tx_end));
    if (!u->tx.n) u->thr_ip = true; /* THR (FIFO) empty */
}

static void tx_done(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(t);
    VT_UNUSED(late);
    uart *u = opaque;
    if (loopback(u))
        receive(u, u->tsr);
    else
        vt_chardev_write(u->host, &u->tsr, 1);
    u->tsr_busy = false;
    if (u->tx.n) start_tx(u, u->tx_end);
    update_irq(u);
}

static void rx_poll(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(t);
    VT_UNUSED(late);
    uart *u = opaque;
    if (!loopback(u) && u->rx.n < depth(u)) {
        int b = vt_chardev_read(u->host);
        if (b >= 0) receive(u, (uint8_t)b);
    }
    vt_sched_arm(sched(u), &u->rx_ev, u->rx_ev.when + at_cycle(u, char_cycles(u)));
}

static void timeout(void *opaque, vt_time t, vt_time late) {
    VT_UNUSED(t);
    VT_UNUSED(late);
    uart *u = opaque;
    u->timeout_ip = u->rx.n > 0;
    update_irq(u);
}

/* Host input is sampled once per character time of the current line settings. */
static void arm_rx_poll(uart *u) {
    if (u->host) {
        vt_sched *s = sched(u);
        vt_sched_arm(s, &u->rx_ev, vt_sched_now(s) + at_cycle(u, char_cycles(u)));
    }
}

static uint8_t host_lines(const uart *u) {
    return u->host ? MSR_DCD | MSR_DSR | MSR_CTS : 0;
}

static void set_msr_lines(uart *u, uint8_t lines) {
    uint8_t ch = lines ^ u->msr_lines;
    if (ch & MSR_CTS) u->msr_delta |= MSR_DCTS;
    if (ch & MSR_DSR) u->msr_delta |= MSR_DDSR;
    if (ch & MSR_DCD) u->msr_delta |= MSR_DDCD;
    if ((ch & MSR_RI) && !(lines & MSR_RI)) u->msr_delta |= MSR_TERI; /* trailing edge */
    u->msr_lines = lines;
}

static void write_mcr(uart *u, uint8_t v) {
    u->mcr = v & 0x1F;
    if (loopback(u)) /* outputs looped to inputs (datasheet: loopback mode) */
        set_msr_lines(u, (uint8_t)(((v & MCR_RTS) ? MSR_CTS : 0) | ((v & MCR_DTR) ? MSR_DSR : 0) |
                                   ((v & MCR_OUT1) ? MSR_RI : 0) | ((v & MCR_OUT2) ? MSR_DCD : 0)));
    else
        set_msr_lines(u, host_lines(u));
    update_irq(u);
}

static void write_fcr(uart *u, uint8_t v) {
    if ((v ^ u->fcr) & FCR_ENABLE) { /* changing the enable clears both FIFOs */
        u->rx.n = u->tx.n = 0;
        v |= FCR_CLEAR_RX | FCR_CLEAR_TX;
    }
    if (v & FCR_CLEAR_RX) {
        u->rx.n = 0;
        u->timeout_ip = false;
    }
    if (v & FCR_CLEAR_TX) {
        u->tx.n = 0;
        u->thr_ip = true;
    }
    u->fcr = (v & FCR_ENABLE) ? (uint8_t)(v & (0xC0 | FCR_DMA_MODE | FCR_ENABLE)) : 0;
    arm_timeout(u);
    update_irq(u);
}

static void write_thr(uart *u, uint8_t v) {
    if (u->tx.n >= depth(u)) {
        vt_log(VT_LOG_DEV, "%s: transmit FIFO overflow, byte dropped", u->dev->name);
    } else {
        fifo_push(&u->tx, v);
    }
    u->thr_ip = false;
    if (!u->tsr_busy) start_tx(u, now_cycle(u));
    update_irq(u);
}

static uint8_t read_rbr(uart *u) {
    uint8_t v = u->rx.n ? fifo_pop(&u->rx) : 0;
    u->timeout_ip = false;
    arm_timeout(u);
    update_irq(u);
    return v;
}

/* Configuration mode B of enhanced UARTs (LCR = 0xBF): register 2 is EFR, 4-7 XON1/2 and
 * XOFF1/2; the slot in efr_x, or NULL for a normal access. */
static uint8_t *config_b_reg(uart *u, unsigned reg) {
    if (!u->enhanced || u->lcr != LCR_CONFIG_B || reg == REG_LCR || reg < 2) return NULL;
    return &u->efr_x[reg == 2 ? 0 : reg - 3];
}

static uint8_t read_reg(uart *u, unsigned reg) {
    uint8_t *cb = config_b_reg(u, reg);
    if (cb) return *cb;
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg) {
    case REG_RBR_THR:
        return dlab ? u->dll : read_rbr(u);
    case REG_IER:
        return dlab ? u->dlm : u->ier;
    case REG_IIR_FCR: {
        uint8_t v = iir(u);
        if ((v & 0x0F) == IIR_THRE) { /* reading IIR clears a THRE interrupt it reports */
            u->thr_ip = false;
            update_irq(u);
        }
        return v;
    }
    case REG_LCR:
        return u->lcr;
    case REG_MCR:
        return u->mcr;
    case REG_LSR: {
        uint8_t v = (uint8_t)((u->rx.n ? LSR_DR : 0) | u->lsr_err | (u->tx.n ? 0 : LSR_THRE) |
                              (u->tx.n || u->tsr_busy ? 0 : LSR_TEMT));
        u->lsr_err = 0;
        update_irq(u);
        return v;
    }
    case REG_MSR: {
        uint8_t v = u->msr_lines | u->msr_delta;
        u->msr_delta = 0;
        update_irq(u);
        return v;
    }
    default:
        return u->scr;
    }
}

static void write_reg(uart *u, unsigned reg, uint8_t v) {
    uint8_t *cb = config_b_reg(u, reg);
    if (cb) {
        *cb = v;
        return;
    }
    bool dlab = u->lcr & LCR_DLAB;
    switch (reg) {
    case REG_RBR_THR:
        if (dlab) {
            u->dll = v;
            arm_rx_poll(u);
        } else {
            write_thr(u, v);
        }
        break;
    case REG_IER:
        if (dlab) {
            u->dlm = v;
            arm_rx_poll(u);
            break;
        }
        /* enabling ETBEI with THR empty raises the THRE interrupt */
        if ((v & IER_ETBEI) && !(u->ier & IER_ETBEI) && !u->tx.n) u->thr_ip = true;
        u->ier = v & 0x0F;
        update_irq(u);
        break;
    case REG_IIR_FCR:
        write_fcr(u, v);
        break;
    case REG_LCR:
        u->lcr = v;
        arm_rx_poll(u);
        break;
    case REG_MCR:
        write_mcr(u, v);
        break;
    case REG_LSR:
    case REG_MSR:
        vt_dev_log_unknown(u->dev, "write (read-only register)", reg, 1, v);
        break;
    default:
        u->scr = v;
        break;
    }
}

/* The register a window access names, or -1: one register every 1 << reg_shift bytes; byte
 * accesses use the byte lane of the register's low bits in the window's byte order. */
static int reg_of(const uart *u, uint64_t off, unsigned size) {
    unsigned stride = 1u << u->shift;
    unsigned lane = (unsigned)(off & (stride - 1));
    unsigned want = size == 1 && u->big ? stride - 1 : 0;
    if (size > stride || lane != want || (off >> u->shift) > REG_SCR) return -1;
    return (int)(off >> u->shift);
}

static uint64_t uart_read(void *opaque, uint64_t off, unsigned size) {
    uart *u = opaque;
    int reg = reg_of(u, off, size);
    if (reg >= 0) return read_reg(u, (unsigned)reg);
    vt_dev_log_unknown(u->dev, "read", off, size, 0);
    return 0xFF;
}

static void uart_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    uart *u = opaque;
    int reg = reg_of(u, off, size);
    if (reg >= 0)
        write_reg(u, (unsigned)reg, (uint8_t)v);
    else
        vt_dev_log_unknown(u->dev, "write", off, size, v);
}

static const vt_mmio_ops uart_ops = {uart_read, uart_write};

static int uart_create(vt_device *d, vt_error *err) {
    uint64_t hz, shift, divisor, fifo_size;
    bool gates, enhanced;
    if (vt_dev_u64(d, "clock", &hz, err) || vt_dev_u64(d, "reg_shift", &shift, err) ||
        vt_dev_bool(d, "out2_gates_irq", &gates, err) || vt_dev_u64(d, "divisor", &divisor, err) ||
        vt_dev_u64(d, "fifo_size", &fifo_size, err) || vt_dev_bool(d, "enhanced", &enhanced, err))
        return -1;
    if (fifo_size != 16 && fifo_size != FIFO_MAX)
        return vt_fail(err, "fifo_size must be 16 (16550) or 64 (OMAP UART)");
    if (divisor > 0xffff) return vt_fail(err, "divisor must be 0..65535");
    if (!hz || hz > 100000000) return vt_fail(err, "clock must be 1..100000000 Hz");
    if (shift > 3) return vt_fail(err, "reg_shift must be 0..3");
    if (d->size < (8u << shift))
        return vt_fail(err, "size must cover 8 registers (0x%x)", 8u << shift);
    const char *endian = vt_dev_str(d, "endian");
    if (strcmp(endian, "little") && strcmp(endian, "big"))
        return vt_fail(err, "endian must be 'little' or 'big'");
    vt_chardev *host;
    if (vt_dev_serial(d, "serial", &host, err)) return -1;
    uart *u = calloc(1, sizeof *u);
    if (!u) return vt_fail(err, "out of memory");
    d->priv = u;
    u->dev = d;
    u->clock.hz = hz;
    u->shift = (unsigned)shift;
    u->big = !strcmp(endian, "big");
    u->out2_gates = gates;
    u->host = host;
    u->rx.size = u->tx.size = (uint8_t)fifo_size;
    u->enhanced = enhanced;
    /* the latch is undefined at power-on and untouched by reset: the profile says what the
     * firmware finds there (SeaBIOS's serial console never programs it) */
    u->dll = (uint8_t)divisor;
    u->dlm = (uint8_t)(divisor >> 8);
    vt_event_init(&u->tx_ev, "ns16550-tx", tx_done, u);
    vt_event_init(&u->rx_ev, "ns16550-rx", rx_poll, u);
    vt_event_init(&u->timeout_ev, "ns16550-timeout", timeout, u);
    return vt_dev_map_mmio(d, &uart_ops, u, u->big ? VT_BIG_ENDIAN : VT_LITTLE_ENDIAN, err);
}

static void uart_reset(vt_device *d) {
    uart *u = d->priv;
    vt_sched *s = sched(u);
    vt_sched_cancel(s, &u->tx_ev);
    vt_sched_cancel(s, &u->timeout_ev);
    /* datasheet table "UART reset configuration"; the divisor latch is not reset */
    u->ier = u->lcr = u->mcr = u->fcr = 0;
    memset(u->efr_x, 0, sizeof u->efr_x);
    u->lsr_err = u->msr_delta = 0;
    u->msr_lines = host_lines(u);
    u->rx.n = u->tx.n = 0;
    u->tsr_busy = u->timeout_ip = false;
    u->thr_ip = false;
    u->irq_level = false;
    vt_irq_lower(&d->irq[0]);
    arm_rx_poll(u);
}

static void put_fifo(vt_state_writer *w, const fifo *f) {
    vt_state_put_bytes(w, f->b, f->size);
    vt_state_put_u8(w, f->head);
    vt_state_put_u8(w, f->n);
}

static void get_fifo(vt_state_reader *r, fifo *f) {
    vt_state_get_bytes(r, f->b, f->size);
    f->head = vt_state_get_u8(r);
    f->n = vt_state_get_u8(r);
    if (f->head >= f->size || f->n > f->size) {
        vt_state_fail(r, "ns16550: bad FIFO state %u/%u", f->head, f->n);
        f->head = f->n = 0;
    }
}

static void put_event(vt_state_writer *w, const vt_event *e) {
    vt_state_put_u64(w, vt_event_armed(e) ? e->when : VT_TIME_NEVER);
}

static void get_event(vt_state_reader *r, const uart *u, vt_event *e) {
    vt_time when = vt_state_get_u64(r);
    if (when == VT_TIME_NEVER)
        vt_sched_cancel(sched(u), e);
    else if (vt_state_ok(r))
        vt_sched_arm(sched(u), e, when);
}

static void uart_save(const vt_device *d, vt_state_writer *w) {
    const uart *u = d->priv;
    vt_state_begin(w, "UART", 1);
    const uint8_t b[] = {u->ier, u->lcr,      u->mcr,     u->scr,        u->dll,
                         u->dlm, u->fcr,      u->lsr_err, u->msr_lines,  u->msr_delta,
                         u->tsr, u->tsr_busy, u->thr_ip,  u->timeout_ip, u->irq_level};
    vt_state_put_bytes(w, b, sizeof b);
    if (u->enhanced) vt_state_put_bytes(w, u->efr_x, sizeof u->efr_x);
    put_fifo(w, &u->rx);
    put_fifo(w, &u->tx);
    vt_state_put_u64(w, u->tx_end);
    put_event(w, &u->tx_ev);
    put_event(w, &u->rx_ev);
    put_event(w, &u->timeout_ev);
    vt_state_end(w);
}

static int uart_load(vt_device *d, vt_state_reader *r) {
    uart *u = d->priv;
    uint32_t ver;
    uint8_t b[15];
    if (vt_state_open(r, "UART", 1, &ver)) return -1;
    vt_state_get_bytes(r, b, sizeof b);
    u->ier = b[0] & 0x0F, u->lcr = b[1], u->mcr = b[2] & 0x1F, u->scr = b[3], u->dll = b[4];
    u->dlm = b[5], u->fcr = b[6], u->lsr_err = b[7] & LSR_OE, u->msr_lines = b[8] & 0xF0;
    u->msr_delta = b[9] & 0x0F, u->tsr = b[10], u->tsr_busy = b[11], u->thr_ip = b[12];
    u->timeout_ip = b[13], u->irq_level = b[14];
    if (u->enhanced) vt_state_get_bytes(r, u->efr_x, sizeof u->efr_x);
    get_fifo(r, &u->rx);
    get_fifo(r, &u->tx);
    u->tx_end = vt_state_get_u64(r);
    get_event(r, u, &u->tx_ev);
    get_event(r, u, &u->rx_ev);
    get_event(r, u, &u->timeout_ev);
    return vt_state_close(r);
}

static void uart_destroy(vt_device *d) {
    uart *u = d->priv;
    if (u) {
        vt_sched_cancel(sched(u), &u->tx_ev);
        vt_sched_cancel(sched(u), &u->rx_ev);
        vt_sched_cancel(sched(u), &u->timeout_ev);
    }
    free(u);
}

const vt_device_class vt_dev_ns16550 = {
    .name = "ns16550",
    .description = "NS PC16550D UART with 16-byte FIFOs (PC COM port)",
    .keys =
        (const vt_dev_key[]){
            {"serial", VT_KEY_STR, "none", "serial endpoint index (--serial order), or none"},
            {"clock", VT_KEY_U64, "1843200",
             "UART input clock in Hz (baud = clock / 16 / divisor)"},
            {"reg_shift", VT_KEY_U64, "0", "registers are 1 << reg_shift bytes apart"},
            {"divisor", VT_KEY_U64, "0",
             "divisor latch at power-on (undefined on the chip; 1 = 115200 baud at 1.8432 MHz)"},
            {"endian", VT_KEY_STR, "little", "byte order of the register window"},
            {"out2_gates_irq", VT_KEY_BOOL, "no", "MCR OUT2 enables the interrupt output (PC)"},
            {"fifo_size", VT_KEY_U64, "16", "bytes per FIFO: 16 (16550) or 64 (OMAP UARTs)"},
            {"enhanced", VT_KEY_BOOL, "no",
             "LCR = 0xBF selects EFR and XON/XOFF at registers 2, 4-7 (16C650, OMAP)"},
            {NULL, 0, NULL, NULL}},
    .needs_mmio = true,
    .irq_outputs = 1,
    .create = uart_create,
    .reset = uart_reset,
    .save = uart_save,
    .load = uart_load,
    .destroy = uart_destroy,
};
