/* Standard VGA (vga-std) tests on a CPU-less machine, the test acting as firmware: the PCI
 * expansion ROM BAR (sizing, enable bit, command bit), odd/even text memory and a font in plane
 * 2 drawn as a text screen with its cells and cursor, planar write mode 0 with set/reset and
 * bit mask, read mode 1 colour compare, and Bochs VBE mode sets (a 32-bpp screen straight from
 * VRAM; a geometry outside VRAM shows nothing rather than reading past it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"
#include "core/pci.h"
#include "core/registry.h"
#include "tests/unit/fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PROFILE                                                                                    \
    "[machine]\nname = vgatest\ncpu = none\n"                                                      \
    "[device.pci]\ntype = pci-host-type1\nspace = io\nbase = 0xcf8\nsize = 8\n"                    \
    "[device.vga]\ntype = vga-std\npci = pci\nslot = 2\nvram_size = 1M\n"                          \
    "romset = fake\nromfile = vga.bin\n"

static char dir[64];
static const uint8_t fake_rom[3000] = {0x55, 0xaa, 0x06};

static int fake_open(const char *set, const char *file, const char *rom_path, vt_rom_file *out,
                     vt_error *err) {
    (void)rom_path;
    if (strcmp(set, "fake")) return vt_fail(err, "no set %s", set), VT_ROM_NO_SET;
    if (strcmp(file, "vga.bin")) return vt_fail(err, "no file %s", file), VT_ROM_NO_FILE;
    *out = (vt_rom_file){.data = fake_rom, .len = sizeof fake_rom, .container = "test"};
    return 0;
}

static void fake_close(vt_rom_file *f) {
    (void)f;
}

static vt_machine *make_machine(void) {
    static vt_registry reg;
    reg = vt_registry_builtin;
    reg.rom_open = fake_open;
    reg.rom_close = fake_close;
    vt_machine_options opts = {.registry = &reg};
    return fixture_machine(dir, PROFILE, &opts);
}

static uint32_t cfg_read(vt_machine *m, unsigned reg) {
    uint64_t v;
    assert_int_equal(vt_bus_write(&m->io, 0xcf8, 4, 0x80000000u | 2u << 11 | reg), 0);
    assert_int_equal(vt_bus_read(&m->io, 0xcfc, 4, &v), 0);
    return (uint32_t)v;
}

static void cfg_write(vt_machine *m, unsigned reg, uint32_t v) {
    assert_int_equal(vt_bus_write(&m->io, 0xcf8, 4, 0x80000000u | 2u << 11 | reg), 0);
    assert_int_equal(vt_bus_write(&m->io, 0xcfc, 4, v), 0);
}

static void out8(vt_machine *m, unsigned port, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->io, port, 1, v), 0);
}
static uint8_t in8(vt_machine *m, unsigned port) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->io, port, 1, &v), 0);
    return (uint8_t)v;
}
static void reg_out(vt_machine *m, unsigned port, uint8_t index, uint8_t v) {
    out8(m, port, index);
    out8(m, port + 1, v);
}
static void mem8(vt_machine *m, vt_paddr a, uint8_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, 1, v), 0);
}
static uint8_t rd8(vt_machine *m, vt_paddr a) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, 1, &v), 0);
    return (uint8_t)v;
}
static void dispi(vt_machine *m, uint16_t index, uint16_t v) {
    assert_int_equal(vt_bus_write(&m->io, 0x1ce, 2, index), 0);
    assert_int_equal(vt_bus_write(&m->io, 0x1cf, 2, v), 0);
}

static void test_rom_bar(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    assert_int_equal(cfg_read(m, 0) & 0xffff, 0x1234);
    assert_int_equal(cfg_read(m, 0) >> 16, 0x1111);
    cfg_write(m, VT_PCI_ROM_ADDRESS, 0xffffffff);
    assert_int_equal(cfg_read(m, VT_PCI_ROM_ADDRESS), 0xfffff001); /* 4 KiB, enable bit */
    cfg_write(m, VT_PCI_ROM_ADDRESS, 0xfe000000);                  /* placed but not enabled */
    cfg_write(m, VT_PCI_COMMAND, VT_PCI_CMD_MEMORY);
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, 0xfe000000, 1, &v), VT_BUS_UNMAPPED);
    cfg_write(m, VT_PCI_ROM_ADDRESS, 0xfe000000 | VT_PCI_ROM_ENABLE);
    assert_int_equal(vt_bus_read(&m->bus, 0xfe000000, 2, &v), 0);
    assert_int_equal(v, 0xaa55);
    assert_int_equal(vt_bus_read(&m->bus, 0xfe000000 + sizeof fake_rom, 1, &v), 0);
    assert_int_equal(v, 0xff); /* past the image, inside the BAR */
    cfg_write(m, VT_PCI_COMMAND, 0);
    assert_int_equal(vt_bus_read(&m->bus, 0xfe000000, 1, &v), VT_BUS_UNMAPPED);
    vt_machine_reset(m); /* reset clears the address and the enable bit */
    assert_int_equal(cfg_read(m, VT_PCI_ROM_ADDRESS), 0);
    vt_machine_destroy(m);
}

