/* Runs a flat i386 test image (from gen_x86.c) on the Vitrine x86 core directly, without the
 * Linux layer: a 64 MiB guest window, INT 0x80 answered for write/exit/rt_sigaction only, #DE
 * sent to the image's fault landing (as the native SIGFPE handler does), then compares the
 * result records with the native run's output and prints one line per differing sequence.
 * Usage: x86_harness IMAGE.bin NATIVE.out [ASM.s]   (exit 0 all equal, 1 differences, 2 error)
 *        x86_harness --random-bytes N SEED   runs N random byte strings (robustness: the core
 *        must only ever raise guest traps, never crash or touch memory outside the window) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bus.h"
#include "core/cpu.h"
#include "core/cpu/x86/x86.h"
#include "core/log.h"
#include "jit/x86_jit.h"
#include "jit/x86_lockstep.h"

#define BASE 0x08000000u
#define SIZE (64u << 20)
#define LOAD 0x08048000u
#define SEQ_BASE BASE
#define SEQ_SIZE SIZE
#include "tests/cpu/seq_harness.h"
#include "tests/cpu/xorshift.h"

static const char *const field_names[] = {"eax", "ecx", "edx", "ebx",    "esp",
                                          "ebp", "esi", "edi", "eflags", "fault"};

static void diff_record(const uint8_t *a, const uint8_t *b, unsigned rec) {
    for (unsigned off = 0; off < rec; off++) {
        if (a[off] == b[off]) continue;
        if (off < 40) {
            unsigned w = off / 4;
            uint32_t x, y;
            memcpy(&x, a + 4 * w, 4);
            memcpy(&y, b + 4 * w, 4);
            printf("#   %s: native %08x vitrine %08x\n", field_names[w], x, y);
            off = 4 * w + 3;
        } else if (off >= 52 && off < 160) {
            unsigned o = off - 52;
            if (o < 28) {
                static const char *const env[] = {"fcw", "fsw", "ftw", "fip", "fcs", "fdp", "fds"};
                uint16_t x, y;
                memcpy(&x, a + 52 + (o & ~3u), 2);
                memcpy(&y, b + 52 + (o & ~3u), 2);
                printf("#   %s: native %04x vitrine %04x\n", env[o / 4], x, y);
                off = 52 + (o | 3);
            } else {
                unsigned r = (o - 28) / 10;
                printf("#   st(%u): native ", r);
                for (int k = 9; k >= 0; k--)
                    printf("%02x", a[52 + 28 + 10 * r + k]);
                printf(" vitrine ");
                for (int k = 9; k >= 0; k--)
                    printf("%02x", b[52 + 28 + 10 * r + k]);
                printf("\n");
                off = 52 + 28 + 10 * r + 9;
            }
        } else if (off >= 160 && off < 224) {
            printf("#   mem+%u: native %02x vitrine %02x\n", off - 160, a[off], b[off]);
        } else {
            printf("#   record byte %u: native %02x vitrine %02x\n", off, a[off], b[off]);
        }
    }
}

/* VITRINE_X86_JIT=on runs everything through the x86 JIT (tests/jit/x86_run.sh), =lockstep
 * checks every translated block against the interpreter (tests/jit/x86_lockstep.sh). */
static void maybe_jit(vt_cpu *cpu) {
    const char *j = getenv("VITRINE_X86_JIT");
    if (j && !strcmp(j, "lockstep") && vt_x86_set_lockstep(cpu)) {
        fprintf(stderr, "out of memory for the JIT\n");
        exit(2);
    }
    if (j && !strcmp(j, "on") && vt_x86_set_jit(cpu, true)) {
        fprintf(stderr, "out of memory for the JIT\n");
        exit(2);
    }
}

/* Whether lockstep found a divergence (its report is on stderr). */
static bool diverged(vt_cpu *cpu) {
    char msg[512];
    return vt_x86_lockstep_diverged(cpu, msg, sizeof msg);
}

/* ", JIT: N blocks run (M formed)" while the JIT is on, else "". */
static const char *jit_note(vt_cpu *cpu, char *buf, size_t len) {
    vt_x86_jit_stats s = vt_x86_jit_stats_of(cpu);
    buf[0] = 0;
    if (s.blocks_run)
        snprintf(buf, len, ", JIT: %llu blocks run (%llu formed)", (unsigned long long)s.blocks_run,
                 (unsigned long long)s.formed);
    return buf;
}

