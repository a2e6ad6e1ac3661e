/* Test driver for core/block used by tests/img/run.sh and tests/bench/bench_qcow2.sh:
 * deterministic random writes mirrored into a reference raw file, whole-disk comparison,
 * a crash-test writer/verifier pair, an open probe, a --snapshot check, a throughput bench and
 * a deterministic content generator.
 * Built from run.sh against the Vitrine library; not part of the vitrine binary. */
#include "core/block/block.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A detected difference: exit 1 at once (see die). */
static int differs(void) {
    fflush(stderr);
    _exit(1);
}

static uint64_t rng_state;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static void seed(uint64_t s) {
    rng_state = s * 0x9e3779b97f4a7c15ull + 1;
}

/* A refused image or failed operation ends the driver at once (exit 2); _exit skips the
 * leak report for the buffers of the interrupted command. */
static int die(const vt_error *err) {
    fprintf(stderr, "%s\n", err->msg);
    fflush(stderr);
    _exit(2);
}

/* One random operation: offset, length, fill byte pattern, and whether it is a discard. */
typedef struct op {
    uint64_t off;
    size_t len;
    uint8_t pat;
    bool discard;
} op;

static op next_op(uint64_t size) {
    op o;
    uint64_t r = rnd();
    size_t max = (r & 3) == 0 ? 140000 : 9000;
    o.len = 1 + (size_t)(rnd() % max);
    if (o.len > size) o.len = (size_t)size;
    o.off = rnd() % (size - o.len + 1);
    o.pat = (uint8_t)rnd();
    o.discard = (r >> 8) % 20 == 0;
    return o;
}

static void fill(uint8_t *buf, const op *o) {
    for (size_t i = 0; i < o->len; i++)
        buf[i] = (uint8_t)(o->pat + (o->off + i) * 31 + ((o->off + i) >> 9));
    if (o->discard) memset(buf, 0, o->len);
}

static int apply(vt_block *b, const op *o, uint8_t *buf, vt_error *err) {
    fill(buf, o);
    if (o->discard) return vt_block_discard(b, o->off, o->len, err);
    return vt_block_write(b, o->off, buf, o->len, err);
}

static int cmd_randwrite(int argc, char **argv) {
    if (argc != 6) return 2;
    vt_error err;
    vt_block *b;
    if (vt_block_open(&b, argv[2], &(vt_block_opts){0}, &err) != 0) return die(&err);
    int ref = open(argv[3], O_RDWR);
    if (ref < 0) return perror(argv[3]), 1;
    long n = atol(argv[4]);
    seed(strtoull(argv[5], NULL, 0));
    uint8_t *buf = malloc(140000);
    for (long i = 0; i < n; i++) {
        op o = next_op(b->size);
        if (apply(b, &o, buf, &err) != 0) return die(&err);
        if (pwrite(ref, buf, o.len, (off_t)o.off) != (ssize_t)o.len) return perror("ref"), 1;
        if (i % 1000 == 999 && vt_block_flush(b, &err) != 0) return die(&err);
    }
    free(buf);
    close(ref);
    return vt_block_close(b, &err) == 0 ? 0 : die(&err);
}

static int cmd_compare(int argc, char **argv) {
    if (argc != 4) return 2;
    vt_error err;
    vt_block *b;
    if (vt_block_open(&b, argv[2], &(vt_block_opts){.read_only = true}, &err) != 0)
        return die(&err);
    int ref = open(argv[3], O_RDONLY);
    if (ref < 0) return perror(argv[3]), 1;
    off_t rsize = lseek(ref, 0, SEEK_END);
    if ((uint64_t)rsize != b->size) {
        fprintf(stderr, "size differs: %" PRIu64 " vs %lld\n", b->size, (long long)rsize);
        return differs();
    }
    enum { CH = 1 << 20 };
    uint8_t *x = malloc(CH), *y = malloc(CH);
    for (uint64_t off = 0; off < b->size; off += CH) {
        size_t n = b->size - off < CH ? (size_t)(b->size - off) : CH;
        if (vt_block_read(b, off, x, n, &err) != 0) return die(&err);
        if (pread(ref, y, n, (off_t)off) != (ssize_t)n) return perror("ref"), 1;
        if (memcmp(x, y, n) != 0) {
            size_t i = 0;
            while (x[i] == y[i])
                i++;
            fprintf(stderr, "content differs at byte %" PRIu64 "\n", off + i);
            return differs();
        }
    }
    free(x);
    free(y);
    close(ref);
    return vt_block_close(b, &err) == 0 ? 0 : die(&err);
}

