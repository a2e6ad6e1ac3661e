/* `vitrine user ARCH [-L SYSROOT] [--cpu MODEL] [-0 ARGV0] PROGRAM [ARGS...]`: runs a Linux
 * program of another architecture (machines/linux_user). The exit status is the guest's;
 * a guest killed by a signal kills Vitrine with the same signal. */
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "frontend/cli.h"
#include "machines/linux_user/lx_proc.h"

static void usage(void) {
    printf("usage: vitrine user ARCH [-L SYSROOT] [--cpu MODEL] [--jit MODE] [-0 ARGV0] "
           "[--log CATEGORIES] "
           "[--] PROGRAM [ARGS...]\n"
           "  ARCH        arm (ARM EABI, soft-float), i386 or ppc (32-bit PowerPC)\n"
           "  -L SYSROOT  look up absolute paths (and the dynamic linker) under SYSROOT first\n"
           "  --cpu MODEL core model (arm: arm1136 default, arm925t; i386: pentium2; ppc: ppc750)\n"
           "  --jit MODE  on, off or lockstep: translate ARM and i386 code to x86-64\n"
           "              (lockstep: check every translated block against the interpreter);\n"
           "              default %s\n"
           "  -0 ARGV0    argv[0] the program sees\n"
           "  --log CATS  comma list of: %s\n",
           vt_jit_mode_name(VT_JIT_DEFAULT), vt_log_names());
}

int vt_cli_user(int argc, char **argv) {
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage();
        return 0;
    }
    if (argc < 2) return vt_cli_usage_error("user", "missing ARCH");
    vt_lx_options o = {.arch = argv[1], .jit = VT_JIT_DEFAULT};
    int i = 2;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-') break;
        if ((!strcmp(a, "-L") || !strcmp(a, "--cpu") || !strcmp(a, "-0") || !strcmp(a, "--log") ||
             !strcmp(a, "--jit")) &&
            i + 1 >= argc)
            return vt_cli_usage_error("user", "%s needs a value", a);
        if (!strcmp(a, "-L")) {
            o.sysroot = argv[++i];
        } else if (!strcmp(a, "--cpu")) {
            o.cpu = argv[++i];
        } else if (!strcmp(a, "--jit")) {
            vt_error err;
            if (vt_jit_mode_parse(argv[++i], &o.jit, &err))
                return vt_cli_usage_error("user", "%s", err.msg);
        } else if (!strcmp(a, "-0")) {
            o.argv0 = argv[++i];
        } else if (!strcmp(a, "--log")) {
            unsigned mask;
            vt_error err;
            if (vt_log_parse(argv[++i], &mask, &err))
                return vt_cli_usage_error("user", "%s", err.msg);
            vt_log_set_mask(mask);
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage();
            return 0;
        } else {
            return vt_cli_usage_error("user", "unknown option '%s'", a);
        }
    }
    if (i >= argc) return vt_cli_usage_error("user", "missing PROGRAM");
    o.program = argv[i];
    o.argv = &argv[i];
    o.argc = argc - i;
    vt_error err = {{0}};
    int rc = vt_lx_run(&o, &err);
    if (rc < 0) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        return 2;
    }
    return rc;
}
