/* Checks the bytes read for a manifest file against its known-good dumps: CRC32 (zlib) and
 * SHA-1 (Nettle) must both match one dump of the same length. The result is what the audit
 * prints and what vt_romset_file() hands to machines. */
#include <nettle/sha1.h>
#include <stdlib.h>
#include <zlib.h>

#include "romsets/romset_read.h"

void vt_rom_hash(const uint8_t *data, size_t len, uint32_t *crc, uint8_t sha1[20]) {
    uLong c = crc32(0L, Z_NULL, 0);
    struct sha1_ctx ctx;
    sha1_init(&ctx);
    for (size_t off = 0; off < len;) { /* zlib's length argument is a uInt */
        size_t n = len - off > (1u << 30) ? (1u << 30) : len - off;
        c = crc32(c, data + off, (uInt)n);
        sha1_update(&ctx, n, data + off);
        off += n;
    }
    sha1_digest(&ctx, SHA1_DIGEST_SIZE, sha1);
    *crc = (uint32_t)c;
}

void vt_sha1_hex(const uint8_t sha1[20], char out[41]) {
    for (int i = 0; i < 20; i++)
        snprintf(out + 2 * i, 3, "%02x", sha1[i]);
}

int vt_romset_find_file(const vt_romset *set, const char *name) {
    for (int i = 0; i < set->manifest.nfiles; i++)
        if (!strcmp(set->manifest.files[i].name, name)) return i;
    return -1;
}

void vt_romset_classify(vt_romset *set, int i, uint8_t *data, uint64_t len, bool more,
                        uint64_t declared) {
    const vt_rom_manifest_file *f = &set->manifest.files[i];
    vt_rom_found *r = &set->found[i];
    memset(r, 0, sizeof *r);
    if (more) { /* longer than every known dump: no need to hash */
        free(data);
        r->status = VT_ROM_WRONG_LENGTH;
        r->size_more = declared <= len;
        r->size = r->size_more ? len : declared;
        return;
    }
    r->size = len;
    vt_rom_hash(data, (size_t)len, &r->crc32, r->sha1);
    r->status = VT_ROM_WRONG_LENGTH;
    for (int d = 0; d < f->ndumps; d++) {
        const vt_rom_dump *k = &f->dumps[d];
        if (k->size != len) continue;
        if (k->crc32 == r->crc32 && !memcmp(k->sha1, r->sha1, 20)) {
            r->status = VT_ROM_GOOD;
            r->dump = d;
            r->data = data;
            return;
        }
        r->status = VT_ROM_BAD_CHECKSUM;
    }
    free(data);
}
