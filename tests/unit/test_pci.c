/* PCI layer and DMA port tests on a CPU-less machine: a type-1 host bridge in the I/O space
 * and a pci-testdev function. The "guest" here is the test itself, doing what firmware does:
 * config cycles through 0xCF8/0xCFC, BAR sizing and placement, command-register decoding,
 * INTx routing through the host's swizzle, and DMA through the function's vt_dma port
 * (bounds-checked, all or nothing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"
#include "core/pci.h"
#include "tests/unit/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROFILE                                                                                    \
    "[machine]\nname = pcitest\ncpu = none\n"                                                      \
    "[memory.ram]\nbase = 0\nsize = 1M\n"                                                          \
    "[device.intc]\ntype = vitrine-testdev\nbase = 0x10000000\nsize = 0x1000\n"                    \
    "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"                    \
    "irq = intc.10-13\n"                                                                           \
    "[device.card]\ntype = pci-testdev\npci = pci\nslot = 3\n"

enum {
    T_ID = 0x00,
    T_SCRATCH = 0x04,
    T_IRQ = 0x08,
    T_DMA_ADDR = 0x0c,
    T_DMA_LEN = 0x10,
    T_DMA_CMD = 0x14,
    T_DMA_RESULT = 0x18,
    T_BUF = 0x100,
    INTC_INPUTS = 0x1c
};

static char dir[64];

static vt_machine *make_machine(const char *text) {
    return fixture_machine(dir, text, NULL);
}

/* Type-1 configuration cycles, as firmware does them. */
static uint32_t cfg_read(vt_machine *m, unsigned slot, unsigned reg, unsigned size) {
    uint64_t v;
    assert_int_equal(vt_bus_write(&m->io, 0xcf8, 4, 0x80000000u | slot << 11 | (reg & 0xfc)), 0);
    assert_int_equal(vt_bus_read(&m->io, 0xcfc + (reg & 3), size, &v), 0);
    return (uint32_t)v;
}

static void cfg_write(vt_machine *m, unsigned slot, unsigned reg, uint32_t v, unsigned size) {
    assert_int_equal(vt_bus_write(&m->io, 0xcf8, 4, 0x80000000u | slot << 11 | (reg & 0xfc)), 0);
    assert_int_equal(vt_bus_write(&m->io, 0xcfc + (reg & 3), size, v), 0);
}

static uint32_t mem32(vt_machine *m, vt_paddr a, vt_bus_status want) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, 4, &v), want);
    return (uint32_t)v;
}

static void test_config_space(void **state) {
    (void)state;
    vt_machine *m = make_machine(PROFILE);
    assert_int_equal(cfg_read(m, 3, VT_PCI_VENDOR_ID, 4), 0x76541234);
    assert_int_equal(cfg_read(m, 3, VT_PCI_DEVICE_ID, 2), 0x7654);
    assert_int_equal(cfg_read(m, 3, VT_PCI_CLASS_PROG + 2, 1), 0xff);
    assert_int_equal(cfg_read(m, 3, VT_PCI_INTERRUPT_PIN, 1), 1);
    assert_int_equal(cfg_read(m, 4, VT_PCI_VENDOR_ID, 4), 0xffffffffu); /* empty slot */
    /* read-only identity, writable interrupt line */
    cfg_write(m, 3, VT_PCI_VENDOR_ID, 0, 2);
    cfg_write(m, 3, VT_PCI_INTERRUPT_LINE, 11, 1);
    assert_int_equal(cfg_read(m, 3, VT_PCI_VENDOR_ID, 2), 0x1234);
    assert_int_equal(cfg_read(m, 3, VT_PCI_INTERRUPT_LINE, 1), 11);
    /* the memory-mapped config API a host like the MPC106 uses sees the same space */
    vt_pci_host *h = vt_machine_device(m, "pci")->pci_host;
    assert_int_equal(vt_pci_config_read(h, 0, 3 << 3, VT_PCI_INTERRUPT_LINE, 1), 11);
    assert_int_equal(vt_pci_config_read(h, 1, 3 << 3, 0, 4), 0xffffffffu); /* no bus 1 */
    vt_machine_destroy(m);
}

