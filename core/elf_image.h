/* Reading an ELF image held in memory (ELF32/ELF64, either byte order), bounds-checked
 * against the buffer: the header, the PT_LOAD segments, PT_INTERP and PT_PHDR. One reader
 * for firmware that ships as ELF (OpenBIOS, placed into ROM regions), for Linux user
 * mode's program loader and for kernels a machine preloads (ELF or raw) for its firmware. Facts:
 * the System V ABI, "ELF header" and "Program header". */
#ifndef VT_ELF_IMAGE_H
#define VT_ELF_IMAGE_H

#include "core/common.h"

/* e_type values and p_flags bits */
enum { VT_ET_EXEC = 2, VT_ET_DYN = 3 };
enum { VT_PF_X = 1, VT_PF_W = 2, VT_PF_R = 4 };

typedef struct vt_elf_segment {
    uint64_t vaddr, paddr;
    uint64_t memsz;
    const uint8_t *data; /* file bytes (filesz of them); the rest up to memsz is zero */
    uint64_t filesz;
    uint64_t offset; /* of data in the file */
    uint32_t flags;  /* VT_PF_* */
} vt_elf_segment;

#define VT_ELF_MAX_SEGMENTS 16

typedef struct vt_elf_image {
    bool is64;
    vt_endian endian;
    uint16_t machine;
    uint16_t type; /* VT_ET_* or any other e_type */
    uint64_t entry;
    uint64_t phoff;     /* program header table: file offset, entry size, count */
    uint16_t phentsize; /* at least the class's header size (checked) */
    uint16_t phnum;
    bool has_phdr;       /* a PT_PHDR gave the table's address in memory: */
    uint64_t phdr_vaddr; /* its p_vaddr */
    const char *interp;  /* PT_INTERP path, NUL-terminated inside the buffer; NULL if none */
    vt_elf_segment seg[VT_ELF_MAX_SEGMENTS]; /* PT_LOAD segments with memsz > 0 */
    int nseg;
} vt_elf_image;

/* Parses the header and program headers; fails on anything malformed or out of range. */
int vt_elf_parse(const uint8_t *data, size_t len, vt_elf_image *out, vt_error *err) VT_MUST_CHECK;

/* A kernel file for a direct (--kernel) boot, read whole: an ELF image, or raw bytes that go
 * to one address. Shared by the machines whose firmware takes a preloaded kernel. */
typedef struct vt_kernel_image {
    uint8_t *data;
    size_t len;
    bool is_elf;
    vt_elf_image elf; /* valid when is_elf */
} vt_kernel_image;

/* Where in RAM (offset from its start) a segment at physical address `paddr` goes; UINT64_MAX
 * when the machine cannot place it. */
typedef uint64_t (*vt_kernel_dest_fn)(uint64_t paddr);

/* Reads `path`; a file starting with the ELF magic must be a 32-bit ELF for `machine` (e_machine)
 * in byte order `endian` (`arch` names it in the error). */
int vt_kernel_image_read(vt_kernel_image *k, const char *path, uint16_t machine, vt_endian endian,
                         const char *arch, vt_error *err) VT_MUST_CHECK;
/* ELF: every segment must land below `limit` through `dest`; *size = the bytes they occupy. */
int vt_kernel_image_fit(const vt_kernel_image *k, const char *path, vt_kernel_dest_fn dest,
                        uint64_t limit, uint32_t *size, vt_error *err) VT_MUST_CHECK;
/* Copies the segments (zero-filling past their file bytes) through `dest`, or the raw bytes to
 * `raw_offset`, into `ram`. */
void vt_kernel_image_place(const vt_kernel_image *k, uint8_t *ram, vt_kernel_dest_fn dest,
                           uint64_t raw_offset);
void vt_kernel_image_free(vt_kernel_image *k);

#endif
