/* Reads a ROM set from a plain directory (ROM_PATH/NAME/): each manifest file is opened by its
 * (already validated) name relative to the directory without following links, must be a
 * regular file, and is read up to its manifest size + 1 byte, into memory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "romsets/romset_read.h"

static int read_one(vt_romset *set, int dfd, int i, const char *dir, vt_error *err) {
    const char *name = set->manifest.files[i].name;
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return 0; /* stays NOT FOUND */
        if (errno == ELOOP) return vt_fail(err, "%s/%s: is a symbolic link; refused", dir, name);
        return vt_fail(err, "%s/%s: cannot open: %s", dir, name, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return vt_fail(err, "%s/%s: not a regular file; refused", dir, name);
    }
    uint64_t cap = vt_rom_manifest_max_size(&set->manifest.files[i]);
    uint8_t *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return vt_fail(err, "out of memory");
    }
    uint64_t got = 0;
    while (got < cap + 1) {
        ssize_t n = read(fd, buf + got, (size_t)(cap + 1 - got));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return vt_fail(err, "%s/%s: read error: %s", dir, name, strerror(e));
        }
        if (n == 0) break;
        got += (uint64_t)n;
    }
    close(fd);
    bool more = got > cap;
    vt_romset_classify(set, i, buf, more ? cap : got, more, more ? (uint64_t)st.st_size : 0);
    return 0;
}

int vt_romset_read_dir(vt_romset *set, const char *dir, vt_error *err) {
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return vt_fail(err, "%s: cannot open directory: %s", dir, strerror(errno));
    int rc = 0;
    for (int i = 0; i < set->manifest.nfiles && !rc; i++)
        rc = read_one(set, dfd, i, dir, err);
    close(dfd);
    return rc;
}
