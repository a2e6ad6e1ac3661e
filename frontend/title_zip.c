/* A title packed as a zip (frontend/title.h): every member is extracted with libarchive into a
 * fresh temporary directory (members must be plain files at the top level: no directories, no
 * "..", no links, so nothing lands outside it); the title is its member title.ini (other
 * INI files, e.g. a machine profile, may sit beside it). The images are copies, so the archive
 * itself is never written. */
#include "frontend/title.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int copy_member(struct archive *a, const char *path, vt_error *err) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) return vt_fail(err, "%s: %s", path, strerror(errno));
    char buf[65536];
    la_ssize_t n;
    int rc = 0;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
        if (write(fd, buf, (size_t)n) != n) {
            rc = vt_fail(err, "%s: %s", path, strerror(errno));
            break;
        }
    if (!rc && n < 0) rc = vt_fail(err, "%s: %s", path, archive_error_string(a));
    if (close(fd) && !rc) rc = vt_fail(err, "%s: %s", path, strerror(errno));
    return rc;
}

int vt_title_unzip(const char *zip, char *dir, size_t dirlen, char *ini, size_t inilen,
                   vt_error *err) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, dirlen, "%s/vitrine-title-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return vt_fail(err, "cannot create a temporary directory: %s", strerror(errno));
    struct archive *a = archive_read_new();
    archive_read_support_format_zip(a);
    archive_read_support_filter_all(a);
    int rc = 0;
    bool found = false;
    if (archive_read_open_filename(a, zip, 65536) != ARCHIVE_OK) {
        rc = vt_fail(err, "%s: %s", zip, archive_error_string(a));
    } else {
        struct archive_entry *e;
        int r;
        while (!rc && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
            const char *name = archive_entry_pathname(e);
            if (archive_entry_filetype(e) == AE_IFDIR) continue;
            if (!name || !*name || strchr(name, '/') || !strcmp(name, "..") ||
                archive_entry_filetype(e) != AE_IFREG) {
                rc = vt_fail(err, "%s: member '%s' is not a plain file at the top level", zip,
                             name ? name : "");
                break;
            }
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            rc = copy_member(a, path, err);
            if (!rc && !strcmp(name, "title.ini")) {
                found = true;
                snprintf(ini, inilen, "%s", path);
            }
        }
        if (!rc && r != ARCHIVE_EOF) rc = vt_fail(err, "%s: %s", zip, archive_error_string(a));
        if (!rc && !found)
            rc = vt_fail(err, "%s: a title zip holds its title as title.ini (not found)", zip);
    }
    archive_read_free(a);
    return rc;
}