/* Random instruction bytes with random registers, some pointing into the window. */
static int random_bytes(unsigned long n, unsigned long seed) {
    guest g = {calloc(1, SIZE)};
    if (!g.mem) return 2;
    vt_error err;
    vt_cpu_config cfg = {.model = "pentium2", .hz = 300000000};
    vt_cpu *cpu = vt_cpu_create(&cfg, &err);
    if (!cpu) return 2;
    vt_x86_set_user_mode(cpu, page_fn, &g);
    maybe_jit(cpu);
    uint64_t x = xorshift_seed(seed);
    unsigned long traps = 0;
    for (unsigned long k = 0; k < n; k++) {
        uint32_t code = 0x08100000u + (uint32_t)(k % 64) * 64;
        for (int b = 0; b < 64; b++) {
            xorshift_next(&x);
            g.mem[code - BASE + (uint32_t)b] = (uint8_t)(x >> 24);
        }
        vt_x86_jit_code_written(cpu, code, 64); /* an outside writer: the JIT must be told */
        for (int r = 0; r < 8; r++) {
            xorshift_next(&x);
            uint32_t v = (uint32_t)(x >> 16);
            if (r == X86_ESP || (x & 3) == 0) v = BASE + 0x200000u + (v & 0xFFFF);
            cpu->ops->set_reg(cpu, r, v);
        }
        cpu->ops->set_reg(cpu, X86_EFLAGS, (uint32_t)x & 0x8D5);
        cpu->ops->set_reg(cpu, X86_EIP, code);
        cpu->ops->run(cpu, 64);
        if (vt_x86_take_trap(cpu).kind != VT_X86_TRAP_NONE) traps++;
    }
    printf("# %lu random byte strings, %lu ended in a trap, %llu instructions\n", n, traps,
           (unsigned long long)cpu->insns);
    int rc = diverged(cpu) ? 1 : 0;
    vt_cpu_destroy(cpu);
    free(g.mem);
    return rc;
}

