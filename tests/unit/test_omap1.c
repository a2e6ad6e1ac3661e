/* OMAP1 device models (palm-te) driven through the bus as Linux 6.1 drives them, on a CPU-less
 * profile whose interrupt lines end at a vitrine-testdev: interrupt handlers and cascade, MPU
 * timer period, DPLL lock, OMAP UART registers, GPIO, DMA block copy, LCDC palette and DONE and
 * the frame it publishes on the display core,
 * MMC identification and PIO read, ID/config, I2C, uWire, and the watchdog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/block/block.h"
#include "core/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define OBS 0x30000000u /* vitrine-testdev: INPUTS at +0x1c */
#define IH1 0xfffecb00u
#define IH2 0xfffe0000u
#define TIMER 0xfffec500u
#define CLKM 0xfffece00u
#define UART 0xfffb0000u
#define DMA 0xfffed800u
#define LCDC 0xfffec000u
#define LCD_DMA 0xfffedb00u
#define MMC 0xfffb7800u

static const char *profile =
    "[machine]\nname = omap1test\ncpu = none\nendian = little\n"
    "[memory.sdram]\nbase = 0x10000000\nsize = 1M\n"
    "[device.obs]\ntype = vitrine-testdev\nbase = 0x30000000\nsize = 0x1000\n"
    "[device.ih1]\ntype = omap1-intc\nbase = 0xfffecb00\nsize = 0x100\nirq = obs.0\nirq1 = obs.1\n"
    "[device.ih2]\ntype = omap1-intc\nbase = 0xfffe0000\nsize = 0x100\nirq = ih1.0\n"
    "[device.timer1]\ntype = omap1-mpu-timer\nbase = 0xfffec500\nsize = 0x100\nirq = ih1.26\n"
    "[device.clkm]\ntype = omap1-clkm\nbase = 0xfffece00\nsize = 0x200\ndpll_ctl = 0x2a90\n"
    "[device.uart1]\ntype = omap-uart\nbase = 0xfffb0000\nsize = 0x400\nirq = ih2.14\n"
    "[device.gpio]\ntype = omap1-gpio\nbase = 0xfffce000\nsize = 0x800\ninputs = 0x0040\n"
    "irq = obs.5\n"
    "[device.dma]\ntype = omap1-dma\nbase = 0xfffed800\nsize = 0x300\nirq = obs.6\n"
    "[device.lcdc]\ntype = omap1-lcdc\nbase = 0xfffec000\nsize = 0x100\nirq = obs.7\n"
    "[device.mmc]\ntype = omap-mmc\nbase = 0xfffb7800\nsize = 0x80\ndisk = 0\nirq = obs.8\n"
    "[device.id]\ntype = omap1-id\nbase = 0xfffed400\nsize = 8\n"
    "[device.config]\ntype = omap1-config\nbase = 0xfffe1000\nsize = 0x1008\n"
    "[device.i2c]\ntype = omap1-i2c\nbase = 0xfffb3800\nsize = 0x80\nirq = obs.9\n"
    "[device.uwire]\ntype = omap1-uwire\nbase = 0xfffb3000\nsize = 0x20\n"
    "[device.wdt]\ntype = omap1-mpu-timer\nbase = 0xfffec800\nsize = 0x100\nwatchdog = yes\n"
    "clock = 857142\n";

static char dir[] = "/tmp/vt-omap1-XXXXXX";
static char ini[128], sd[128];

static int setup(void **state) {
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(ini, sizeof ini, "%s/t.ini", dir);
    snprintf(sd, sizeof sd, "%s/sd.img", dir);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fputs(profile, f);
    fclose(f);
    f = fopen(sd, "wb");
    assert_non_null(f);
    static uint8_t img[1 << 20];
    memcpy(img + 512, "SECOND-SECTOR", 13);
    assert_int_equal(fwrite(img, 1, sizeof img, f), sizeof img);
    fclose(f);
    return 0;
}

static int teardown(void **state) {
    (void)state;
    unlink(ini);
    unlink(sd);
    rmdir(dir);
    return 0;
}

static vt_machine *make(struct vt_block **disk) {
    vt_machine_options o = {0};
    vt_error err;
    vt_block_opts bo = {0};
    assert_int_equal(vt_block_open(disk, sd, &bo, &err), 0);
    o.disks[0] = *disk;
    vt_machine *m;
    if (vt_machine_create(&m, ini, &o, &err)) {
        print_error("%s\n", err.msg);
        fail();
    }
    return m;
}

