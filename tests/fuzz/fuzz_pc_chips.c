/* libFuzzer harness: arbitrary bytes as what a guest (and the host's inputs) do to the PC's
 * legacy chips — register reads and writes on every window, time passing, interrupt inputs,
 * INTA cycles, key and mouse events, serial input and DMA transfers — then a save -> load of
 * every device. Whatever the guest programs, the host must not crash, leak or read out of
 * bounds (ASan+UBSan). Three bytes per operation: opcode, two arguments. */
#include "tests/fuzz/fuzz_common.h"
#include "peripherals/i8042_kbc.h"
#include "peripherals/i8237_dma.h"
#include "peripherals/i8259_pic.h"

static const char profile[] =
    "[machine]\nname = fuzz\ncpu = none\n"
    "[memory.ram]\nbase = 0x10000\nsize = 0x20000\n"
    "[device.pic1]\ntype = i8259\nbase = 0x20\nsize = 2\nslave = pic2\n"
    "[device.pic2]\ntype = i8259\nbase = 0xa0\nsize = 2\nirq = pic1.2\n"
    "[device.pit]\ntype = i8254\nbase = 0x40\nsize = 4\nirq = pic1.0\nirq2 = pic2.7\n"
    "[device.kbc]\ntype = i8042\nbase = 0x60\nsize = 5\nirq = pic1.1\nirq1 = pic2.4\n"
    "[device.rtc]\ntype = mc146818\nbase = 0x70\nsize = 2\nirq = pic2.0\n"
    "[device.com1]\ntype = ns16550\nbase = 0x3f8\nsize = 8\nirq = pic1.4\nserial = 0\n"
    "out2_gates_irq = yes\n"
    "[device.dma1]\ntype = i8237\nbase = 0x00\nsize = 0x10\npage = page\n"
    "[device.dma2]\ntype = i8237\nbase = 0xc0\nsize = 0x20\nreg_shift = 1\nword = yes\n"
    "page = page\npage_offsets = 15,11,9,10\n"
    "[device.page]\ntype = dma-page\nbase = 0x80\nsize = 0x10\n";

/* Every register port of the profile (and a few bytes beside them). */
static const uint16_t ports[] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,  0x07,  0x08,  0x09,  0x0a,  0x0b,  0x0c,  0x0d,
    0x0e, 0x0f, 0x20, 0x21, 0x40, 0x41, 0x42,  0x43,  0x60,  0x61,  0x64,  0x70,  0x71,  0x81,
    0x82, 0x83, 0x87, 0x89, 0x8a, 0x8b, 0x8f,  0xa0,  0xa1,  0xc0,  0xc1,  0xc4,  0xc6,  0xd0,
    0xd4, 0xd6, 0xd8, 0xda, 0xdc, 0xde, 0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff};

typedef struct fuzz_serial {
    vt_chardev chr;
    const uint8_t *in;
    size_t n;
} fuzz_serial;

static void fs_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    (void)c;
    (void)buf;
    (void)len;
}

static int fs_read(vt_chardev *c) {
    fuzz_serial *f = (fuzz_serial *)c;
    if (!f->n) return -1;
    f->n--;
    return *f->in++;
}

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    /* the profile stays open for the whole run */
    if (fuzz_memfd("pc.ini", profile, sizeof profile - 1, path, sizeof path) < 0) return 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_serial ser = {{fs_write, fs_read, NULL, NULL}, data, size / 4};
    vt_machine_options o = {0};
    o.serial[0] = &ser.chr;
    vt_machine *m;
    vt_error err;
    if (!path[0] || vt_machine_create(&m, path, &o, &err)) return 0;
    vt_device *pic1 = vt_machine_device(m, "pic1"), *kbc = vt_machine_device(m, "kbc");
    vt_device *dma[2] = {vt_machine_device(m, "dma1"), vt_machine_device(m, "dma2")};
    vt_irq in[16];
    for (int i = 0; i < 16; i++) {
        vt_device *p = vt_machine_device(m, i < 8 ? "pic1" : "pic2");
        if (p->cls->irq_input(p, i & 7, &in[i], &err)) __builtin_trap();
    }
    uint8_t buf[256];
    for (size_t i = 0; i + 3 <= size; i += 3) {
        uint8_t op = data[i], a = data[i + 1], b = data[i + 2];
        uint64_t v;
        bool tc;
        switch (op & 7) {
        case 0:
            vt_bus_write(&m->bus, ports[a % VT_ARRAY_LEN(ports)], 1, b);
            break;
        case 1:
            vt_bus_read(&m->bus, ports[a % VT_ARRAY_LEN(ports)], 1, &v);
            break;
        case 2: /* time passes: up to 6.5 ms in 100 ns steps */
            vt_machine_run(m, m->sched.now + ((uint64_t)a << 8 | b) * 100000ull);
            break;
        case 3:
            vt_irq_set(&in[a & 15], b & 1);
            break;
        case 4:
            vt_i8042_key(kbc, (uint16_t)(a | ((b & 1) ? 0xE000 : 0)), b & 2);
            break;
        case 5:
            vt_i8042_mouse(kbc, (int8_t)a, (int8_t)b, op >> 3);
            break;
        case 6:
            vt_i8237_transfer(dma[a & 1], (a >> 1) & 3, buf, b, &tc);
            break;
        default:
            vt_i8259_intack(pic1);
            break;
        }
    }
    fuzz_state_round_trip(m);
    vt_machine_destroy(m);
    return 0;
}