static void test_memory_bar_follows(void **state) {
    (void)state;
    vt_machine *m = make_machine(PROFILE);
    /* sizing: all ones in, the size mask out (4 KiB, 32-bit memory) */
    cfg_write(m, 3, VT_PCI_BAR0, 0xffffffffu, 4);
    assert_int_equal(cfg_read(m, 3, VT_PCI_BAR0, 4), 0xfffff000u);
    cfg_write(m, 3, VT_PCI_BAR0, 0x80000000u, 4);
    mem32(m, 0x80000000u, VT_BUS_UNMAPPED); /* memory decoding still off */
    cfg_write(m, 3, VT_PCI_COMMAND, VT_PCI_CMD_MEMORY, 2);
    assert_int_equal(mem32(m, 0x80000000u, VT_BUS_OK), 0x54494350);
    assert_int_equal(vt_bus_write(&m->bus, 0x80000004u, 4, 0xcafe), VT_BUS_OK);
    /* the guest moves the BAR: the registers follow, the old address stops decoding */
    cfg_write(m, 3, VT_PCI_BAR0, 0x90001000u, 4);
    mem32(m, 0x80000000u, VT_BUS_UNMAPPED);
    assert_int_equal(mem32(m, 0x90001004u, VT_BUS_OK), 0xcafe);
    /* a BAR placed over RAM does not decode (logged) and RAM stays RAM */
    cfg_write(m, 3, VT_PCI_BAR0, 0x4000, 4);
    assert_int_equal(mem32(m, 0x4000, VT_BUS_OK), 0);
    mem32(m, 0x90001004u, VT_BUS_UNMAPPED);
    cfg_write(m, 3, VT_PCI_BAR0, 0xa0000000u, 4);
    assert_int_equal(mem32(m, 0xa0000000u, VT_BUS_OK), 0x54494350);
    /* the command register turns decoding off again */
    cfg_write(m, 3, VT_PCI_COMMAND, 0, 2);
    mem32(m, 0xa0000000u, VT_BUS_UNMAPPED);
    vt_machine_destroy(m);
}