static void done(vt_machine *m, struct vt_block *disk) {
    vt_error err;
    vt_machine_destroy(m);
    assert_int_equal(vt_block_close(disk, &err), 0);
}

static uint32_t rd(vt_machine *m, uint32_t a, unsigned size) {
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, a, size, &v), VT_BUS_OK);
    return (uint32_t)v;
}

static void wr(vt_machine *m, uint32_t a, unsigned size, uint32_t v) {
    assert_int_equal(vt_bus_write(&m->bus, a, size, v), VT_BUS_OK);
}

static uint32_t lines(vt_machine *m) {
    return rd(m, OBS + 0x1c, 4);
}

static void test_intc_cascade_and_timer(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    /* as omap1_init_irq: all masked, ILRs per trigger map (level for IH2 14, edge for timer 26) */
    wr(m, IH1 + 0x1c + 4 * 26, 4, 0);      /* edge */
    wr(m, IH2 + 0x1c + 4 * 14, 4, 2);      /* level */
    wr(m, IH1 + 0x1c + 4 * 0, 4, 2);       /* the cascade input is level */
    wr(m, IH1 + 0x04, 4, ~(1u << 26 | 1)); /* unmask timer1 and the IH2 cascade */
    /* timer: load 5999 (1 ms at 6 MHz), auto-reload, start */
    wr(m, TIMER + 0x00, 4, 0x20);
    wr(m, TIMER + 0x04, 4, 5999);
    wr(m, TIMER + 0x00, 4, 0x23);
    vt_machine_run(m, 999 * VT_PS_PER_SEC / 1000000);
    assert_int_equal(lines(m) & 1, 0);
    assert_true(rd(m, TIMER + 0x08, 4) < 6000);
    vt_machine_run(m, VT_PS_PER_SEC / 1000 + VT_PS_PER_SEC / 1000000);
    assert_int_equal(lines(m) & 1, 1);          /* nIRQ */
    assert_int_equal(rd(m, IH1 + 0x10, 4), 26); /* SIR_IRQ acknowledges the edge */
    assert_int_equal(lines(m) & 1, 0);
    wr(m, IH1 + 0x18, 4, 1); /* NEW_IRQ_AGR */
    vt_machine_run(m, 2 * VT_PS_PER_SEC / 1000 + VT_PS_PER_SEC / 1000000);
    assert_int_equal(rd(m, IH1 + 0x10, 4), 26); /* reloaded: a second period */
    /* the UART's level line through IH2: THR empty with ETBEI */
    wr(m, IH2 + 0x04, 4, ~(1u << 14));
    wr(m, UART + 0x04, 1, 0x02);
    assert_int_equal(lines(m) & 1, 1);
    assert_int_equal(rd(m, IH1 + 0x10, 4), 0); /* level 1 says: level 2 */
    assert_int_equal(rd(m, IH2 + 0x10, 4), 14);
    wr(m, UART + 0x04, 1, 0x00);
    assert_int_equal(lines(m) & 1, 0); /* a level source drops by itself */
    done(m, disk);
}

static void test_clkm_uart_gpio(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    assert_int_equal(rd(m, CLKM + 0x100, 2), 0x2a91); /* enabled DPLL reads locked */
    wr(m, CLKM + 0x100, 2, 0x2a80);
    assert_int_equal(rd(m, CLKM + 0x100, 2), 0x2a80); /* bypass: no lock */
    assert_int_equal(rd(m, CLKM + 0x18, 2), 0x0020);  /* ARM_SYSST: power-on reset */
    wr(m, CLKM + 0x18, 2, 0x1000);
    assert_int_equal(rd(m, CLKM + 0x18, 2), 0x1000);
    /* omap_serial_reset: MDR1 disable, SCR, MDR1 16x; the 16550 scratch stays separate */
    assert_int_equal(rd(m, UART + 0x20, 1), 0x07);
    wr(m, UART + 0x40, 1, 0x08);
    wr(m, UART + 0x20, 1, 0x00);
    wr(m, UART + 0x1c, 1, 0x5a);
    assert_int_equal(rd(m, UART + 0x40, 1), 0x08);
    assert_int_equal(rd(m, UART + 0x1c, 1), 0x5a);
    assert_int_equal(rd(m, UART + 0x58, 1) & 1, 1); /* SYSS RESETDONE */
    /* GPIO: pin 6 is an input driven high; output pin 0 reads back its latch */
    assert_int_equal(rd(m, 0xfffce000, 4), 0x0040);
    wr(m, 0xfffce008, 4, 0xfffe);
    wr(m, 0xfffce004, 4, 0x0001);
    assert_int_equal(rd(m, 0xfffce000, 4), 0x0041);
    done(m, disk);
}

