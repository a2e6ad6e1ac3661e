/* `vitrine run PROFILE [options]`: builds a machine from its profile and runs it. */
#include "core/log.h"
#include "core/machine.h"
#include "frontend/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void run_usage(FILE *f) {
    fprintf(f,
            "usage: vitrine run PROFILE [options]\n"
            "  PROFILE               a name from config/machines/ or a path to an INI file\n"
            "  --rom-path DIR        where ROM sets are looked for\n"
            "  --set SEC.KEY=VALUE   override a profile key (repeatable)\n"
            "  --headless            no window (the default until the display frontend lands)\n"
            "  --speed max|FACTOR    max = as fast as possible (default), 1.0 = real time\n"
            "  --until DURATION      stop after this much emulated time (e.g. 2s, 150ms, 10us)\n"
            "  --state-hash          print the SHA-256 of the final machine state\n"
            "  --log CATEGORIES      comma list of: %s\n",
            vt_log_names());
}

/* Parses "2s", "150ms", "10us", "5ns", "7ps" (a plain number means seconds). */
static int parse_duration(const char *s, vt_time *out) {
    static const struct {
        const char *suffix;
        uint64_t ps;
    } units[] = {{"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000ull},
                 {"s", VT_PS_PER_SEC}};
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s) return -1;
    uint64_t mult = VT_PS_PER_SEC;
    if (*end) {
        mult = 0;
        for (size_t i = 0; i < VT_ARRAY_LEN(units); i++)
            if (!strcmp(end, units[i].suffix)) mult = units[i].ps;
        if (!mult) return -1;
    }
    if (v > UINT64_MAX / mult) return -1;
    *out = v * mult;
    return 0;
}

int vt_cli_run(int argc, char **argv) {
    enum { OPT_ROM = 1, OPT_SET, OPT_HEADLESS, OPT_SPEED, OPT_UNTIL, OPT_HASH, OPT_LOG, OPT_HELP };
    static const struct option longopts[] = {
        {"rom-path", required_argument, NULL, OPT_ROM}, {"set", required_argument, NULL, OPT_SET},
        {"headless", no_argument, NULL, OPT_HEADLESS},  {"speed", required_argument, NULL, OPT_SPEED},
        {"until", required_argument, NULL, OPT_UNTIL},  {"state-hash", no_argument, NULL, OPT_HASH},
        {"log", required_argument, NULL, OPT_LOG},      {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    vt_machine_options opts = {0};
    vt_time until = VT_TIME_NEVER;
    bool hash = false;
    vt_error err;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROM: opts.rom_path = optarg; break;
        case OPT_SET:
            if (opts.noverrides == VT_MAX_OVERRIDES)
                return vt_cli_usage_error("run", "too many --set options");
            opts.overrides[opts.noverrides++] = optarg;
            break;
        case OPT_HEADLESS: break;
        case OPT_SPEED:
            if (!strcmp(optarg, "max")) {
                opts.speed = 0;
            } else {
                char *end;
                opts.speed = strtod(optarg, &end);
                if (*end || !(opts.speed > 0) || opts.speed > 1000)
                    return vt_cli_usage_error("run", "--speed takes 'max' or a factor like 1.0");
            }
            break;
        case OPT_UNTIL:
            if (parse_duration(optarg, &until))
                return vt_cli_usage_error("run", "bad duration '%s' (e.g. 2s, 150ms)", optarg);
            break;
        case OPT_HASH: hash = true; break;
        case OPT_LOG: {
            unsigned mask;
            if (vt_log_parse(optarg, &mask, &err)) return vt_cli_usage_error("run", "%s", err.msg);
            vt_log_set_mask(mask);
            break;
        }
        case OPT_HELP:
        case 'h': run_usage(stdout); return 0;
        default: return vt_cli_usage_error("run", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return vt_cli_usage_error("run", optind >= argc ? "missing PROFILE" : "too many arguments");
    vt_machine *m;
    if (vt_machine_create(&m, argv[optind], &opts, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        return 2;
    }
    vt_machine_run(m, until);
    int status = m->stop_requested ? m->exit_status : 0;
    if (hash) {
        char hex[65];
        if (vt_machine_state_hash(m, hex, &err)) {
            fprintf(stderr, "vitrine: %s\n", err.msg);
            status = 1;
        } else {
            printf("state-hash %s\n", hex);
        }
    }
    vt_machine_destroy(m);
    return status;
}
