/* Builds a free ROM set from its Debian package (`source = debian:PKG`): `apt-get download`
 * into CACHE/debs/dl, `dpkg-deb -x` into CACHE/debs/PKG (the layout tests/scripts/fetch_deb.sh
 * uses), then writes ROM_DIR/NAME.zip with libarchive from the files named by each
 * `package_path`, through a temporary file renamed into place. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "romsets/romset.h"

extern char **environ;

static int mkdir_p(const char *path, vt_error *err) {
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return vt_fail(err, "%s: path too long", path);
    for (char *p = tmp + 1;; p++) {
        if (*p != '/' && *p) continue;
        char c = *p;
        *p = 0;
        if (mkdir(tmp, 0755) && errno != EEXIST)
            return vt_fail(err, "%s: cannot create directory: %s", tmp, strerror(errno));
        if (!c) return 0;
        *p = c;
    }
}

/* Runs argv in `cwd` with its stdout sent to our stderr; fails unless it exits 0. */
static int run(char *const argv[], const char *cwd, vt_error *err) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, 2, 1);
    if (cwd) posix_spawn_file_actions_addchdir_np(&fa, cwd);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) return vt_fail(err, "cannot run %s: %s", argv[0], strerror(rc));
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return vt_fail(err, "waiting for %s: %s", argv[0], strerror(errno));
    if (!WIFEXITED(st))
        return vt_fail(err, "%s %s was killed by signal %d", argv[0], argv[1], WTERMSIG(st));
    if (WEXITSTATUS(st))
        return vt_fail(err, "%s %s %s failed (exit status %d)%s", argv[0], argv[1], argv[2],
                       WEXITSTATUS(st),
                       strcmp(argv[0], "apt-get") ? "" : "; is `apt-get update` needed?");
    return 0;
}

/* Newest DIR/PKG_*.deb into out; -1 when there is none. */
static int find_deb(const char *dir, const char *pkg, char *out, size_t outlen) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    size_t n = strlen(pkg);
    time_t best = 0;
    int found = -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (strncmp(e->d_name, pkg, n) || e->d_name[n] != '_' || l < 4 ||
            strcmp(e->d_name + l - 4, ".deb"))
            continue;
        char path[PATH_MAX];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path ||
            stat(path, &st) || (found == 0 && st.st_mtime <= best))
            continue;
        if ((size_t)snprintf(out, outlen, "%s", path) >= outlen) continue;
        best = st.st_mtime;
        found = 0;
    }
    closedir(d);
    return found;
}

/* Downloads and unpacks PKG once; the unpacked tree is reused while its .done marker exists. */
static int unpack_package(const char *pkg, const char *cache, char *tree, size_t treelen, FILE *log,
                          vt_error *err) {
    char dl[PATH_MAX], deb[PATH_MAX], done[PATH_MAX + 8];
    if (snprintf(dl, sizeof dl, "%s/debs/dl", cache) >= (int)sizeof dl ||
        (size_t)snprintf(tree, treelen, "%s/debs/%s", cache, pkg) >= treelen)
        return vt_fail(err, "%s: cache path too long", cache);
    snprintf(done, sizeof done, "%s/.done", tree);
    if (!access(done, F_OK)) return 0;
    if (mkdir_p(dl, err)) return -1;
    if (find_deb(dl, pkg, deb, sizeof deb)) {
        if (log) fprintf(log, "fetch: apt-get download %s\n", pkg);
        char *argv[] = {"apt-get", "download", (char *)pkg, NULL};
        if (run(argv, dl, err)) return -1;
        if (find_deb(dl, pkg, deb, sizeof deb))
            return vt_fail(err, "apt-get download %s left no %s_*.deb in %s", pkg, pkg, dl);
    }
    if (log) fprintf(log, "fetch: dpkg-deb -x %s\n", deb);
    if (mkdir_p(tree, err)) return -1;
    char *argv[] = {"dpkg-deb", "-x", deb, tree, NULL};
    if (run(argv, NULL, err)) return -1;
    int fd = open(done, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0) close(fd);
    return 0;
}

