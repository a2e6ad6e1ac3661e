/* 8259A priority/EOI/cascade/poll/spurious/modes and the x86 INTA path (PIT -> PIC -> CPU),
 * driven through the register windows of small INI-built machines. */
#include "tests/unit/pc_chips_test.h"

static void test_pic_priority_eoi(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    pic_init(m, 0x01);
    assert_int_equal(rd(m, 0x21), 0); /* ICW1 clears the mask */
    vt_irq ir3 = input_of(m, "pic1", 3), ir5 = input_of(m, "pic1", 5);
    vt_irq_raise(&ir5);
    vt_irq_raise(&ir3);
    assert_true(cpu_intr(m));
    assert_int_equal(rd(m, 0x20), 0x28); /* IRR (default read) */
    assert_int_equal(intack(m), 0x0B);   /* IR3 first: higher priority */
    wr(m, 0x20, 0x0B);                   /* OCW3: read ISR */
    assert_int_equal(rd(m, 0x20), 0x08);
    assert_false(cpu_intr(m)); /* IR5 waits while IR3 is in service */
    wr(m, 0x20, 0x20);         /* non-specific EOI */
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x0D);
    assert_int_equal(rd(m, 0x20), 0x20);
    wr(m, 0x20, 0x65); /* specific EOI for IR5 */
    assert_int_equal(rd(m, 0x20), 0x00);
    assert_false(cpu_intr(m)); /* edge inputs: the requests were consumed */
    /* masking */
    vt_irq_lower(&ir3);
    wr(m, 0x21, 0x08);
    vt_irq_raise(&ir3);
    assert_false(cpu_intr(m));
    wr(m, 0x21, 0x00);
    assert_true(cpu_intr(m));
    /* rotation: set priority makes IR3 the lowest, so IR4 wins over IR3 */
    vt_irq ir4 = input_of(m, "pic1", 4);
    vt_irq_raise(&ir4);
    wr(m, 0x20, 0xC3);
    assert_int_equal(intack(m), 0x0C);
    wr(m, 0x20, 0xA0); /* rotate on non-specific EOI: IR4 becomes the lowest */
    assert_int_equal(intack(m), 0x0B);
    wr(m, 0x20, 0x20);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

static void test_pic_cascade_spurious_poll(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    pic_init(m, 0x01);
    vt_irq ir12 = input_of(m, "pic2", 4);
    vt_irq_raise(&ir12);
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x74); /* the slave supplies the vector */
    wr(m, 0x20, 0x0B);
    wr(m, 0xa0, 0x0B);
    assert_int_equal(rd(m, 0x20), 0x04); /* master ISR: the cascade input */
    assert_int_equal(rd(m, 0xa0), 0x10);
    wr(m, 0xa0, 0x20), wr(m, 0x20, 0x20);
    assert_int_equal(rd(m, 0x20) | rd(m, 0xa0), 0);
    /* INTA with no request left (it went away): IR7's vector and no ISR bit, on the master
     * (spurious IRQ7) and on the slave (spurious IRQ15) */
    vt_irq ir1 = input_of(m, "pic1", 1);
    vt_irq_raise(&ir1);
    assert_true(cpu_intr(m));
    vt_irq_lower(&ir1);
    assert_false(cpu_intr(m));
    assert_int_equal(intack(m), 0x0F);
    assert_int_equal(vt_i8259_intack(vt_machine_device(m, "pic2")), 0x77);
    assert_int_equal(rd(m, 0x20) | rd(m, 0xa0), 0);
    /* poll: the read acknowledges */
    vt_irq ir6 = input_of(m, "pic1", 6);
    vt_irq_raise(&ir6);
    wr(m, 0x20, 0x0C);
    assert_int_equal(rd(m, 0x20), 0x86);
    wr(m, 0x20, 0x0B);
    assert_int_equal(rd(m, 0x20), 0x40);
    wr(m, 0x20, 0x0C);
    assert_int_equal(rd(m, 0x20), 0x00);
    wr(m, 0x20, 0x20);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

static void test_pic_modes(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    /* auto-EOI: no ISR bit is left behind */
    pic_init(m, 0x03);
    vt_irq ir0 = input_of(m, "pic1", 0), ir1 = input_of(m, "pic1", 1);
    vt_irq_raise(&ir1);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x0B);
    assert_int_equal(rd(m, 0x20), 0);
    /* special mask mode: with IR0 in service and masked, lower IR1 gets through */
    pic_init(m, 0x01);
    vt_irq_lower(&ir1);
    vt_irq_raise(&ir0);
    assert_int_equal(intack(m), 0x08);
    vt_irq_raise(&ir1);
    assert_false(cpu_intr(m));
    wr(m, 0x21, 0x01);
    wr(m, 0x20, 0x68); /* OCW3: set special mask */
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x48); /* reset special mask */
    wr(m, 0x20, 0x61), wr(m, 0x20, 0x60), wr(m, 0x21, 0x00);
    /* level-triggered (ICW1 LTIM): the request stays while the line is high */
    wr(m, 0x20, 0x19), wr(m, 0x21, 0x08), wr(m, 0x21, 0x04), wr(m, 0x21, 0x01);
    assert_true(cpu_intr(m)); /* IR0 and IR1 are still high */
    assert_int_equal(intack(m), 0x08);
    wr(m, 0x20, 0x20);
    assert_int_equal(intack(m), 0x08);
    wr(m, 0x20, 0x20);
    vt_irq_lower(&ir0);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x20);
    /* ELCR on an edge-mode chip */
    pic_init(m, 0x01);
    vt_i8259_set_elcr(vt_machine_device(m, "pic1"), 0x02);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x20);
    assert_int_equal(intack(m), 0x09);
    wr(m, 0x20, 0x20);
    vt_machine_destroy(m);
}

