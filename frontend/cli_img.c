/* `vitrine img`: create, inspect, check, commit, convert and map disk images (raw, qcow2),
 * with qemu-img's verbs and check exit codes (0 clean, 2 corrupt, 3 leaks only). Image logic
 * lives in core/block; this file parses arguments and prints. */
#include "core/block/block.h"
#include "core/block/qcow2.h"
#include "frontend/cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define IMG_USAGE                                                                                  \
    "usage: vitrine img VERB [OPTIONS] ...\n"                                                      \
    "  create [-f qcow2|raw] [-b BASE [-F FMT]] [-o cluster_size=N] FILE [SIZE]\n"                 \
    "  info FILE                        format, sizes, backing file, base fingerprint status\n"    \
    "  check [-r leaks|all] FILE        exit 0 clean, 2 corrupt, 3 leaked clusters only\n"         \
    "  commit [--force-base] FILE       write an overlay into its base and empty it (rerun it\n"   \
    "                                   to finish an interrupted commit)\n"                        \
    "  convert [-f FMT] [-O qcow2|raw] IN OUT\n"                                                   \
    "  map [--force-base] FILE          which file holds each range of the disk\n"                 \
    "SIZE takes K, M, G suffixes. --force-base opens an overlay whose base has changed.\n"

typedef struct img_args {
    const char *fmt, *out_fmt, *backing, *backing_fmt, *repair;
    unsigned cluster_bits;
    bool force_base;
    const char *pos[3];
    int npos;
} img_args;

static int parse_cluster_opt(const char *o, unsigned *bits) {
    uint64_t v;
    if (strncmp(o, "cluster_size=", 13) != 0 || vt_parse_u64(o + 13, &v) != 0) return -1;
    for (unsigned b = 9; b <= 21; b++) {
        if (v == 1ull << b) {
            *bits = b;
            return 0;
        }
    }
    return -1;
}

static int parse_args(const char *verb, int argc, char **argv, img_args *a) {
    *a = (img_args){0};
    for (int i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char **val = NULL;
        if (!strcmp(s, "--force-base")) {
            a->force_base = true;
            continue;
        }
        if (!strcmp(s, "-f"))
            val = &a->fmt;
        else if (!strcmp(s, "-O"))
            val = &a->out_fmt;
        else if (!strcmp(s, "-b"))
            val = &a->backing;
        else if (!strcmp(s, "-F"))
            val = &a->backing_fmt;
        else if (!strcmp(s, "-r"))
            val = &a->repair;
        else if (!strcmp(s, "-o")) {
            if (i + 1 >= argc || parse_cluster_opt(argv[i + 1], &a->cluster_bits) != 0) {
                return vt_cli_usage_error("img",
                                          "%s: -o takes cluster_size=N (512 to 2M, a power "
                                          "of two)",
                                          verb);
            }
            i++;
            continue;
        } else if (s[0] == '-' && s[1]) {
            return vt_cli_usage_error("img", "%s: unknown option '%s'", verb, s);
        } else {
            if (a->npos == 3) return vt_cli_usage_error("img", "%s: too many arguments", verb);
            a->pos[a->npos++] = s;
            continue;
        }
        if (i + 1 >= argc) return vt_cli_usage_error("img", "%s: option %s needs a value", verb, s);
        *val = argv[++i];
    }
    return 0;
}

static bool known_fmt(const char *f) {
    return !f || !strcmp(f, "qcow2") || !strcmp(f, "raw");
}

static int fail(const vt_error *err, int code) {
    fprintf(stderr, "vitrine img: %s\n", err->msg);
    return code;
}

static void human_size(uint64_t v, char *out, size_t n) {
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double d = (double)v;
    unsigned u = 0;
    while (d >= 1024 && u < 5) {
        d /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, n, "%" PRIu64 " B", v);
    else
        snprintf(out, n, "%.3g %s", d, units[u]);
}

