/* `vitrine machines`: lists the machine profiles in config/machines/. */
#include "core/config.h"
#include "core/machine.h"
#include "frontend/cli.h"
#include "romsets/romset.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* "good", "missing", "bad" or "none" for the ROM sets a profile's [rom.*] sections name. */
static const char *rom_status(vt_cfg *cfg) {
    const char *status = "none";
    for (int i = 0; i < cfg->nsections; i++) {
        if (strncmp(cfg->sections[i].name, "rom.", 4)) continue;
        const char *set_name = vt_cfg_str(&cfg->sections[i], "romset", NULL);
        if (!set_name) continue;
        vt_romset *set;
        vt_error err;
        if (vt_romset_open(set_name, NULL, &set, &err)) return "bad";
        bool absent = set->kind == VT_ROMSET_ABSENT, good = vt_romset_is_good(set);
        vt_romset_free(set);
        if (absent) return "missing";
        if (!good) return "bad";
        status = "good";
    }
    return status;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int vt_cli_machines(int argc, char **argv) {
    if (vt_cli_wants_help(argc, argv)) {
        printf("usage: vitrine machines\nLists the machine profiles (config/machines/*.ini): CPU "
               "model,\n"
               "whether the ROM sets they need are present and good, description.\n");
        return 0;
    }
    if (argc > 1) return vt_cli_usage_error("machines", "unexpected argument '%s'", argv[1]);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/config/machines", vt_data_dir());
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "vitrine: cannot open %s\n", dir);
        return 1;
    }
    char *names[256];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 256) {
        size_t l = strlen(e->d_name);
        if (l > 4 && !strcmp(e->d_name + l - 4, ".ini")) names[n++] = strndup(e->d_name, l - 4);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof names[0], by_name);
    for (int i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s.ini", dir, names[i]);
        vt_cfg cfg;
        vt_error err;
        if (vt_cfg_load(&cfg, path, &err)) {
            printf("%-16s (profile error: %s)\n", names[i], err.msg);
        } else {
            vt_cfg_section *m = vt_cfg_section_find(&cfg, "machine");
            printf("%-16s %-12s roms: %-8s %s\n", names[i], m ? vt_cfg_str(m, "cpu", "none") : "?",
                   rom_status(&cfg),
                   m ? vt_cfg_str(m, "description", "") : "(no [machine] section)");
        }
        vt_cfg_free(&cfg);
        free(names[i]);
    }
    return 0;
}
