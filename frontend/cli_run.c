/* `vitrine run PROFILE [options]`: builds a machine from its profile and runs it. */
#include "core/block/block.h"
#include "core/log.h"
#include "core/machine.h"
#include "frontend/audio_out.h"
#include "frontend/cli.h"
#include "frontend/net.h"
#include "frontend/input_session.h"
#include "frontend/profile_path.h"
#include "frontend/screen_text.h"
#include "frontend/screenshot.h"
#include "frontend/sdl_window.h"
#include "frontend/serial.h"
#include "frontend/machine_jit.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static void run_usage(FILE *f) {
    fprintf(f,
            "usage: vitrine run PROFILE [options]\n"
            "  PROFILE               a name from config/machines/ or a path to an INI file\n"
            "  --rom-path DIR        where ROM sets are looked for\n"
            "  --serial SPEC         host end of serial0, then serial1…: stdio (default for\n"
            "                        serial0), file:PATH (appended; file:PATH,truncate empties\n"
            "                        it first), tcp:127.0.0.1:PORT, script:FILE, none\n"
            "  --disk FILE           attach a raw or qcow2 image as disk0, then disk1…\n"
            "  --cdrom FILE          attach an ISO image (read-only) as cdrom0, then cdrom1…\n"
            "  --snapshot            put a throw-away overlay in front of every disk (bases\n"
            "                        are opened read-only; nothing is written to them)\n"
            "  --force-base          open an overlay even if its base changed since creation\n"
            "  --kernel FILE         boot this kernel directly (handed over the way the\n"
            "                        machine's firmware takes one: fw_cfg on OpenBIOS)\n"
            "  --initrd FILE         initial RAM disk for --kernel\n"
            "  --append STR          kernel command line for --kernel\n"
            "  --net user[,OPT...]   network device 0, then 1: a user-mode network (libslirp;\n"
            "                        DHCP gives 10.0.2.15; OPT: hostfwd=tcp:127.0.0.1:HPORT-\n"
            "                        :GPORT, dns=on, restrict=on), or none\n"
            "  --dtb FILE            device tree blob for --kernel (boards that boot Linux\n"
            "                        with one: /chosen gets bootargs and the initrd)\n"
            "  --set SEC.KEY=VALUE   override a profile key (repeatable)\n"
            "  --headless            no display: the firmware's console on serial0 (the\n"
            "                        default; QEMU's -nographic)\n"
            "  --display none|sdl    keep the display hardware and the firmware's console on\n"
            "                        it; none renders frames only for --screenshot and\n"
            "                        --screen-text (QEMU's -display none), sdl opens a window\n"
            "  --screenshot FILE.png@TIME  write the first screen as PNG at emulated TIME\n"
            "                        (as --until takes it); repeatable, headless too\n"
            "  --screen-text FILE|stdout  the text screen as UTF-8 whenever it changes and at\n"
            "                        exit (stdout: each screen after a '--- screen-text' line;\n"
            "                        FILE: always the latest screen; serial0 also defaults\n"
            "                        to stdout: add --serial none or file:PATH)\n"
            "  --speed max|FACTOR    max = as fast as possible (default), 1.0 = real time\n"
            "  --until DURATION      stop after this much emulated time: digits and a unit\n"
            "                        ps, ns, us, ms or s (e.g. 2s, 150ms, 10us)\n"
            "  --state-hash          print the SHA-256 of the final machine state\n"
            "  --jit on|off|lockstep translate guest code to x86-64: the ARM machines and the\n"
            "                        PC (default on for x86-64 hosts); lockstep (ARM machines;\n"
            "                        x86 only in `vitrine user i386`) checks every block\n"
            "                        against the interpreter; the SPARC and PowerPC cores\n"
            "                        interpret\n"
            "  --state-hash-at TIME  also the SHA-256 of the state at emulated TIME, on stderr\n"
            "                        (\"vitrine: state-hash at TIME: HEX\"; a run to the end\n"
            "                        and one cut short can be compared at TIME)\n"
            "  --audio SPEC          sound output: none (default), openal, wav:FILE\n"
            "  --window OPTS         with --display sdl: comma list of fullscreen, integer\n"
            "                        (whole-multiple scaling), novsync; the window runs at\n"
            "                        --speed 1.0 unless --speed says otherwise\n"
            "  --record-input FILE   write every input event with its emulated time\n"
            "  --replay-input FILE   deliver a recorded log's events at their times\n"
            "  --log CATEGORIES      comma list of: %s\n",
            vt_log_names());
}

