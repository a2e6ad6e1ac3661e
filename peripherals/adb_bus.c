/* ADB keyboard and mouse as seen by the bus master: SendReset, Flush, Listen and Talk, with
 * register 3 (address and handler ID) for the relocation the Mac ROM, OpenBIOS and Linux do at
 * boot. Talk register 0 returns up to two key transitions (keyboard) or one motion/button
 * report (mouse); a device with nothing to report stays silent and the master times out.
 * Sources: Guide to the Macintosh Family Hardware 2nd ed. ch. 8 (commands, registers 0 and 3,
 * keyboard and mouse register 0 layouts); Linux drivers/macintosh/adbhid.c (handler 3's
 * right-hand modifier codes). */
#include "peripherals/adb_bus.h"

#include <string.h>

#define ADB_CMD_RESET 0x00 /* low nibble of SendReset */
#define ADB_CMD_FLUSH 0x01
#define ADB_CMD_MASK 0x0c /* command bits of the low nibble */
#define ADB_LISTEN 0x08
#define ADB_TALK 0x0c
#define ADB_R3_SELF_TEST 0x00 /* Listen R3 second byte: special handler IDs */
#define ADB_R3_CHANGE_ADDR_ACT 0xfd
#define ADB_R3_CHANGE_ADDR 0xfe
#define ADB_R3_ADDR_MASK 0x0f
#define ADB_KBD_MODIFIERS_UP 0xff /* register 2: every modifier key released (active low) */
#define ADB_KEY_UP 0x80           /* register 0: bit 7 of a key byte = released */
#define ADB_KEY_NONE 0xff         /* register 0: no second transition */
#define ADB_KBD_HANDLER_EXT 3     /* extended: right-hand modifiers have their own codes */
#define ADB_MOUSE_UP 0x80         /* register 0: button released (high byte), bit 7 of low */
#define ADB_MOUSE_DELTA 63        /* 7-bit signed motion per report */
#define ADB_TALK_R0 0x0c

/* Handler 1 keyboards report the right-hand modifiers as the left ones. */
static const uint8_t right_to_left[][2] = {{0x7b, 0x38}, {0x7c, 0x3a}, {0x7d, 0x36}};

static void dev_reset(vt_adb_dev *d) {
    d->addr = d->default_addr;
    d->handler = d->default_handler;
}

void vt_adb_reset(vt_adb_bus *b) {
    memset(b, 0, sizeof *b);
    /* keyboard: 1 standard, 2 extended, 3 extended with right-hand modifiers apart; mouse:
     * 1 (100 cpi) and 2 (200 cpi), no extended mouse protocol (handler 4) */
    b->kbd = (vt_adb_dev){.default_addr = 2, .default_handler = 1, .handlers = 0xe};
    b->mouse = (vt_adb_dev){.default_addr = 3, .default_handler = 2, .handlers = 0x6};
    dev_reset(&b->kbd);
    dev_reset(&b->mouse);
}

static vt_adb_dev *find(vt_adb_bus *b, unsigned addr) {
    if (b->kbd.addr == addr) return &b->kbd;
    if (b->mouse.addr == addr) return &b->mouse;
    return NULL;
}

/* Flush: the device drops what it has not reported (the mouse keeps its button state). */
static void flush(vt_adb_bus *b, const vt_adb_dev *d) {
    if (d == &b->kbd) {
        b->nkeys = 0;
    } else {
        b->dx = b->dy = 0;
        b->sent_button = b->button;
    }
}

static void listen_r3(vt_adb_dev *d, const uint8_t *data, size_t len) {
    if (len < 2) return;
    switch (data[1]) {
    case ADB_R3_SELF_TEST:
    case ADB_R3_CHANGE_ADDR_ACT: /* needs the user's activator key: nobody presses it */
        break;
    case ADB_R3_CHANGE_ADDR:
        d->addr = data[0] & ADB_R3_ADDR_MASK;
        break;
    default: /* a handler the device does not have leaves it as it was (Guide ch. 8) */
        if (data[1] < 32 && (d->handlers >> data[1] & 1)) d->handler = data[1];
        break;
    }
}

void vt_adb_key(vt_adb_bus *b, uint8_t code, bool down) {
    if (b->nkeys == VT_ADB_KEY_QUEUE) return; /* the keyboard's buffer is full: lost */
    b->keys[b->nkeys++] = (uint8_t)((code & 0x7f) | (down ? 0 : ADB_KEY_UP));
}

