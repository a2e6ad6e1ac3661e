/* `vitrine romset audit|list|fetch [NAME...]`: MAME-style verification of ROM sets, the list of
 * known sets and where they were found, and building the free sets from Debian packages.
 * Exit codes: 0 every audited set good, 1 a set bad or missing, 2 usage or bad manifest. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/machine.h"
#include "frontend/cli.h"
#include "romsets/romset.h"

static void usage(FILE *fp) {
    fprintf(fp,
            "usage: vitrine romset [--rom-path DIR] audit [NAME...]\n"
            "       vitrine romset [--rom-path DIR] list\n"
            "       vitrine romset [--rom-path DIR] fetch [NAME...]\n"
            "\n"
            "  audit   check every file of the named sets (default: all) against its manifest:\n"
            "          good, wrong length, bad checksum (expected and found) or NOT FOUND;\n"
            "          exit 0 only when every required file is good\n"
            "  list    the known sets (romsets/*.ini) and where each was found\n"
            "  fetch   build the free sets (default: all with a source) from Debian packages\n"
            "          into the ROM directory as NAME.zip, then audit them\n"
            "\n"
            "  --rom-path DIR  where sets live (':' separates several; fetch writes to the\n"
            "                  first). Default: $VITRINE_ROM_PATH, else\n"
            "                  $XDG_DATA_HOME/vitrine/roms or ~/.local/share/vitrine/roms\n"
            "A set is NAME/, NAME.zip, NAME.7z or NAME.tar.* in a ROM directory.\n");
}

/* Names of every manifest in <data dir>/romsets, sorted; returns the count or -1. */
static int all_sets(char ***out) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/romsets", vt_data_dir());
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "vitrine: %s: cannot list romset manifests\n", dir);
        return -1;
    }
    char **names = calloc((size_t)n + 1, sizeof *names);
    int k = 0;
    for (int i = 0; i < n; i++) {
        size_t l = strlen(ents[i]->d_name);
        if (names && ents[i]->d_name[0] != '.' && l > 4 && !strcmp(ents[i]->d_name + l - 4, ".ini"))
            names[k++] = strndup(ents[i]->d_name, l - 4);
        free(ents[i]);
    }
    free(ents);
    *out = names;
    return names ? k : -1;
}

