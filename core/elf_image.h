/* Reading the loadable segments of an ELF image held in memory (ELF32/ELF64, either byte
 * order), bounds-checked against the buffer: used to place firmware that ships as ELF
 * (OpenBIOS) into ROM regions. Facts: the System V ABI, "ELF header" and "Program header". */
#ifndef VT_ELF_IMAGE_H
#define VT_ELF_IMAGE_H

#include "core/common.h"

typedef struct vt_elf_segment {
    uint64_t vaddr, paddr;
    uint64_t memsz;
    const uint8_t *data; /* file bytes (filesz of them); the rest up to memsz is zero */
    uint64_t filesz;
} vt_elf_segment;

#define VT_ELF_MAX_SEGMENTS 16

typedef struct vt_elf_image {
    bool is64;
    vt_endian endian;
    uint16_t machine;
    uint64_t entry;
    vt_elf_segment seg[VT_ELF_MAX_SEGMENTS]; /* PT_LOAD segments with memsz > 0 */
    int nseg;
} vt_elf_image;

/* Parses the header and PT_LOAD program headers; fails on anything malformed or out of range. */
int vt_elf_parse(const uint8_t *data, size_t len, vt_elf_image *out, vt_error *err) VT_MUST_CHECK;

#endif