static void test_io_bar(void **state) {
    (void)state;
    vt_machine *m = make_machine(PROFILE);
    cfg_write(m, 3, VT_PCI_BAR0 + 4, 0xffffffffu, 4);
    assert_int_equal(cfg_read(m, 3, VT_PCI_BAR0 + 4, 4), 0xffffffe1u); /* 32 ports, I/O */
    cfg_write(m, 3, VT_PCI_BAR0 + 4, 0xc000, 4);
    assert_int_equal(cfg_read(m, 3, VT_PCI_BAR0 + 4, 4), 0xc001);
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->io, 0xc000, 4, &v), VT_BUS_UNMAPPED);
    cfg_write(m, 3, VT_PCI_COMMAND, VT_PCI_CMD_IO, 2);
    assert_int_equal(vt_bus_read(&m->io, 0xc000, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0x54494350);
    assert_int_equal(vt_bus_write(&m->io, 0xc004, 4, 77), VT_BUS_OK);
    assert_int_equal(vt_bus_read(&m->io, 0xc004, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 77);
    vt_machine_destroy(m);
}

static uint32_t intc_inputs(vt_machine *m) {
    return mem32(m, 0x10000000 + INTC_INPUTS, VT_BUS_OK);
}

static void test_interrupt_routing(void **state) {
    (void)state;
    vt_machine *m = make_machine(PROFILE);
    cfg_write(m, 3, VT_PCI_BAR0 + 4, 0xc000, 4);
    cfg_write(m, 3, VT_PCI_COMMAND, VT_PCI_CMD_IO, 2);
    /* slot 3 INTA -> host line (3 + 0) mod 4 = 3 -> host irq3 -> intc input 13 */
    assert_int_equal(vt_bus_write(&m->io, 0xc000 + T_IRQ, 4, 1), VT_BUS_OK);
    assert_int_equal(intc_inputs(m), 1u << 13);
    assert_true(cfg_read(m, 3, VT_PCI_STATUS, 2) & 0x08);
    /* INTx disable in the command register masks it; clearing the bit brings it back */
    cfg_write(m, 3, VT_PCI_COMMAND, VT_PCI_CMD_IO | VT_PCI_CMD_INTX_DISABLE, 2);
    assert_int_equal(intc_inputs(m), 0);
    cfg_write(m, 3, VT_PCI_COMMAND, VT_PCI_CMD_IO, 2);
    assert_int_equal(intc_inputs(m), 1u << 13);
    assert_int_equal(vt_bus_write(&m->io, 0xc000 + T_IRQ, 4, 0), VT_BUS_OK);
    assert_int_equal(intc_inputs(m), 0);
    vt_machine_destroy(m);
    /* slot 5 INTB -> (5 + 1) mod 4 = 2 -> intc input 12 */
    m = make_machine("[machine]\nname = t\ncpu = none\n"
                     "[device.intc]\ntype = vitrine-testdev\nbase = 0x10000000\nsize = 0x1000\n"
                     "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"
                     "irq = intc.10-13\n"
                     "[device.card]\ntype = pci-testdev\npci = pci\nslot = 5\nint_pin = 2\n");
    cfg_write(m, 5, VT_PCI_BAR0 + 4, 0xc000, 4);
    cfg_write(m, 5, VT_PCI_COMMAND, VT_PCI_CMD_IO, 2);
    assert_int_equal(vt_bus_write(&m->io, 0xc000 + T_IRQ, 4, 1), VT_BUS_OK);
    assert_int_equal(intc_inputs(m), 1u << 12);
    vt_machine_destroy(m);
}

static uint32_t card(vt_machine *m, unsigned reg) {
    return mem32(m, 0x80000000u + reg, VT_BUS_OK);
}
static void card_w(vt_machine *m, unsigned reg, uint32_t v) {
    assert_int_equal(vt_bus_write(&m->bus, 0x80000000u + reg, 4, v), VT_BUS_OK);
}

/* The function masters DMA through its vt_dma port (`dma = memory`, gated by the bus-master
 * bit): transfers move real bytes, and an out-of-range one is refused before touching
 * anything. */
static void test_dma_port(void **state) {
    (void)state;
    vt_machine *m = make_machine(PROFILE);
    cfg_write(m, 3, VT_PCI_BAR0, 0x80000000u, 4);
    cfg_write(m, 3, VT_PCI_COMMAND, VT_PCI_CMD_MEMORY, 2);
    uint8_t *ram = vt_bus_host_ptr(&m->bus, 0, 1 << 20, true);
    assert_non_null(ram);
    for (int i = 0; i < 16; i++)
        ram[0x1000 + i] = (uint8_t)(0xa0 + i);
    card_w(m, T_DMA_ADDR, 0x1000);
    card_w(m, T_DMA_LEN, 16);
    card_w(m, T_DMA_CMD, 1);
    assert_int_equal(card(m, T_DMA_RESULT), 1); /* refused: not a bus master yet */
    assert_int_equal(card(m, T_BUF), 0);
    cfg_write(m, 3, VT_PCI_COMMAND, VT_PCI_CMD_MEMORY | VT_PCI_CMD_MASTER, 2);
    card_w(m, T_DMA_CMD, 1);
    assert_int_equal(card(m, T_DMA_RESULT), 0);
    assert_int_equal(card(m, T_BUF), 0xa3a2a1a0);
    card_w(m, T_DMA_ADDR, 0x2000);
    card_w(m, T_DMA_CMD, 2);
    assert_int_equal(card(m, T_DMA_RESULT), 0);
    assert_memory_equal(ram + 0x2000, ram + 0x1000, 16);
    /* straddles the end of RAM: refused, and the RAM before the end is untouched */
    memset(ram + 0xffff8, 0x55, 8);
    card_w(m, T_DMA_ADDR, 0xffff8);
    card_w(m, T_DMA_CMD, 2);
    assert_int_equal(card(m, T_DMA_RESULT), 1);
    for (int i = 0; i < 8; i++)
        assert_int_equal(ram[0xffff8 + i], 0x55);
    /* far outside anything: refused */
    card_w(m, T_DMA_ADDR, 0xf0000000u);
    card_w(m, T_DMA_CMD, 1);
    assert_int_equal(card(m, T_DMA_RESULT), 1);
    card_w(m, T_DMA_LEN, 0x1000);
    card_w(m, T_DMA_CMD, 1);
    assert_int_equal(card(m, T_DMA_RESULT), 2); /* longer than the buffer */
    vt_machine_destroy(m);
}

/* Profile errors: a missing host, a taken slot, a port that is no port. */
static void test_profile_errors(void **state) {
    (void)state;
    const char *bad[][2] = {
        {"[machine]\nname = t\ncpu = none\n[device.card]\ntype = pci-testdev\npci = nope\nslot = "
         "1\n",
         "p.ini:6: no PCI host bridge 'nope'"},
        {"[machine]\nname = t\ncpu = none\n"
         "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"
         "[device.a]\ntype = pci-testdev\npci = pci\nslot = 1\n"
         "[device.b]\ntype = pci-testdev\npci = pci\nslot = 1\n",
         "p.ini:16: PCI 01.0 is taken by 'a'"},
        {"[machine]\nname = t\ncpu = none\n"
         "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"
         "[device.a]\ntype = pci-testdev\npci = pci\nslot = 32\n",
         "p.ini:12: PCI slot is 0..31"},
        {"[machine]\nname = t\ncpu = none\n"
         "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"
         "[device.a]\ntype = pci-testdev\npci = pci\nslot = 1\ndma = pci\n",
         "p.ini:13: device 'pci' (pci-host-type1) offers no DMA port"},
        {"[machine]\nname = t\ncpu = none\n"
         "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"
         "[device.a]\ntype = pci-testdev\npci = pci\nslot = 1\ndma = ghost.2\n",
         "p.ini:13: no device 'ghost' for 'dma'"},
        {"[machine]\nname = t\ncpu = none\n"
         "[device.pci]\ntype = pci-host-type1\nspace = disk\nbase = 0xcf8\nsize = 8\n",
         "p.ini:6: space must be 'mem' or 'io'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/p.ini", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bad[i][0], f);
        fclose(f);
        vt_machine *m;
        vt_error err;
        assert_int_equal(vt_machine_create(&m, path, NULL, &err), -1);
        if (!strstr(err.msg, bad[i][1])) {
            print_error("case %zu: got '%s', wanted '%s'\n", i, err.msg, bad[i][1]);
            fail();
        }
    }
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-pci-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/p.ini", dir);
    unlink(path);
    return rmdir(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_space), cmocka_unit_test(test_memory_bar_follows),
        cmocka_unit_test(test_io_bar),       cmocka_unit_test(test_interrupt_routing),
        cmocka_unit_test(test_dma_port),     cmocka_unit_test(test_profile_errors),
    };
    return cmocka_run_group_tests_name("pci", tests, setup, teardown);
}
