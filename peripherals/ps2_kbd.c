/* PS/2 (MF II) keyboard: the host commands (reset/BAT, identify, LEDs, typematic, scan code
 * set, enable/disable, echo, resend), key make/break codes in set 2 (F0 break prefix) or set 1
 * (bit 7 break), and the 8042's set 2 -> set 1 translation, from one table of the keys'
 * codes in both sets. The device-side byte queue is shared with the mouse (ps2_mouse.c).
 * Approximations: set 3 is answered but keys are sent in set 2 (logged); no typematic repeat
 * (the frontend repeats). Sources: IBM PS/2 Hardware Interface Technical Reference,
 * "Keyboard"; IBM PC AT Technical Reference, scan code tables. */
#include "peripherals/ps2.h"

#include "core/log.h"
#include "core/savestate.h"

enum {
    KBD_ACK = 0xFA,
    KBD_BAT_OK = 0xAA,
    KBD_ECHO = 0xEE,
    KBD_RESEND = 0xFE,
    KBD_BREAK = 0xF0,
    KBD_EXTENDED = 0xE0,
    CMD_LEDS = 0xED,
    CMD_ECHO = 0xEE,
    CMD_SCAN_SET = 0xF0,
    CMD_IDENTIFY = 0xF2,
    CMD_TYPEMATIC = 0xF3,
    CMD_ENABLE = 0xF4,
    CMD_DISABLE = 0xF5,
    CMD_DEFAULTS = 0xF6,
    CMD_RESEND = 0xFE,
    CMD_RESET = 0xFF,
};

void vt_ps2_queue_put(vt_ps2_queue *q, uint8_t v) {
    if (q->n < VT_PS2_QUEUE) q->b[(q->head + q->n++) % VT_PS2_QUEUE] = v;
}

uint8_t vt_ps2_queue_get(vt_ps2_queue *q) {
    uint8_t v = q->b[q->head];
    q->head = (uint8_t)((q->head + 1) % VT_PS2_QUEUE);
    q->n--;
    return v;
}

void vt_ps2_queue_save(const vt_ps2_queue *q, vt_state_writer *w) {
    vt_state_put_bytes(w, q->b, VT_PS2_QUEUE);
    vt_state_put_u8(w, q->head);
    vt_state_put_u8(w, q->n);
}

void vt_ps2_queue_load(vt_ps2_queue *q, vt_state_reader *r) {
    vt_state_get_bytes(r, q->b, VT_PS2_QUEUE);
    q->head = vt_state_get_u8(r);
    q->n = vt_state_get_u8(r);
    if (q->head >= VT_PS2_QUEUE || q->n > VT_PS2_QUEUE) {
        vt_state_fail(r, "ps2: bad queue state %u/%u", q->head, q->n);
        q->head = q->n = 0;
    }
}

/* Set 1 make code of each key, indexed by its set 2 make code (0: no key). E0-prefixed keys
 * use the same pairs behind the prefix (e.g. E0 75 / E0 48 cursor up). */
static const uint8_t set1_of_set2[0x85] = {
    [0x76] = 0x01, [0x16] = 0x02, [0x1E] = 0x03,
    [0x26] = 0x04, [0x25] = 0x05, /* Esc 1-4 */
    [0x2E] = 0x06, [0x36] = 0x07, [0x3D] = 0x08,
    [0x3E] = 0x09, [0x46] = 0x0A, /* 5-9 */
    [0x45] = 0x0B, [0x4E] = 0x0C, [0x55] = 0x0D,
    [0x66] = 0x0E, [0x0D] = 0x0F, /* 0 - = BS Tab */
    [0x15] = 0x10, [0x1D] = 0x11, [0x24] = 0x12,
    [0x2D] = 0x13, [0x2C] = 0x14, /* Q W E R T */
    [0x35] = 0x15, [0x3C] = 0x16, [0x43] = 0x17,
    [0x44] = 0x18, [0x4D] = 0x19, /* Y U I O P */
    [0x54] = 0x1A, [0x5B] = 0x1B, [0x5A] = 0x1C,
    [0x14] = 0x1D, [0x1C] = 0x1E, /* [ ] Enter Ctrl A */
    [0x1B] = 0x1F, [0x23] = 0x20, [0x2B] = 0x21,
    [0x34] = 0x22, [0x33] = 0x23, /* S D F G H */
    [0x3B] = 0x24, [0x42] = 0x25, [0x4B] = 0x26,
    [0x4C] = 0x27, [0x52] = 0x28, /* J K L ; ' */
    [0x0E] = 0x29, [0x12] = 0x2A, [0x5D] = 0x2B,
    [0x1A] = 0x2C, [0x22] = 0x2D, /* ` LShift \ Z X */
    [0x21] = 0x2E, [0x2A] = 0x2F, [0x32] = 0x30,
    [0x31] = 0x31, [0x3A] = 0x32, /* C V B N M */
    [0x41] = 0x33, [0x49] = 0x34, [0x4A] = 0x35,
    [0x59] = 0x36, [0x7C] = 0x37, /* , . / RShift KP* */
    [0x11] = 0x38, [0x29] = 0x39, [0x58] = 0x3A,
    [0x05] = 0x3B, [0x06] = 0x3C, /* Alt Space Caps F1 F2 */
    [0x04] = 0x3D, [0x0C] = 0x3E, [0x03] = 0x3F,
    [0x0B] = 0x40, [0x83] = 0x41, /* F3-F7 */
    [0x0A] = 0x42, [0x01] = 0x43, [0x09] = 0x44,
    [0x77] = 0x45, [0x7E] = 0x46, /* F8-F10 Num Scroll */
    [0x6C] = 0x47, [0x75] = 0x48, [0x7D] = 0x49,
    [0x7B] = 0x4A, [0x6B] = 0x4B, /* KP7 8 9 - 4 */
    [0x73] = 0x4C, [0x74] = 0x4D, [0x79] = 0x4E,
    [0x69] = 0x4F, [0x72] = 0x50, /* KP5 6 + 1 2 */
    [0x7A] = 0x51, [0x70] = 0x52, [0x71] = 0x53,
    [0x84] = 0x54, [0x61] = 0x56, /* KP3 0 . SysRq 102nd */
    [0x78] = 0x57, [0x07] = 0x58, [0x1F] = 0x5B,
    [0x27] = 0x5C, [0x2F] = 0x5D, /* F11 F12 Win Win Menu */
};

