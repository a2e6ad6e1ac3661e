/* ELF32 loader for Linux user mode: the file is parsed by core/elf_image.c, then the PT_LOAD
 * segments of the program (ET_EXEC at its addresses, ET_DYN/PIE at a fixed bias; none above
 * the ABI's TASK_SIZE) and of its PT_INTERP dynamic linker looked up under the -L sysroot are
 * mapped, then the initial stack: argc, argv, envp and the auxiliary vector
 * (System V ABI + Linux fs/binfmt_elf.c create_elf_tables for the entries and order). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/elf_image.h"
#include "machines/linux_user/lx_abi.h"

#define PIE_BIAS 0x00400000u
#define STACK_SIZE (8u << 20)

enum {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_BASE = 7,
    AT_FLAGS = 8,
    AT_ENTRY = 9,
    AT_UID = 11,
    AT_EUID = 12,
    AT_GID = 13,
    AT_EGID = 14,
    AT_PLATFORM = 15,
    AT_HWCAP = 16,
    AT_CLKTCK = 17,
    AT_DCACHEBSIZE = 19,
    AT_ICACHEBSIZE = 20,
    AT_UCACHEBSIZE = 21,
    AT_SECURE = 23,
    AT_RANDOM = 25,
    AT_HWCAP2 = 26,
    AT_EXECFN = 31
};

char *vt_lx_host_path(const vt_lx_proc *p, const char *guest) {
    if (p->sysroot && guest[0] == '/') {
        size_t n = strlen(p->sysroot) + strlen(guest) + 1;
        char *s = malloc(n);
        if (!s) return NULL;
        snprintf(s, n, "%s%s", p->sysroot, guest);
        struct stat st;
        if (!lstat(s, &st)) return s;
        free(s);
    }
    return strdup(guest);
}

/* Reads a whole program file (a regular file, at most 1 GiB) into a malloc'd buffer. */
static uint8_t *read_file(const char *path, size_t *len, vt_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        vt_fail(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    uint8_t *buf = NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        vt_fail(err, "%s: not a regular file", path);
    } else if (st.st_size > (1 << 30)) {
        vt_fail(err, "%s: larger than 1 GiB", path);
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        vt_fail(err, "%s: out of memory", path);
    } else {
        size_t n = 0;
        ssize_t r = 1;
        while (n < (size_t)st.st_size && (r = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
            n += (size_t)r;
        if (r < 0) {
            vt_fail(err, "%s: %s", path, strerror(errno));
            free(buf);
            buf = NULL;
        }
        *len = n;
    }
    close(fd);
    return buf;
}

static unsigned seg_perms(uint32_t flags) {
    return (flags & VT_PF_R ? VT_PERM_R : 0) | (flags & VT_PF_W ? VT_PERM_W : 0) |
           (flags & VT_PF_X ? VT_PERM_X : 0);
}

int vt_lx_load_image(vt_lx_proc *p, const uint8_t *data, size_t size, const char *name,
                     bool is_interp, vt_lx_image *img, vt_error *err) {
    const vt_lx_abi *abi = p->abi;
    vt_elf_image elf;
    if (vt_elf_parse(data, size, &elf, err)) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return vt_fail(err, "%s: %s", name, why);
    }
    if (elf.is64 || elf.endian != abi->endian)
        return vt_fail(err, "%s: not a 32-bit %s-endian ELF file", name,
                       abi->endian == VT_LITTLE_ENDIAN ? "little" : "big");
    if (elf.machine != abi->elf_machine || (elf.type != VT_ET_EXEC && elf.type != VT_ET_DYN))
        return vt_fail(err, "%s: ELF machine %u type %u is not a %s executable", name, elf.machine,
                       elf.type, abi->name);
    if (elf.phentsize != 32) return vt_fail(err, "%s: bad program header table", name);
    /* extent of the loadable segments: the room an ET_DYN image needs, and for ET_EXEC Linux's
       TASK_SIZE limit (mappings above it are refused: ARM's kuser helper page lies there) */
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < elf.nseg; i++) {
        const vt_elf_segment *s = &elf.seg[i];
        if (s->vaddr < lo) lo = s->vaddr;
        if (s->vaddr + s->memsz > hi) hi = s->vaddr + s->memsz;
    }
    lo &= ~(uint64_t)(VT_LX_PAGE - 1);
    /* Linux maps a segment's file bytes with mmap at offset p_offset - (p_vaddr % page), which
       must be page-aligned (binfmt_elf elf_map, mm/mmap.c offset_in_page): execve fails with
       EINVAL otherwise */
    for (int i = 0; i < elf.nseg; i++) {
        const vt_elf_segment *s = &elf.seg[i];
        if (s->filesz && ((s->offset ^ s->vaddr) & (VT_LX_PAGE - 1)))
            return vt_fail(err,
                           "%s: segment at 0x%llx has file offset 0x%llx, not congruent modulo the "
                           "page size; Linux refuses to map it",
                           name, (unsigned long long)s->vaddr, (unsigned long long)s->offset);
    }
    if (hi > (1ull << 32)) return vt_fail(err, "%s: a segment ends beyond 4 GiB", name);
    if (elf.type == VT_ET_EXEC && hi > abi->task_size)
        return vt_fail(err,
                       "%s: a segment reaches 0x%llx, beyond the %s user address space "
                       "(0x%x); Linux refuses to map it",
                       name, (unsigned long long)hi, abi->name, abi->task_size);
    if (hi - lo > abi->task_size) return vt_fail(err, "%s: no room for the image", name);
    uint32_t bias = 0;
    if (elf.type == VT_ET_DYN) {
        uint32_t at =
            vt_lx_find_free(p, is_interp ? abi->mmap_base : PIE_BIAS, (uint32_t)(hi - lo));
        if (!at) return vt_fail(err, "%s: no room for the image", name);
        bias = at - (uint32_t)lo;
    }
    img->bias = bias;
    img->entry = (uint32_t)elf.entry + bias;
    img->phnum = elf.phnum;
    img->phdr = elf.has_phdr ? (uint32_t)elf.phdr_vaddr + bias : 0;
    img->end = 0;
    img->interp[0] = 0;
    if (elf.interp && !is_interp) {
        if (strlen(elf.interp) >= sizeof img->interp)
            return vt_fail(err, "%s: PT_INTERP path too long", name);
        strcpy(img->interp, elf.interp);
    }
    for (int i = 0; i < elf.nseg; i++) {
        const vt_elf_segment *s = &elf.seg[i];
        uint32_t va = (uint32_t)s->vaddr + bias, msz = (uint32_t)s->memsz;
        uint32_t start = va & ~(VT_LX_PAGE - 1);
        uint32_t len = va + msz - start;
        /* a page an earlier segment already holds keeps its bytes, as with Linux's file
           mappings at congruent offsets; the later segment's protection wins */
        int e = vt_lx_map_holes(p, start, len, VT_PERM_R | VT_PERM_W);
        if (e) return vt_fail(err, "%s: cannot map segment at 0x%x: %s", name, start, strerror(-e));
        memcpy(p->base + va, s->data, s->filesz);
        if (vt_lx_protect(p, start, len, seg_perms(s->flags)))
            return vt_fail(err, "%s: cannot protect segment", name);
        /* no PT_PHDR: the table is where a segment maps its file offset */
        uint64_t phsize = 32ull * elf.phnum;
        if (!img->phdr && s->offset <= elf.phoff && elf.phoff + phsize <= s->offset + s->filesz)
            img->phdr = va + (uint32_t)(elf.phoff - s->offset);
        if (va + msz > img->end) img->end = va + msz;
    }
    return 0;
}