/* Special fully nested mode on the master: a higher-priority slave request gets through while
 * the cascade input is in service; in the normal nested mode it waits. */
static void test_pic_sfnm(void **state) {
    (void)state;
    vt_machine *m = make(PIC_INI);
    pic_init(m, 0x11); /* 8086 mode + SFNM */
    vt_irq ir12 = input_of(m, "pic2", 4), ir9 = input_of(m, "pic2", 1);
    vt_irq_raise(&ir12);
    assert_int_equal(intack(m), 0x74);
    vt_irq_raise(&ir9);
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x71);
    wr(m, 0xa0, 0x20), wr(m, 0x20, 0x20), wr(m, 0xa0, 0x20), wr(m, 0x20, 0x20);
    pic_init(m, 0x01);
    vt_irq_lower(&ir12), vt_irq_lower(&ir9);
    vt_irq_raise(&ir12);
    assert_int_equal(intack(m), 0x74);
    vt_irq_raise(&ir9);
    assert_false(cpu_intr(m)); /* the slave asks, but IR2 is in service at the master */
    wr(m, 0x20, 0x20);
    assert_true(cpu_intr(m));
    assert_int_equal(intack(m), 0x71);
    vt_machine_destroy(m);
}

/* A cascade loop in the profile (each PIC the other's slave) cannot make INTA recurse. */
static void test_pic_cascade_loop(void **state) {
    (void)state;
    vt_machine *m = make("[machine]\nname = t\ncpu = none\n"
                         "[device.pic1]\ntype = i8259\nbase = 0x20\nsize = 2\nslave = pic2\n"
                         "[device.pic2]\ntype = i8259\nbase = 0xa0\nsize = 2\nslave = pic1\n"
                         "irq = pic1.2\n");
    wr(m, 0x20, 0x11), wr(m, 0x21, 0x08), wr(m, 0x21, 0x04), wr(m, 0x21, 0x01);
    wr(m, 0xa0, 0x11), wr(m, 0xa1, 0x70), wr(m, 0xa1, 0x04), wr(m, 0xa1, 0x01);
    vt_irq ir2 = input_of(m, "pic2", 2);
    vt_irq_raise(&ir2);
    assert_int_equal(intack(m), 0xFF); /* nobody answers the cascade cycle */
    vt_machine_destroy(m);
}

/* A real-mode x86 machine with the master 8259A as its INTA source. ROM: F000:FF00 main
 * (stack, sti; hlt loop), F000:FF20 cli; hlt loop. */
static vt_machine *make_x86(const char *devices) {
    static uint8_t rom[0x10000];
    static const uint8_t main_code[] = {0xFA, 0x31, 0xC0, 0x8E, 0xD0, 0xBC, 0x00,
                                        0x70, 0x8E, 0xD8, 0xFB, 0xF4, 0xEB, 0xFD};
    static const uint8_t cli_code[] = {0xFA, 0xF4, 0xEB, 0xFD};
    memset(rom, 0xF4, sizeof rom);
    memcpy(rom + 0xFF00, main_code, sizeof main_code);
    memcpy(rom + 0xFF20, cli_code, sizeof cli_code);
    rom[0xFFF0] = 0xE9; /* jmp near F000:FF00 */
    rom[0xFFF1] = (uint8_t)(0xFF00 - 0xFFF3);
    rom[0xFFF2] = (uint8_t)((0xFF00 - 0xFFF3) >> 8);
    write_file("bios.bin", rom, sizeof rom);
    char ini[1024];
    snprintf(ini, sizeof ini,
             "[machine]\nname = t\ncpu = pentium2\nclock = 100000000\n"
             "[memory.ram]\nbase = 0\nsize = 0x80000\n"
             "[rom.bios]\npath = bios.bin\nbase = 0xffff0000\nsize = 0x10000\n"
             "[rom.bioslow]\npath = bios.bin\nbase = 0xf0000\nsize = 0x10000\n"
             "[device.pic1]\ntype = i8259\nbase = 0x90000\nsize = 2\nirq = cpu.0\n%s",
             devices);
    vt_machine *m = make(ini);
    vt_x86_set_intack(m->cpu, vt_i8259_intack, vt_machine_device(m, "pic1"));
    /* handlers: IRQ0 (vector 8) counts at 0x600 and sends EOI; NMI counts at 0x601 */
    static const uint8_t irq_handler[] = {0xFE, 0x06, 0x00, 0x06, 0xB8, 0x00, 0x90, 0x8E,
                                          0xC0, 0x26, 0xC6, 0x06, 0x00, 0x00, 0x20, 0xCF};
    static const uint8_t nmi_handler[] = {0xFE, 0x06, 0x01, 0x06, 0xCF};
    assert_int_equal(vt_bus_write_block(&m->bus, 0x500, irq_handler, sizeof irq_handler), 0);
    assert_int_equal(vt_bus_write_block(&m->bus, 0x540, nmi_handler, sizeof nmi_handler), 0);
    assert_int_equal(vt_bus_write(&m->bus, 8 * 4, 4, 0x00000500), VT_BUS_OK);
    assert_int_equal(vt_bus_write(&m->bus, 2 * 4, 4, 0x00000540), VT_BUS_OK);
    return m;
}

