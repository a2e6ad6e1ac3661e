/* PC chipset pieces of pc-i440fx on CPU-less machines, driven the way SeaBIOS drives them:
 * i440FX PAM shadow segments (ROM, DRAM read/write, read-only, write-only) and SMRAM, PIIX3
 * PIRQ routing of a PCI function's INTA, the ELCR's always-edge bits, the PIIX3 IDE channel
 * without drives, port B/92; the x86 core's port I/O on an I/O space (regression: IN/OUT via DX
 * and PUSH/POP ES once consumed a ModRM byte) and its A20 gate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/cpu/x86/x86.h"
#include "core/machine.h"
#include "core/savestate.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROFILE                                                                                    \
    "[machine]\nname = pctest\ncpu = none\n"                                                       \
    "[memory.low]\nbase = 0\nsize = 0xa0000\n"                                                     \
    "[rom.bios]\npath = bios.bin\nbase = 0xe0000\n"                                                \
    "[device.intc]\ntype = vitrine-testdev\nbase = 0x10000000\nsize = 0x1000\n"                    \
    "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\nirq = piix.0-3\n"    \
    "[device.i440fx]\ntype = i440fx-pmc\npci = pci\nslot = 0\n"                                    \
    "[device.piix]\ntype = piix3-isa\npci = pci\nslot = 1\nirq10 = intc.10\n"                      \
    "[device.ide]\ntype = piix3-ide\npci = pci\nslot = 1\nfunction = 1\n"                          \
    "[device.pic1]\ntype = i8259\nspace = io\nbase = 0x20\nsize = 2\n"                             \
    "[device.pic2]\ntype = i8259\nspace = io\nbase = 0xa0\nsize = 2\n"                             \
    "[device.elcr]\ntype = piix-elcr\nspace = io\nbase = 0x4d0\nsize = 2\n"                        \
    "[device.card]\ntype = pci-testdev\npci = pci\nslot = 3\n"                                     \
    "[device.pit]\ntype = i8254\nspace = io\nbase = 0x40\nsize = 4\n"                              \
    "[device.portb]\ntype = pc-port-b\nspace = io\nbase = 0x61\nsize = 1\nirq = pit.2\n"           \
    "[device.port92]\ntype = pc-port-92\nspace = io\nbase = 0x92\nsize = 1\n"                      \
    "[device.debugcon]\ntype = isa-debugcon\nspace = io\nbase = 0x402\nsize = 1\n"

#define INTC_INPUTS 0x1c /* vitrine-testdev: input levels */
#define CARD_IRQ 0x08    /* pci-testdev: drives INTA */

static char dir[64];

static vt_machine *make_machine(void) {
    char path[128];
    snprintf(path, sizeof path, "%s/bios.bin", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (unsigned i = 0; i < 0x20000; i++)
        fputc((int)(i >> 12) ^ 0xa5, f); /* a byte per page */
    fclose(f);
    snprintf(path, sizeof path, "%s/p.ini", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(PROFILE, f);
    fclose(f);
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, path, NULL, &err)) {
        print_error("%s\n", err.msg);
        fail();
    }
    return m;
}

static void cfg_write8(vt_machine *m, unsigned devfn, unsigned reg, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->io, 0xcf8, 4, 0x80000000u | devfn << 8 | (reg & 0xfc)), 0);
    assert_int_equal(vt_bus_write(&m->io, 0xcfc + (reg & 3), 1, v), 0);
}

static uint32_t cfg_read32(vt_machine *m, unsigned devfn, unsigned reg) {
    uint64_t v;
    assert_int_equal(vt_bus_write(&m->io, 0xcf8, 4, 0x80000000u | devfn << 8 | reg), 0);
    assert_int_equal(vt_bus_read(&m->io, 0xcfc, 4, &v), 0);
    return (uint32_t)v;
}

static uint8_t mem8(vt_machine *m, uint64_t addr) {
    uint64_t v = 0xee;
    assert_int_equal(vt_bus_read(&m->bus, addr, 1, &v), VT_BUS_OK);
    return (uint8_t)v;
}

