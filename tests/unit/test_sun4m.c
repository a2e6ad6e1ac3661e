/* sun4m device models without firmware: builds a SPARCstation-5-like profile whose PROM is a
 * two-instruction loop, runs it, then checks every device's save -> load -> save round trip is
 * byte-identical, that two machines give the same state hash, and pokes a few registers
 * (interrupt controller levels reaching the CPU, counter limit interrupt, NVRAM IDPROM written
 * by the board, fw_cfg items, ESP selection of an absent target and of the CD-ROM), and the
 * direct-boot payload (--kernel/--initrd/--append) in RAM and fw_cfg. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/machine.h"
#include "core/savestate.h"
#include "tests/unit/fixture.h"

static char dir[64];
static char profile[128];

static const char *ini =
    "[machine]\nname = sun4m-test\ncpu = microsparc2\nclock = 110000000\nendian = big\n"
    "board = sun4m\n"
    "[rom.prom]\npath = prom.bin\nbase = 0x70000000\nsize = 0x100000\n"
    "[memory.ram]\nbase = 0\nsize = 16M\n"
    "[device.intctl]\ntype = slavio-intctl\nbase = 0x71e00000\nsize = 0x10014\nirq = cpu.1-15\n"
    "[device.timer]\ntype = slavio-timer\nbase = 0x71d00000\nsize = 0x10014\n"
    "irq = intctl.19\nirq1 = intctl.46\n"
    "[device.serial]\ntype = z8530\nbase = 0x71100000\nsize = 8\nirq = intctl.15\n"
    "[device.nvram]\ntype = m48t08\nbase = 0x71200000\nsize = 0x2000\n"
    "[device.fdc]\ntype = i82077\nbase = 0x71400000\nsize = 8\nirq = intctl.22\n"
    "[device.aux]\ntype = slavio-misc\nbase = 0x71900000\nsize = 0x10001\n"
    "[device.sysctrl]\ntype = slavio-sysctrl\nbase = 0x71f00000\nsize = 4\n"
    "[device.iommu]\ntype = sun4m-iommu\nbase = 0x10000000\nsize = 0x4000\n"
    "[device.dma]\ntype = sun-dma2\nbase = 0x78400000\nsize = 0x20\nirq = intctl.18\n"
    "irq1 = intctl.16\n"
    "[device.esp]\ntype = ncr53c9x\nbase = 0x78800000\nsize = 0x40\nirq = dma.0\ncdrom_id = 2\n"
    "[device.lance]\ntype = am7990\nbase = 0x78c00000\nsize = 4\nirq = dma.1\n"
    "[device.tcx]\ntype = sun-tcx\nbase = 0x50000000\nsize = 0x1000000\n"
    "[device.fwcfg]\ntype = qemu-fw-cfg\nbase = 0xd00000510\nsize = 4\n";

static int setup(void **state) {
    snprintf(dir, sizeof dir, "/tmp/vt-sun4m-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/prom.bin", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    const uint8_t loop[8] = {0x10, 0x80, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00}; /* ba . ; nop */
    fwrite(loop, 1, sizeof loop, f);
    fclose(f);
    snprintf(profile, sizeof profile, "%s/sun4m-test.ini", dir);
    f = fopen(profile, "w");
    assert_non_null(f);
    fputs(ini, f);
    fclose(f);
    setenv("VITRINE_DATADIR", ".", 1);
    *state = NULL;
    return 0;
}

static int teardown(void **state) {
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static vt_machine *make(void) {
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, profile, NULL, &err)) fail_msg("%s", err.msg);
    return m;
}

static uint64_t rd(vt_machine *m, vt_paddr a, unsigned size) {
    uint64_t v = 0;
    assert_int_equal(vt_bus_read(&m->bus, a, size, &v), VT_BUS_OK);
    return v;
}
static void wr(vt_machine *m, vt_paddr a, unsigned size, uint64_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, size, v), VT_BUS_OK);
}

static void test_device_state_round_trip(void **state) {
    (void)state;
    vt_machine *m = make();
    vt_machine_run(m, VT_PS_PER_SEC / 50);
    wr(m, 0x71d10000, 4, 0x00100000); /* system counter limit: running */
    vt_machine_run(m, VT_PS_PER_SEC / 20);
    fixture_round_trip(m);
    /* and the CPU */
    vt_state_writer w1, w2;
    vt_state_writer_init(&w1);
    vt_state_writer_init(&w2);
    m->cpu->ops->save(m->cpu, &w1);
    vt_state_reader r;
    vt_state_reader_init(&r, w1.buf, w1.len);
    if (m->cpu->ops->load(m->cpu, &r)) fail_msg("cpu: load failed: %s", vt_state_error(&r));
    m->cpu->ops->save(m->cpu, &w2);
    assert_int_equal(w1.len, w2.len);
    assert_memory_equal(w1.buf, w2.buf, w1.len);
    vt_state_writer_free(&w1);
    vt_state_writer_free(&w2);
    vt_machine_destroy(m);
}

