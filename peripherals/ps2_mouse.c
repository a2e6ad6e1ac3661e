/* PS/2 mouse (auxiliary device, standard 3-byte protocol, ID 0x00): reset/BAT, identify,
 * stream and remote mode, enable/disable reporting, sample rate, resolution, scaling, status
 * request, read data, wrap mode. Movement packets: buttons | bit 3 | X/Y sign (bits 4/5) |
 * X/Y overflow (bits 6/7), then X and Y low bytes. Approximations: packets are queued per
 * event (the sample rate does not pace them); 2:1 scaling is stored but not applied.
 * Source: IBM PS/2 Hardware Interface Technical Reference, "Pointing device". */
#include "peripherals/ps2.h"

#include "core/log.h"
#include "core/savestate.h"

enum {
    AUX_ACK = 0xFA,
    AUX_RESEND = 0xFE,
    AUX_BAT_OK = 0xAA,
    AUX_ID = 0x00,
    CMD_SCALE11 = 0xE6,
    CMD_SCALE21 = 0xE7,
    CMD_RESOLUTION = 0xE8,
    CMD_STATUS = 0xE9,
    CMD_STREAM = 0xEA,
    CMD_READ = 0xEB,
    CMD_WRAP_OFF = 0xEC,
    CMD_WRAP_ON = 0xEE,
    CMD_REMOTE = 0xF0,
    CMD_IDENTIFY = 0xF2,
    CMD_RATE = 0xF3,
    CMD_ENABLE = 0xF4,
    CMD_DISABLE = 0xF5,
    CMD_DEFAULTS = 0xF6,
    CMD_RESEND = 0xFE,
    CMD_RESET = 0xFF,
    PKT_ALWAYS = 0x08,
    PKT_X_SIGN = 0x10,
    PKT_Y_SIGN = 0x20,
    PKT_X_OVF = 0x40,
    PKT_Y_OVF = 0x80,
    ST_REMOTE = 0x40,
    ST_ENABLED = 0x20,
    ST_SCALE21 = 0x10,
};

static void defaults(vt_ps2_mouse *m) {
    m->reporting = m->remote = m->wrap = m->scale21 = false;
    m->rate = 100;
    m->resolution = 2; /* 4 counts/mm */
    m->dx = m->dy = 0;
}

void vt_ps2_mouse_reset(vt_ps2_mouse *m) {
    m->q.n = 0;
    m->expect = 0;
    m->buttons = 0;
    defaults(m);
}

/* Movement in 9-bit two's complement with overflow. */
static void axis(int32_t v, uint8_t *low, uint8_t *flags, uint8_t sign, uint8_t ovf) {
    if (v < -256 || v > 255) *flags |= ovf;
    if (v < -256) v = -256;
    if (v > 255) v = 255;
    if (v < 0) *flags |= sign;
    *low = (uint8_t)v;
}

static void packet(vt_ps2_mouse *m) {
    uint8_t flags = (uint8_t)(PKT_ALWAYS | (m->buttons & 7)), x, y;
    axis(m->dx, &x, &flags, PKT_X_SIGN, PKT_X_OVF);
    axis(m->dy, &y, &flags, PKT_Y_SIGN, PKT_Y_OVF);
    if (m->q.n + 3 > VT_PS2_QUEUE) return; /* no room: the movement stays accumulated */
    vt_ps2_queue_put(&m->q, flags);
    vt_ps2_queue_put(&m->q, x);
    vt_ps2_queue_put(&m->q, y);
    m->dx = m->dy = 0;
}

static void argument(vt_ps2_mouse *m, uint8_t cmd, uint8_t v) {
    if (cmd == CMD_RATE)
        m->rate = v;
    else
        m->resolution = v & 3;
    vt_ps2_queue_put(&m->q, AUX_ACK);
}