/* Reads one regular file (no links) of at most `cap` bytes. */
static int slurp(const char *path, uint64_t cap, uint8_t **data, size_t *len, vt_error *err) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return vt_fail(err, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > cap) {
        close(fd);
        return vt_fail(err, "%s: not a regular file of at most %llu bytes", path,
                       (unsigned long long)cap);
    }
    *data = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (*data && got < (size_t)st.st_size) {
        ssize_t n = read(fd, *data + got, (size_t)st.st_size - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    if (!*data || got != (size_t)st.st_size) {
        free(*data);
        return vt_fail(err, "%s: short read", path);
    }
    *len = got;
    return 0;
}

static int write_entry(struct archive *a, const char *name, const uint8_t *data, size_t len,
                       vt_error *err) {
    struct archive_entry *e = archive_entry_new();
    if (!e) return vt_fail(err, "out of memory");
    archive_entry_set_pathname(e, name);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, (la_int64_t)len);
    archive_entry_set_mtime(e, 946684800, 0); /* fixed (2000-01-01): reproducible archives */
    int rc = archive_write_header(a, e) != ARCHIVE_OK ||
                     archive_write_data(a, data, len) != (la_ssize_t)len
                 ? vt_fail(err, "zip: %s: %s", name, archive_error_string(a))
                 : 0;
    archive_entry_free(e);
    return rc;
}

/* Writes the files into a zip at fd. */
static int write_zip(const vt_rom_manifest *m, const char *tree, int fd, vt_error *err) {
    struct archive *a = archive_write_new();
    if (!a) return vt_fail(err, "out of memory");
    int rc = 0;
    if (archive_write_set_format_zip(a) != ARCHIVE_OK || archive_write_open_fd(a, fd) != ARCHIVE_OK)
        rc = vt_fail(err, "zip: %s", archive_error_string(a));
    for (int i = 0; i < m->nfiles && !rc; i++) {
        const vt_rom_manifest_file *f = &m->files[i];
        char path[PATH_MAX];
        uint8_t *data = NULL;
        size_t len = 0;
        if (!f->package_path[0]) {
            if (f->required) rc = vt_fail(err, "%s: file %s has no package_path", m->path, f->name);
            continue;
        }
        if (snprintf(path, sizeof path, "%s/%s", tree, f->package_path) >= (int)sizeof path) {
            rc = vt_fail(err, "%s: path too long", tree);
            break;
        }
        if (slurp(path, VT_ROMSET_MAX_FILE, &data, &len, err)) {
            if (f->required) rc = -1;
            continue;
        }
        rc = write_entry(a, f->name, data, len, err);
        free(data);
    }
    if (archive_write_close(a) != ARCHIVE_OK && !rc)
        rc = vt_fail(err, "zip: %s", archive_error_string(a));
    archive_write_free(a);
    return rc;
}

int vt_romset_fetch(const vt_rom_manifest *m, const char *cache_dir, const char *rom_dir, FILE *log,
                    vt_error *err) {
    if (strncmp(m->source, "debian:", 7))
        return vt_fail(err, "romset %s has no free source to fetch from; copy its files into %s",
                       m->name, rom_dir);
    char tree[PATH_MAX], tmp[PATH_MAX], dst[PATH_MAX];
    if (unpack_package(m->source + 7, cache_dir, tree, sizeof tree, log, err)) return -1;
    if (mkdir_p(rom_dir, err)) return -1;
    if (snprintf(dst, sizeof dst, "%s/%s.zip", rom_dir, m->name) >= (int)sizeof dst ||
        snprintf(tmp, sizeof tmp, "%s/.%s.zip.XXXXXX", rom_dir, m->name) >= (int)sizeof tmp)
        return vt_fail(err, "%s: path too long", rom_dir);
    int fd = mkstemp(tmp);
    if (fd < 0) return vt_fail(err, "%s: cannot create: %s", tmp, strerror(errno));
    int rc = fchmod(fd, 0644) ? vt_fail(err, "%s: %s", tmp, strerror(errno)) : 0;
    if (!rc) rc = write_zip(m, tree, fd, err);
    if (!rc && fsync(fd)) rc = vt_fail(err, "%s: %s", tmp, strerror(errno));
    if (close(fd) && !rc) rc = vt_fail(err, "%s: %s", tmp, strerror(errno));
    if (!rc && rename(tmp, dst))
        rc = vt_fail(err, "%s: cannot rename into place: %s", dst, strerror(errno));
    if (rc)
        unlink(tmp);
    else if (log)
        fprintf(log, "fetch: wrote %s\n", dst);
    return rc;
}
