/* MAME-style audit text: one line per manifest file (good, wrong length, bad checksum with
 * expected and found CRC32/SHA-1, NOT FOUND) and a verdict per set ("romset X is good",
 * "is bad", "not found"). */
#include "romsets/romset.h"

static void append(char *out, size_t outlen, const char *fmt, ...) VT_PRINTF(3, 4);
static void append(char *out, size_t outlen, const char *fmt, ...) {
    size_t n = strlen(out);
    if (n >= outlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + n, outlen - n, fmt, ap);
    va_end(ap);
}

void vt_romset_status_text(const vt_romset *set, int i, char *out, size_t outlen) {
    const vt_rom_manifest_file *f = &set->manifest.files[i];
    const vt_rom_found *r = &set->found[i];
    char hex[41];
    out[0] = 0;
    switch (r->status) {
    case VT_ROM_GOOD:
        append(out, outlen, "good");
        if (f->dumps[r->dump].label[0]) append(out, outlen, " (%s)", f->dumps[r->dump].label);
        break;
    case VT_ROM_WRONG_LENGTH:
        append(out, outlen, "wrong length (expected ");
        for (int d = 0; d < f->ndumps; d++) {
            bool seen = false;
            for (int e = 0; e < d; e++)
                seen |= f->dumps[e].size == f->dumps[d].size;
            if (!seen)
                append(out, outlen, "%s%llu", d ? " or " : "",
                       (unsigned long long)f->dumps[d].size);
        }
        append(out, outlen, ", found %s%llu)", r->size_more ? "more than " : "",
               (unsigned long long)r->size);
        break;
    case VT_ROM_BAD_CHECKSUM:
        append(out, outlen, "bad checksum: expected");
        for (int d = 0, n = 0; d < f->ndumps; d++) {
            if (f->dumps[d].size != r->size) continue;
            vt_sha1_hex(f->dumps[d].sha1, hex);
            append(out, outlen, "%s CRC32 %08x SHA1 %s", n++ ? " or" : "", f->dumps[d].crc32, hex);
        }
        vt_sha1_hex(r->sha1, hex);
        append(out, outlen, ", found CRC32 %08x SHA1 %s", r->crc32, hex);
        break;
    case VT_ROM_NOT_FOUND:
        append(out, outlen, f->required ? "NOT FOUND" : "NOT FOUND (optional)");
        break;
    }
}

bool vt_romset_audit_print(const vt_romset *set, FILE *fp) {
    const char *name = set->manifest.name;
    if (set->kind == VT_ROMSET_ABSENT) {
        fprintf(fp, "romset %s not found\n", name);
        return false;
    }
    char line[1024];
    for (int i = 0; i < set->manifest.nfiles; i++) {
        vt_romset_status_text(set, i, line, sizeof line);
        fprintf(fp, "%s: %s\n", set->manifest.files[i].name, line);
    }
    bool good = vt_romset_is_good(set);
    fprintf(fp, "romset %s is %s\n", name, good ? "good" : "bad");
    return good;
}