void vt_adb_mouse(vt_adb_bus *b, int dx, int dy, bool button) {
    if (b->dx + dx > -65536 && b->dx + dx < 65536) b->dx += dx;
    if (b->dy + dy > -65536 && b->dy + dy < 65536) b->dy += dy;
    b->button = button;
}

static uint8_t kbd_code(const vt_adb_bus *b, uint8_t key) {
    if (b->kbd.handler == ADB_KBD_HANDLER_EXT) return key;
    for (size_t i = 0; i < sizeof right_to_left / sizeof right_to_left[0]; i++)
        if ((key & 0x7f) == right_to_left[i][0])
            return (uint8_t)((key & ADB_KEY_UP) | right_to_left[i][1]);
    return key;
}

static int kbd_talk0(vt_adb_bus *b, uint8_t out[VT_ADB_MAX_REPLY]) {
    if (!b->nkeys) return -1;
    int n = b->nkeys < 2 ? b->nkeys : 2;
    out[0] = kbd_code(b, b->keys[0]);
    out[1] = n == 2 ? kbd_code(b, b->keys[1]) : ADB_KEY_NONE;
    memmove(b->keys, b->keys + n, (size_t)(b->nkeys - n));
    b->nkeys -= n;
    return 2;
}

static int8_t take(int32_t *acc) {
    int32_t v = *acc < -ADB_MOUSE_DELTA  ? -ADB_MOUSE_DELTA
                : *acc > ADB_MOUSE_DELTA ? ADB_MOUSE_DELTA
                                         : *acc;
    *acc -= v;
    return (int8_t)v;
}

static int mouse_talk0(vt_adb_bus *b, uint8_t out[VT_ADB_MAX_REPLY]) {
    if (!b->dx && !b->dy && b->button == b->sent_button) return -1;
    b->sent_button = b->button;
    int8_t y = take(&b->dy), x = take(&b->dx);
    out[0] = (uint8_t)((b->button ? 0 : ADB_MOUSE_UP) | (y & 0x7f));
    out[1] = (uint8_t)(ADB_MOUSE_UP | (x & 0x7f));
    return 2;
}

bool vt_adb_pending(const vt_adb_bus *b) {
    return b->nkeys || b->dx || b->dy || b->button != b->sent_button;
}

int vt_adb_poll(vt_adb_bus *b, uint8_t *cmd, uint8_t out[VT_ADB_MAX_REPLY]) {
    int n = kbd_talk0(b, out);
    if (n > 0) {
        *cmd = (uint8_t)(b->kbd.addr << 4 | ADB_TALK_R0);
        return n;
    }
    n = mouse_talk0(b, out);
    if (n > 0) *cmd = (uint8_t)(b->mouse.addr << 4 | ADB_TALK_R0);
    return n;
}

int vt_adb_request(vt_adb_bus *b, const uint8_t *in, size_t len, uint8_t out[VT_ADB_MAX_REPLY]) {
    if (len < 1) return -1;
    uint8_t cmd = in[0];
    if ((cmd & 0x0f) == ADB_CMD_RESET) { /* every device back to power-on, buffers empty */
        dev_reset(&b->kbd);
        dev_reset(&b->mouse);
        flush(b, &b->kbd);
        flush(b, &b->mouse);
        return 0;
    }
    vt_adb_dev *d = find(b, cmd >> 4);
    if (!d) return -1;
    unsigned reg = cmd & 3;
    switch (cmd & ADB_CMD_MASK) {
    case ADB_LISTEN:
        if (reg == 3) listen_r3(d, in + 1, len - 1);
        return 0;
    case ADB_TALK:
        if (reg == 3) {
            out[0] = d->addr;
            out[1] = d->handler;
            return 2;
        }
        if (reg == 2 && d == &b->kbd) {
            out[0] = out[1] = ADB_KBD_MODIFIERS_UP;
            return 2;
        }
        if (reg == 0) return d == &b->kbd ? kbd_talk0(b, out) : mouse_talk0(b, out);
        return -1; /* register 1 (and the mouse's 2): nothing to say */
    default:
        if ((cmd & 0x0f) != ADB_CMD_FLUSH) return -1;
        flush(b, d);
        return 0;
    }
}