/* The same in system mode: random RAM (code, descriptor tables, vectors) from reset. */
static int random_system(unsigned long n, unsigned long seed) {
    vt_bus bus;
    vt_region *ram;
    vt_cpu *cpu = seq_system_cpu(&bus, VT_LITTLE_ENDIAN, "pentium2", 300000000, &ram);
    if (!cpu) return 2;
    uint64_t x = xorshift_seed(seed);
    for (unsigned long k = 0; k < n; k++) {
        if (k % 256 == 0)
            for (uint32_t b = 0; b < 0x20000; b++) {
                xorshift_next(&x);
                ram->host[b] = (uint8_t)(x >> 24);
            }
        cpu->ops->reset(cpu);
        xorshift_next(&x);
        cpu->ops->set_reg(cpu, X86_CS, (x >> 20) & 0x1FFF);
        cpu->ops->set_reg(cpu, X86_EIP, (x >> 40) & 0xFFFF);
        cpu->ops->set_reg(cpu, X86_ESP, (x >> 8) & 0xFFFF);
        if (k & 1) { /* protected mode (random GDT at 0), half of those with random paging */
            cpu->ops->set_reg(cpu, X86_CR3, (uint32_t)(x >> 12) & 0x1F000);
            cpu->ops->set_reg(cpu, X86_CR4, (uint32_t)(x >> 30) & 0x10);
            cpu->ops->set_reg(cpu, X86_CR0, (k & 2) ? 0x80000011u : 0x11u);
        }
        cpu->ops->run(cpu, 400);
    }
    printf("# %lu random system-mode runs, %llu instructions\n", n, (unsigned long long)cpu->insns);
    vt_cpu_destroy(cpu);
    vt_bus_free(&bus);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "--random-system"))
        return random_system(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
    if (argc == 4 && !strcmp(argv[1], "--random-bytes"))
        return random_bytes(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0));
    if (argc < 3) {
        fprintf(stderr, "usage: x86_harness IMAGE.bin NATIVE.out [ASM.s]\n"
                        "       x86_harness IMAGE.bin --records OUT.bin\n");
        return 2;
    }
    /* --records: no native run to compare with (the host cannot run i386 code); write the
     * core's result records so check.sh can compare their digest with the recorded golden one. */
    const char *records_out = argc == 4 && !strcmp(argv[2], "--records") ? argv[3] : NULL;
    size_t ilen, nlen = 0;
    uint8_t *img = slurp(argv[1], &ilen), *nat = records_out ? NULL : slurp(argv[2], &nlen);
    if (!img || (!nat && !records_out) || ilen < 32 || ilen > SIZE / 2) {
        fprintf(stderr, "x86_harness: cannot read %s or %s\n", argv[1], argv[2]);
        return 2;
    }
    guest g = {calloc(1, SIZE)};
    if (!g.mem) return 2;
    memcpy(g.mem + (LOAD - BASE), img, ilen);
    uint32_t fault_land, records, count, rec;
    memcpy(&fault_land, img + 8, 4);
    memcpy(&records, img + 12, 4);
    memcpy(&count, img + 16, 4);
    memcpy(&rec, img + 20, 4);

    vt_error err;
    vt_cpu_config cfg = {.model = "pentium2", .hz = 300000000};
    vt_cpu *cpu = vt_cpu_create(&cfg, &err);
    if (!cpu) {
        fprintf(stderr, "x86_harness: %s\n", err.msg);
        return 2;
    }
    vt_x86_set_user_mode(cpu, page_fn, &g);
    maybe_jit(cpu);
    cpu->ops->set_reg(cpu, X86_EIP, LOAD);
    cpu->ops->set_reg(cpu, X86_ESP, BASE + SIZE - 4096);

    uint8_t *out = NULL;
    size_t out_len = 0;
    bool done = false;
    int faults = 0;
    while (!done) {
        cpu->ops->run(cpu, 100000000);
        vt_x86_trap t = vt_x86_take_trap(cpu);
        if (t.kind == VT_X86_TRAP_NONE) continue;
        if (t.kind == VT_X86_TRAP_FAULT && (t.vector == 0 || t.vector == 16)) { /* #DE, #MF */
            cpu->ops->set_reg(cpu, X86_EIP, fault_land);
            faults++;
            continue;
        }
        if (t.kind == VT_X86_TRAP_INT && t.vector == 0x80) {
            uint32_t nr = (uint32_t)cpu->ops->get_reg(cpu, X86_EAX);
            uint32_t a1 = (uint32_t)cpu->ops->get_reg(cpu, X86_EBX);
            uint32_t a2 = (uint32_t)cpu->ops->get_reg(cpu, X86_ECX);
            uint32_t a3 = (uint32_t)cpu->ops->get_reg(cpu, X86_EDX);
            uint32_t ret = 0;
            if (nr == 1) {
                done = true;
            } else if (nr == 4 && a1 == 1 && a2 >= BASE && a3 <= SIZE && a2 - BASE <= SIZE - a3) {
                out = realloc(out, out_len + a3);
                memcpy(out + out_len, g.mem + (a2 - BASE), a3);
                out_len += a3;
                ret = a3;
            } else if (nr != 174) {
                ret = (uint32_t)-38; /* ENOSYS */
            }
            cpu->ops->set_reg(cpu, X86_EAX, ret);
            continue;
        }
        uint32_t eip = (uint32_t)cpu->ops->get_reg(cpu, X86_EIP);
        char dis[128] = "";
        cpu->ops->disasm(cpu, eip, dis, sizeof dis);
        printf("# unexpected trap kind %d vector %d at %08x: %s\n", t.kind, t.vector, eip, dis);
        fprintf(stderr, "x86_harness: unexpected trap vector %d at %08x (%s)\n", t.vector, eip,
                dis);
        return 1;
    }
    if (records_out) {
        FILE *f = fopen(records_out, "wb");
        bool ok = f && fwrite(out, 1, out_len, f) == out_len;
        if (f && fclose(f) != 0) ok = false;
        char note[96];
        printf("# %u sequences run, %d #DE/#MF faults, %llu instructions%s\n", count, faults,
               (unsigned long long)cpu->insns, jit_note(cpu, note, sizeof note));
        vt_cpu_destroy(cpu);
        free(g.mem);
        free(out);
        free(img);
        return ok && out_len == (size_t)count * rec ? 0 : 1;
    }
    if (out_len != nlen || out_len != (size_t)count * rec) {
        printf("# output length native %zu vitrine %zu (expected %u)\n", nlen, out_len,
               count * rec);
        return 1;
    }
    unsigned bad = 0;
    for (unsigned k = 0; k < count; k++) {
        if (!memcmp(out + (size_t)k * rec, nat + (size_t)k * rec, rec)) continue;
        if (bad < 20) {
            printf("# sequence %u differs:\n", k);
            show_seq(argc > 3 ? argv[3] : NULL, k, "\tcall save");
            diff_record(nat + (size_t)k * rec, out + (size_t)k * rec, rec);
        }
        bad++;
    }
    char note[96];
    printf("# %u sequences, %u differ, %d #DE/#MF faults, %llu instructions%s\n", count, bad,
           faults, (unsigned long long)cpu->insns, jit_note(cpu, note, sizeof note));
    if (diverged(cpu)) bad++;
    vt_cpu_destroy(cpu);
    free(g.mem);
    free(out);
    free(img);
    free(nat);
    return bad ? 1 : 0;
}
