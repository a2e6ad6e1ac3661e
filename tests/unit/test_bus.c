/* Bus tests: RAM/ROM/MMIO mapping, overlap refusal, byte order (bus vs device), sub-page
 * regions, unmapped accesses, block (DMA) copies bounded by regions, run-time remove/move/
 * enable/disable with change notification, per-region access widths, the write watch (a JIT's
 * code pages) and host-to-physical lookup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/bus.h"

typedef struct fake_dev {
    uint64_t last_off, last_val;
    unsigned last_size;
    uint32_t reg;
} fake_dev;

static uint64_t fd_read(void *opaque, uint64_t off, unsigned size) {
    fake_dev *d = opaque;
    d->last_off = off;
    d->last_size = size;
    return d->reg;
}
static void fd_write(void *opaque, uint64_t off, uint64_t v, unsigned size) {
    fake_dev *d = opaque;
    d->last_off = off;
    d->last_size = size;
    d->last_val = v;
    d->reg = (uint32_t)v;
}
static const vt_mmio_ops fd_ops = {fd_read, fd_write};

static void test_ram_rom_mapping(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    vt_region *ram, *rom;
    assert_int_equal(vt_bus_init(&b, VT_BIG_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "ram", 0, 0x100000, false, &ram, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "rom", 0xff0000000ull, 0x80000, true, &rom, &err), 0);
    uint64_t v;
    assert_int_equal(vt_bus_write(&b, 0x1000, 4, 0x11223344), VT_BUS_OK);
    /* big-endian bus: RAM holds guest byte order */
    assert_int_equal(ram->host[0x1000], 0x11);
    assert_int_equal(ram->host[0x1003], 0x44);
    assert_int_equal(vt_bus_read(&b, 0x1000, 2, &v), VT_BUS_OK);
    assert_int_equal(v, 0x1122);
    assert_int_equal(vt_bus_read(&b, 0x1000, 8, &v), VT_BUS_OK);
    assert_int_equal(v, 0x1122334400000000ull);
    rom->host[0] = 0xab;
    assert_int_equal(vt_bus_write(&b, 0xff0000000ull, 1, 0), VT_BUS_READONLY);
    assert_int_equal(vt_bus_read(&b, 0xff0000000ull, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0xab);
    assert_ptr_equal(vt_bus_host_ptr(&b, 0x10, 16, true), ram->host + 0x10);
    assert_null(vt_bus_host_ptr(&b, 0xff0000000ull, 4, true));
    assert_null(vt_bus_host_ptr(&b, 0xffffc, 8, false)); /* crosses the end of RAM */
    vt_bus_free(&b);
}

static void test_overlap_refused(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    assert_int_equal(vt_bus_init(&b, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "ram", 0x1000, 0x2000, false, NULL, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "x", 0x2fff, 0x10, false, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "overlaps 'ram'"));
    fake_dev d = {0};
    assert_int_equal(vt_bus_add_mmio(&b, "dev", 0x800, 0x801, &fd_ops, &d, VT_LITTLE_ENDIAN, &err),
                     -1);
    assert_int_equal(vt_bus_add_mmio(&b, "dev", 0x800, 0x800, &fd_ops, &d, VT_LITTLE_ENDIAN, &err),
                     0);
    assert_int_equal(vt_bus_add_ram(&b, "huge", 1ull << 40, 0x1000, false, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "address space"));
    assert_int_equal(vt_bus_add_ram(&b, "zero", 0x100000, 0, false, NULL, &err), -1);
    vt_bus_free(&b);
}

