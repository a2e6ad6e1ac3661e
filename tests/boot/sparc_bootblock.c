/* A freestanding boot program for the SPARCstation 5 boot-media test (sparc32, no libc), put in
 * an a.out (OMAGIC) boot block at sectors 1-15 of a Sun-labelled disk or ISO system area by
 * make_sparc_bootmedia.sh. OpenBIOS loads it at 0x4000 and calls it with the PROM vector
 * (struct linux_romvec) in %o0; it prints a marker, the PROM magic and the boot path through
 * pv_putstr, then returns to the firmware, which prompts again. Layout of the PROM vector:
 * Linux arch/sparc/include/asm/oplib_32.h / openprom.h (sun4m V2 PROM interface). */
typedef void (*putstr_fn)(const char *s, int len);

struct romvec {
    unsigned magic, romvers, plugin_revision, printrev;
    void *v0mem[3];
    void *nodeops;
    char **bootstr;
    void *v0devops[9];
    char *stdin_dev, *stdout_dev;
    void *getchar, *putchar, *nbgetchar, *nbputchar;
    putstr_fn putstr;
    void *reboot, *printf, *abort, *ticks, *halt, *synchook, *fortheval, *v0bootargs, *enaddr;
    char **bootpath, **bootargs; /* struct linux_bootargs_v2 */
    int *fd_stdin, *fd_stdout;
};

static int length(const char *s) {
    int n = 0;
    while (s[n])
        n++;
    return n;
}

static void say(const struct romvec *rv, const char *s) {
    rv->putstr(s, length(s));
}

void start(const struct romvec *rv) {
    char hex[11] = "0x00000000";
    for (int i = 0; i < 8; i++)
        hex[9 - i] = "0123456789abcdef"[(rv->magic >> (4 * i)) & 15];
    say(rv, "\r\nVITRINE-BOOTBLOCK: running from the boot block\r\n");
    say(rv, "VITRINE-BOOTBLOCK: PROM magic ");
    say(rv, hex);
    say(rv, "\r\n");
    if (rv->romvers >= 2 && rv->bootpath && *rv->bootpath) {
        say(rv, "VITRINE-BOOTBLOCK: boot path ");
        say(rv, *rv->bootpath);
        say(rv, "\r\n");
    }
}