static void test_two_machines_same_hash(void **state) {
    (void)state;
    char h1[65], h2[65];
    vt_error err;
    vt_machine *a = make(), *b = make();
    vt_machine_run(a, VT_PS_PER_SEC / 10);
    vt_machine_run(b, VT_PS_PER_SEC / 10);
    assert_int_equal(vt_machine_state_hash(a, h1, &err), 0);
    assert_int_equal(vt_machine_state_hash(b, h2, &err), 0);
    assert_string_equal(h1, h2);
    vt_machine_destroy(a);
    vt_machine_destroy(b);
}

static void test_registers(void **state) {
    (void)state;
    vt_machine *m = make();
    /* board: IDPROM at NVRAM 0x1fd8, fw_cfg signature and machine id */
    assert_int_equal(rd(m, 0x71201fd8, 1), 1);
    assert_int_equal(rd(m, 0x71201fd9, 1), 0x80);
    wr(m, 0xd00000510, 2, 0x0000);
    assert_int_equal(rd(m, 0xd00000512, 1), 'Q');
    wr(m, 0xd00000510, 2, 0x0006);
    assert_int_equal(rd(m, 0xd00000512, 1), 32);
    /* intctl: every source masked after reset, but not the mask-all bit 31 (OpenBIOS and Linux
     * never clear it: Linux's timer stayed masked and it hung calibrating its delay loop) */
    assert_int_equal(rd(m, 0x71e10004, 4), 0x7ffffffeu);
    wr(m, 0x71d10000, 4, 0x00000400); /* system counter limit = 2 ticks (1 us) */
    vt_machine_run(m, m->sched.now + 2000000);
    assert_int_equal(rd(m, 0x71e10000, 4) & (1u << 19), 1u << 19);
    wr(m, 0x71e10008, 4, 0x00080000); /* unmask the timer bit, as Linux does */
    assert_int_equal(rd(m, 0x71e10004, 4), 0x7ff7fffeu);
    assert_int_equal(m->cpu->ops->get_reg(m->cpu, 34) & 0xf00, 0); /* PSR readable */
    assert_int_equal(rd(m, 0x71d10000, 4) >> 31, 1);               /* limit reached, read clears */
    assert_int_equal(rd(m, 0x71d10000, 4) >> 31, 0);
    /* ESP: absent target -> disconnect; CD-ROM at 2 answers selection */
    wr(m, 0x78800000 + 3 * 4, 1, 0x02); /* reset chip */
    wr(m, 0x78800000 + 4 * 4, 1, 0);    /* bus id 0 */
    wr(m, 0x78800000 + 3 * 4, 1, 0x41); /* select without ATN, CDB from the FIFO (empty) */
    assert_int_equal(rd(m, 0x78800000 + 5 * 4, 1), 0x20);
    wr(m, 0x78800000 + 4 * 4, 1, 2);
    static const uint8_t tur[6] = {0};
    for (int i = 0; i < 6; i++)
        wr(m, 0x78800000 + 2 * 4, 1, tur[i]);
    wr(m, 0x78800000 + 3 * 4, 1, 0x41);
    assert_int_equal(rd(m, 0x78800000 + 4 * 4, 1) & 7, 3); /* status phase (not ready) */
    assert_int_equal(rd(m, 0x78800000 + 5 * 4, 1), 0x18);
    wr(m, 0x78800000 + 3 * 4, 1, 0x11);                /* ICCS */
    assert_int_equal(rd(m, 0x78800000 + 2 * 4, 1), 2); /* CHECK CONDITION */
    /* floppy: VERSION answers 0x90 through the result phase */
    wr(m, 0x71400005, 1, 0x10);
    assert_int_equal(rd(m, 0x71400004, 1) & 0xd0, 0xd0);
    assert_int_equal(rd(m, 0x71400005, 1), 0x90);
    assert_int_equal(rd(m, 0x71400004, 1), 0x80);
    /* Lance through DMA2 + IOMMU: INIT reads the block, TDMD hands the descriptor back */
    wr(m, 0x10000004, 4, 0x200000 >> 4);           /* IOMMU page table at pa 0x200000 */
    wr(m, 0x10000000, 4, 1);                       /* enable, 16 MiB of DVMA at 0xff000000 */
    wr(m, 0x200000, 4, (0x100000 >> 12) << 8 | 6); /* dva 0xff000000 -> pa 0x100000, W V */
    wr(m, 0x7840001c, 4, 0xff000000); /* ledma DMA_TEST: top address byte (Linux sunlance) */
    wr(m, 0x78400014, 4, 0x12000000); /* the address register plays no part */
    static const uint16_t ib[12] = {0, 0x5452, 0x1200, 0x5634, 0, 0, 0, 0, 0x0080, 0, 0x0100, 0};
    for (int i = 0; i < 12; i++)
        wr(m, 0x100000 + 2 * i, 2, ib[i]);
    wr(m, 0x100100, 2, 0x0200);
    wr(m, 0x100102, 2, 0x8300); /* OWN, STP, ENP */
    wr(m, 0x100104, 2, 0xf000 | (0x1000 - 60));
    wr(m, 0x78c00002, 2, 1);
    wr(m, 0x78c00000, 2, 0); /* CSR1: IADR low */
    wr(m, 0x78c00002, 2, 0);
    wr(m, 0x78c00000, 2, 0x0001);                            /* INIT */
    assert_int_equal(rd(m, 0x78c00000, 2) & 0x0100, 0x0100); /* IDON */
    wr(m, 0x78c00000, 2, 0x0100 | 0x0002 | 0x0008);          /* clear IDON, STRT, TDMD */
    assert_int_equal(rd(m, 0x78c00000, 2) & 0x0230, 0x0230); /* TINT, RXON, TXON */
    assert_int_equal(rd(m, 0x100102, 2), 0x0300);            /* OWN handed back */
    /* AUX2 power off stops the machine */
    wr(m, 0x71910000, 1, 1);
    assert_true(m->stop_requested);
    vt_machine_destroy(m);
}