static void test_pam_shadow(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    assert_int_equal(cfg_read32(m, 0, 0), 0x12378086u);
    assert_int_equal(cfg_read32(m, 1 << 3, 0), 0x70008086u);
    assert_int_equal(cfg_read32(m, 1 << 3 | 1, 0), 0x70108086u);
    /* power-on: the top 128 KiB read the ROM; 0xC0000-0xDFFFF nobody (PCI/ISA) */
    assert_int_equal(mem8(m, 0xf0000), (0x10 ^ 0xa5));
    assert_int_equal(mem8(m, 0xe4000), (0x04 ^ 0xa5));
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, 0xc0000, 1, &v), VT_BUS_UNMAPPED);
    assert_int_equal(vt_bus_write(&m->bus, 0xf0000, 1, 0x11), VT_BUS_READONLY);
    /* PAM0 = 0x20: writes to DRAM, reads still ROM */
    cfg_write8(m, 0, 0x59, 0x20);
    assert_int_equal(vt_bus_write(&m->bus, 0xf0000, 1, 0x11), VT_BUS_OK);
    assert_int_equal(mem8(m, 0xf0000), (0x10 ^ 0xa5));
    /* 0x30: DRAM both ways, holding what was written */
    cfg_write8(m, 0, 0x59, 0x30);
    assert_int_equal(mem8(m, 0xf0000), 0x11);
    assert_int_equal(mem8(m, 0xf1000), 0); /* never written */
    /* 0x10: read-only DRAM */
    cfg_write8(m, 0, 0x59, 0x10);
    assert_int_equal(vt_bus_write(&m->bus, 0xf0000, 1, 0x22), VT_BUS_READONLY);
    assert_int_equal(mem8(m, 0xf0000), 0x11);
    /* PAM1 high nibble: segment 0xC4000 only */
    cfg_write8(m, 0, 0x5a, 0x30);
    assert_int_equal(vt_bus_write(&m->bus, 0xc4000, 1, 0x33), VT_BUS_OK);
    assert_int_equal(mem8(m, 0xc4000), 0x33);
    assert_int_equal(vt_bus_read(&m->bus, 0xc0000, 1, &v), VT_BUS_UNMAPPED);
    /* PAM0's low nibble is reserved: stays 0 */
    cfg_write8(m, 0, 0x59, 0x33);
    assert_int_equal(cfg_read32(m, 0, 0x58) >> 8 & 0xff, 0x30);
    /* SMRAM: 0xA0000 is DRAM only while G_SMRAME and D_OPEN; D_LCK locks it closed */
    assert_int_equal(vt_bus_read(&m->bus, 0xa0000, 1, &v), VT_BUS_UNMAPPED);
    cfg_write8(m, 0, 0x72, 0x48);
    assert_int_equal(vt_bus_write(&m->bus, 0xa0000, 1, 0x44), VT_BUS_OK);
    assert_int_equal(mem8(m, 0xa0000), 0x44);
    cfg_write8(m, 0, 0x72, 0x18);
    assert_int_equal(vt_bus_read(&m->bus, 0xa0000, 1, &v), VT_BUS_UNMAPPED);
    cfg_write8(m, 0, 0x72, 0x48);
    assert_int_equal(cfg_read32(m, 0, 0x70) >> 16 & 0xff, 0x1a);
    cfg_write8(m, 0, 0x72, 0x78); /* only D_CLS still writes */
    assert_int_equal(cfg_read32(m, 0, 0x70) >> 16 & 0xff, 0x3a);
    assert_int_equal(vt_bus_read(&m->bus, 0xa0000, 1, &v), VT_BUS_UNMAPPED);
    /* reset puts the ROM back (and the shadow RAM keeps its contents) */
    vt_machine_reset(m);
    assert_int_equal(mem8(m, 0xf0000), (0x10 ^ 0xa5));
    cfg_write8(m, 0, 0x59, 0x30);
    assert_int_equal(mem8(m, 0xf0000), 0x11);
    vt_machine_destroy(m);
}

/* Every device's save -> load -> save is byte-identical; returns device `name`'s first save. */
static void round_trip(vt_machine *m, const char *name, vt_state_writer *keep) {
    for (int i = 0; i < m->ndevices; i++) {
        vt_device *d = m->devices[i];
        if (!d->cls->save) continue;
        vt_state_writer w1, w2;
        vt_state_writer_init(&w1);
        vt_state_writer_init(&w2);
        d->cls->save(d, &w1);
        vt_state_reader r;
        vt_state_reader_init(&r, w1.buf, w1.len);
        if (d->cls->load(d, &r)) fail_msg("%s: load failed", d->name);
        d->cls->save(d, &w2);
        assert_int_equal(w1.len, w2.len);
        assert_memory_equal(w1.buf, w2.buf, w1.len);
        if (!strcmp(d->name, name)) {
            *keep = w1;
        } else {
            vt_state_writer_free(&w1);
        }
        vt_state_writer_free(&w2);
    }
}

