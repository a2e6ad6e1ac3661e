/* ADB keyboard and mouse as seen by the bus master: SendReset, Flush, Listen and Talk, with
 * register 3 (address and handler ID) for the relocation the Mac ROM and OpenBIOS do at boot.
 * No host input reaches them yet (the console is serial): Talk register 0 finds no pending
 * event, which on ADB means the device stays silent and the master times out.
 * Source: Guide to the Macintosh Family Hardware 2nd ed. ch. 8 (commands, register 3). */
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

static void dev_reset(vt_adb_dev *d) {
    d->addr = d->default_addr;
    d->handler = d->default_handler;
}

void vt_adb_reset(vt_adb_bus *b) {
    b->kbd = (vt_adb_dev){.default_addr = 2, .default_handler = 1};
    b->mouse = (vt_adb_dev){.default_addr = 3, .default_handler = 2};
    dev_reset(&b->kbd);
    dev_reset(&b->mouse);
}

static vt_adb_dev *find(vt_adb_bus *b, unsigned addr) {
    if (b->kbd.addr == addr) return &b->kbd;
    if (b->mouse.addr == addr) return &b->mouse;
    return NULL;
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
    default:
        d->handler = data[1];
        break;
    }
}

int vt_adb_request(vt_adb_bus *b, const uint8_t *in, size_t len, uint8_t out[VT_ADB_MAX_REPLY]) {
    if (len < 1) return -1;
    uint8_t cmd = in[0];
    if ((cmd & 0x0f) == ADB_CMD_RESET) {
        dev_reset(&b->kbd);
        dev_reset(&b->mouse);
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
        return -1; /* register 0: no event pending, the device does not answer */
    default:
        return (cmd & 0x0f) == ADB_CMD_FLUSH ? 0 : -1;
    }
}