static int cmd_create(img_args *a) {
    if (a->npos < 1 || a->npos > 2)
        return vt_cli_usage_error("img", "create: FILE [SIZE] expected");
    const char *fmt = a->fmt ? a->fmt : "qcow2";
    if (!known_fmt(fmt) || !known_fmt(a->backing_fmt)) {
        return vt_cli_usage_error("img", "create: format must be qcow2 or raw");
    }
    uint64_t size = 0;
    if (a->npos == 2 && (vt_parse_u64(a->pos[1], &size) != 0 || size == 0)) {
        return vt_cli_usage_error("img", "create: bad size '%s'", a->pos[1]);
    }
    if (a->npos == 1 && !a->backing) return vt_cli_usage_error("img", "create: SIZE is required");
    vt_error err;
    if (!strcmp(fmt, "raw")) {
        if (a->backing) return vt_cli_usage_error("img", "create: raw images have no backing file");
        if (vt_raw_create(a->pos[0], size, &err) != 0) return fail(&err, 1);
    } else {
        vt_qcow2_create_opts o = {.size = size,
                                  .cluster_bits = a->cluster_bits,
                                  .backing = a->backing,
                                  .backing_fmt = a->backing_fmt};
        if (vt_qcow2_create(a->pos[0], &o, &err) != 0) return fail(&err, 2);
    }
    printf("Formatting '%s', fmt=%s size=%" PRIu64 "%s%s\n", a->pos[0], fmt, size,
           a->backing ? " backing_file=" : "", a->backing ? a->backing : "");
    return 0;
}

static int open_img(img_args *a, const char *verb, vt_block_opts o, vt_block **b) {
    if (a->npos != 1) return vt_cli_usage_error("img", "%s: exactly one FILE expected", verb);
    if (!known_fmt(a->fmt))
        return vt_cli_usage_error("img", "%s: format must be qcow2 or raw", verb);
    o.format = a->fmt;
    o.force_base = a->force_base;
    vt_error err;
    if (vt_block_open(b, a->pos[0], &o, &err) != 0) return fail(&err, 2);
    return 0;
}

static const char *fp_text(vt_fp_status s) {
    switch (s) {
    case VT_FP_MATCH:
        return "matches the base";
    case VT_FP_MISMATCH:
        return "MISMATCH: the base has changed since this overlay was created (using the overlay "
               "needs --force-base)";
    case VT_FP_NO_BASE:
        return "no backing file";
    default:
        return "none recorded";
    }
}

static int cmd_info(img_args *a) {
    vt_block *b;
    a->force_base = true; /* inspecting a changed base is what info is for */
    int rc = open_img(a, "info", (vt_block_opts){.read_only = true}, &b);
    if (rc) return rc;
    struct stat st;
    char vs[32], ds[32];
    human_size(b->size, vs, sizeof vs);
    human_size(stat(a->pos[0], &st) == 0 ? (uint64_t)st.st_blocks * 512 : 0, ds, sizeof ds);
    printf("image: %s\nfile format: %s\nvirtual size: %s (%" PRIu64 " bytes)\ndisk size: %s\n",
           a->pos[0], b->ops->format, vs, b->size, ds);
    if (vt_block_is_qcow2(b)) {
        vt_qcow2_info in;
        vt_qcow2_get_info(b, &in);
        printf("cluster_size: %" PRIu32 "\n", in.cluster_size);
        if (in.backing) {
            printf("backing file: %s (actual path: %s)\n", in.backing, in.backing_path);
            if (in.backing_fmt) printf("backing file format: %s\n", in.backing_fmt);
        }
        printf("base fingerprint: %s\n", fp_text(in.fp_status));
        if (in.commit_pending) {
            printf("commit: INTERRUPTED: the base holds part of this overlay's data; run "
                   "'vitrine img commit %s' again to finish\n",
                   a->pos[0]);
        }
        if (in.fp_status != VT_FP_NO_BASE && in.fp_hex[0]) {
            printf("    sha256 %s over %s of %" PRIu64 " bytes\n", in.fp_hex,
                   in.fp_sampled ? "a sample" : "the whole file", in.fp_size);
        }
        printf("Format specific information:\n    compat: %s\n    refcount bits: %" PRIu32
               "\n    snapshots: %" PRIu32 "\n    corrupt: %s\n    dirty: %s\n",
               in.version == 3 ? "1.1" : "0.10", in.refcount_bits, in.nb_snapshots,
               in.corrupt ? "true" : "false", in.dirty ? "true" : "false");
    }
    vt_error err;
    return vt_block_close(b, &err) == 0 ? 0 : fail(&err, 1);
}