/* The timer chain: 8254 OUT0 -> 8259A IR0 -> x86 INTR -> INTA -> handler, 1000 times. */
static void test_x86_timer_chain(void **state) {
    (void)state;
    vt_machine *m =
        make_x86("[device.pit]\ntype = i8254\nbase = 0x90040\nsize = 4\nirq = pic1.0\n");
    wr(m, 0x90000, 0x11), wr(m, 0x90001, 0x08), wr(m, 0x90001, 0x04), wr(m, 0x90001, 0x01);
    wr(m, 0x90001, 0xFE);
    const uint64_t n = 1193;
    wr(m, 0x90043, 0x34), wr(m, 0x90040, n & 0xFF), wr(m, 0x90040, n >> 8);
    /* OUT0 rises at every reload (clocks n, 2n, ...): one interrupt per edge */
    vt_machine_run(m, pit_t(5 * n) - 1);
    assert_int_equal(rd(m, 0x600), 4);
    vt_machine_run(m, pit_t(5 * n) + 10000000); /* 10 us: the handler has run */
    assert_int_equal(rd(m, 0x600), 5);
    vt_machine_run(m, pit_t(250 * n) + 10000000);
    assert_int_equal(rd(m, 0x600), 250);
    vt_machine_destroy(m);
}

/* x86 in real mode takes IRQ0 through the INTA hook; HLT with IF clear ignores INTR, NMI
 * still wakes it. ROM: F000:FF00 main (sti; hlt loop), F000:FF20 cli; hlt loop. */
static void test_x86_intack(void **state) {
    (void)state;
    vt_machine *m = make_x86("");
    wr(m, 0x90000, 0x11), wr(m, 0x90001, 0x08), wr(m, 0x90001, 0x04), wr(m, 0x90001, 0x01);
    wr(m, 0x90001, 0xFE);
    vt_machine_run(m, 1000000); /* 1 us: the core reaches HLT */
    assert_true(m->cpu->halted);
    vt_irq ir0 = input_of(m, "pic1", 0);
    for (int k = 1; k <= 3; k++) {
        vt_irq_raise(&ir0);
        vt_machine_run(m, m->sched.now + 1000000);
        vt_irq_lower(&ir0);
        assert_int_equal(rd(m, 0x600), k);
        assert_true(m->cpu->halted);
    }
    wr(m, 0x90000, 0x0B);
    assert_int_equal(rd(m, 0x90000), 0); /* the handler's EOI cleared the ISR */
    /* cli; hlt: INTR does not end the halt, NMI does */
    m->cpu->ops->set_reg(m->cpu, X86_EIP, 0xFF20);
    m->cpu->halted = false;
    vt_machine_run(m, m->sched.now + 1000000);
    uint64_t eip = m->cpu->ops->get_pc(m->cpu);
    vt_irq_raise(&ir0);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_true(m->cpu->halted);
    assert_int_equal(m->cpu->ops->get_pc(m->cpu), eip);
    assert_int_equal(rd(m, 0x600), 3);
    m->cpu->ops->set_irq(m->cpu, 1, true);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_int_equal(rd(m, 0x601), 1);
    assert_true(m->cpu->halted);
    /* NMI is edge-triggered: the line staying high is not a second one */
    m->cpu->ops->set_irq(m->cpu, 1, true);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_int_equal(rd(m, 0x601), 1);
    m->cpu->ops->set_irq(m->cpu, 1, false);
    m->cpu->ops->set_irq(m->cpu, 1, true);
    vt_machine_run(m, m->sched.now + 1000000);
    assert_int_equal(rd(m, 0x601), 2);
    fixture_round_trip(m);
    vt_machine_destroy(m);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pic_priority_eoi), cmocka_unit_test(test_pic_cascade_spurious_poll),
        cmocka_unit_test(test_pic_modes),        cmocka_unit_test(test_pic_sfnm),
        cmocka_unit_test(test_pic_cascade_loop), cmocka_unit_test(test_x86_intack),
        cmocka_unit_test(test_x86_timer_chain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