uint8_t vt_ps2_set2_to_set1(uint8_t code) {
    return code < sizeof set1_of_set2 && set1_of_set2[code] ? set1_of_set2[code] : code;
}

void vt_ps2_kbd_reset(vt_ps2_kbd *k) {
    k->q.n = 0;
    k->expect = 0;
    k->scanning = true;
    k->set = 2;
    k->leds = 0;
    k->typematic = 0x2B; /* default: 10.9 characters/s, 500 ms delay */
}

static void argument(vt_ps2_kbd *k, uint8_t cmd, uint8_t v) {
    switch (cmd) {
    case CMD_LEDS:
        k->leds = v & 7;
        break;
    case CMD_TYPEMATIC:
        k->typematic = v & 0x7F;
        break;
    default: /* CMD_SCAN_SET */
        if (v == 0) {
            vt_ps2_queue_put(&k->q, KBD_ACK);
            vt_ps2_queue_put(&k->q, k->set);
            return;
        }
        if (v > 3) {
            vt_ps2_queue_put(&k->q, KBD_RESEND);
            return;
        }
        k->set = v;
        if (v == 3)
            vt_log(VT_LOG_UNIMP, "unimplemented: PS/2 scan code set 3 (keys sent in set 2)");
        break;
    }
    vt_ps2_queue_put(&k->q, KBD_ACK);
}

void vt_ps2_kbd_write(vt_ps2_kbd *k, uint8_t v) {
    if (k->expect) {
        uint8_t cmd = k->expect;
        k->expect = 0;
        if (v < 0xED) { /* an argument; a command byte instead aborts the pending command */
            argument(k, cmd, v);
            return;
        }
    }
    switch (v) {
    case CMD_LEDS:
    case CMD_TYPEMATIC:
    case CMD_SCAN_SET:
        k->expect = v;
        vt_ps2_queue_put(&k->q, KBD_ACK);
        break;
    case CMD_ECHO:
        vt_ps2_queue_put(&k->q, KBD_ECHO);
        break;
    case CMD_IDENTIFY:
        vt_ps2_queue_put(&k->q, KBD_ACK);
        vt_ps2_queue_put(&k->q, 0xAB); /* MF II keyboard */
        vt_ps2_queue_put(&k->q, 0x83);
        break;
    case CMD_ENABLE:
        k->q.n = 0;
        k->scanning = true;
        vt_ps2_queue_put(&k->q, KBD_ACK);
        break;
    case CMD_DISABLE:
    case CMD_DEFAULTS:
        vt_ps2_kbd_reset(k);
        k->scanning = v == CMD_DEFAULTS;
        vt_ps2_queue_put(&k->q, KBD_ACK);
        break;
    case CMD_RESEND:
        vt_ps2_queue_put(&k->q, KBD_ACK);
        break;
    case CMD_RESET:
        vt_ps2_kbd_reset(k);
        vt_ps2_queue_put(&k->q, KBD_ACK);
        vt_ps2_queue_put(&k->q, KBD_BAT_OK);
        break;
    default:
        vt_log(VT_LOG_UNIMP, "unimplemented: PS/2 keyboard command 0x%02x", v);
        vt_ps2_queue_put(&k->q, KBD_RESEND);
        break;
    }
}

void vt_ps2_kbd_key(vt_ps2_kbd *k, uint16_t code, bool down) {
    if (!k->scanning) return;
    uint8_t make = (uint8_t)code;
    if (code >> 8) vt_ps2_queue_put(&k->q, KBD_EXTENDED);
    if (k->set == 1) {
        uint8_t c1 = vt_ps2_set2_to_set1(make);
        vt_ps2_queue_put(&k->q, down ? c1 : (uint8_t)(c1 | 0x80));
        return;
    }
    if (!down) vt_ps2_queue_put(&k->q, KBD_BREAK);
    vt_ps2_queue_put(&k->q, make);
}

void vt_ps2_kbd_save(const vt_ps2_kbd *k, vt_state_writer *w) {
    vt_ps2_queue_save(&k->q, w);
    const uint8_t b[] = {k->expect, k->scanning, k->set, k->leds, k->typematic};
    vt_state_put_bytes(w, b, sizeof b);
}

void vt_ps2_kbd_load(vt_ps2_kbd *k, vt_state_reader *r) {
    uint8_t b[5];
    vt_ps2_queue_load(&k->q, r);
    vt_state_get_bytes(r, b, sizeof b);
    k->expect = b[0], k->scanning = b[1], k->set = b[2] >= 1 && b[2] <= 3 ? b[2] : 2;
    k->leds = b[3], k->typematic = b[4];
}