static int cmd_check(img_args *a) {
    unsigned fix = 0;
    if (a->repair) {
        if (!strcmp(a->repair, "leaks"))
            fix = VT_QCOW2_FIX_LEAKS;
        else if (!strcmp(a->repair, "all"))
            fix = VT_QCOW2_FIX_LEAKS | VT_QCOW2_FIX_ERRORS;
        else
            return vt_cli_usage_error("img", "check: -r takes 'leaks' or 'all'");
    }
    vt_block *b;
    int rc = open_img(
        a, "check", (vt_block_opts){.read_only = !fix, .repair = fix != 0, .no_backing = true}, &b);
    if (rc) return rc;
    vt_error err;
    if (!vt_block_is_qcow2(b)) {
        printf("This image format does not support checks\n");
        (void)vt_block_close(b, &err);
        return 0;
    }
    vt_qcow2_check_result r;
    if (vt_qcow2_check(b, fix, &r, stderr, &err) != 0) {
        (void)vt_block_close(b, &err);
        return fail(&err, 1);
    }
    if (r.leaks_fixed || r.corruptions_fixed) {
        printf("The following inconsistencies were found and repaired:\n\n    %" PRIu64
               " leaked clusters\n    %" PRIu64 " corruptions\n\nDouble checking the fixed "
               "image now...\n",
               r.leaks_fixed, r.corruptions_fixed);
    }
    if (r.corruptions) {
        printf("\n%" PRIu64 " errors were found on the image.\nData may be corrupted, or further "
               "writes to the image may corrupt it.\n",
               r.corruptions);
    }
    if (r.leaks) {
        printf("\n%" PRIu64 " leaked clusters were found on the image.\nThis means waste of disk "
               "space, but no harm to data.\n",
               r.leaks);
    }
    if (!r.corruptions && !r.leaks) printf("No errors were found on the image.\n");
    printf("%" PRIu64 "/%" PRIu64 " = %.2f%% allocated\nImage end offset: %" PRIu64 "\n",
           r.allocated_clusters, r.total_clusters,
           r.total_clusters ? 100.0 * (double)r.allocated_clusters / (double)r.total_clusters : 0.0,
           r.image_end);
    if (vt_block_close(b, &err) != 0) return fail(&err, 1);
    return r.corruptions ? 2 : r.leaks ? 3 : 0;
}

static int cmd_commit(img_args *a) {
    vt_block *b;
    int rc = open_img(a, "commit", (vt_block_opts){.backing_writable = true}, &b);
    if (rc) return rc;
    vt_error err;
    if (vt_qcow2_commit_prepare(b, &err) != 0) { /* refused: nothing was written */
        (void)vt_block_close(b, NULL);
        return fail(&err, 2);
    }
    if (vt_qcow2_commit(b, &err) != 0) {
        (void)vt_block_close(b, NULL);
        return fail(&err, 1);
    }
    if (vt_block_close(b, &err) != 0) return fail(&err, 1);
    printf("Image committed.\n");
    return 0;
}

static bool all_zero(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i]) return false;
    }
    return true;
}