enum { ROUND_OPS = 12 };

/* Writes rounds of ROUND_OPS operations, each round followed by a flush and then by appending
 * the round number to PROGRESS (synced): what PROGRESS lists is durable in the image. */
static int cmd_crashwriter(int argc, char **argv) {
    if (argc != 5) return 2;
    vt_error err;
    vt_block *b;
    if (vt_block_open(&b, argv[2], &(vt_block_opts){0}, &err) != 0) return die(&err);
    int prog = open(argv[3], O_WRONLY | O_CREAT | O_APPEND, 0644);
    seed(strtoull(argv[4], NULL, 0));
    uint8_t *buf = malloc(140000);
    for (uint32_t round = 0; round < 100000; round++) {
        for (int i = 0; i < ROUND_OPS; i++) {
            op o = next_op(b->size);
            if (apply(b, &o, buf, &err) != 0) return die(&err);
        }
        if (vt_block_flush(b, &err) != 0) return die(&err);
        uint8_t rec[4];
        store_le32(rec, round);
        if (write(prog, rec, 4) != 4 || fdatasync(prog) != 0) return perror("progress"), 1;
    }
    return 0;
}

static int cmd_crashverify(int argc, char **argv) {
    if (argc != 6) return 2;
    vt_error err;
    vt_block *b;
    if (vt_block_open(&b, argv[2], &(vt_block_opts){.read_only = true}, &err) != 0)
        return die(&err);
    int base = open(argv[3], O_RDONLY), prog = open(argv[4], O_RDONLY);
    if (base < 0 || prog < 0) return perror("open"), 1;
    off_t plen = lseek(prog, 0, SEEK_END);
    long done = (long)(plen / 4); /* rounds 0..done-1 are durable */
    uint8_t *exp = malloc(b->size), *mask = calloc(1, b->size), *got = malloc(b->size);
    uint8_t *buf = malloc(140000);
    if (pread(base, exp, b->size, 0) != (ssize_t)b->size) return perror("base"), 1;
    seed(strtoull(argv[5], NULL, 0));
    for (long r = 0; r <= done; r++) {
        for (int i = 0; i < ROUND_OPS; i++) {
            op o = next_op(b->size);
            fill(buf, &o);
            if (r < done)
                memcpy(exp + o.off, buf, o.len);
            else
                memset(mask + o.off, 1, o.len); /* in flight when killed: either content */
        }
    }
    if (vt_block_read(b, 0, got, b->size, &err) != 0) return die(&err);
    for (uint64_t i = 0; i < b->size; i++) {
        if (!mask[i] && got[i] != exp[i]) {
            fprintf(stderr, "after %ld flushed rounds: byte %" PRIu64 " is %02x, expected %02x\n",
                    done, i, got[i], exp[i]);
            return differs();
        }
    }
    printf("%ld\n", done);
    free(exp);
    free(mask);
    free(got);
    free(buf);
    close(base);
    close(prog);
    return vt_block_close(b, &err) == 0 ? 0 : die(&err);
}

/* Opens an image (read-only unless "rw") and reports the error; with a third argument holds
 * it open for that many milliseconds. */