/* Parses "2s", "150ms", "10us", "5ns", "7ps": decimal digits, then a unit (required). Signs,
 * blanks and values beyond 2^64 ps (about 213 days) are refused (issue 9.6). */
int vt_cli_parse_duration(const char *s, vt_time *out) {
    static const struct {
        const char *suffix;
        uint64_t ps;
    } units[] = {
        {"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000ull}, {"s", VT_PS_PER_SEC}};
    if (*s < '0' || *s > '9') return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno == ERANGE) return -1;
    uint64_t mult = 0;
    for (size_t i = 0; i < VT_ARRAY_LEN(units); i++)
        if (!strcmp(end, units[i].suffix)) mult = units[i].ps;
    if (!mult || v > UINT64_MAX / mult) return -1;
    *out = v * mult;
    return 0;
}

typedef struct run_endpoints {
    const char *serial_spec[VT_MAX_SERIAL];
    int nserial;
    const char *disk_path[VT_MAX_DISKS];
    int ndisks;
    const char *cdrom_path[VT_MAX_CDROMS];
    int ncdroms;
    const char *net_spec[VT_MAX_NETS];
    int nnets;
    bool snapshot, force_base;
} run_endpoints;

/* Opens the serial endpoints, CD-ROM media and disks named on the command line into opts. */
static int open_endpoints(const run_endpoints *ep, vt_machine_options *opts, vt_error *err) {
    for (int i = 0; i < VT_MAX_SERIAL; i++) {
        const char *spec = i < ep->nserial ? ep->serial_spec[i] : (i == 0 ? "stdio" : "none");
        if (vt_serial_open(spec, &opts->serial[i], err)) return -1;
    }
    for (int i = 0; i < ep->ncdroms; i++) {
        vt_block_opts bo = {.format = "raw", .read_only = true};
        if (vt_block_open(&opts->cdroms[i], ep->cdrom_path[i], &bo, err)) return -1;
    }
    for (int i = 0; i < ep->nnets; i++)
        if (vt_net_open(ep->net_spec[i], &opts->nets[i], err)) return -1;
    for (int i = 0; i < ep->ndisks; i++) {
        vt_block_opts bo = {.force_base = ep->force_base};
        if (ep->snapshot ? vt_block_open_snapshot(&opts->disks[i], ep->disk_path[i], &bo, err)
                         : vt_block_open(&opts->disks[i], ep->disk_path[i], &bo, err))
            return -1;
    }
    return 0;
}

static int close_images(vt_block **images, int n) {
    int rc = 0;
    for (int i = 0; i < n; i++) {
        vt_error err;
        if (images[i] && vt_block_close(images[i], &err)) {
            fprintf(stderr, "vitrine: %s\n", err.msg);
            rc = 1;
        }
    }
    return rc;
}

static int close_endpoints(vt_machine_options *opts) {
    for (int i = 0; i < VT_MAX_SERIAL; i++)
        vt_serial_close(opts->serial[i]);
    for (int i = 0; i < VT_MAX_NETS; i++)
        vt_net_close(opts->nets[i]);
    int rc = close_images(opts->disks, VT_MAX_DISKS);
    return close_images(opts->cdroms, VT_MAX_CDROMS) | rc;
}

/* --state-hash-at: an event at that emulated time prints the state hash to stderr. */
typedef struct hash_at {
    vt_machine *m;
    const char *spec;
    vt_event ev;
} hash_at;

static void print_hash_at(void *opaque, vt_time now, vt_time late) {
    VT_UNUSED(now);
    VT_UNUSED(late);
    hash_at *h = opaque;
    char hex[65];
    vt_error err;
    if (vt_machine_state_hash(h->m, hex, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        vt_machine_request_stop(h->m, VT_EXIT_RUNTIME);
        return;
    }
    fprintf(stderr, "vitrine: state-hash at %s: %s\n", h->spec, hex);
}

/* --jit: the default applies to every machine (cores without a JIT interpret); asking for a
 * mode the machine's core lacks is a usage error. */
static int enable_jit(vt_machine *m, vt_jit_mode mode, bool explicit) {
    vt_error err;
    const char *why = vt_machine_jit_refusal(m, mode);
    if (explicit && why)
        return vt_cli_usage_error("run", "--jit %s: %s, %s core: %s (use --jit off)",
                                  vt_jit_mode_name(mode), m->name, m->cpu ? m->cpu->ops->isa : "no",
                                  why);
    if (vt_machine_jit_enable(m, mode, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        return 2;
    }
    return 0;
}

int vt_cli_run(int argc, char **argv) {
    enum {
        OPT_ROM = 1,
        OPT_SET,
        OPT_HEADLESS,
        OPT_SPEED,
        OPT_UNTIL,
        OPT_HASH,
        OPT_LOG,
        OPT_HELP,
        OPT_SERIAL,
        OPT_DISK,
        OPT_SNAPSHOT,
        OPT_FORCE_BASE,
        OPT_KERNEL,
        OPT_INITRD,
        OPT_APPEND,
        OPT_CDROM,
        OPT_NET,
        OPT_DISPLAY,
        OPT_SCREENSHOT,
        OPT_SCREEN_TEXT,
        OPT_AUDIO,
        OPT_RECORD_INPUT,
        OPT_WINDOW,
        OPT_REPLAY_INPUT,
        OPT_DTB,
        OPT_JIT,
        OPT_HASH_AT
    };
    static const struct option longopts[] = {
        {"rom-path", required_argument, NULL, OPT_ROM},
        {"set", required_argument, NULL, OPT_SET},
        {"headless", no_argument, NULL, OPT_HEADLESS},
        {"speed", required_argument, NULL, OPT_SPEED},
        {"until", required_argument, NULL, OPT_UNTIL},
        {"state-hash", no_argument, NULL, OPT_HASH},
        {"log", required_argument, NULL, OPT_LOG},
        {"help", no_argument, NULL, OPT_HELP},
        {"serial", required_argument, NULL, OPT_SERIAL},
        {"disk", required_argument, NULL, OPT_DISK},
        {"snapshot", no_argument, NULL, OPT_SNAPSHOT},
        {"force-base", no_argument, NULL, OPT_FORCE_BASE},
        {"kernel", required_argument, NULL, OPT_KERNEL},
        {"cdrom", required_argument, NULL, OPT_CDROM},
        {"initrd", required_argument, NULL, OPT_INITRD},
        {"append", required_argument, NULL, OPT_APPEND},
        {"net", required_argument, NULL, OPT_NET},
        {"display", required_argument, NULL, OPT_DISPLAY},
        {"screenshot", required_argument, NULL, OPT_SCREENSHOT},
        {"screen-text", required_argument, NULL, OPT_SCREEN_TEXT},
        {"audio", required_argument, NULL, OPT_AUDIO},
        {"record-input", required_argument, NULL, OPT_RECORD_INPUT},
        {"window", required_argument, NULL, OPT_WINDOW},
        {"replay-input", required_argument, NULL, OPT_REPLAY_INPUT},
        {"dtb", required_argument, NULL, OPT_DTB},
        {"jit", required_argument, NULL, OPT_JIT},
        {"state-hash-at", required_argument, NULL, OPT_HASH_AT},
        {NULL, 0, NULL, 0},
    };
    vt_machine_options opts = {0};
    run_endpoints ep = {0};
    vt_time until = VT_TIME_NEVER, hash_when = VT_TIME_NEVER;
    vt_jit_mode jit = VT_JIT_DEFAULT;
    bool jit_set = false;
    hash_at hash_ev = {0};
    bool hash = false, headless = false, display_set = false;
    const char *shots[VT_MAX_SCREENSHOTS], *screen_text = NULL;
    int nshots = 0;
    const char *audio_spec = "none", *record_input = NULL, *replay_input = NULL;
    vt_sdl_options window = {.vsync = true};
    bool speed_set = false;
    vt_error err;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_ROM:
            opts.rom_path = optarg;
            break;
        case OPT_SET:
            if (opts.noverrides == VT_MAX_OVERRIDES)
                return vt_cli_usage_error("run", "too many --set options");
            opts.overrides[opts.noverrides++] = optarg;
            break;
        case OPT_HEADLESS:
            headless = true;
            opts.display = VT_DISPLAY_HEADLESS;
            break;
        case OPT_DISPLAY:
            if (!strcmp(optarg, "none"))
                opts.display = VT_DISPLAY_NONE;
            else if (!strcmp(optarg, "sdl"))
                opts.display = VT_DISPLAY_SDL;
            else
                return vt_cli_usage_error("run", "--display takes 'none' or 'sdl', not '%s'",
                                          optarg);
            display_set = true;
            break;
        case OPT_SCREENSHOT: {
            char path[4096];
            vt_time when;
            if (nshots == VT_MAX_SCREENSHOTS)
                return vt_cli_usage_error("run", "at most %d --screenshot options",
                                          VT_MAX_SCREENSHOTS);
            if (vt_screenshot_parse(optarg, path, sizeof path, &when, &err))
                return vt_cli_usage_error("run", "%s", err.msg);
            shots[nshots++] = optarg;
            break;
        }
        case OPT_SCREEN_TEXT:
            screen_text = optarg;
            break;
        case OPT_SPEED:
            speed_set = true;
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
            if (vt_cli_parse_duration(optarg, &until))
                return vt_cli_usage_error("run",
                                          "bad duration '%s': digits and a unit ps, ns, us, ms "
                                          "or s (e.g. 2s, 150ms), at most 213 days",
                                          optarg);
            break;
        case OPT_HASH:
            hash = true;
            break;
        case OPT_HASH_AT:
            if (vt_cli_parse_duration(optarg, &hash_when))
                return vt_cli_usage_error("run", "bad --state-hash-at time '%s'", optarg);
            hash_ev.spec = optarg;
            break;
        case OPT_SERIAL:
            if (ep.nserial == VT_MAX_SERIAL)
                return vt_cli_usage_error("run", "at most %d --serial options", VT_MAX_SERIAL);
            ep.serial_spec[ep.nserial++] = optarg;
            break;
        case OPT_DISK:
            if (ep.ndisks == VT_MAX_DISKS)
                return vt_cli_usage_error("run", "at most %d --disk options", VT_MAX_DISKS);
            ep.disk_path[ep.ndisks++] = optarg;
            break;
        case OPT_SNAPSHOT:
            ep.snapshot = true;
            break;
        case OPT_FORCE_BASE:
            ep.force_base = true;
            break;
        case OPT_CDROM:
            if (ep.ncdroms == VT_MAX_CDROMS)
                return vt_cli_usage_error("run", "at most %d --cdrom options", VT_MAX_CDROMS);
            ep.cdrom_path[ep.ncdroms++] = optarg;
            break;
        case OPT_NET:
            if (ep.nnets == VT_MAX_NETS)
                return vt_cli_usage_error("run", "at most %d --net options", VT_MAX_NETS);
            ep.net_spec[ep.nnets++] = optarg;
            break;
        case OPT_KERNEL:
            opts.kernel = optarg;
            break;
        case OPT_INITRD:
            opts.initrd = optarg;
            break;
        case OPT_APPEND:
            opts.append = optarg;
            break;
        case OPT_AUDIO:
            audio_spec = optarg;
            break;
        case OPT_WINDOW:
            if (vt_sdl_options_parse(optarg, &window, &err))
                return vt_cli_usage_error("run", "%s", err.msg);
            break;
        case OPT_RECORD_INPUT:
            record_input = optarg;
            break;
        case OPT_REPLAY_INPUT:
            replay_input = optarg;
            break;
        case OPT_DTB:
            opts.dtb = optarg;
            break;
        case OPT_JIT:
            if (vt_jit_mode_parse(optarg, &jit, &err))
                return vt_cli_usage_error("run", "%s", err.msg);
            jit_set = true;
            break;
        case OPT_LOG: {
            unsigned mask;
            if (vt_log_parse(optarg, &mask, &err)) return vt_cli_usage_error("run", "%s", err.msg);
            vt_log_set_mask(mask);
            break;
        }
        case OPT_HELP:
        case 'h':
            run_usage(stdout);
            return 0;
        default:
            return vt_cli_usage_error("run", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1)
        return vt_cli_usage_error("run", optind >= argc ? "missing PROFILE" : "too many arguments");
    if ((opts.initrd || opts.append || opts.dtb) && !opts.kernel)
        return vt_cli_usage_error("run", "--initrd, --append and --dtb need --kernel");
    if (headless && display_set)
        return vt_cli_usage_error("run", "--headless and --display exclude each other");
    if (opts.display == VT_DISPLAY_SDL && !speed_set) opts.speed = 1.0;
    vt_machine *m;
    char path[4096];
    if (vt_profile_path(argv[optind], path, sizeof path, &err) ||
        open_endpoints(&ep, &opts, &err) || vt_machine_create(&m, path, &opts, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        close_endpoints(&opts);
        return 2;
    }
    if (enable_jit(m, jit, jit_set)) {
        vt_machine_destroy(m);
        close_endpoints(&opts);
        return 2;
    }
    vt_audio_out *audio = NULL;
    vt_input_session input = {0};
    vt_screenshots *shooter = NULL;
    vt_screen_text *text = NULL;
    for (int i = 0; i < VT_MAX_SERIAL; i++) {
        if (vt_serial_start(opts.serial[i], &err)) goto fail;
        vt_serial_attach(opts.serial[i], m);
    }
    for (int i = 0; i < VT_MAX_NETS; i++)
        if (opts.nets[i] && !opts.nets[i]->sched)
            fprintf(stderr, "vitrine: warning: --net %s: no network device of %s uses it\n",
                    ep.net_spec[i], m->name);
    if (hash_ev.spec) {
        hash_ev.m = m;
        vt_event_init(&hash_ev.ev, "state-hash-at", print_hash_at, &hash_ev);
        vt_sched_arm(&m->sched, &hash_ev.ev, hash_when);
    }
    if (vt_screenshots_arm(&shooter, m, shots, nshots, &err) ||
        (screen_text && vt_screen_text_start(&text, m, screen_text, &err)))
        goto fail;
    /* the replay log is read before any output file is created */
    if (vt_input_session_open(&input, m, record_input, replay_input, &err) ||
        vt_audio_out_open(audio_spec, &audio, &err) || vt_audio_out_attach(audio, m->audio, &err))
        goto fail;
    if (opts.display != VT_DISPLAY_SDL)
        vt_machine_run(m, until);
    else if (vt_sdl_run(m, input.hub, until, &window, &err))
        goto fail;
    int status = m->stop_requested ? m->exit_status : 0;
    if (vt_screen_text_finish(text, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        status = 1;
    }
    if (vt_screenshots_finish(shooter, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        status = 1;
    }
    if (hash) {
        char hex[65];
        if (vt_machine_state_hash(m, hex, &err)) {
            fprintf(stderr, "vitrine: %s\n", err.msg);
            status = 1;
        } else {
            printf("state-hash %s\n", hex);
        }
    }
    if (vt_audio_out_close(audio, m->audio, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        status = 1;
    }
    if (vt_input_session_close(&input, &err)) {
        fprintf(stderr, "vitrine: %s\n", err.msg);
        status = 1;
    }
    vt_machine_destroy(m);
    if (close_endpoints(&opts)) status = 1;
    return status;
fail:
    fprintf(stderr, "vitrine: %s\n", err.msg);
    vt_error ignored;
    if (vt_audio_out_close(audio, NULL, &ignored)) fprintf(stderr, "vitrine: %s\n", ignored.msg);
    if (vt_input_session_close(&input, &ignored)) fprintf(stderr, "vitrine: %s\n", ignored.msg);
    if (vt_screen_text_finish(text, &ignored)) fprintf(stderr, "vitrine: %s\n", ignored.msg);
    vt_screenshots_free(shooter);
    vt_machine_destroy(m);
    close_endpoints(&opts);
    return 2;
}