static int cmd_convert(img_args *a) {
    if (a->npos != 2) return vt_cli_usage_error("img", "convert: IN OUT expected");
    const char *ofmt = a->out_fmt ? a->out_fmt : "raw";
    if (!known_fmt(a->fmt) || !known_fmt(ofmt)) {
        return vt_cli_usage_error("img", "convert: format must be qcow2 or raw");
    }
    vt_error err;
    vt_block *in, *out;
    vt_block_opts io = {.format = a->fmt, .read_only = true, .force_base = a->force_base};
    if (vt_block_open(&in, a->pos[0], &io, &err) != 0) return fail(&err, 2);
    vt_qcow2_create_opts co = {.size = in->size, .cluster_bits = a->cluster_bits};
    int rc = !strcmp(ofmt, "raw") ? vt_raw_create(a->pos[1], in->size, &err)
                                  : vt_qcow2_create(a->pos[1], &co, &err);
    vt_block_opts oo = {.format = ofmt};
    if (rc == 0) rc = vt_block_open(&out, a->pos[1], &oo, &err);
    if (rc != 0) {
        (void)vt_block_close(in, NULL);
        return fail(&err, 1);
    }
    enum { CHUNK = 1 << 20 };
    uint8_t *buf = malloc(CHUNK);
    rc = buf ? 0 : vt_fail(&err, "out of memory");
    for (uint64_t off = 0; rc == 0 && off < in->size; off += CHUNK) {
        size_t n = in->size - off < CHUNK ? (size_t)(in->size - off) : CHUNK;
        rc = vt_block_read(in, off, buf, n, &err);
        if (rc == 0 && !all_zero(buf, n)) rc = vt_block_write(out, off, buf, n, &err);
    }
    free(buf);
    if (vt_block_close(out, rc ? NULL : &err) != 0) rc = -1;
    (void)vt_block_close(in, NULL);
    return rc ? fail(&err, 1) : 0;
}

typedef struct map_row {
    uint64_t off, len, host;
    const char *file;
} map_row;

static void map_emit(map_row *cur, uint64_t off, uint64_t len, uint64_t host, const char *file) {
    if (cur->len && cur->file == file && cur->off + cur->len == off &&
        cur->host + cur->len == host) {
        cur->len += len;
        return;
    }
    if (cur->len) {
        printf("%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64 "%s\n", cur->off, cur->len, cur->host,
               cur->file);
    }
    *cur = (map_row){off, len, host, file};
}

static int map_range(vt_block *b, uint64_t off, uint64_t len, map_row *cur, vt_error *err) {
    while (len > 0) {
        if (off >= b->size) return 0; /* past a shorter backing file: zeros */
        uint64_t n = b->size - off < len ? b->size - off : len;
        vt_block_status st;
        if (vt_block_get_status(b, off, n, &st, err) != 0) return -1;
        if (st.kind == VT_BLOCK_DATA) map_emit(cur, off, st.len, st.host_off, b->path);
        if (st.kind == VT_BLOCK_BACKING && b->backing &&
            map_range(b->backing, off, st.len, cur, err) != 0) {
            return -1;
        }
        off += st.len;
        len -= st.len;
    }
    return 0;
}

static int cmd_map(img_args *a) {
    vt_block *b;
    int rc = open_img(a, "map", (vt_block_opts){.read_only = true}, &b);
    if (rc) return rc;
    vt_error err;
    map_row cur = {0};
    printf("%-16s%-16s%-16s%s\n", "Offset", "Length", "Mapped to", "File");
    rc = map_range(b, 0, b->size, &cur, &err);
    map_emit(&cur, 0, 0, 0, NULL);
    (void)vt_block_close(b, NULL);
    return rc ? fail(&err, 1) : 0;
}

int vt_cli_img(int argc, char **argv) {
    if (argc < 2 || vt_cli_wants_help(argc, argv)) {
        fputs(IMG_USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    static const struct {
        const char *name;
        int (*fn)(img_args *);
    } verbs[] = {{"create", cmd_create}, {"info", cmd_info},       {"check", cmd_check},
                 {"commit", cmd_commit}, {"convert", cmd_convert}, {"map", cmd_map}};
    for (size_t i = 0; i < VT_ARRAY_LEN(verbs); i++) {
        if (strcmp(argv[1], verbs[i].name) != 0) continue;
        img_args a;
        int rc = parse_args(argv[1], argc, argv, &a);
        return rc ? rc : verbs[i].fn(&a);
    }
    return vt_cli_usage_error(
        "img", "unknown verb '%s' (create, info, check, commit, convert, map)", argv[1]);
}
