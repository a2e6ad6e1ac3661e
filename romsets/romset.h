/* ROM sets: a manifest (romsets/NAME.ini: every file's size, CRC32, SHA-1, known-good dumps,
 * load address) and its files, read from NAME/, NAME.zip, NAME.7z or NAME.tar.* on the ROM path
 * with libarchive into memory only. Archive entries that could escape (.., absolute paths,
 * links) are refused; entries are capped at their manifest size, archives at a total byte and
 * entry budget. Auditing (MAME-style good / wrong length / bad checksum / NOT FOUND) is the same
 * read with a per-file verdict. Format and sources: romsets/README.md. */
#ifndef VT_ROMSET_H
#define VT_ROMSET_H

#include <stdio.h>

#include "core/common.h"

/* Limits that make zip bombs harmless: bytes decompressed from one container in total, and
 * entries looked at. A single file may not be larger than VT_ROMSET_MAX_FILE. */
#define VT_ROMSET_MAX_TOTAL (64u << 20)
#define VT_ROMSET_MAX_ENTRIES 256
#define VT_ROMSET_MAX_FILE (32u << 20)
#define VT_ROMSET_MAX_DUMPS 8

/* One known-good dump of a file. */
typedef struct vt_rom_dump {
    uint64_t size;
    uint32_t crc32;
    uint8_t sha1[20];
    char label[96]; /* "Debian qemu-system-data 1:7.2+dfsg-7+deb12u18", may be empty */
} vt_rom_dump;

typedef struct vt_rom_manifest_file {
    char name[64];
    vt_rom_dump dumps[VT_ROMSET_MAX_DUMPS]; /* [0] from size/crc32/sha1, then alt, alt2, ... */
    int ndumps;
    bool has_load;
    uint64_t load; /* default physical load address */
    bool has_alias;
    uint64_t alias; /* a second physical address showing the same bytes (PC BIOS) */
    bool elf;       /* `format = elf`: an ELF image; segments go to load + (vaddr - first) */
    bool required;
    char package_path[256]; /* path inside the source package, for fetch ("" if none) */
} vt_rom_manifest_file;

typedef struct vt_rom_manifest {
    char path[512]; /* the manifest file read */
    char name[64];
    char description[160];
    char source[128]; /* "debian:PACKAGE" or "" */
    vt_rom_manifest_file *files;
    int nfiles;
} vt_rom_manifest;

int vt_rom_manifest_load(const char *path, vt_rom_manifest *out, vt_error *err) VT_MUST_CHECK;
void vt_rom_manifest_free(vt_rom_manifest *m);
/* Largest size of any known dump of f: the cap for reading it. */
uint64_t vt_rom_manifest_max_size(const vt_rom_manifest_file *f);

typedef enum vt_rom_status {
    VT_ROM_GOOD,
    VT_ROM_WRONG_LENGTH,
    VT_ROM_BAD_CHECKSUM,
    VT_ROM_NOT_FOUND,
} vt_rom_status;

/* What was found for one manifest file. */
typedef struct vt_rom_found {
    vt_rom_status status;
    int dump;      /* index of the matching dump when GOOD */
    uint64_t size; /* bytes found; when size_more, "more than" this */
    bool size_more;
    uint32_t crc32;
    uint8_t sha1[20];
    uint8_t *data; /* owned; NULL unless found with an acceptable length */
} vt_rom_found;

typedef enum vt_romset_container {
    VT_ROMSET_ABSENT, /* nothing named NAME on the ROM path */
    VT_ROMSET_DIR,
    VT_ROMSET_ARCHIVE,
} vt_romset_container;

typedef struct vt_romset {
    vt_rom_manifest manifest;
    vt_romset_container kind;
    char container[1024]; /* path of the directory or archive read */
    vt_rom_found *found;  /* one per manifest file */
} vt_romset;

/* Resolves a set name ("openbios-sparc32", found in <vt_data_dir()>/romsets/) or a path to a
 * manifest ("x.ini" or anything with a '/'). */
int vt_romset_manifest_path(const char *name_or_path, char *out, size_t outlen,
                            vt_error *err) VT_MUST_CHECK;
/* The ROM path to use: `override` (--rom-path) if given, else $VITRINE_ROM_PATH, else
 * $XDG_DATA_HOME/vitrine/roms, else ~/.local/share/vitrine/roms. May hold several
 * directories separated by ':'. */
int vt_romset_rom_path(const char *override, char *out, size_t outlen, vt_error *err) VT_MUST_CHECK;

/* Reads a set for auditing: fails only for an unusable manifest or a refused/corrupt
 * container (traversal, link, bomb, truncated, not an archive); per-file problems and an absent
 * set are reported in (*out)->found and ->kind. rom_path NULL = vt_romset_rom_path(NULL). */
int vt_romset_open(const char *name_or_path, const char *rom_path, vt_romset **out,
                   vt_error *err) VT_MUST_CHECK;
/* Like vt_romset_open, but also fails unless every required file is good: what a machine
 * uses before it maps ROMs. The message names the set, the file and what is wrong. */
int vt_romset_load(const char *name_or_path, const char *rom_path, vt_romset **out,
                   vt_error *err) VT_MUST_CHECK;
void vt_romset_free(vt_romset *set);

/* The bytes of a good file (valid until vt_romset_free); -1 when absent or not good. */
int vt_romset_file(const vt_romset *set, const char *name, const uint8_t **data,
                   size_t *len) VT_MUST_CHECK;
/* The manifest's default load address of a file; -1 when it has none. */
int vt_romset_file_load_addr(const vt_romset *set, const char *name, uint64_t *addr) VT_MUST_CHECK;
/* The manifest entry of a file (load, alias, format), or NULL. */
const vt_rom_manifest_file *vt_romset_manifest_file(const vt_romset *set, const char *name);

/* True when every required file is good. */
bool vt_romset_is_good(const vt_romset *set);
/* Prints one line per file and the set's verdict, MAME-style; returns vt_romset_is_good(). */
bool vt_romset_audit_print(const vt_romset *set, FILE *fp);
/* One-line text for a file's status, e.g. "good (Debian ...)" or
 * "bad checksum: expected CRC32 ... SHA1 ..., found CRC32 ... SHA1 ...". */
void vt_romset_status_text(const vt_romset *set, int file, char *out, size_t outlen);

/* Hashes `len` bytes: CRC32 (zlib) and SHA-1 (Nettle). */
void vt_rom_hash(const uint8_t *data, size_t len, uint32_t *crc, uint8_t sha1[20]);
/* Lowercase hex of a SHA-1 into out[41]. */
void vt_sha1_hex(const uint8_t sha1[20], char out[41]);

/* Builds the set from its source package (`source = debian:PKG`): apt-get download into
 * cache_dir, dpkg-deb -x, then writes NAME.zip (from memory, via libarchive) into rom_dir
 * atomically. Progress lines go to `log` (may be NULL). */
int vt_romset_fetch(const vt_rom_manifest *m, const char *cache_dir, const char *rom_dir, FILE *log,
                    vt_error *err) VT_MUST_CHECK;

#endif