void vt_ps2_mouse_write(vt_ps2_mouse *m, uint8_t v) {
    if (m->expect) {
        uint8_t cmd = m->expect;
        m->expect = 0;
        argument(m, cmd, v);
        return;
    }
    if (m->wrap && v != CMD_WRAP_OFF && v != CMD_RESET) { /* wrap mode echoes */
        vt_ps2_queue_put(&m->q, v);
        return;
    }
    switch (v) {
    case CMD_RATE:
    case CMD_RESOLUTION:
        m->expect = v;
        vt_ps2_queue_put(&m->q, AUX_ACK);
        return;
    case CMD_SCALE11:
    case CMD_SCALE21:
        m->scale21 = v == CMD_SCALE21;
        break;
    case CMD_STATUS:
        vt_ps2_queue_put(&m->q, AUX_ACK);
        vt_ps2_queue_put(&m->q,
                         (uint8_t)((m->remote ? ST_REMOTE : 0) | (m->reporting ? ST_ENABLED : 0) |
                                   (m->scale21 ? ST_SCALE21 : 0) | (m->buttons & 7)));
        vt_ps2_queue_put(&m->q, m->resolution);
        vt_ps2_queue_put(&m->q, m->rate);
        return;
    case CMD_STREAM:
        m->remote = false;
        break;
    case CMD_REMOTE:
        m->remote = true;
        break;
    case CMD_READ:
        vt_ps2_queue_put(&m->q, AUX_ACK);
        packet(m);
        return;
    case CMD_WRAP_OFF:
        m->wrap = false;
        break;
    case CMD_WRAP_ON:
        m->wrap = true;
        break;
    case CMD_IDENTIFY:
        vt_ps2_queue_put(&m->q, AUX_ACK);
        vt_ps2_queue_put(&m->q, AUX_ID);
        return;
    case CMD_ENABLE:
        m->reporting = true;
        break;
    case CMD_DISABLE:
        m->reporting = false;
        break;
    case CMD_DEFAULTS:
        defaults(m);
        break;
    case CMD_RESEND:
        break;
    case CMD_RESET:
        vt_ps2_mouse_reset(m);
        vt_ps2_queue_put(&m->q, AUX_ACK);
        vt_ps2_queue_put(&m->q, AUX_BAT_OK);
        vt_ps2_queue_put(&m->q, AUX_ID);
        return;
    default: /* every command of the set is above; others are invalid, answered with Resend
                (e.g. Linux's atkbd probing the AUX port with the keyboard's Set LEDs, 0xED) */
        vt_log(VT_LOG_DEV, "ps2 mouse: 0x%02x is not a mouse command: resend", v);
        vt_ps2_queue_put(&m->q, AUX_RESEND);
        return;
    }
    vt_ps2_queue_put(&m->q, AUX_ACK);
}

void vt_ps2_mouse_event(vt_ps2_mouse *m, int dx, int dy, unsigned buttons) {
    m->dx += dx;
    m->dy += dy;
    m->buttons = (uint8_t)(buttons & 7);
    if (m->reporting && !m->remote && !m->wrap) packet(m);
}

void vt_ps2_mouse_save(const vt_ps2_mouse *m, vt_state_writer *w) {
    vt_ps2_queue_save(&m->q, w);
    const uint8_t b[] = {m->expect,  m->reporting, m->remote,     m->wrap,
                         m->scale21, m->rate,      m->resolution, m->buttons};
    vt_state_put_bytes(w, b, sizeof b);
    vt_state_put_u32(w, (uint32_t)m->dx);
    vt_state_put_u32(w, (uint32_t)m->dy);
}

void vt_ps2_mouse_load(vt_ps2_mouse *m, vt_state_reader *r) {
    uint8_t b[8];
    vt_ps2_queue_load(&m->q, r);
    vt_state_get_bytes(r, b, sizeof b);
    m->expect = b[0], m->reporting = b[1], m->remote = b[2], m->wrap = b[3];
    m->scale21 = b[4], m->rate = b[5], m->resolution = b[6] & 3, m->buttons = b[7] & 7;
    m->dx = (int32_t)vt_state_get_u32(r);
    m->dy = (int32_t)vt_state_get_u32(r);
}
