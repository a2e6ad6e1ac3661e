/* Creating qcow2 v3 images and overlays.
 * New images: header (cluster 0), refcount table, L1 table, then the refcount blocks that
 * describe those clusters; overlays record the backing format and our base fingerprint. */
#include "core/block/qcow2_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static uint64_t div_up(uint64_t a, uint64_t b) {
    return (a + b - 1) / b;
}

/* Refuses an overlay that would overwrite its own backing file. */
static int same_file_check(const char *image, const char *backing, vt_error *err) {
    struct stat a, b;
    if (stat(image, &a) == 0 && stat(backing, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino) {
        return vt_fail(err, "%s: an image cannot be its own backing file", image);
    }
    return 0;
}

/* Reads the backing file's virtual size, format and fingerprint for a new overlay. */
static int inspect_backing(vt_qcow2 *q, const vt_qcow2_create_opts *o, uint64_t *size,
                           vt_error *err) {
    const char *name = o->backing;
    char *path;
    if (name[0] == '/' || !strchr(q->b.path, '/')) {
        path = strdup(name);
    } else {
        size_t dir = (size_t)(strrchr(q->b.path, '/') - q->b.path);
        path = malloc(dir + strlen(name) + 2);
        if (path) sprintf(path, "%.*s/%s", (int)dir, q->b.path, name);
    }
    if (!path) return vt_fail(err, "%s: out of memory", q->b.path);
    const char *fmt = o->backing_fmt;
    vt_block *bk = NULL;
    vt_block_opts bo = {.format = fmt, .read_only = true};
    int rc = (fmt || vt_block_probe(path, &fmt, err) == 0) ? 0 : -1;
    if (rc == 0) rc = vt_block_open(&bk, path, &bo, err);
    if (rc == 0) {
        *size = bk->size;
        rc = vt_block_close(bk, err);
    }
    if (rc == 0 && !o->no_fingerprint) rc = vt_fingerprint_file(path, &q->fp, err);
    if (rc == 0) rc = same_file_check(q->b.path, path, err);
    free(path);
    if (rc != 0) return -1;
    q->has_fp = !o->no_fingerprint;
    q->backing_name = strdup(name);
    q->backing_fmt = strdup(fmt);
    return (q->backing_name && q->backing_fmt) ? 0 : vt_fail(err, "%s: out of memory", q->b.path);
}

static int write_image(vt_qcow2 *q, int fd, vt_error *err) {
    uint64_t cs = q->cs, rb_entries = cs * 8 / 16;
    uint64_t per_l1 = cs << q->l2_bits;
    q->l1_size = (uint32_t)div_up(q->b.size, per_l1);
    uint64_t l1c = div_up((uint64_t)q->l1_size * 8, cs);
    if (l1c == 0) l1c = 1;
    /* room in the table for a fully allocated disk plus metadata */
    uint64_t data_clusters = div_up(q->b.size, cs) + (uint64_t)q->l1_size + l1c + 64;
    uint64_t reft_entries = div_up(data_clusters, rb_entries) + 1;
    uint64_t rtc = div_up(reft_entries * 8, cs);
    if (rtc * cs > QCOW2_MAX_REFTABLE_BYTES) rtc = QCOW2_MAX_REFTABLE_BYTES / cs;
    uint64_t nrb = 1;
    while (div_up(1 + rtc + l1c + nrb, rb_entries) > nrb)
        nrb++;
    if (nrb > rtc * cs / 8)
        return vt_fail(err, "%s: image too large for this cluster size", q->b.path);
    q->reft_offset = cs;
    q->reft_clusters = (uint32_t)rtc;
    q->l1_offset = (1 + rtc) * cs;
    uint64_t rb_off = (1 + rtc + l1c) * cs, total = 1 + rtc + l1c + nrb;
    uint8_t *buf = calloc(total, cs);
    if (!buf) return vt_fail(err, "%s: out of memory", q->b.path);
    int rc = qcow2_build_header(q, buf, err);
    for (uint64_t i = 0; i < nrb; i++)
        store_be64(buf + cs + 8 * i, rb_off + i * cs);
    for (uint64_t c = 0; c < total; c++)
        store_be16(buf + rb_off + 2 * c, 1);
    if (rc == 0) rc = vt_pwrite_full(fd, q->b.path, buf, total * cs, 0, err);
    if (rc == 0) rc = vt_fsync(fd, q->b.path, err);
    free(buf);
    return rc;
}

int vt_qcow2_create(const char *path, const vt_qcow2_create_opts *o, vt_error *err) {
    vt_qcow2 q = {0};
    q.b.path = (char *)path;
    q.version = 3;
    q.header_length = 112;
    q.refcount_order = 4;
    q.cluster_bits = o->cluster_bits ? o->cluster_bits : 16;
    if (q.cluster_bits < 9 || q.cluster_bits > 21) {
        return vt_fail(err, "%s: cluster size must be a power of two from 512 B to 2 MiB", path);
    }
    q.cs = 1ull << q.cluster_bits;
    q.l2_bits = q.cluster_bits - 3;
    q.b.size = o->size;
    int rc = 0;
    uint64_t bsize = 0;
    if (o->backing) {
        rc = inspect_backing(&q, o, &bsize, err);
        if (rc == 0 && q.b.size == 0) q.b.size = bsize;
    }
    if (rc == 0 && q.b.size > (1ull << 50)) rc = vt_fail(err, "%s: size too large", path);
    int fd = -1;
    if (rc == 0) {
        rc = vt_block_open_path(path, O_RDWR | O_CREAT, &fd, err);
    }
    if (rc == 0) rc = vt_block_lock(fd, path, true, err);
    if (rc == 0 && ftruncate(fd, 0) != 0) {
        rc = vt_fail(err, "%s: cannot truncate: %s", path, strerror(errno));
    }
    if (rc == 0) rc = write_image(&q, fd, err);
    if (fd >= 0) close(fd);
    q.b.path = NULL;
    qcow2_free_header(&q);
    return rc;
}