static void test_dma_copy(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    for (unsigned i = 0; i < 16; i++)
        wr(m, 0x10000000 + 4 * i, 4, 0x11111111u * i);
    unsigned ch = 0;                   /* channel 0: interrupt output 0 (INT_DMA_CH0_6) */
    wr(m, DMA + ch + 0x00, 2, 2);      /* CSDP: 32-bit elements */
    wr(m, DMA + ch + 0x04, 2, 0x20);   /* CICR: block interrupt */
    wr(m, DMA + ch + 0x08, 2, 0x0000); /* CSSA = 0x10000000 */
    wr(m, DMA + ch + 0x0a, 2, 0x1000);
    wr(m, DMA + ch + 0x0c, 2, 0x0100); /* CDSA = 0x10000100 */
    wr(m, DMA + ch + 0x0e, 2, 0x1000);
    wr(m, DMA + ch + 0x10, 2, 8); /* 8 elements x 2 frames */
    wr(m, DMA + ch + 0x12, 2, 2);
    wr(m, DMA + ch + 0x02, 2, 0x5080); /* post-increment both, enable, software sync */
    assert_int_equal(rd(m, 0x10000100 + 4 * 15, 4), 0x11111111u * 15);
    assert_int_equal(lines(m) >> 6 & 1, 1);
    assert_int_equal(rd(m, DMA + ch + 0x06, 2) & 0x20, 0x20); /* CSR BLOCK, cleared by the read */
    assert_int_equal(lines(m) >> 6 & 1, 0);
    assert_int_equal(rd(m, DMA + ch + 0x02, 2) & 0x80, 0); /* EN dropped */
    done(m, disk);
}

static void test_lcdc_palette_and_done(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    wr(m, 0x10001000, 2, 0x4000 | 0x0123); /* 8 bpp palette: 256 entries */
    wr(m, 0x10001000 + 2 * 255, 2, 0x0fff);
    wr(m, LCD_DMA + 0x02, 2, 0x1000); /* TOP_F1 = 0x10001000 */
    wr(m, LCD_DMA + 0x04, 2, 0x1000);
    wr(m, LCDC + 0x00, 4, 1u << 20 | 1u << 4 | 1); /* palette only, its IRQ, enable */
    assert_int_equal(rd(m, LCDC + 0x10, 4) & 0x40, 0x40);
    assert_int_equal(lines(m) >> 7 & 1, 1);
    wr(m, LCDC + 0x10, 4, 0);       /* clear */
    wr(m, LCDC + 0x00, 4, 1u << 3); /* disable with IRQ_DONE */
    assert_int_equal(rd(m, LCDC + 0x10, 4) & 1, 1);
    assert_int_equal(rd(m, LCDC + 0x00, 2) & 1, 0); /* lcd_dma.c's 16-bit read */
    done(m, disk);
}

/* The frame published on the display core as Linux's omapfb sets it up: palette load, then a
 * frame-only enable with TOP_F1 at the frame; 8 bpp through the 12-bit palette, then 16 bpp. */
