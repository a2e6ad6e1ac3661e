/* [rom.NAME] sections: firmware from an audited ROM set (raw, ELF with segment placement,
 * alias), from a plain file, and the errors for a bad set or a missing file. The set and its
 * manifest are made at test time in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"
#include "romsets/romset.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static char dir[64];

static void write_bytes(const char *name, const void *data, size_t len) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void write_text(const char *name, const char *text) {
    write_bytes(name, text, strlen(text));
}

/* A manifest entry line block for data. */
static void entry(char *out, size_t outlen, const char *file, const uint8_t *data, size_t len,
                  const char *extra) {
    uint32_t crc;
    uint8_t sha[20];
    char hex[41];
    vt_rom_hash(data, len, &crc, sha);
    vt_sha1_hex(sha, hex);
    snprintf(out, outlen, "[file.%s]\nsize = %zu\ncrc32 = %08x\nsha1 = %s\n%s\n", file, len, crc,
             hex, extra);
}

/* A big-endian ELF32 with two PT_LOAD segments: 16 bytes at 0xffd00000 and 8 bytes (+8 bss)
 * at 0xffd01000. */
static size_t make_elf(uint8_t *e) {
    memset(e, 0, 0x200);
    memcpy(e, "\177ELF\1\2\1", 7);
    store_be16(e + 16, 2);
    store_be16(e + 18, 2); /* EM_SPARC */
    store_be32(e + 24, 0xffd00000);
    store_be32(e + 28, 52);
    store_be16(e + 42, 32);
    store_be16(e + 44, 2);
    uint8_t *ph = e + 52;
    store_be32(ph, 1);
    store_be32(ph + 4, 0x100);
    store_be32(ph + 8, 0xffd00000);
    store_be32(ph + 16, 16);
    store_be32(ph + 20, 16);
    ph += 32;
    store_be32(ph, 1);
    store_be32(ph + 4, 0x110);
    store_be32(ph + 8, 0xffd01000);
    store_be32(ph + 16, 8);
    store_be32(ph + 20, 16);
    for (int i = 0; i < 24; i++)
        e[0x100 + i] = (uint8_t)(0xa0 + i);
    return 0x118;
}

static vt_machine *build(const char *profile_text, vt_error *err) {
    write_text("p.ini", profile_text);
    char path[256];
    snprintf(path, sizeof path, "%s/p.ini", dir);
    vt_machine_options o = {0};
    o.rom_path = dir;
    vt_machine *m = NULL;
    if (vt_machine_create(&m, path, &o, err)) return NULL;
    return m;
}

static void test_romset_raw_elf_alias(void **state) {
    (void)state;
    uint8_t raw[100], elf[0x200];
    for (int i = 0; i < 100; i++)
        raw[i] = (uint8_t)i;
    size_t elflen = make_elf(elf);
    mkdir(strcat(strcpy((char[128]){0}, dir), "/tset"), 0755);
    write_bytes("tset/boot.rom", raw, sizeof raw);
    write_bytes("tset/prom.elf", elf, elflen);
    char e1[512], e2[512], manifest[1400];
    entry(e1, sizeof e1, "boot.rom", raw, sizeof raw, "load = 0xfffe0000\nalias = 0xe0000");
    entry(e2, sizeof e2, "prom.elf", elf, elflen, "format = elf");
    snprintf(manifest, sizeof manifest, "[romset]\nname = tset\n\n%s\n%s", e1, e2);
    write_text("tset.ini", manifest);
    char profile[1024];
    snprintf(profile, sizeof profile,
             "[machine]\nname = r\n[rom.bios]\nromset = %s/tset.ini\nfile = boot.rom\n"
             "[rom.prom]\nromset = %s/tset.ini\nfile = prom.elf\nbase = 0x70000000\n",
             dir, dir);
    vt_error err;
    vt_machine *m = build(profile, &err);
    if (!m) {
        print_error("%s\n", err.msg);
        fail();
    }
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, 0xfffe0000 + 5, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 5);
    assert_int_equal(vt_bus_read(&m->bus, 0xe0000 + 99, 1, &v), VT_BUS_OK); /* alias */
    assert_int_equal(v, 99);
    assert_int_equal(vt_bus_read(&m->bus, 0xfffe0000 + 100, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0xff); /* erased EPROM past the image */
    /* ELF: segment 2 lands at base + 0x1000, its bss is zero */
    assert_int_equal(vt_bus_read(&m->bus, 0x70000000, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0xa0);
    assert_int_equal(vt_bus_read(&m->bus, 0x70001000, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0xb0);
    assert_int_equal(vt_bus_read(&m->bus, 0x7000100c, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 0);
    assert_int_equal(vt_bus_write(&m->bus, 0x70000000, 1, 0), VT_BUS_READONLY);
    vt_machine_destroy(m);

    /* one corrupted byte: the machine refuses to start and names the set and the file */
    raw[7] ^= 1;
    write_bytes("tset/boot.rom", raw, sizeof raw);
    assert_null(build(profile, &err));
    assert_non_null(strstr(err.msg, "p.ini:4: "));
    assert_non_null(strstr(err.msg, "boot.rom"));
}

static void test_path_and_errors(void **state) {
    (void)state;
    uint8_t img[10] = {1, 2, 3};
    write_bytes("plain.bin", img, sizeof img);
    vt_error err;
    vt_machine *m = build("[machine]\nname = r\n[rom.x]\npath = plain.bin\nbase = 0x1000\n", &err);
    assert_non_null(m);
    uint64_t v;
    assert_int_equal(vt_bus_read(&m->bus, 0x1002, 1, &v), VT_BUS_OK);
    assert_int_equal(v, 3);
    vt_machine_destroy(m);
    assert_null(build("[machine]\nname = r\n[rom.x]\npath = nope.bin\nbase = 0\n", &err));
    assert_non_null(strstr(err.msg, "p.ini:4: cannot open ROM file"));
    assert_null(
        build("[machine]\nname = r\n[rom.x]\npath = plain.bin\nbase = 0\nsize = 4\n", &err));
    assert_non_null(strstr(err.msg, "larger than its region"));
    assert_null(build("[machine]\nname = r\n[rom.x]\nbase = 0\n", &err));
    assert_non_null(strstr(err.msg, "needs 'romset' + 'file', or 'path'"));
    assert_null(build("[machine]\nname = r\n[rom.x]\nromset = no-such-set\nfile = a\n", &err));
    assert_non_null(strstr(err.msg, "p.ini:4: "));
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-rom-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_romset_raw_elf_alias),
        cmocka_unit_test(test_path_and_errors),
    };
    return cmocka_run_group_tests_name("machine_rom", tests, setup, teardown);
}
