/* `vitrine title info|verify|run FILE [run options]`: a software title (frontend/title.h).
 * `run` verifies the images first (a mismatch is bad input: exit 2, nothing runs), then runs
 * the title's machine as `vitrine run` would, with --snapshot unless the title says
 * `snapshot = no`; options after FILE are passed on to `run` (e.g. --display sdl). */
#include "frontend/cli.h"
#include "frontend/title.h"
#include "romsets/romset.h"

#include <stdio.h>
#include <stdlib.h>

#define VT_CLI_COMMAND(name, summary, fn) int fn(int argc, char **argv);
#include "frontend/cli_commands.list"
#undef VT_CLI_COMMAND

static void usage(FILE *f) {
    fprintf(f, "usage: vitrine title info FILE        what the title holds\n"
               "       vitrine title verify FILE [--rom-path DIR]  check every image's SHA-1\n"
               "                                      and audit its ROM sets (exit 1 if bad)\n"
               "       vitrine title run FILE [OPTS]  verify, then run it (OPTS as for `vitrine "
               "run`)\n"
               "FILE: a title .ini, or a .zip holding title.ini and its images\n");
}

static void info(const vt_title *t) {
    printf("name: %s\n", t->name[0] ? t->name : "(unnamed)");
    if (t->description[0]) printf("description: %s\n", t->description);
    printf("machine: %s\n", t->machine);
    for (int i = 0; i < t->nromsets; i++)
        printf("romset: %s\n", t->romsets[i]);
    for (int i = 0; i < t->nmedia; i++)
        printf("%s: %s%s%s\n", t->media[i].cdrom ? "cdrom" : "disk", t->media[i].path,
               t->media[i].sha1[0] ? " sha1 " : "", t->media[i].sha1);
    printf("snapshot: %s\n",
           t->snapshot ? "yes (images are never written)" : "no (the guest writes to the images)");
    if (t->kernel[0]) printf("kernel: %s\n", t->kernel);
    if (t->initrd[0]) printf("initrd: %s\n", t->initrd);
    if (t->append[0]) printf("append: %s\n", t->append);
    if (t->input[0]) printf("input: %s\n", t->input);
    if (t->until[0]) printf("until: %s\n", t->until);
}

/* `title verify`: the images' SHA-1, then an audit of each ROM set the title names (found
 * through --rom-path DIR when given after FILE, else the default ROM path). */
static int verify(const vt_title *t, const char *rom_path) {
    vt_error err;
    int rc = 0;
    if (vt_title_verify(t, stdout, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        rc = 1;
    }
    for (int i = 0; i < t->nromsets; i++) {
        vt_romset *set;
        if (vt_romset_load(t->romsets[i], rom_path, &set, &err)) {
            printf("romset %s: BAD (%s)\n", t->romsets[i], err.msg);
            rc = 1;
            continue;
        }
        printf("romset %s: good\n", t->romsets[i]);
        vt_romset_free(set);
    }
    return rc;
}

/* The `vitrine run` command line for the title, then the extra options. */
static int run(const vt_title *t, int nextra, char **extra) {
    const char *argv[64 + 2 * VT_TITLE_MAX_MEDIA];
    int n = 0;
    argv[n++] = "run";
    argv[n++] = t->machine;
    for (int i = 0; i < t->nmedia; i++) {
        argv[n++] = t->media[i].cdrom ? "--cdrom" : "--disk";
        argv[n++] = t->media[i].path;
    }
    if (t->snapshot) argv[n++] = "--snapshot";
    const struct {
        const char *opt, *val;
    } pairs[] = {{"--kernel", t->kernel},      {"--initrd", t->initrd}, {"--append", t->append},
                 {"--replay-input", t->input}, {"--until", t->until},   {"--speed", t->speed},
                 {"--display", t->display}};
    for (size_t i = 0; i < VT_ARRAY_LEN(pairs); i++)
        if (pairs[i].val[0]) {
            argv[n++] = pairs[i].opt;
            argv[n++] = pairs[i].val;
        }
    if (n + nextra >= (int)VT_ARRAY_LEN(argv))
        return vt_cli_usage_error("title", "too many options");
    for (int i = 0; i < nextra; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    return vt_cli_run(n, (char **)argv);
}

int vt_cli_title(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *verb = argv[1];
    if (strcmp(verb, "info") && strcmp(verb, "verify") && strcmp(verb, "run"))
        return vt_cli_usage_error("title", "unknown verb '%s' (info, verify, run)", verb);
    if (argc < 3) return vt_cli_usage_error("title", "%s needs a title FILE", verb);
    const char *rom_path = NULL;
    if (!strcmp(verb, "verify") && argc == 5 && !strcmp(argv[3], "--rom-path"))
        rom_path = argv[4];
    else if (strcmp(verb, "run") && argc > 3)
        return vt_cli_usage_error("title", "too many arguments");
    vt_title t;
    vt_error err;
    if (vt_title_load(argv[2], &t, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        return 2;
    }
    int rc = 0;
    if (!strcmp(verb, "info")) {
        info(&t);
    } else if (!strcmp(verb, "verify")) {
        rc = verify(&t, rom_path);
    } else if (vt_title_verify(&t, NULL, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        rc = 2;
    } else {
        rc = run(&t, argc - 3, argv + 3);
    }
    vt_title_free(&t);
    return rc;
}
