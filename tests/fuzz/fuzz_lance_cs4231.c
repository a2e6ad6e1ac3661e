/* libFuzzer harness: arbitrary bytes as what a guest and the network do to the SPARCstation 5's
 * bus masters with rings and buffers in memory: the Am7990 Lance (RAP/RDP, init block and
 * descriptors in RAM, frames arriving from a network backend) and the CS4231 with its APC DMA
 * (codec registers, APC addresses and counts), with emulated time passing, then a save -> load
 * of every device. Whatever the guest programs, the host must not crash, leak or touch memory
 * out of bounds (ASan+UBSan). Four bytes per operation: opcode and three arguments. */
#include "tests/fuzz/fuzz_common.h"

#define LANCE 0x1000000
#define AUDIO 0x2000000

static const char profile[] =
    "[machine]\nname = fuzz\ncpu = none\nendian = big\n"
    "[memory.ram]\nbase = 0\nsize = 0x10000\n"
    "[device.lance]\ntype = am7990\nbase = 0x1000000\nsize = 4\ndma = memory\nnet = 0\n"
    "[device.audio]\ntype = cs4231\nbase = 0x2000000\nsize = 0x40\ndma = memory\n";

static const uint8_t apc_regs[] = {0x10, 0x20, 0x24, 0x28, 0x2c, 0x30, 0x34, 0x38, 0x3c};

static void sink_send(vt_net *n, const uint8_t *frame, size_t len) {
    (void)n;
    (void)frame;
    (void)len;
}

static void sink_close(vt_net *n) {
    (void)n;
}

static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    /* the profile stays open for the whole run */
    if (fuzz_memfd("ss5-dma.ini", profile, sizeof profile - 1, path, sizeof path) < 0) return 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static vt_net net;
    vt_net_init(&net);
    net.send = sink_send;
    net.close = sink_close;
    net.sched = NULL;
    vt_machine_options o = {.nets = {&net}};
    vt_machine *m;
    vt_error err;
    if (!path[0] || vt_machine_create(&m, path, &o, &err)) return 0;
    vt_machine_reset(m);
    uint64_t v;
    for (size_t i = 0; i + 4 <= size; i += 4) {
        uint8_t a = data[i + 1], b = data[i + 2], c = data[i + 3];
        uint16_t ab = (uint16_t)(a << 8 | b);
        switch (data[i] % 8) {
        case 0:
            (void)vt_bus_write(&m->bus, LANCE + 2, 2, a & 3); /* RAP */
            break;
        case 1:
            (void)vt_bus_write(&m->bus, LANCE, 2, ab); /* RDP */
            break;
        case 2:
            (void)vt_bus_read(&m->bus, LANCE + (c & 2), 2, &v);
            (void)vt_bus_read(&m->bus, AUDIO + (c & 0xc), 1, &v);
            break;
        case 3:
            (void)vt_bus_write(&m->bus, AUDIO + (a & 0xc), 1, b); /* codec */
            break;
        case 4:
            (void)vt_bus_write(&m->bus, AUDIO + apc_regs[a % sizeof apc_regs], 4,
                               (uint32_t)b << 8 | c);
            break;
        case 5:
            (void)vt_bus_write(&m->bus, ab & 0xfffe, 2, (uint32_t)c << 8 | c); /* rings */
            break;
        case 6:
            vt_machine_run(m, m->sched.now + (uint64_t)(a + 1) * 10000000ull);
            break;
        default: { /* a frame from the network: the rest of the input, at most c * 8 bytes */
            size_t left = size - i - 4, len = (size_t)c * 8;
            if (len > left) len = left;
            if (len > VT_NET_MAX_FRAME - 4) len = VT_NET_MAX_FRAME - 4;
            if (net.sched) vt_net_deliver(&net, data + i + 4, len);
            break;
        }
        }
    }
    vt_machine_run(m, m->sched.now + VT_PS_PER_SEC / 1000);
    fuzz_state_round_trip(m);
    vt_machine_destroy(m);
    return 0;
}