/* A 2x1 text screen, 8-dot cells, 2 scan lines per character. */
static void setup_text(vt_machine *m) {
    out8(m, 0x3c2, 0x01);          /* colour CRTC at 0x3D4 */
    reg_out(m, 0x3c4, 0x01, 0x01); /* 8-dot characters */
    reg_out(m, 0x3c4, 0x02, 0x03); /* planes 0 and 1 */
    reg_out(m, 0x3c4, 0x04, 0x02); /* odd/even host access */
    reg_out(m, 0x3ce, 0x05, 0x10); /* odd/even */
    reg_out(m, 0x3ce, 0x06, 0x0e); /* text, B8000 window */
    reg_out(m, 0x3d4, 0x01, 1);    /* 2 columns */
    reg_out(m, 0x3d4, 0x09, 1);    /* 2 scan lines per row */
    reg_out(m, 0x3d4, 0x12, 1);    /* 2 lines */
    reg_out(m, 0x3d4, 0x13, 1);    /* offset: 2 cells per row */
    reg_out(m, 0x3d4, 0x0a, 1);    /* cursor on line 1 */
    reg_out(m, 0x3d4, 0x0b, 1);
    reg_out(m, 0x3d4, 0x0f, 1);         /* cursor in the second cell */
    for (unsigned i = 0; i < 16; i++) { /* identity attribute palette */
        (void)in8(m, 0x3da);
        out8(m, 0x3c0, (uint8_t)i);
        out8(m, 0x3c0, (uint8_t)i);
    }
    (void)in8(m, 0x3da);
    out8(m, 0x3c0, 0x20); /* palette address source: screen on */
    out8(m, 0x3c8, 7);    /* colour 7 = 6-bit 0x2a, 0xa8 in 8 bits */
    out8(m, 0x3c9, 0x2a), out8(m, 0x3c9, 0x2a), out8(m, 0x3c9, 0x2a);
    mem8(m, 0xb8000, 'A'); /* cell 0: 'A' on colour 7 / 0 */
    mem8(m, 0xb8001, 0x07);
    mem8(m, 0xb8002, 'B');
    mem8(m, 0xb8003, 0x70);
    /* the font: plane 2 through planar access, glyph 'A' line 0 = 0x81 */
    reg_out(m, 0x3c4, 0x02, 0x04);
    reg_out(m, 0x3c4, 0x04, 0x06);
    reg_out(m, 0x3ce, 0x05, 0x00);
    reg_out(m, 0x3ce, 0x06, 0x04); /* A0000 128K window, planar */
    reg_out(m, 0x3ce, 0x08, 0xff);
    mem8(m, 0xa0000 + 'A' * 32, 0x81);
    reg_out(m, 0x3c4, 0x02, 0x03);
    reg_out(m, 0x3c4, 0x04, 0x02);
    reg_out(m, 0x3ce, 0x05, 0x10);
    reg_out(m, 0x3ce, 0x06, 0x0e);
}

static void test_text_screen(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    setup_text(m);
    assert_int_equal(rd8(m, 0xb8000), 'A');
    assert_int_equal(rd8(m, 0xb8003), 0x70);
    vt_screen *s = vt_display_screen(m->display, 0);
    assert_non_null(s);
    const vt_screen_image *img = vt_screen_refresh(s);
    assert_int_equal(img->cols, 2);
    assert_int_equal(img->rows, 1);
    assert_int_equal(img->width, 16);
    assert_int_equal(img->height, 2);
    assert_int_equal(img->cells[0].ch, 'A');
    assert_int_equal(img->cells[1].attr, 0x70);
    assert_true(img->cursor_visible);
    assert_int_equal(img->cursor_col, 1);
    uint32_t row[16];
    vt_screen_image_row(img, 0, row);
    assert_int_equal(row[0], 0xa8a8a8); /* glyph bit 7: the foreground */
    assert_int_equal(row[1], 0);
    assert_int_equal(row[7], 0xa8a8a8);
    assert_int_equal(row[8], 0xa8a8a8); /* 'B' cell: background 7, no glyph bits */
    vt_screen_image_row(img, 1, row);
    assert_int_equal(row[8], 0); /* the cursor line in the second cell: foreground 0 */
    vt_machine_destroy(m);
}

