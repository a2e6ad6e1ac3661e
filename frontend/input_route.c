/* Input routing (frontend/input_route.h): one adapter per input device of the machine,
 * translating hub events (HID keys, relative mouse) into the device's own calls through the
 * key map its class uses. */
#include "frontend/input_route.h"

#include "frontend/input_keymap.h"
#include "peripherals/cuda.h"
#include "peripherals/i8042_kbc.h"
#include "peripherals/sun_kbd.h"
#include "peripherals/tsc2301_touch.h"

#include <stdlib.h>

#define MAX_ADAPTERS 4

typedef struct adapter {
    vt_device *dev;
    vt_keymap keymap;
} adapter;

struct vt_input_route {
    adapter a[MAX_ADAPTERS];
    int n;
};

/* PS/2 behind an i8042: keys in set 2, mouse with y up. */
static void i8042_sink(void *opaque, const vt_input_event *ev) {
    adapter *a = opaque;
    if (ev->kind == VT_INPUT_KEY) {
        if (ev->code < 256 && a->keymap.has[ev->code])
            vt_i8042_key(a->dev, a->keymap.code[ev->code], ev->down);
    } else if (ev->kind == VT_INPUT_MOUSE) {
        vt_i8042_mouse(a->dev, ev->x, -ev->y, ev->code);
    }
}

/* Sun Type 5 keyboard: keys as station numbers. */
static void sun_kbd_sink(void *opaque, const vt_input_event *ev) {
    adapter *a = opaque;
    if (ev->code < 256 && a->keymap.has[ev->code])
        vt_sun_kbd_key(a->dev, a->keymap.code[ev->code], ev->down);
}

/* Sun mouse: y up, like PS/2. */
static void sun_mouse_sink(void *opaque, const vt_input_event *ev) {
    adapter *a = opaque;
    vt_sun_mouse_move(a->dev, ev->x, -ev->y, ev->code);
}

/* ADB keyboard and mouse behind the Mac's CUDA: keys as ADB key codes, mouse y down. */
static void cuda_sink(void *opaque, const vt_input_event *ev) {
    adapter *a = opaque;
    if (ev->kind == VT_INPUT_KEY) {
        if (ev->code < 256 && a->keymap.has[ev->code])
            vt_cuda_key(a->dev, a->keymap.code[ev->code], ev->down);
    } else if (ev->kind == VT_INPUT_MOUSE) {
        vt_cuda_mouse(a->dev, ev->x, ev->y, ev->code);
    }
}

/* The N800's TSC2301: host keys to its keypad matrix, the host pointer to its touch panel. */
static void tsc2301_sink(void *opaque, const vt_input_event *ev) {
    adapter *a = opaque;
    if (ev->kind == VT_INPUT_KEY) {
        if (ev->code < 256 && a->keymap.has[ev->code])
            vt_tsc2301_key(a->dev, a->keymap.code[ev->code], ev->down);
    } else if (ev->kind == VT_INPUT_TOUCH) {
        vt_tsc2301_touch(a->dev, ev->x, ev->y, ev->down);
    }
}

typedef struct route_class {
    const char *cls;    /* device class name */
    const char *keymap; /* config/keymaps/NAME.ini; NULL: a pointer only */
    unsigned kinds;
    vt_input_sink_fn fn;
} route_class;

static const route_class classes[] = {
    {"i8042", "pc-ps2", VT_INPUT_KEY | VT_INPUT_MOUSE, i8042_sink},
    {"sun-kbd", "sun-type5", VT_INPUT_KEY, sun_kbd_sink},
    {"sun-mouse", NULL, VT_INPUT_MOUSE, sun_mouse_sink},
    {"cuda", "adb", VT_INPUT_KEY | VT_INPUT_MOUSE, cuda_sink},
    {"tsc2301", "nokia-n800", VT_INPUT_KEY | VT_INPUT_TOUCH, tsc2301_sink},
};

int vt_input_route_create(vt_input_route **out, vt_input *in, vt_machine *m, vt_error *err) {
    vt_input_route *r = calloc(1, sizeof *r);
    if (!r) return vt_fail(err, "out of memory");
    *out = r;
    for (int i = 0; i < m->ndevices; i++)
        for (size_t c = 0; c < VT_ARRAY_LEN(classes); c++) {
            if (strcmp(m->devices[i]->cls->name, classes[c].cls)) continue;
            if (r->n == MAX_ADAPTERS) return vt_fail(err, "too many input devices");
            adapter *a = &r->a[r->n++];
            a->dev = m->devices[i];
            if ((classes[c].keymap && vt_keymap_load(classes[c].keymap, &a->keymap, err)) ||
                vt_input_add_sink(in, classes[c].kinds, classes[c].fn, a, err))
                return -1;
        }
    return 0;
}

void vt_input_route_destroy(vt_input_route *r) {
    free(r);
}
