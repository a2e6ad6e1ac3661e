/* libFuzzer harness: arbitrary bytes as what a guest does to the PIIX3 IDE function with ATA
 * disks and an ATAPI CD-ROM: task-file and control writes, packets, data-port reads and writes
 * of every width, bus-master registers, PRD tables inside and outside RAM, the PCI command
 * register, then a save -> load of the device. Whatever the guest programs, the host must not
 * crash or touch memory outside the guest's (ASan+UBSan). Three bytes per op: opcode, 2 args. */
#include "tests/fuzz/fuzz_common.h"
#include "core/block/block.h"

#include <stdlib.h>

static const char profile[] =
    "[machine]\nname = fuzz\ncpu = none\n"
    "[memory.ram]\nbase = 0\nsize = 0x10000\n"
    "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"
    "[device.ide]\ntype = piix3-ide\npci = pci\nslot = 1\nfunction = 1\nhda = 0\nhdd = 1\ncdrom = "
    "0\n";

#define BM 0xc000

static char path[64];
static vt_block *disk[3]; /* two ATA disks, the CD-ROM's disc */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    /* the profile stays open for the whole run */
    if (fuzz_memfd("ide.ini", profile, sizeof profile - 1, path, sizeof path) < 0) return 0;
    for (int i = 0; i < 3; i++) { /* images of 64, 3 and 16 sectors, unlinked at once */
        char img[] = "/tmp/vt-fuzz-ide-XXXXXX";
        int d = mkstemp(img);
        vt_error err;
        vt_block_opts bo = {.format = "raw", .read_only = i == 2};
        static const off_t sizes[3] = {32768, 1536, 8192};
        if (d < 0 || ftruncate(d, sizes[i]) || vt_block_open(&disk[i], img, &bo, &err)) path[0] = 0;
        if (d >= 0) close(d), unlink(img);
    }
    return 0;
}

static void cfg_write(vt_machine *m, unsigned reg, uint32_t v) {
    vt_bus_write(&m->io, 0xcf8, 4, 0x80000000u | 1u << 11 | 1u << 8 | reg);
    vt_bus_write(&m->io, 0xcfc, 4, v);
}

static const uint16_t taskfile[2] = {0x1f0, 0x170}, control[2] = {0x3f6, 0x376};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_machine_options o = {0};
    o.disks[0] = disk[0];
    o.disks[1] = disk[1];
    o.cdroms[0] = disk[2];
    vt_machine *m;
    vt_error err;
    if (!path[0] || vt_machine_create(&m, path, &o, &err)) return 0;
    cfg_write(m, 0x20, BM);
    cfg_write(m, 0x04, 0x05);
    for (size_t i = 0; i + 3 <= size; i += 3) {
        uint8_t op = data[i], a = data[i + 1], b = data[i + 2];
        unsigned ch = (op >> 3) & 1, sizes[3] = {1, 2, 4};
        uint64_t v;
        switch (op & 7) {
        case 0:
            vt_bus_write(&m->io, taskfile[ch] + (a & 7), 1, b);
            break;
        case 1:
            vt_bus_read(&m->io, taskfile[ch] + (a & 7), sizes[b % 3], &v);
            break;
        case 2:
            vt_bus_write(&m->io, control[ch], 1, b);
            break;
        case 3:
            vt_bus_write(&m->io, BM + (a & 15), 1, b);
            break;
        case 4: /* a PRD entry: address a << 10 (RAM is 64 KiB), count b << 4, EOT = op bit 4 */
            for (unsigned k = 0; k < 4; k++) {
                uint32_t at = (uint32_t)(b & 7) * 8;
                uint32_t word[2] = {(uint32_t)a << 10, (uint32_t)b << 4 | (op & 0x10u) << 27};
                vt_bus_write(&m->bus, at + k, 1, (word[0] >> 8 * k) & 0xff);
                vt_bus_write(&m->bus, at + 4 + k, 1, (word[1] >> 8 * k) & 0xff);
            }
            break;
        case 5:
            cfg_write(m, 0x04, b & 0x07);
            break; /* I/O, memory, bus master */
        case 6:    /* a burst on the data port */
            for (unsigned k = 0; k < (unsigned)a * 4; k++)
                vt_bus_write(&m->io, taskfile[ch], 2, (uint64_t)b * k);
            break;
        default:
            for (unsigned k = 0; k < (unsigned)a * 4; k++)
                vt_bus_read(&m->io, taskfile[ch], 4, &v);
            break;
        }
    }
    vt_device *d = vt_machine_device(m, "ide");
    vt_state_writer w;
    vt_state_writer_init(&w);
    d->cls->save(d, &w);
    vt_state_reader r;
    vt_state_reader_init(&r, w.buf, w.len);
    if (d->cls->load(d, &r)) __builtin_trap(); /* its own state must load */
    vt_state_writer_free(&w);
    vt_machine_destroy(m);
    return 0;
}
