/* Kiosk pristine states (frontend/kiosk_state.h): a "VKST" chunk with the identity string
 * (machine name and the title's image SHA-1s), then the machine's own chunks (core/machine.c),
 * in the save-state stream format of core/savestate.h. A file holds it zlib-compressed (guest
 * RAM is mostly zeros): "VKSZ", the uncompressed length (u64 LE), the zlib stream. */
#include "frontend/kiosk_state.h"

#include "core/savestate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define IDENTITY_MAX 1024
#define FILE_MAGIC "VKSZ"
#define FILE_HEADER 12
#define FILE_MAX_STATE (16ull << 30) /* no machine here has more than a few hundred MiB */

/* "machine-name sha1 sha1 ...": what a state belongs to */
static void identity(const vt_machine *m, const vt_title *t, char *out, size_t len) {
    size_t n = (size_t)snprintf(out, len, "%s", m->name);
    for (int i = 0; i < t->nmedia && n < len; i++)
        n +=
            (size_t)snprintf(out + n, len - n, " %s", t->media[i].sha1[0] ? t->media[i].sha1 : "-");
}

int vt_kiosk_state_capture(vt_kiosk_state *s, vt_machine *m, const vt_title *t, vt_error *err) {
    char id[IDENTITY_MAX];
    identity(m, t, id, sizeof id);
    vt_state_writer w;
    vt_state_writer_init(&w);
    vt_state_begin(&w, "VKST", 1);
    vt_state_put_u32(&w, (uint32_t)strlen(id));
    vt_state_put_bytes(&w, id, strlen(id));
    vt_state_end(&w);
    if (w.failed || vt_machine_save(m, &w)) {
        vt_state_writer_free(&w);
        return vt_fail(err, "out of memory while saving the pristine state of %s", m->name);
    }
    free(s->buf);
    s->buf = w.buf;
    s->len = w.len;
    snprintf(s->origin, sizeof s->origin, "the snapshot_at state");
    return 0;
}

int vt_kiosk_state_restore(const vt_kiosk_state *s, vt_machine *m, const vt_title *t,
                           vt_error *err) {
    char want[IDENTITY_MAX], got[IDENTITY_MAX];
    identity(m, t, want, sizeof want);
    vt_state_reader r;
    vt_state_reader_init(&r, s->buf, s->len);
    uint32_t version;
    if (vt_state_open(&r, "VKST", 1, &version))
        return vt_fail(err, "%s: not a Vitrine kiosk state: %s", s->origin, vt_state_error(&r));
    uint32_t n = vt_state_get_index(&r, sizeof got);
    vt_state_get_bytes(&r, got, n);
    got[vt_state_ok(&r) ? n : 0] = 0;
    if (vt_state_close(&r))
        return vt_fail(err, "%s: bad kiosk state header: %s", s->origin, vt_state_error(&r));
    if (strcmp(got, want))
        return vt_fail(err, "%s: the state is for '%s', this title is '%s'", s->origin, got, want);
    if (vt_machine_load(m, &r, err)) {
        vt_error inner = *err;
        return vt_fail(err, "%s: %s", s->origin, inner.msg);
    }
    return 0;
}

int vt_kiosk_state_read(vt_kiosk_state *s, const char *path, vt_error *err) {
    FILE *f = fopen(path, "rb");
    if (!f) return vt_fail(err, "%s: %s", path, strerror(errno));
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap = cap ? cap * 2 : 1 << 20);
            if (!nb) {
                free(buf);
                fclose(f);
                return vt_fail(err, "%s: out of memory", path);
            }
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return vt_fail(err, "%s: read error", path);
    }
    uint64_t want = len >= FILE_HEADER ? load_le64(buf + 4) : 0;
    if (len < FILE_HEADER || memcmp(buf, FILE_MAGIC, 4) || !want || want > FILE_MAX_STATE) {
        free(buf);
        return vt_fail(err, "%s: not a Vitrine kiosk state file (no %s header)", path, FILE_MAGIC);
    }
    uint8_t *state = malloc((size_t)want);
    uLongf got = (uLongf)want;
    int zrc = state ? uncompress(state, &got, buf + FILE_HEADER, (uLong)(len - FILE_HEADER))
                    : Z_MEM_ERROR;
    free(buf);
    if (zrc != Z_OK || got != want) {
        free(state);
        return vt_fail(err, "%s: damaged kiosk state file (zlib: %s)", path,
                       zrc == Z_OK ? "short" : zError(zrc));
    }
    free(s->buf);
    s->buf = state;
    s->len = (size_t)want;
    snprintf(s->origin, sizeof s->origin, "%s", path);
    return 0;
}

int vt_kiosk_state_write(const vt_kiosk_state *s, const char *path, vt_error *err) {
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    uLongf zlen = compressBound((uLong)s->len);
    uint8_t *z = malloc(FILE_HEADER + (size_t)zlen);
    if (!z) return vt_fail(err, "%s: out of memory", path);
    memcpy(z, FILE_MAGIC, 4);
    store_le64(z + 4, s->len);
    if (compress2(z + FILE_HEADER, &zlen, s->buf, (uLong)s->len, Z_BEST_SPEED) != Z_OK) {
        free(z);
        return vt_fail(err, "%s: cannot compress the state", path);
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        free(z);
        return vt_fail(err, "%s: %s", tmp, strerror(errno));
    }
    bool ok = fwrite(z, 1, FILE_HEADER + zlen, f) == FILE_HEADER + zlen;
    ok = (fclose(f) == 0) && ok;
    free(z);
    if (!ok || rename(tmp, path)) {
        remove(tmp);
        return vt_fail(err, "%s: cannot write the state", path);
    }
    return 0;
}

void vt_kiosk_state_free(vt_kiosk_state *s) {
    free(s->buf);
    memset(s, 0, sizeof *s);
}