static void free_names(char **names, int n) {
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Audits one set; returns 0 good, 1 bad or missing, 2 bad input (unknown set, bad manifest). */
static int audit_one(const char *name, const char *rom_path) {
    char mpath[PATH_MAX];
    vt_rom_manifest m;
    vt_error err;
    if (vt_romset_manifest_path(name, mpath, sizeof mpath, &err) ||
        vt_rom_manifest_load(mpath, &m, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        return VT_EXIT_USAGE;
    }
    vt_romset *set;
    int rc;
    if (vt_romset_open(mpath, rom_path, &set, &err)) {
        /* A refused container (traversal, link, bomb, corrupt) makes the set bad. */
        printf("%s\nromset %s is bad\n", err.msg, m.name);
        rc = VT_EXIT_RUNTIME;
    } else {
        rc = vt_romset_audit_print(set, stdout) ? VT_EXIT_OK : VT_EXIT_RUNTIME;
        vt_romset_free(set);
    }
    vt_rom_manifest_free(&m);
    return rc;
}

static int cmd_audit(char **names, int n, const char *rom_path) {
    int worst = 0;
    for (int i = 0; i < n; i++) {
        int rc = audit_one(names[i], rom_path);
        if (rc > worst) worst = rc;
    }
    return worst;
}

static int cmd_list(char **names, int n, const char *rom_path) {
    int rc = 0;
    for (int i = 0; i < n; i++) {
        vt_romset *set;
        vt_error err;
        if (vt_romset_open(names[i], rom_path, &set, &err)) {
            fprintf(stderr, "vitrine: %s\n", err.msg);
            rc = VT_EXIT_USAGE;
            continue;
        }
        printf("%-20s %s\n%-20s   %s\n", set->manifest.name, set->manifest.description, "",
               set->kind == VT_ROMSET_ABSENT ? "not found"
               : vt_romset_is_good(set)      ? set->container
                                             : "present but bad (see `vitrine romset audit`)");
        vt_romset_free(set);
    }
    return rc;
}

static void cache_dir(char *out, size_t len) {
    const char *c = getenv("VITRINE_CACHE"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    if (c && *c)
        snprintf(out, len, "%s", c);
    else if (x && *x == '/')
        snprintf(out, len, "%s/vitrine", x);
    else
        snprintf(out, len, "%s/.cache/vitrine", h && *h ? h : "/tmp");
}

static int cmd_fetch(char **names, int n, bool all, const char *rom_path) {
    char cache[PATH_MAX], rom_dir[PATH_MAX];
    cache_dir(cache, sizeof cache);
    snprintf(rom_dir, sizeof rom_dir, "%.*s", (int)strcspn(rom_path, ":"), rom_path);
    int worst = 0;
    for (int i = 0; i < n; i++) {
        char mpath[PATH_MAX];
        vt_rom_manifest m;
        vt_error err;
        if (vt_romset_manifest_path(names[i], mpath, sizeof mpath, &err) ||
            vt_rom_manifest_load(mpath, &m, &err)) {
            fprintf(stderr, "vitrine: %s\n", err.msg);
            worst = 2;
            continue;
        }
        if (all && !m.source[0]) { /* not free: nothing to fetch */
            vt_rom_manifest_free(&m);
            continue;
        }
        int rc = vt_romset_fetch(&m, cache, rom_dir, stderr, &err);
        if (rc) {
            fprintf(stderr, "vitrine: romset %s: %s\n", m.name, err.msg);
            if (worst < 1) worst = 1;
        } else {
            rc = audit_one(mpath, rom_path);
            if (rc > worst) worst = rc;
        }
        vt_rom_manifest_free(&m);
    }
    return worst;
}

int vt_cli_romset(int argc, char **argv) {
    if (vt_cli_wants_help(argc, argv)) {
        usage(stdout);
        return VT_EXIT_OK;
    }
    const char *rom_opt = NULL, *verb = NULL;
    char **names = calloc((size_t)argc, sizeof *names);
    int nnames = 0;
    if (!names) return VT_EXIT_RUNTIME;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rom-path")) {
            if (++i == argc) {
                free(names);
                return vt_cli_usage_error("romset", "--rom-path needs a directory");
            }
            rom_opt = argv[i];
        } else if (!strncmp(argv[i], "--rom-path=", 11)) {
            rom_opt = argv[i] + 11;
        } else if (argv[i][0] == '-') {
            free(names);
            return vt_cli_usage_error("romset", "unknown option '%s'", argv[i]);
        } else if (!verb) {
            verb = argv[i];
        } else {
            names[nnames++] = argv[i];
        }
    }
    int rc;
    char rom_path[PATH_MAX];
    vt_error err;
    if (!verb) {
        rc = vt_cli_usage_error("romset", "expected audit, list or fetch");
    } else if (strcmp(verb, "audit") && strcmp(verb, "list") && strcmp(verb, "fetch")) {
        rc = vt_cli_usage_error("romset", "unknown romset command '%s' (audit, list, fetch)", verb);
    } else if (!strcmp(verb, "list") && nnames) {
        rc = vt_cli_usage_error("romset", "list takes no set names");
    } else if (vt_romset_rom_path(rom_opt, rom_path, sizeof rom_path, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        rc = VT_EXIT_USAGE;
    } else {
        char **all = NULL;
        int nall = 0;
        if (!nnames && (nall = all_sets(&all)) < 0) {
            free(names);
            return VT_EXIT_USAGE;
        }
        char **list = nnames ? names : all;
        int n = nnames ? nnames : nall;
        if (!strcmp(verb, "audit"))
            rc = cmd_audit(list, n, rom_path);
        else if (!strcmp(verb, "list"))
            rc = cmd_list(list, n, rom_path);
        else
            rc = cmd_fetch(list, n, !nnames, rom_path);
        free_names(all, nall);
    }
    free(names);
    return rc;
}
