/* libFuzzer harness: arbitrary bytes as an ELF program. The shared reader (core/elf_image.c)
 * and Linux user mode's loader on top of it (segments mapped into a fresh 4 GiB guest address
 * space of the ABI the e_machine names, i386 or else ARM) must end in a loaded image or a
 * clean error, never a crash, a hang or a leak; a loaded image has every segment page mapped
 * and nothing above the ABI's TASK_SIZE. */
#include "core/elf_image.h"
#include "machines/linux_user/lx_abi.h"

#include <stdlib.h>

static void check_loaded(const vt_lx_proc *p, const vt_elf_image *elf, const vt_lx_image *img) {
    for (int i = 0; i < elf->nseg; i++) {
        uint64_t va = (uint32_t)elf->seg[i].vaddr + img->bias;
        uint64_t end = va + elf->seg[i].memsz;
        if (end > p->abi->task_size) __builtin_trap();
        for (uint64_t pg = va / VT_LX_PAGE; pg <= (end - 1) / VT_LX_PAGE; pg++)
            if (!(p->pages[pg] & VT_LX_PAGE_MAPPED)) __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    vt_elf_image elf;
    vt_error err;
    if (vt_elf_parse(data, size, &elf, &err)) return 0;
    vt_lx_proc p = {.abi = vt_lx_find_abi(elf.machine == 3 ? "i386" : "arm")};
    if (vt_lx_mem_init(&p, &err)) return 0;
    vt_lx_image *img = malloc(sizeof *img);
    if (img && !vt_lx_load_image(&p, data, size, "fuzz.elf", false, img, &err))
        check_loaded(&p, &elf, img);
    free(img);
    vt_lx_mem_free(&p);
    return 0;
}