/* Loads the program file at path. */
static int load_file(vt_lx_proc *p, const char *path, bool is_interp, vt_lx_image *img,
                     vt_error *err) {
    size_t len = 0;
    uint8_t *data = read_file(path, &len, err);
    if (!data) return -1;
    int r = vt_lx_load_image(p, data, len, path, is_interp, img, err);
    free(data);
    return r;
}

/* Pushes bytes onto the guest stack being built; returns the new guest address. */
static uint32_t push_bytes(vt_lx_proc *p, uint32_t *sp, const void *data, uint32_t len) {
    *sp -= len;
    memcpy(p->base + *sp, data, len);
    return *sp;
}

int vt_lx_load_elf(vt_lx_proc *p, const char *host_path, char **argv, char **envp, uint32_t *entry,
                   uint32_t *sp_out, vt_error *err) {
    vt_lx_image exe, interp = {0};
    if (load_file(p, host_path, false, &exe, err)) return -1;
    uint32_t interp_base = 0;
    *entry = exe.entry;
    if (exe.interp[0]) {
        char *ip = vt_lx_host_path(p, exe.interp);
        if (!ip) return vt_fail(err, "out of memory");
        int r = load_file(p, ip, true, &interp, err);
        free(ip);
        if (r) return -1;
        interp_base = interp.bias;
        *entry = interp.entry;
    }
    uint32_t brk = (exe.end + VT_LX_PAGE - 1) & ~(VT_LX_PAGE - 1);
    p->brk_start = p->brk_cur = p->brk_mapped = brk;

    /* stack */
    uint32_t top = p->abi->stack_top;
    int e = vt_lx_map(p, top - STACK_SIZE, STACK_SIZE, VT_PERM_R | VT_PERM_W, false, -1, 0);
    if (e) return vt_fail(err, "cannot map the guest stack: %s", strerror(-e));
    uint32_t sp = top;
    int argc = 0, envc = 0;
    while (argv[argc])
        argc++;
    while (envp[envc])
        envc++;
    uint32_t execfn = push_bytes(p, &sp, p->exe_guest, (uint32_t)strlen(p->exe_guest) + 1);
    uint32_t plat = push_bytes(p, &sp, p->abi->platform, (uint32_t)strlen(p->abi->platform) + 1);
    uint8_t rnd[16];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) memset(rnd, 0x5a, sizeof rnd);
    uint32_t random = push_bytes(p, &sp, rnd, sizeof rnd);
    uint32_t *aptr = calloc((size_t)argc + (size_t)envc + 2, sizeof *aptr);
    if (!aptr) return vt_fail(err, "out of memory");
    size_t strings = 0;
    for (int i = 0; i < argc; i++)
        strings += strlen(argv[i]) + 1;
    for (int i = 0; i < envc; i++)
        strings += strlen(envp[i]) + 1;
    if (strings > STACK_SIZE / 2) {
        free(aptr);
        return vt_fail(err, "argument list too long");
    }
    for (int i = envc - 1; i >= 0; i--)
        aptr[argc + 1 + i] = push_bytes(p, &sp, envp[i], (uint32_t)strlen(envp[i]) + 1);
    for (int i = argc - 1; i >= 0; i--)
        aptr[i] = push_bytes(p, &sp, argv[i], (uint32_t)strlen(argv[i]) + 1);
    uint32_t aux[][2] = {
        /* PowerPC's ARCH_DLINFO: cache block sizes (glibc's memset uses dcbz with them) */
        {AT_DCACHEBSIZE, p->abi->cache_bsize},
        {AT_ICACHEBSIZE, p->abi->cache_bsize},
        {AT_UCACHEBSIZE, p->abi->cache_bsize},
        {AT_PHDR, exe.phdr},
        {AT_PHENT, 32},
        {AT_PHNUM, exe.phnum},
        {AT_PAGESZ, VT_LX_PAGE},
        {AT_BASE, interp_base},
        {AT_FLAGS, 0},
        {AT_ENTRY, exe.entry},
        {AT_UID, (uint32_t)getuid()},
        {AT_EUID, (uint32_t)geteuid()},
        {AT_GID, (uint32_t)getgid()},
        {AT_EGID, (uint32_t)getegid()},
        {AT_SECURE, 0},
        {AT_RANDOM, random},
        {AT_HWCAP, p->abi->hwcap_of ? p->abi->hwcap_of(p) : p->abi->hwcap},
        {AT_HWCAP2, 0},
        {AT_CLKTCK, 100},
        {AT_PLATFORM, plat},
        {AT_EXECFN, execfn},
        {AT_NULL, 0},
    };
    /* the first three only where the ABI has them */
    size_t first = p->abi->cache_bsize ? 0 : 3, naux = VT_ARRAY_LEN(aux) - first;
    uint32_t words = 1 + (uint32_t)argc + 1 + (uint32_t)envc + 1 + 2 * (uint32_t)naux;
    sp = (sp - 4 * words) & ~15u;
    uint8_t *w = p->base + sp;
    const vt_lx_abi *abi = p->abi;
    vt_lx_store(abi, w, 4, (uint32_t)argc);
    w += 4;
    for (int i = 0; i < argc; i++, w += 4)
        vt_lx_store(abi, w, 4, aptr[i]);
    vt_lx_store(abi, w, 4, 0);
    w += 4;
    for (int i = 0; i < envc; i++, w += 4)
        vt_lx_store(abi, w, 4, aptr[argc + 1 + i]);
    vt_lx_store(abi, w, 4, 0);
    w += 4;
    for (size_t i = 0; i < naux; i++, w += 8) {
        vt_lx_store(abi, w, 4, aux[first + i][0]);
        vt_lx_store(abi, w + 4, 4, aux[first + i][1]);
    }
    free(aptr);
    *sp_out = sp;
    return 0;
}