static int cmd_open(int argc, char **argv) {
    if (argc < 3) return 2;
    vt_error err;
    vt_block *b;
    bool rw = argc > 3 && !strcmp(argv[3], "rw");
    if (vt_block_open(&b, argv[2], &(vt_block_opts){.read_only = !rw}, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    if (argc > 4) {
        printf("open\n");
        fflush(stdout);
        usleep((useconds_t)atoi(argv[4]) * 1000);
    }
    return vt_block_close(b, &err) == 0 ? 0 : die(&err);
}

/* Writes through a --snapshot overlay of BASE and reads the data back. */
static int cmd_snapshot(int argc, char **argv) {
    if (argc != 3) return 2;
    vt_error err;
    vt_block *b;
    if (vt_block_open_snapshot(&b, argv[2], NULL, &err) != 0) return die(&err);
    uint8_t w[5000], r[5000];
    memset(w, 0x5a, sizeof w);
    if (vt_block_write(b, 1000, w, sizeof w, &err) != 0 ||
        vt_block_read(b, 1000, r, sizeof r, &err) != 0) {
        return die(&err);
    }
    if (memcmp(w, r, sizeof w) != 0) return fprintf(stderr, "snapshot read-back differs\n"), 1;
    return vt_block_close(b, &err) == 0 ? 0 : die(&err);
}

/* gen FILE SIZE SEED: deterministic pseudo-random content (test bases). */
static int cmd_gen(int argc, char **argv) {
    if (argc != 5) return 2;
    uint64_t size;
    if (vt_parse_u64(argv[3], &size) != 0) return 2;
    seed(strtoull(argv[4], NULL, 0));
    FILE *f = fopen(argv[2], "wb");
    if (!f) return perror(argv[2]), 1;
    uint64_t v[512];
    for (uint64_t done = 0; done < size; done += sizeof v) {
        for (size_t i = 0; i < VT_ARRAY_LEN(v); i++)
            v[i] = rnd();
        size_t n = size - done < sizeof v ? (size_t)(size - done) : sizeof v;
        if (fwrite(v, 1, n, f) != n) return perror(argv[2]), 1;
    }
    return fclose(f) == 0 ? 0 : 1;
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* bench IMG read|write COUNT STEP: COUNT 4 KiB requests at offsets advancing by STEP modulo
 * the disk size (qemu-img bench's pattern), flushed at the end; prints seconds. */
static int cmd_bench(int argc, char **argv) {
    if (argc != 6) return 2;
    vt_error err;
    vt_block *b;
    bool wr = !strcmp(argv[3], "write");
    if (vt_block_open(&b, argv[2], &(vt_block_opts){.read_only = !wr}, &err) != 0) return die(&err);
    long n = atol(argv[4]);
    uint64_t step = strtoull(argv[5], NULL, 0), off = 0;
    uint8_t buf[4096];
    memset(buf, 0xa5, sizeof buf);
    double t0 = now();
    for (long i = 0; i < n; i++) {
        int rc = wr ? vt_block_write(b, off, buf, sizeof buf, &err)
                    : vt_block_read(b, off, buf, sizeof buf, &err);
        if (rc != 0) return die(&err);
        off = (off + step) % (b->size - sizeof buf);
    }
    if (vt_block_close(b, &err) != 0) return die(&err);
    printf("%.6f\n", now() - t0);
    return 0;
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"randwrite", cmd_randwrite},
                {"compare", cmd_compare},
                {"crashwriter", cmd_crashwriter},
                {"crashverify", cmd_crashverify},
                {"open", cmd_open},
                {"snapshot", cmd_snapshot},
                {"bench", cmd_bench},
                {"gen", cmd_gen}};
    for (size_t i = 0; argc > 1 && i < VT_ARRAY_LEN(cmds); i++) {
        if (!strcmp(argv[1], cmds[i].name)) return cmds[i].fn(argc, argv);
    }
    fprintf(stderr,
            "usage: blkio randwrite|compare|crashwriter|crashverify|open|snapshot|bench|gen ...\n");
    return 2;
}