/* A saved PAM/SMRAM state decodes again after load, whatever the registers said before. */
static void test_pam_state(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    cfg_write8(m, 0, 0x59, 0x30);
    assert_int_equal(vt_bus_write(&m->bus, 0xf0000, 1, 0x66), VT_BUS_OK);
    cfg_write8(m, 0, 0x72, 0x48);
    vt_state_writer saved;
    round_trip(m, "i440fx", &saved);
    cfg_write8(m, 0, 0x59, 0x00);
    cfg_write8(m, 0, 0x72, 0x08);
    assert_int_equal(mem8(m, 0xf0000), (0x10 ^ 0xa5));
    vt_device *d = vt_machine_device(m, "i440fx");
    vt_state_reader r;
    vt_state_reader_init(&r, saved.buf, saved.len);
    assert_int_equal(d->cls->load(d, &r), 0);
    assert_int_equal(mem8(m, 0xf0000), 0x66);
    assert_int_equal(mem8(m, 0xa0000), 0);
    vt_state_writer_free(&saved);
    vt_machine_destroy(m);
}

static void test_pirq_elcr_ide(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    uint64_t v;
    unsigned card = 3 << 3;
    /* the card's BAR0 at 0x80000000, memory decoding on, then INTA */
    cfg_write8(m, card, 0x13, 0x80);
    cfg_write8(m, card, 0x04, 0x02);
    assert_int_equal(vt_bus_write(&m->bus, 0x80000000u + CARD_IRQ, 4, 1), VT_BUS_OK);
    /* slot 3 INTA reaches host line 3 = PIRQD; routing disabled at power-on */
    assert_int_equal(vt_bus_read(&m->bus, 0x10000000 + INTC_INPUTS, 4, &v), VT_BUS_OK);
    assert_false(v >> 10 & 1);
    cfg_write8(m, 1 << 3, 0x63, 10);
    assert_int_equal(vt_bus_read(&m->bus, 0x10000000 + INTC_INPUTS, 4, &v), VT_BUS_OK);
    assert_true(v >> 10 & 1);
    cfg_write8(m, 1 << 3, 0x63, 0x80 | 10);
    assert_int_equal(vt_bus_read(&m->bus, 0x10000000 + INTC_INPUTS, 4, &v), VT_BUS_OK);
    assert_false(v >> 10 & 1);
    /* ELCR: IRQ 0-2, 8 and 13 are always edge */
    assert_int_equal(vt_bus_write(&m->io, 0x4d0, 1, 0xff), VT_BUS_OK);
    assert_int_equal(vt_bus_write(&m->io, 0x4d1, 1, 0xff), VT_BUS_OK);
    assert_int_equal(vt_bus_read(&m->io, 0x4d0, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0xf8);
    assert_int_equal(vt_bus_read(&m->io, 0x4d1, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0xde);
    /* IDE: a channel without drives reads 0 (BSY clear) and latches nothing */
    assert_int_equal(vt_bus_write(&m->io, 0x1f2, 1, 0x55), VT_BUS_OK);
    assert_int_equal(vt_bus_read(&m->io, 0x1f2, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0);
    assert_int_equal(vt_bus_read(&m->io, 0x177, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0);
    /* port B: gate and speaker bits stick, OUT2 follows the gated PIT (mode 0 count 1: high) */
    assert_int_equal(vt_bus_write(&m->io, 0x43, 1, 0xb0), VT_BUS_OK); /* ch 2, LSB/MSB, mode 0 */
    assert_int_equal(vt_bus_write(&m->io, 0x42, 1, 1), VT_BUS_OK);
    assert_int_equal(vt_bus_write(&m->io, 0x42, 1, 0), VT_BUS_OK);
    assert_int_equal(vt_bus_write(&m->io, 0x61, 1, 0xff), VT_BUS_OK);
    vt_sched_advance(&m->sched, m->sched.now + VT_PS_PER_SEC / 1000);
    assert_int_equal(vt_bus_read(&m->io, 0x61, 1, &v), VT_BUS_OK);
    assert_int_equal(v & 0x2f, 0x2f);
    assert_int_equal(vt_bus_write(&m->io, 0x92, 1, 0x02), VT_BUS_OK);
    assert_int_equal(vt_bus_read(&m->io, 0x92, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0x02);
    vt_machine_destroy(m);
}

static uint64_t port_read(void *dev, uint64_t off, unsigned size) {
    (void)dev, (void)off, (void)size;
    return 0x5a;
}
static void port_write(void *dev, uint64_t off, uint64_t v, unsigned size) {
    (void)off, (void)size;
    *(uint64_t *)dev = v;
}
static const vt_mmio_ops port_ops = {port_read, port_write};

/* Real mode at the reset vector: mov dx,0x80; in al,dx; push es; pop es; out dx,al; hlt. */
static void test_x86_port_io(void **state) {
    (void)state;
    vt_bus bus, io;
    vt_error err;
    vt_region *rom;
    uint64_t written = 0;
    assert_int_equal(vt_bus_init(&bus, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_init(&io, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&bus, "ram", 0, 0x10000, false, NULL, &err), 0);
    assert_int_equal(vt_bus_add_ram(&bus, "bios", 0xffff0000u, 0x10000, false, &rom, &err), 0);
    assert_int_equal(
        vt_bus_add_mmio(&io, "p80", 0x80, 1, &port_ops, &written, VT_LITTLE_ENDIAN, &err), 0);
    static const uint8_t code[] = {0xba, 0x80, 0x00, 0xec, 0x06, 0x07, 0xee, 0xf4};
    memcpy(rom->host + 0xfff0, code, sizeof code);
    vt_cpu_config cfg = {.model = "pentium2", .hz = 300000000, .bus = &bus, .io = &io};
    vt_cpu *cpu = vt_cpu_create(&cfg, &err);
    assert_non_null(cpu);
    for (int k = 0; k < 10 && !cpu->halted; k++)
        cpu->ops->run(cpu, 100);
    assert_true(cpu->halted);
    assert_int_equal(cpu->ops->get_reg(cpu, X86_EIP), 0xfff0 + sizeof code);
    assert_int_equal(cpu->ops->get_reg(cpu, X86_EAX) & 0xff, 0x5a);
    assert_int_equal(written, 0x5a);
    assert_int_equal(cpu->insns, 6);
    vt_cpu_destroy(cpu);
    vt_bus_free(&io);
    vt_bus_free(&bus);
}

/* A20 gate (x86 line 2): FFFF:0010 is 0x100000 with A20 on, 0x0 with A20M# asserted. */
static void test_x86_a20(void **state) {
    (void)state;
    vt_bus bus;
    vt_error err;
    vt_region *ram, *rom;
    assert_int_equal(vt_bus_init(&bus, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&bus, "ram", 0, 0x200000, false, &ram, &err), 0);
    /* 2 MiB of ROM under 4 GiB, so the reset vector is there with and without A20 */
    assert_int_equal(vt_bus_add_ram(&bus, "bios", 0xffe00000u, 0x200000, false, &rom, &err), 0);
    ram->host[0] = 0x11;
    ram->host[0x100000] = 0x22;
    /* mov ax,0xffff; mov ds,ax; mov al,[0x10]; hlt */
    static const uint8_t code[] = {0xb8, 0xff, 0xff, 0x8e, 0xd8, 0xa0, 0x10, 0x00, 0xf4};
    memcpy(rom->host + 0x1ffff0, code, sizeof code);
    memcpy(rom->host + 0x0ffff0, code, sizeof code); /* 0xFFEFFFF0 */
    vt_cpu_config cfg = {.model = "pentium2", .hz = 300000000, .bus = &bus};
    vt_cpu *cpu = vt_cpu_create(&cfg, &err);
    assert_non_null(cpu);
    for (int pass = 0; pass < 2; pass++) {
        cpu->ops->reset(cpu);
        cpu->ops->set_irq(cpu, 2, pass == 0); /* pass 1: A20M# */
        for (int k = 0; k < 10 && !cpu->halted; k++)
            cpu->ops->run(cpu, 100);
        assert_true(cpu->halted);
        assert_int_equal(cpu->ops->get_reg(cpu, X86_EAX) & 0xff, pass == 0 ? 0x22 : 0x11);
    }
    vt_cpu_destroy(cpu);
    vt_bus_free(&bus);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-pcb-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/p.ini", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/bios.bin", dir);
    unlink(path);
    return rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pam_shadow),    cmocka_unit_test(test_pam_state),
        cmocka_unit_test(test_pirq_elcr_ide), cmocka_unit_test(test_x86_port_io),
        cmocka_unit_test(test_x86_a20),
    };
    return cmocka_run_group_tests_name("pc_board", tests, setup, teardown);
}
