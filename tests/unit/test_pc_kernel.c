/* PC direct kernel boot pieces: the fw_cfg DMA interface on the PC's I/O ports (select + read
 * into RAM, zero padding past an item's end, refused writes, the "QEMU CFG" signature) and the
 * Linux boot-header preparation of machines/pc_kernel.c (split, loader fields, initrd placement,
 * refused images). Sources: QEMU docs/specs/fw_cfg.rst; Linux Documentation/x86/boot.rst. */
#include "tests/unit/pc_chips_test.h"

#include "machines/pc_kernel.h"

#define FWCFG_PROFILE                                                                              \
    "[machine]\nname = t\ncpu = none\n"                                                            \
    "[memory.ram]\nbase = 0\nsize = 0x10000\n"                                                     \
    "[device.fwcfg]\ntype = qemu-fw-cfg\nspace = io\nbase = 0x510\nsize = 12\ndata_offset = 1\n"   \
    "endian = little\ndma = memory\ndma_offset = 4\n"

/* Writes a DMA request at 0x1000 for `len` bytes to 0x2000 and starts it the way SeaBIOS and
 * linuxboot_dma do: the big-endian address through two byte-swapped 32-bit OUTs. */
static uint32_t dma(vt_machine *m, uint32_t control, uint32_t len) {
    vt_region *ram = m->bus.regions[0];
    store_be32(ram->host + 0x1000, control);
    store_be32(ram->host + 0x1004, len);
    store_be64(ram->host + 0x1008, 0x2000);
    assert_int_equal(vt_bus_write(&m->io, 0x514, 4, 0), VT_BUS_OK);
    assert_int_equal(vt_bus_write(&m->io, 0x518, 4, (uint32_t)vt_bswap(0x1000, 4)), VT_BUS_OK);
    return load_be32(ram->host + 0x1000);
}

static void test_fw_cfg_dma(void **state) {
    (void)state;
    vt_machine *m = make(FWCFG_PROFILE);
    uint8_t *ram = m->bus.regions[0]->host;
    /* FW_CFG_ID: traditional + DMA interface */
    memset(ram + 0x2000, 0xff, 16);
    assert_int_equal(dma(m, 0x01u << 16 | 0x08 | 0x02, 4), 0);
    assert_int_equal(load_le32(ram + 0x2000), 3);
    /* the signature, and zeros past its 4 bytes */
    memset(ram + 0x2000, 0xff, 16);
    assert_int_equal(dma(m, 0x00u << 16 | 0x08 | 0x02, 8), 0);
    assert_memory_equal(ram + 0x2000, "QEMU\0\0\0\0", 8);
    assert_int_equal(ram[0x2008], 0xff);
    /* skip 1 then read continues in the same item */
    assert_int_equal(dma(m, 0x00u << 16 | 0x08 | 0x04, 1), 0);
    assert_int_equal(dma(m, 0x02, 2), 0);
    assert_memory_equal(ram + 0x2000, "EM", 2);
    /* writes are refused: the control word comes back with the error bit */
    assert_int_equal(dma(m, 0x00u << 16 | 0x08 | 0x10, 4), 1);
    /* reading the DMA register gives "QEMU CFG" in address order */
    uint64_t v = 0;
    assert_int_equal(vt_bus_read(&m->io, 0x514, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0x554d4551); /* bytes 'Q' 'E' 'M' 'U' */
    assert_int_equal(vt_bus_read(&m->io, 0x518, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0x47464320); /* ' ' 'C' 'F' 'G' */
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

/* A bzImage header: 1 setup sector after the boot sector, protocol 2.15, loaded high. */
static uint8_t *fake_bzimage(size_t len) {
    uint8_t *img = calloc(1, len);
    assert_non_null(img);
    img[0x1f1] = 1;
    memcpy(img + 0x202, "HdrS", 4);
    store_le16(img + 0x206, 0x020f);
    img[0x211] = 0x01;
    store_le32(img + 0x22c, 0x37ffffff);
    store_le32(img + 0x238, 2047);
    return img;
}

static void test_linux_prepare(void **state) {
    (void)state;
    vt_error err;
    vt_pc_linux_layout l;
    uint8_t *img = fake_bzimage(0x3000);
    assert_int_equal(vt_pc_linux_prepare(img, 0x3000, "k", 64u << 20, 10, 1000, &l, &err), 0);
    assert_int_equal(l.setup_size, 1024);
    assert_int_equal(l.kernel_size, 0x3000 - 1024);
    assert_int_equal(l.protocol, 0x020f);
    /* highest 4 KiB boundary below RAM - 160 KiB that holds the 1000 bytes */
    assert_int_equal(l.initrd_addr, ((64u << 20) - 0x28000 - 1000) & ~0xfffu);
    assert_int_equal(img[0x210], 0xb0);
    assert_int_equal(img[0x211], 0x81);
    assert_int_equal(load_le16(img + 0x224), 0xfe00);
    assert_int_equal(load_le32(img + 0x228), VT_PC_CMDLINE_ADDR);
    assert_int_equal(load_le32(img + 0x218), l.initrd_addr);
    assert_int_equal(load_le32(img + 0x21c), 1000);
    /* refused: command line longer than cmdline_size, no header, old protocol, short file */
    assert_int_equal(vt_pc_linux_prepare(img, 0x3000, "k", 64u << 20, 2048, 0, &l, &err), -1);
    store_le16(img + 0x206, 0x0201);
    assert_int_equal(vt_pc_linux_prepare(img, 0x3000, "k", 64u << 20, 0, 0, &l, &err), -1);
    assert_non_null(strstr(err.msg, "protocol 2.01"));
    memcpy(img + 0x202, "XXXX", 4);
    assert_int_equal(vt_pc_linux_prepare(img, 0x3000, "k", 64u << 20, 0, 0, &l, &err), -1);
    assert_non_null(strstr(err.msg, "k: no Linux x86 boot header"));
    free(img);
    img = fake_bzimage(0x400);
    assert_int_equal(vt_pc_linux_prepare(img, 0x400, "k", 64u << 20, 0, 0, &l, &err), -1);
    free(img);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fw_cfg_dma),
        cmocka_unit_test(test_linux_prepare),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
