/* INI profile tests: every error class gives `file:line: message` naming the culprit;
 * includes and --set overrides work. Profiles are written to a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "core/machine.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void write_file(const char *name, const char *text) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Builds dir/name and expects failure with a message starting "dir/<file>:<line>: " and
 * containing `needle`. */
static void expect_error(const char *name, const char *file, int line, const char *needle) {
    char path[256], prefix[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    vt_machine *m;
    vt_error err = {{0}};
    int rc = vt_machine_create(&m, path, NULL, &err);
    if (rc == 0) vt_machine_destroy(m);
    assert_int_equal(rc, -1);
    snprintf(prefix, sizeof prefix, "%s/%s:%d: ", dir, file, line);
    if (strncmp(err.msg, prefix, strlen(prefix)) || !strstr(err.msg, needle)) {
        print_error("got: %s\nwanted prefix: %s and '%s'\n", err.msg, prefix, needle);
        fail();
    }
}

#define HEAD "[machine]\nname = t\ncpu = none\n"

static void test_unknown_key(void **state) {
    (void)state;
    write_file("a.ini", HEAD "[memory.ram]\nbase = 0\nsize = 1M\nszie = 4\n");
    expect_error("a.ini", "a.ini", 7, "unknown key 'szie'");
    write_file("b.ini", HEAD "colour = red\n");
    expect_error("b.ini", "b.ini", 4, "unknown key 'colour' in [machine]");
    write_file("c.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                             "clok = 5\n");
    expect_error("c.ini", "c.ini", 8, "unknown key 'clok' in [device.t]");
}

static void test_unknown_section(void **state) {
    (void)state;
    write_file("d.ini", HEAD "\n[memroy.ram]\nbase = 0\n");
    expect_error("d.ini", "d.ini", 5, "unknown section [memroy.ram]");
}

static void test_bad_numbers(void **state) {
    (void)state;
    write_file("e.ini", HEAD "[memory.ram]\nbase = 0x\nsize = 1M\n");
    expect_error("e.ini", "e.ini", 5, "bad number '0x'");
    write_file("f.ini", HEAD "[memory.ram]\nbase = 0\nsize = 12Q\n");
    expect_error("f.ini", "f.ini", 6, "bad number '12Q'");
    write_file("g.ini", HEAD "[memory.ram]\nbase = -4\nsize = 1M\n");
    expect_error("g.ini", "g.ini", 5, "bad number '-4'");
    write_file("h.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                             "clock = fast\n");
    expect_error("h.ini", "h.ini", 8, "bad number 'fast'");
}

static void test_overlap(void **state) {
    (void)state;
    write_file("i.ini", HEAD "[memory.ram]\nbase = 0\nsize = 1M\n\n[memory.vram]\nbase = 0xff000\n"
                             "size = 64K\n");
    expect_error("i.ini", "i.ini", 9, "overlaps 'ram'");
    write_file("j.ini",
               HEAD "[memory.ram]\nbase = 0\nsize = 1M\n[device.t]\ntype = vitrine-testdev\n"
                    "base = 0x800\nsize = 0x1000\n");
    expect_error("j.ini", "j.ini", 9, "overlaps 'ram'");
}

static void test_unknown_device_type(void **state) {
    (void)state;
    write_file("k.ini", HEAD "[device.uart]\ntype = ns16551\nbase = 0\nsize = 8\n");
    expect_error("k.ini", "k.ini", 5, "unknown device type 'ns16551'");
}

static void test_includes(void **state) {
    (void)state;
    write_file("l.ini", HEAD "include = missing.ini\n");
    expect_error("l.ini", "l.ini", 4, "missing.ini: cannot open");
    write_file("loop1.ini", "include = loop2.ini\n");
    write_file("loop2.ini", "include = loop1.ini\n");
    write_file("m.ini", HEAD "include = loop1.ini\n");
    vt_machine *m;
    vt_error err;
    char path[256];
    snprintf(path, sizeof path, "%s/m.ini", dir);
    assert_int_equal(vt_machine_create(&m, path, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "nested deeper"));
    /* an included piece plus a local override of one of its keys */
    write_file("ram.ini", "[memory.ram]\nbase = 0\nsize = 64K\n");
    write_file("n.ini", HEAD "include = ram.ini\n[memory.ram]\nsize = 128K\n");
    snprintf(path, sizeof path, "%s/n.ini", dir);
    assert_int_equal(vt_machine_create(&m, path, NULL, &err), 0);
    assert_int_equal(vt_bus_find(&m->bus, 0)->size, 128 * 1024);
    vt_machine_destroy(m);
    /* an error inside an included file names that file and line */
    write_file("badpiece.ini", "[memory.ram]\nbase = 0\nsize = 1Z\n");
    write_file("o.ini", HEAD "include = badpiece.ini\n");
    expect_error("o.ini", "badpiece.ini", 3, "bad number '1Z'");
}

static void test_syntax_and_duplicates(void **state) {
    (void)state;
    write_file("p.ini", HEAD "[memory.ram\nbase = 0\n");
    expect_error("p.ini", "p.ini", 4, "syntax error");
    write_file("q.ini", HEAD "[memory.ram]\nbase = 0\nbase = 4\nsize = 1M\n");
    expect_error("q.ini", "q.ini", 6, "duplicate key 'base'");
    write_file("r.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                             "irq = nowhere.3\n");
    expect_error("r.ini", "r.ini", 8, "no device 'nowhere'");
}

static void test_overrides(void **state) {
    (void)state;
    write_file("s.ini", HEAD "[memory.ram]\nbase = 0\nsize = 64K\n");
    char path[256];
    snprintf(path, sizeof path, "%s/s.ini", dir);
    vt_machine_options o = {0};
    o.overrides[o.noverrides++] = "memory.ram.size=2M";
    vt_machine *m;
    vt_error err;
    assert_int_equal(vt_machine_create(&m, path, &o, &err), 0);
    assert_int_equal(vt_bus_find(&m->bus, 0)->size, 2 * 1024 * 1024);
    vt_machine_destroy(m);
    o.overrides[0] = "memory.ram.sise=2M";
    assert_int_equal(vt_machine_create(&m, path, &o, &err), -1);
    assert_string_equal(err.msg, "--set: unknown key 'sise' in [memory.ram]");
    o.overrides[0] = "nodot=3";
    assert_int_equal(vt_machine_create(&m, path, &o, &err), -1);
    assert_non_null(strstr(err.msg, "expected section.key=value"));
}

/* Issue 9.5: Debian's inih reads 200-byte lines; longer comment lines must not leak a key,
 * longer content lines are refused at their own line, and line numbers stay right after them. */
static void test_long_lines(void **state) {
    (void)state;
    char text[4096], pad[1001];
    memset(pad, 'x', sizeof pad - 1);
    pad[sizeof pad - 1] = 0;
    /* the tail of the comment would read "size = 1M" if the line were split */
    snprintf(text, sizeof text, HEAD "[memory.ram]\nbase = 0\n; %s size = 1M\nsize = 64K\n", pad);
    write_file("long1.ini", text);
    char path[256];
    snprintf(path, sizeof path, "%s/long1.ini", dir);
    vt_machine *m;
    vt_error err;
    assert_int_equal(vt_machine_create(&m, path, NULL, &err), 0);
    assert_int_equal(vt_bus_find(&m->bus, 0)->size, 64 * 1024);
    vt_machine_destroy(m);
    /* a long inline comment after a short value is fine too; the error after it is at line 7 */
    snprintf(text, sizeof text, HEAD "[memory.ram]\nbase = 0 ; %s\nsize = 64K\nsise = 1\n", pad);
    write_file("long2.ini", text);
    expect_error("long2.ini", "long2.ini", 7, "unknown key 'sise'");
    /* a value too long for inih is refused at its own line */
    snprintf(text, sizeof text, HEAD "[machine.x]\n\ndescription = %s\n", pad);
    write_file("long3.ini", text);
    expect_error("long3.ini", "long3.ini", 6, "characters long");
    /* the in-memory reader behaves the same */
    vt_cfg cfg;
    snprintf(text, sizeof text, "[a]\n;%s k = v\nj = 1\n", pad);
    assert_int_equal(vt_cfg_load_string(&cfg, "mem", text, &err), 0);
    vt_cfg_section *a = vt_cfg_section_find(&cfg, "a");
    assert_non_null(a);
    assert_null(vt_cfg_get(a, "k"));
    assert_int_equal(vt_cfg_get(a, "j")->line, 3);
    vt_cfg_free(&cfg);
}

/* Issue 9.7: a FIFO as include is refused at once instead of blocking in open(); so is a file
 * too large to be a profile. */
static void test_fifo_include(void **state) {
    (void)state;
    char fifo[256];
    snprintf(fifo, sizeof fifo, "%s/pipe.ini", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    write_file("fifo.ini", HEAD "include = pipe.ini\n");
    expect_error("fifo.ini", "fifo.ini", 4, "not a regular file");
    /* a huge file (one endless line, say) is refused before any line is read */
    char big[256];
    snprintf(big, sizeof big, "%s/big.ini", dir);
    FILE *f = fopen(big, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(truncate(big, 17 << 20), 0);
    write_file("incbig.ini", HEAD "include = big.ini\n");
    expect_error("incbig.ini", "incbig.ini", 4, "larger than 16 MiB");
}

/* Issue 9.7: clocks are bounded (1 Hz .. 100 GHz). */
static void test_clock_range(void **state) {
    (void)state;
    write_file("clk1.ini", "[machine]\nname = t\ncpu = microsparc2\nclock = 0xffffffffffffffff\n");
    expect_error("clk1.ini", "clk1.ini", 4, "out of range");
    write_file("clk2.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                                "clock = 0\n");
    expect_error("clk2.ini", "clk2.ini", 8, "out of range");
    write_file("clk3.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                                "clock = 100000000001\n");
    expect_error("clk3.ini", "clk3.ini", 8, "out of range");
}

#define SPARC_HEAD "[machine]\nname = t\ncpu = microsparc2\nclock = 1000000\nendian = big\n"
#define INTCTL "[device.ic]\ntype = slavio-intctl\nbase = 0x71e00000\nsize = 0x10014\n"

/* Issues 9.11 and 10.6: every irq key is wired or refused with file:line. */
static void test_irq_wiring(void **state) {
    (void)state;
    write_file("irq1.ini", SPARC_HEAD INTCTL "irq = cpu.99\n");
    expect_error("irq1.ini", "irq1.ini", 10, "interrupt lines 1..15, not 99");
    write_file("irq2.ini", SPARC_HEAD INTCTL "irq = cpu.0\n");
    expect_error("irq2.ini", "irq2.ini", 10, "not 0");
    write_file("irq3.ini", SPARC_HEAD INTCTL "irq = cpu.1-16\n");
    expect_error("irq3.ini", "irq3.ini", 10, "needs output 15");
    write_file("irq4.ini", SPARC_HEAD INTCTL "irq = cpu.1-15\nirq9 = cpu.3\n");
    expect_error("irq4.ini", "irq4.ini", 11, "output 9 of 'ic' is wired twice");
    write_file("irq5.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                                "irq9 = t.1\n");
    expect_error("irq5.ini", "irq5.ini", 8, "1 interrupt output(s)");
    write_file("irq6.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                                "irq = t.3-2\n");
    expect_error("irq6.ini", "irq6.ini", 8, "must name DEVICE.N");
    write_file("irq7.ini", HEAD "[device.t]\ntype = vitrine-testdev\nbase = 0x1000\nsize = 0x1000\n"
                                "irq09 = t.1\n");
    expect_error("irq7.ini", "irq7.ini", 8, "unknown key 'irq09'");
    /* the whole run, and a split into two keys, both wire */
    write_file("irq8.ini", SPARC_HEAD INTCTL "irq = cpu.1-9\nirq9 = cpu.10-15\n");
    char path[256];
    snprintf(path, sizeof path, "%s/irq8.ini", dir);
    vt_machine *m;
    vt_error err;
    assert_int_equal(vt_machine_create(&m, path, NULL, &err), 0);
    vt_device *ic = vt_machine_device(m, "ic");
    for (int i = 0; i < 15; i++) {
        assert_true(vt_irq_connected(&ic->irq[i]));
        assert_int_equal(ic->irq[i].n, i + 1);
    }
    vt_machine_destroy(m);
}

static int setup(void **state) {
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/vt-config-XXXXXX");
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
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_bad_numbers),
        cmocka_unit_test(test_overlap),
        cmocka_unit_test(test_unknown_device_type),
        cmocka_unit_test(test_includes),
        cmocka_unit_test(test_syntax_and_duplicates),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_fifo_include),
        cmocka_unit_test(test_clock_range),
        cmocka_unit_test(test_irq_wiring),
    };
    return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