static void write_file(const char *name, const void *data, size_t len, char *path, size_t cap) {
    snprintf(path, cap, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static uint32_t fw_cfg_u32(vt_machine *m, uint16_t key) {
    wr(m, 0xd00000510, 2, key);
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)rd(m, 0xd00000512, 1) << (8 * i); /* LE items */
    return v;
}

/* Direct boot: a raw kernel at 0x4000 with a "HdrS" header on its third page, an initrd at
 * 0x800000 whose address and size land in the header, the command line at 0x7ff000, and the
 * fw_cfg items OpenBIOS reads; a reset places the payload again. */
static void test_direct_boot(void **state) {
    (void)state;
    static uint8_t kernel[0x3000];
    memset(kernel, 0x5a, sizeof kernel);
    memcpy(kernel + 0x2000, "HdrS", 4);
    memset(kernel + 0x2010, 0, 8);
    const char initrd[] = "070701 an initramfs";
    char kpath[128], ipath[128];
    write_file("kernel.bin", kernel, sizeof kernel, kpath, sizeof kpath);
    write_file("initrd.cpio", initrd, sizeof initrd, ipath, sizeof ipath);
    vt_machine_options o = {.kernel = kpath, .initrd = ipath, .append = "console=ttyS0"};
    vt_machine *m;
    vt_error err;
    if (vt_machine_create(&m, profile, &o, &err)) fail_msg("%s", err.msg);
    assert_int_equal(rd(m, 0x4000, 4), 0x5a5a5a5a);
    assert_int_equal(rd(m, 0x6010, 4), 0x800000);
    assert_int_equal(rd(m, 0x6014, 4), sizeof initrd);
    assert_int_equal(rd(m, 0x800000, 4), 0x30373037);
    assert_int_equal(rd(m, 0x7ff000, 4), 0x636f6e73);     /* "cons" */
    assert_int_equal(fw_cfg_u32(m, 0x07), 0x4000);        /* KERNEL_ADDR */
    assert_int_equal(fw_cfg_u32(m, 0x08), sizeof kernel); /* KERNEL_SIZE */
    assert_int_equal(fw_cfg_u32(m, 0x09), 0x7ff000);      /* KERNEL_CMDLINE */
    assert_int_equal(fw_cfg_u32(m, 0x14), 14);            /* CMDLINE_SIZE */
    assert_int_equal(fw_cfg_u32(m, 0x0b), sizeof initrd); /* INITRD_SIZE */
    wr(m, 0x4000, 4, 0);
    vt_machine_reset(m);
    assert_int_equal(rd(m, 0x4000, 4), 0x5a5a5a5a);
    vt_machine_destroy(m);
    /* refused: an over-long command line, a kernel that does not fit below the initrd */
    static char longline[5000];
    memset(longline, 'x', sizeof longline - 1);
    o.append = longline;
    assert_int_not_equal(vt_machine_create(&m, profile, &o, &err), 0);
    assert_non_null(strstr(err.msg, "command line longer"));
    static uint8_t big[0x900000];
    write_file("big.bin", big, sizeof big, kpath, sizeof kpath);
    o.append = NULL;
    assert_int_not_equal(vt_machine_create(&m, profile, &o, &err), 0);
    assert_non_null(strstr(err.msg, "do not fit"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_state_round_trip),
        cmocka_unit_test(test_two_machines_same_hash),
        cmocka_unit_test(test_registers),
        cmocka_unit_test(test_direct_boot),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