static void test_lcdc_screen(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    assert_int_equal(vt_display_screen_count(m->display), 1);
    vt_screen *s = vt_display_screen(m->display, 0);
    assert_true(vt_screen_refresh(s)->blank); /* controller off */
    wr(m, 0x10001000, 2, 0x3000 | 0xf00);     /* 8 bpp code; entry 0 red */
    wr(m, 0x10001002, 2, 0x00f0);             /* entry 1 green */
    wr(m, 0x10001004, 2, 0x0a5c);
    wr(m, LCD_DMA + 0x02, 2, 0x1000); /* TOP_F1 = 0x10001000: the palette */
    wr(m, LCD_DMA + 0x04, 2, 0x1000);
    wr(m, LCDC + 0x04, 4, 3); /* 4 pixels per line */
    wr(m, LCDC + 0x08, 4, 1); /* 2 lines */
    wr(m, LCDC + 0x00, 4, 1u << 20 | 1);
    wr(m, LCDC + 0x00, 4, 1u << 20); /* palette in, disabled */
    assert_true(vt_screen_refresh(s)->blank);
    wr(m, LCD_DMA + 0x02, 2, 0x2000); /* TOP_F1 = the frame */
    wr(m, 0x10002000, 4, 0x01000100u);
    wr(m, 0x10002004, 4, 0x02020202u);
    wr(m, LCDC + 0x00, 4, 2u << 20 | 1); /* frame only, enable */
    const vt_screen_image *img = vt_screen_refresh(s);
    assert_false(img->blank);
    assert_int_equal(img->width, 4);
    assert_int_equal(img->height, 2);
    assert_int_equal(img->format, VT_PIX_INDEXED8);
    uint32_t row[4];
    vt_screen_image_row(img, 0, row);
    assert_int_equal(row[0], 0xff0000);
    assert_int_equal(row[1], 0x00ff00);
    vt_screen_image_row(img, 1, row);
    assert_int_equal(row[3], 0xaa55cc);
    wr(m, 0x10001000, 2, 0x4000); /* 16 bpp: RGB565 words */
    wr(m, LCDC + 0x00, 4, 0);
    wr(m, LCD_DMA + 0x02, 2, 0x1000);
    wr(m, LCDC + 0x00, 4, 1u << 20 | 1);
    wr(m, LCDC + 0x00, 4, 0);
    wr(m, LCD_DMA + 0x02, 2, 0x2000);
    wr(m, 0x10002000, 2, 0xf800);
    wr(m, LCDC + 0x00, 4, 2u << 20 | 1);
    img = vt_screen_refresh(s);
    assert_int_equal(img->format, VT_PIX_RGB565);
    assert_int_equal(img->stride, 8);
    vt_screen_image_row(img, 0, row);
    assert_int_equal(row[0] & 0xf80000, 0xf80000);
    wr(m, LCD_DMA + 0x02, 2, 0); /* TOP_F1 outside RAM: nothing to scan */
    wr(m, LCD_DMA + 0x04, 2, 0x4000);
    assert_true(vt_screen_refresh(s)->blank);
    done(m, disk);
}

static uint32_t mmc_cmd(vt_machine *m, unsigned idx, uint32_t arg, unsigned rsp) {
    wr(m, MMC + 0x10, 2, 0xffff);
    wr(m, MMC + 0x04, 2, arg & 0xffff);
    wr(m, MMC + 0x08, 2, arg >> 16);
    wr(m, MMC + 0x00, 2, idx | rsp << 8);
    return rd(m, MMC + 0x10, 2);
}

static void test_mmc_identify_and_read(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    assert_int_equal(mmc_cmd(m, 0, 0, 0), 1);        /* END_OF_CMD */
    assert_int_equal(mmc_cmd(m, 8, 0x1aa, 1), 0x80); /* v1 card: timeout */
    assert_int_equal(mmc_cmd(m, 55, 0, 1), 1);
    assert_int_equal(mmc_cmd(m, 41, 0x00ff8000, 3), 1);
    assert_int_equal(rd(m, MMC + 0x5c, 2), 0x80ff); /* OCR ready (RSP7) */
    assert_int_equal(mmc_cmd(m, 2, 0, 2), 1);
    assert_int_equal(mmc_cmd(m, 3, 0, 1), 1);
    assert_int_equal(rd(m, MMC + 0x5c, 2), 0x4567); /* RCA */
    assert_int_equal(mmc_cmd(m, 9, 0x45670000, 2), 1);
    assert_int_equal(mmc_cmd(m, 7, 0x45670000, 1), 1);
    wr(m, MMC + 0x24, 2, 511);                               /* BLEN */
    wr(m, MMC + 0x28, 2, 0);                                 /* NBLK */
    assert_int_equal(mmc_cmd(m, 17, 512, 1) & 0x400, 0x400); /* A_FULL */
    char got[14] = {0};
    for (int i = 0; i < 256; i++) {
        uint16_t w = (uint16_t)rd(m, MMC + 0x20, 2);
        if (i < 7) got[2 * i] = (char)w, got[2 * i + 1] = (char)(w >> 8);
    }
    got[13] = 0;
    assert_string_equal(got, "SECOND-SECTOR");
    assert_int_equal(rd(m, MMC + 0x10, 2) & 0x08, 0x08); /* END_OF_DATA */
    /* a PIO write of block 3: A_EMPTY per 64-byte burst, END_OF_DATA after 512 bytes */
    assert_int_equal(mmc_cmd(m, 24, 3 * 512, 1) & 0x800, 0x800);
    for (int i = 0; i < 256; i++) {
        if (i % 32 == 0) {
            assert_int_equal(rd(m, MMC + 0x10, 2) & 0x800, 0x800);
            wr(m, MMC + 0x10, 2, 0x800);
        }
        wr(m, MMC + 0x20, 2, i == 0 ? ('W' | 'R' << 8) : 0);
    }
    assert_int_equal(rd(m, MMC + 0x10, 2) & 0x08, 0x08);
    char back[2];
    vt_error err;
    assert_int_equal(vt_block_read(disk, 3 * 512, back, 2, &err), 0);
    assert_memory_equal(back, "WR", 2);
    done(m, disk);
}

