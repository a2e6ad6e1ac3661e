/* Software titles: one INI file (or a zip holding it and its images) that says how to run a
 * piece of software: machine profile, disk and CD images with their SHA-1, ROM sets, boot
 * options, an input log to replay, a description. Images are opened through a --snapshot
 * overlay unless the title says `snapshot = no`. The file format is described in
 * frontend/title.c's header and config/titles/README.md. */
#ifndef VT_TITLE_H
#define VT_TITLE_H

#include "core/common.h"

#include <stdio.h>

#define VT_TITLE_MAX_MEDIA 8
#define VT_TITLE_MAX_ROMSETS 4

typedef struct vt_title_media {
    bool cdrom;
    char path[4096];  /* resolved against the title's directory */
    char sha1[41];    /* lowercase hex; "" when the title gives none */
    char where[4200]; /* "file:line" of the entry, for messages */
} vt_title_media;

typedef struct vt_title {
    char dir[4096];    /* the title's directory (a temporary one for a zip) */
    char tmpdir[4096]; /* non-empty: extracted zip, removed by vt_title_free */
    char name[256], description[1024];
    char machine[4096]; /* profile name, or path resolved against dir */
    char romsets[VT_TITLE_MAX_ROMSETS][64];
    int nromsets;
    vt_title_media media[VT_TITLE_MAX_MEDIA];
    int nmedia;
    bool snapshot;
    char kernel[4096], initrd[4096], append[1024], input[4096];
    char until[32], speed[32], display[16];
} vt_title;

/* Loads FILE (.ini, or .zip holding title.ini at its top). Errors say file:line. */
int vt_title_load(const char *file, vt_title *t, vt_error *err) VT_MUST_CHECK;
void vt_title_free(vt_title *t);
/* Checks every image's SHA-1 (and that it exists); prints one line per image to `out`
 * (may be NULL). Returns 0 when all match, -1 with err naming the first mismatch. */
int vt_title_verify(const vt_title *t, FILE *out, vt_error *err) VT_MUST_CHECK;
/* Extracts a title zip into a new temporary directory (frontend/title_zip.c); ini gets the
 * path of its title.ini. */
int vt_title_unzip(const char *zip, char *dir, size_t dirlen, char *ini, size_t inilen,
                   vt_error *err) VT_MUST_CHECK;
/* SHA-1 of a whole file, streamed. */
int vt_title_file_sha1(const char *path, char hex[41], vt_error *err) VT_MUST_CHECK;

#endif