static void test_planar_write_read(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    reg_out(m, 0x3c4, 0x02, 0x0f); /* all planes */
    reg_out(m, 0x3c4, 0x04, 0x06);
    reg_out(m, 0x3ce, 0x06, 0x05); /* graphics, A0000 64K */
    reg_out(m, 0x3ce, 0x00, 0x05); /* set/reset: planes 0 and 2 */
    reg_out(m, 0x3ce, 0x01, 0x0f); /* enable set/reset everywhere */
    reg_out(m, 0x3ce, 0x08, 0xf0); /* bit mask: high nibble */
    (void)rd8(m, 0xa0010);         /* latch zeros */
    mem8(m, 0xa0010, 0x00);
    for (unsigned p = 0; p < 4; p++) {
        reg_out(m, 0x3ce, 0x04, (uint8_t)p);
        assert_int_equal(rd8(m, 0xa0010), (p == 0 || p == 2) ? 0xf0 : 0x00);
    }
    /* read mode 1: which pixels have colour 5 */
    reg_out(m, 0x3ce, 0x05, 0x08);
    reg_out(m, 0x3ce, 0x02, 0x05);
    reg_out(m, 0x3ce, 0x07, 0x0f);
    assert_int_equal(rd8(m, 0xa0010), 0xf0);
    vt_machine_destroy(m);
}

static void test_vbe(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    (void)in8(m, 0x3da);
    out8(m, 0x3c0, 0x20);
    dispi(m, 1, 16);        /* XRES */
    dispi(m, 2, 8);         /* YRES */
    dispi(m, 3, 32);        /* BPP */
    dispi(m, 4, 0x41);      /* enabled + linear framebuffer */
    mem8(m, 0xa0000, 0x33); /* banked window, chain 4: VRAM byte 0 = pixel 0 blue */
    mem8(m, 0xa0002, 0x11);
    const vt_screen_image *img = vt_screen_refresh(vt_display_screen(m->display, 0));
    assert_int_equal(img->format, VT_PIX_XRGB8888);
    assert_int_equal(img->width, 16);
    assert_int_equal(img->height, 8);
    assert_int_equal(img->stride, 64);
    uint32_t row[16];
    vt_screen_image_row(img, 0, row);
    assert_int_equal(row[0], 0x110033);
    /* a virtual width whose picture would not fit 1 MiB is refused; an offset past VRAM
     * blanks the screen instead of reading outside it */
    dispi(m, 6, 0xffff);
    assert_int_equal(vt_screen_refresh(vt_display_screen(m->display, 0))->stride, 64);
    dispi(m, 9, 0xffff); /* Y offset */
    assert_int_equal(vt_screen_refresh(vt_display_screen(m->display, 0))->width, 0);
    vt_machine_destroy(m);
}

/* A guest poking random values into every register, the dispi interface and the window must
 * never make the renderers read or write outside their buffers (run under ASan in SAN=1). */
static void test_register_storm(void **state) {
    (void)state;
    vt_machine *m = make_machine();
    vt_screen *s = vt_display_screen(m->display, 0);
    uint32_t x = 12345;
    for (int round = 0; round < 3000; round++) {
        for (int i = 0; i < 8; i++) {
            x = x * 1103515245u + 12345u;
            unsigned r = x >> 8;
            switch (r % 5) {
            case 0:
                out8(m, 0x3b0 + (r >> 4) % 0x30, (uint8_t)(r >> 12));
                break;
            case 1:
                dispi(m, (uint16_t)((r >> 4) % 12), (uint16_t)(r >> 8));
                break;
            case 2:
                mem8(m, 0xa0000 + (r >> 4) % 0x20000, (uint8_t)(r >> 20));
                break;
            case 3:
                (void)in8(m, 0x3b0 + (r >> 4) % 0x30);
                break;
            default:
                (void)rd8(m, 0xa0000 + (r >> 4) % 0x20000);
                break;
            }
        }
        const vt_screen_image *img = vt_screen_refresh(s);
        if (img->width && img->height && !img->blank) {
            uint32_t *row = malloc(img->width * sizeof *row);
            assert_non_null(row);
            vt_screen_image_row(img, img->height - 1, row);
            free(row);
        }
    }
    vt_machine_destroy(m);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt_vga_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/p.ini", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rom_bar),           cmocka_unit_test(test_text_screen),
        cmocka_unit_test(test_planar_write_read), cmocka_unit_test(test_vbe),
        cmocka_unit_test(test_register_storm),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