/* id.c's decoding: JTAG 0xb574, die revision 2, OMAP id 0x03310315 = "OMAP0310 revision 2" */
static void test_id_i2c_uwire(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    uint32_t id1 = rd(m, 0xfffed404, 4);
    assert_int_equal((id1 >> 12) & 0xffff, 0xb574);
    assert_int_equal(id1 >> 28, 2);
    assert_int_equal(rd(m, 0xfffed400, 4), 0x03310315);
    assert_int_equal(rd(m, 0xfffe2004, 4) >> 20, 0); /* PRODUCTION_ID_1 "unusable" */
    wr(m, 0xfffe1080, 4, 0x12345678);                /* MOD_CONF_CTRL_0 */
    assert_int_equal(rd(m, 0xfffe1080, 4), 0x12345678);
    /* I2C (v1 layout): REV 0x11; a START to an absent slave: NACK + ARDY, IV codes in order */
    assert_int_equal(rd(m, 0xfffb3800, 2), 0x11);
    wr(m, 0xfffb3804, 2, 0x06);   /* IE: NACK, ARDY */
    wr(m, 0xfffb3824, 2, 0x8603); /* CON: EN, MST, TRX, STP, STT */
    assert_int_equal(lines(m) >> 9 & 1, 1);
    assert_int_equal(rd(m, 0xfffb380c, 2), 2); /* IV: NACK */
    assert_int_equal(rd(m, 0xfffb380c, 2), 3); /* IV: ARDY */
    assert_int_equal(lines(m) >> 9 & 1, 0);
    /* uWire: a 16-bit write + 16-bit read transfer completes at once with RDRB */
    wr(m, 0xfffb3000, 2, 0x8000);
    wr(m, 0xfffb3004, 2, 1u << 13 | 16u << 5 | 16u);
    uint32_t csr = rd(m, 0xfffb3004, 2);
    assert_int_equal(csr & (1u << 14 | 1u << 13), 0); /* not busy, START done */
    assert_int_equal(csr & (1u << 15), 1u << 15);
    rd(m, 0xfffb3000, 2);
    assert_int_equal(rd(m, 0xfffb3004, 2) & (1u << 15), 0);
    done(m, disk);
}

/* The watchdog: off after reset; in watchdog mode its expiry resets the machine (seen as CLKM's
 * ARM_SYSST back at its power-on value); 0xF5, 0xA0 leaves watchdog mode. */
static void test_watchdog(void **state) {
    (void)state;
    struct vt_block *disk;
    vt_machine *m = make(&disk);
    wr(m, CLKM + 0x18, 2, 0x1000);
    wr(m, 0xfffec804, 2, 99); /* 100 ticks of 857142 Hz / 2: about 233 us */
    wr(m, 0xfffec808, 2, 0x8000);
    assert_int_equal(rd(m, 0xfffec808, 2), 0x8000);
    vt_machine_run(m, 200 * VT_PS_PER_SEC / 1000000);
    assert_int_equal(rd(m, CLKM + 0x18, 2), 0x1000); /* not yet */
    vt_machine_run(m, 300 * VT_PS_PER_SEC / 1000000);
    assert_int_equal(rd(m, CLKM + 0x18, 2), 0x0020); /* the machine was reset */
    assert_int_equal(rd(m, 0xfffec808, 2), 0);       /* and the watchdog is off again */
    wr(m, CLKM + 0x18, 2, 0x1000);
    wr(m, 0xfffec804, 2, 99);
    wr(m, 0xfffec808, 2, 0x8000);
    wr(m, 0xfffec808, 2, 0xf5);
    wr(m, 0xfffec808, 2, 0xa0);
    vt_machine_run(m, VT_PS_PER_SEC / 100);
    assert_int_equal(rd(m, CLKM + 0x18, 2), 0x1000); /* disabled in time: no reset */
    done(m, disk);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intc_cascade_and_timer),
        cmocka_unit_test(test_clkm_uart_gpio),
        cmocka_unit_test(test_dma_copy),
        cmocka_unit_test(test_lcdc_palette_and_done),
        cmocka_unit_test(test_lcdc_screen),
        cmocka_unit_test(test_mmc_identify_and_read),
        cmocka_unit_test(test_id_i2c_uwire),
        cmocka_unit_test(test_watchdog),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
