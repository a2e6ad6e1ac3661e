/* Block device front door: format probing, opening by format, range checks around the
 * backend vtable, sector helpers and the `--snapshot` temporary overlay. */
#include "core/block/block_int.h"
#include "core/block/qcow2.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int vt_block_probe(const char *path, const char **format, vt_error *err) {
    int fd;
    if (vt_block_open_path(path, O_RDONLY, &fd, err) != 0) return -1;
    uint8_t magic[4] = {0};
    ssize_t n = pread(fd, magic, sizeof magic, 0);
    close(fd);
    if (n < 0) return vt_fail(err, "%s: cannot read: %s", path, strerror(errno));
    *format = (n == 4 && load_be32(magic) == 0x514649fbu) ? "qcow2" : "raw";
    return 0;
}

int vt_block_open(vt_block **out, const char *path, const vt_block_opts *opts, vt_error *err) {
    vt_block_opts o = opts ? *opts : (vt_block_opts){0};
    *out = NULL;
    if (o.depth >= VT_BLOCK_MAX_CHAIN) {
        return vt_fail(err, "%s: backing chain deeper than %d images (a backing loop?)", path,
                       VT_BLOCK_MAX_CHAIN);
    }
    const char *fmt = o.format;
    if (!fmt && vt_block_probe(path, &fmt, err) != 0) return -1;
    if (strcmp(fmt, "raw") == 0) return vt_raw_open(out, path, &o, err);
    if (strcmp(fmt, "qcow2") == 0) return vt_qcow2_open(out, path, &o, err);
    return vt_fail(err, "%s: unknown image format '%s' (expected raw or qcow2)", path, fmt);
}

static int check_range(vt_block *b, uint64_t off, uint64_t len, vt_error *err) {
    if (off > b->size || len > b->size - off) {
        return vt_fail(err, "%s: access at %llu+%llu beyond the end of the disk (%llu bytes)",
                       b->path, (unsigned long long)off, (unsigned long long)len,
                       (unsigned long long)b->size);
    }
    return 0;
}

int vt_block_read(vt_block *b, uint64_t off, void *buf, size_t len, vt_error *err) {
    if (check_range(b, off, len, err) != 0) return -1;
    return len ? b->ops->read(b, off, buf, len, err) : 0;
}

int vt_block_write(vt_block *b, uint64_t off, const void *buf, size_t len, vt_error *err) {
    if (b->read_only) return vt_fail(err, "%s: image is read-only", b->path);
    if (check_range(b, off, len, err) != 0) return -1;
    return len ? b->ops->write(b, off, buf, len, err) : 0;
}

int vt_block_flush(vt_block *b, vt_error *err) {
    return b->read_only ? 0 : b->ops->flush(b, err);
}

int vt_block_discard(vt_block *b, uint64_t off, uint64_t len, vt_error *err) {
    if (b->read_only) return vt_fail(err, "%s: image is read-only", b->path);
    if (check_range(b, off, len, err) != 0) return -1;
    return len ? b->ops->discard(b, off, len, err) : 0;
}

int vt_block_get_status(vt_block *b, uint64_t off, uint64_t len, vt_block_status *st,
                        vt_error *err) {
    if (check_range(b, off, len, err) != 0) return -1;
    if (len == 0) return vt_fail(err, "%s: empty status query", b->path);
    return b->ops->status(b, off, len, st, err);
}

int vt_block_read_sectors(vt_block *b, uint64_t lba, uint32_t count, void *buf, vt_error *err) {
    if (lba > UINT64_MAX / VT_SECTOR_SIZE) return vt_fail(err, "%s: sector out of range", b->path);
    return vt_block_read(b, lba * VT_SECTOR_SIZE, buf, (size_t)count * VT_SECTOR_SIZE, err);
}

int vt_block_write_sectors(vt_block *b, uint64_t lba, uint32_t count, const void *buf,
                           vt_error *err) {
    if (lba > UINT64_MAX / VT_SECTOR_SIZE) return vt_fail(err, "%s: sector out of range", b->path);
    return vt_block_write(b, lba * VT_SECTOR_SIZE, buf, (size_t)count * VT_SECTOR_SIZE, err);
}

int vt_block_close(vt_block *b, vt_error *err) {
    return b ? b->ops->close(b, err) : 0;
}

int vt_block_open_snapshot(vt_block **out, const char *path, const vt_block_opts *base,
                           vt_error *err) {
    *out = NULL;
    const char *format = base ? base->format : NULL;
    char *abs = realpath(path, NULL);
    if (!abs) return vt_fail(err, "%s: cannot open: %s", path, strerror(errno));
    const char *fmt = format;
    if (!fmt && vt_block_probe(abs, &fmt, err) != 0) goto fail_abs;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char tmpl[4096];
    if ((size_t)snprintf(tmpl, sizeof tmpl, "%s/vitrine-snapshot-XXXXXX", dir) >= sizeof tmpl) {
        vt_fail(err, "%s: TMPDIR too long", dir);
        goto fail_abs;
    }
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        vt_fail(err, "%s: cannot create a snapshot overlay: %s", dir, strerror(errno));
        goto fail_abs;
    }
    close(fd);
    vt_qcow2_create_opts co = {.backing = abs, .backing_fmt = fmt, .no_fingerprint = true};
    if (vt_qcow2_create(tmpl, &co, err) != 0) goto fail_tmp;
    vt_block_opts o = {.format = "qcow2", .force_base = base && base->force_base};
    if (vt_block_open(out, tmpl, &o, err) != 0) goto fail_tmp;
    /* The open descriptor keeps the overlay alive; the name goes now so that nothing is left
     * behind even if the process is killed. */
    unlink(tmpl);
    free(abs);
    return 0;
fail_tmp:
    unlink(tmpl);
fail_abs:
    free(abs);
    return -1;
}