static void test_mmio_endianness(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    fake_dev le = {0}, be = {0};
    assert_int_equal(vt_bus_init(&b, VT_BIG_ENDIAN, &err), 0);
    assert_int_equal(
        vt_bus_add_mmio(&b, "le", 0x10000, 0x100, &fd_ops, &le, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_mmio(&b, "be", 0x10100, 0x100, &fd_ops, &be, VT_BIG_ENDIAN, &err),
                     0);
    assert_int_equal(vt_bus_write(&b, 0x10004, 4, 0x12345678), VT_BUS_OK);
    assert_int_equal(le.last_val, 0x78563412); /* little-endian registers behind a BE CPU */
    assert_int_equal(le.last_off, 4);
    assert_int_equal(vt_bus_write(&b, 0x10108, 2, 0xbeef), VT_BUS_OK);
    assert_int_equal(be.last_val, 0xbeef);
    assert_int_equal(be.last_off, 8);
    assert_int_equal(be.last_size, 2);
    uint64_t v;
    le.reg = 0x11223344;
    assert_int_equal(vt_bus_read(&b, 0x10000, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0x44332211);
    vt_bus_free(&b);
}

static void test_subpage_and_unmapped(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    fake_dev a = {0}, c = {0};
    assert_int_equal(vt_bus_init(&b, VT_LITTLE_ENDIAN, &err), 0);
    /* two small devices sharing one 4 KiB page */
    assert_int_equal(vt_bus_add_mmio(&b, "a", 0x20000, 0x10, &fd_ops, &a, VT_LITTLE_ENDIAN, &err),
                     0);
    assert_int_equal(vt_bus_add_mmio(&b, "c", 0x20800, 0x10, &fd_ops, &c, VT_LITTLE_ENDIAN, &err),
                     0);
    assert_int_equal(vt_bus_write(&b, 0x20804, 4, 7), VT_BUS_OK);
    assert_int_equal(c.last_off, 4);
    assert_int_equal(a.last_size, 0);
    uint64_t v = 99;
    assert_int_equal(vt_bus_read(&b, 0x20400, 4, &v), VT_BUS_UNMAPPED);
    assert_int_equal(v, 0);
    assert_int_equal(vt_bus_read(&b, 0x2000e, 4, &v), VT_BUS_UNMAPPED); /* straddles the end */
    assert_int_equal(vt_bus_write(&b, 0x7ffff000, 4, 1), VT_BUS_UNMAPPED);
    assert_int_equal(vt_bus_read(&b, ~0ull, 1, &v), VT_BUS_UNMAPPED);
    assert_int_equal(b.unmapped_count, 4);
    vt_bus_free(&b);
}

static void test_block_copies_bounded(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    vt_region *r1, *r2;
    assert_int_equal(vt_bus_init(&b, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "r1", 0x0, 0x1000, false, &r1, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "r2", 0x1000, 0x1000, false, &r2, &err), 0);
    uint8_t buf[0x20];
    memset(buf, 0x5a, sizeof buf);
    /* spans two adjacent regions */
    assert_int_equal(vt_bus_write_block(&b, 0xff0, buf, sizeof buf), VT_BUS_OK);
    assert_int_equal(r1->host[0xfff], 0x5a);
    assert_int_equal(r2->host[0x00f], 0x5a);
    /* runs off the end of memory: refused, not overrun */
    assert_int_equal(vt_bus_write_block(&b, 0x1ff0, buf, sizeof buf), VT_BUS_UNMAPPED);
    assert_int_equal(vt_bus_read_block(&b, 0x1ff0, buf, sizeof buf), VT_BUS_UNMAPPED);
    vt_bus_free(&b);
}

static void count_change(void *opaque) {
    ++*(int *)opaque;
}

static void test_move_enable_disable(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    int changes = 0;
    fake_dev d = {.reg = 0x1234};
    vt_region *ram, *bar;
    assert_int_equal(vt_bus_init(&b, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_on_change(&b, count_change, &changes, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "ram", 0, 0x10000, false, &ram, &err), 0);
    vt_mmio_desc desc = {.name = "bar",
                         .base = 0,
                         .size = 0x100,
                         .ops = &fd_ops,
                         .dev = &d,
                         .endian = VT_LITTLE_ENDIAN,
                         .disabled = true};
    /* created disabled at 0: overlapping RAM is fine while it is not decoded */
    assert_int_equal(vt_bus_add_mmio_region(&b, &desc, &bar, &err), 0);
    uint64_t v;
    assert_int_equal(vt_bus_read(&b, 0x0, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0); /* RAM */
    assert_int_equal(vt_bus_enable(&b, bar, &err), -1);
    assert_non_null(strstr(err.msg, "overlaps 'ram'"));
    assert_int_equal(vt_bus_move(&b, bar, 0x80000, &err), 0);
    assert_int_equal(changes, 0); /* nothing decoded changed yet */
    assert_int_equal(vt_bus_read(&b, 0x80000, 4, &v), VT_BUS_UNMAPPED);
    assert_int_equal(vt_bus_enable(&b, bar, &err), 0);
    assert_int_equal(changes, 1);
    assert_int_equal(vt_bus_read(&b, 0x80010, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0x1234);
    assert_int_equal(d.last_off, 0x10);
    /* moving follows: old place unmapped, new place decodes; onto RAM is refused and stays */
    assert_int_equal(vt_bus_move(&b, bar, 0x90800, &err), 0);
    assert_int_equal(changes, 3); /* disable + enable */
    assert_int_equal(vt_bus_read(&b, 0x80010, 4, &v), VT_BUS_UNMAPPED);
    assert_int_equal(vt_bus_read(&b, 0x90810, 4, &v), VT_BUS_OK);
    assert_int_equal(vt_bus_move(&b, bar, 0xff80, &err), -1);
    assert_int_equal(bar->base, 0x90800);
    assert_int_equal(vt_bus_read(&b, 0x90810, 4, &v), VT_BUS_OK);
    assert_int_equal(vt_bus_read(&b, 0xff80, 4, &v), VT_BUS_OK);
    assert_int_equal(v, 0); /* still RAM */
    /* RAM host pointers disappear while RAM is disabled; its contents survive */
    ram->host[0x2000] = 0x77;
    assert_non_null(vt_bus_host_ptr(&b, 0x2000, 4, true));
    vt_bus_disable(&b, ram);
    assert_null(vt_bus_host_ptr(&b, 0x2000, 4, false));
    assert_int_equal(vt_bus_read(&b, 0x2000, 1, &v), VT_BUS_UNMAPPED);
    assert_int_equal(vt_bus_enable(&b, ram, &err), 0);
    assert_int_equal(vt_bus_read(&b, 0x2000, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0x77);
    vt_bus_remove(&b, bar);
    assert_int_equal(vt_bus_read(&b, 0x90810, 4, &v), VT_BUS_UNMAPPED);
    assert_int_equal(b.nregions, 1);
    vt_bus_free(&b);
}

static void test_access_widths(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    fake_dev d = {.reg = 0xabcd};
    assert_int_equal(vt_bus_init(&b, VT_LITTLE_ENDIAN, &err), 0);
    vt_mmio_desc desc = {.name = "w",
                         .base = 0x4000,
                         .size = 0x100,
                         .ops = &fd_ops,
                         .dev = &d,
                         .endian = VT_LITTLE_ENDIAN,
                         .min_size = 2,
                         .max_size = 4};
    assert_int_equal(vt_bus_add_mmio_region(&b, &desc, NULL, &err), 0);
    uint64_t v = 99;
    assert_int_equal(vt_bus_read(&b, 0x4000, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0);           /* too narrow: ignored, reads 0 */
    assert_int_equal(d.last_size, 0); /* the device never saw it */
    assert_int_equal(vt_bus_write(&b, 0x4000, 8, 5), VT_BUS_OK);
    assert_int_equal(d.last_size, 0); /* too wide: dropped */
    assert_int_equal(vt_bus_read(&b, 0x4000, 2, &v), VT_BUS_OK);
    assert_int_equal(v, 0xabcd);
    desc.min_size = 3;
    assert_int_equal(vt_bus_add_mmio_region(&b, &desc, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "access widths"));
    vt_bus_free(&b);
}

typedef struct watch_log {
    unsigned n;
    vt_paddr addr;
    uint64_t len;
} watch_log;

static void on_watch(void *opaque, vt_paddr addr, uint64_t len) {
    watch_log *l = opaque;
    l->n++;
    l->addr = addr;
    l->len = len;
}

static void test_write_watch(void **state) {
    (void)state;
    vt_bus b;
    vt_error err;
    vt_region *ram, *rom;
    fake_dev d = {0};
    assert_int_equal(vt_bus_init(&b, VT_LITTLE_ENDIAN, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "ram", 0x10000000, 0x10000, false, &ram, &err), 0);
    assert_int_equal(vt_bus_add_ram(&b, "rom", 0x20000000, 0x1000, true, &rom, &err), 0);
    assert_int_equal(
        vt_bus_add_mmio(&b, "dev", 0x30000000, 0x1000, &fd_ops, &d, VT_LITTLE_ENDIAN, &err), 0);
    /* watch page 0x10003 only */
    static uint64_t bits[(0x40000 + 63) / 64];
    uint64_t page = 0x10003;
    bits[page >> 6] |= 1ull << (page & 63);
    watch_log log = {0};
    vt_bus_set_write_watch(&b, bits, 0x40000, on_watch, &log);
    assert_int_equal(vt_bus_write(&b, 0x10002ffc, 4, 1), VT_BUS_OK); /* the page before */
    assert_int_equal(vt_bus_write(&b, 0x30000000, 4, 1), VT_BUS_OK); /* a device */
    assert_int_equal(log.n, 0);
    assert_int_equal(vt_bus_write(&b, 0x10003010, 2, 0xbeef), VT_BUS_OK);
    assert_int_equal(log.n, 1);
    assert_int_equal(log.addr, 0x10003010);
    assert_int_equal(log.len, 2);
    /* a DMA copy that starts on the page before and ends on the watched one */
    uint8_t buf[16] = {1, 2, 3};
    assert_int_equal(vt_bus_write_block(&b, 0x10002ff8, buf, 16), VT_BUS_OK);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.addr, 0x10002ff8);
    assert_int_equal(log.len, 16);
    assert_int_equal(ram->host[0x2ff8], 1); /* stored before the report */
    vt_bus_set_write_watch(&b, NULL, 0, NULL, NULL);
    assert_int_equal(vt_bus_write(&b, 0x10003010, 2, 0), VT_BUS_OK);
    assert_int_equal(log.n, 2);
    /* host pointers back to physical addresses */
    vt_paddr pa = 0;
    assert_true(vt_bus_host_to_phys(&b, ram->host + 0x1234, &pa));
    assert_int_equal(pa, 0x10001234);
    assert_true(vt_bus_host_to_phys(&b, rom->host + 0xfff, &pa));
    assert_int_equal(pa, 0x20000fff);
    assert_false(vt_bus_host_to_phys(&b, (const uint8_t *)&d, &pa));
    vt_bus_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ram_rom_mapping),      cmocka_unit_test(test_overlap_refused),
        cmocka_unit_test(test_mmio_endianness),      cmocka_unit_test(test_subpage_and_unmapped),
        cmocka_unit_test(test_block_copies_bounded), cmocka_unit_test(test_move_enable_disable),
        cmocka_unit_test(test_access_widths),        cmocka_unit_test(test_write_watch),
    };
    return cmocka_run_group_tests_name("bus", tests, NULL, NULL);
}
