/* ELF32 loader for Linux user mode: PT_LOAD segments of the program (ET_EXEC at its
 * addresses, ET_DYN/PIE at a fixed bias) and of its PT_INTERP dynamic linker looked up
 * under the -L sysroot, then the initial stack: argc, argv, envp and the auxiliary vector
 * (System V ABI + Linux fs/binfmt_elf.c create_elf_tables for the entries and order). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

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

typedef struct elf_image {
    uint32_t entry, phdr, phnum, bias, end;
    char interp[256];
} elf_image;

static uint32_t rd(const vt_lx_proc *p, const uint8_t *b, unsigned size) {
    return (uint32_t)vt_lx_load(p->abi, b, size);
}

static int load_image(vt_lx_proc *p, const char *path, bool is_interp, elf_image *img,
                      vt_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return vt_fail(err, "%s: cannot open: %s", path, strerror(errno));
    uint8_t eh[52];
    uint8_t *ph = NULL;
    int rc = -1;
    if (pread(fd, eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh,
                                                                    "\x7f"
                                                                    "ELF",
                                                                    4)) {
        vt_fail(err, "%s: not an ELF file", path);
        goto out;
    }
    if (eh[4] != 1 || eh[5] != (p->abi->endian == VT_LITTLE_ENDIAN ? 1 : 2)) {
        vt_fail(err, "%s: not a 32-bit %s-endian ELF file", path,
                p->abi->endian == VT_LITTLE_ENDIAN ? "little" : "big");
        goto out;
    }
    uint32_t type = rd(p, eh + 16, 2), machine = rd(p, eh + 18, 2);
    if (machine != p->abi->elf_machine || (type != 2 && type != 3)) {
        vt_fail(err, "%s: ELF machine %u type %u is not a %s executable", path, machine, type,
                p->abi->name);
        goto out;
    }
    uint32_t phoff = rd(p, eh + 28, 4), phentsize = rd(p, eh + 42, 2), phnum = rd(p, eh + 44, 2);
    if (phentsize != 32 || phnum == 0 || phnum > 64) {
        vt_fail(err, "%s: bad program header table", path);
        goto out;
    }
    ph = malloc(32 * phnum);
    if (!ph || pread(fd, ph, 32 * phnum, phoff) != (ssize_t)(32 * phnum)) {
        vt_fail(err, "%s: truncated program headers", path);
        goto out;
    }
    /* extent of the loadable segments, to place ET_DYN images */
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t i = 0; i < phnum; i++) {
        const uint8_t *h = ph + 32 * i;
        if (rd(p, h, 4) != 1) continue;
        uint32_t va = rd(p, h + 8, 4), msz = rd(p, h + 20, 4);
        if ((uint64_t)va + msz > UINT32_MAX) {
            vt_fail(err, "%s: segment beyond 4 GiB", path);
            goto out;
        }
        if (va < lo) lo = va;
        if (va + msz > hi) hi = va + msz;
    }
    if (lo > hi) {
        vt_fail(err, "%s: no loadable segment", path);
        goto out;
    }
    lo &= ~(VT_LX_PAGE - 1);
    uint32_t bias = 0;
    if (type == 3) {
        uint32_t want = is_interp ? 0 : PIE_BIAS;
        uint32_t at = vt_lx_find_free(p, is_interp ? p->abi->mmap_base : want, hi - lo);
        if (!at) {
            vt_fail(err, "%s: no room for the image", path);
            goto out;
        }
        bias = at - lo;
    }
    img->bias = bias;
    img->entry = rd(p, eh + 24, 4) + bias;
    img->phnum = phnum;
    img->phdr = 0;
    img->end = 0;
    img->interp[0] = 0;
    for (uint32_t i = 0; i < phnum; i++) {
        const uint8_t *h = ph + 32 * i;
        uint32_t ptype = rd(p, h, 4), off = rd(p, h + 4, 4), va = rd(p, h + 8, 4) + bias;
        uint32_t fsz = rd(p, h + 16, 4), msz = rd(p, h + 20, 4), flags = rd(p, h + 24, 4);
        if (ptype == 3 && !is_interp) { /* PT_INTERP */
            if (fsz == 0 || fsz >= sizeof img->interp ||
                pread(fd, img->interp, fsz, off) != (ssize_t)fsz) {
                vt_fail(err, "%s: bad PT_INTERP", path);
                goto out;
            }
            img->interp[fsz - 1] = 0;
        }
        if (ptype == 6) img->phdr = va; /* PT_PHDR */
        if (ptype != 1 || msz == 0) continue;
        if (fsz > msz) {
            vt_fail(err, "%s: segment file size exceeds memory size", path);
            goto out;
        }
        uint32_t start = va & ~(VT_LX_PAGE - 1);
        uint32_t len = va + msz - start;
        unsigned perms =
            (flags & 4 ? VT_PERM_R : 0) | (flags & 2 ? VT_PERM_W : 0) | (flags & 1 ? VT_PERM_X : 0);
        int e = vt_lx_map(p, start, len, VT_PERM_R | VT_PERM_W, false, -1, 0);
        if (e) {
            vt_fail(err, "%s: cannot map segment at 0x%x: %s", path, start, strerror(-e));
            goto out;
        }
        if (fsz && pread(fd, p->base + va, fsz, off) != (ssize_t)fsz) {
            vt_fail(err, "%s: truncated segment", path);
            goto out;
        }
        if (vt_lx_protect(p, start, len, perms)) {
            vt_fail(err, "%s: cannot protect segment", path);
            goto out;
        }
        if (off <= phoff && phoff + 32 * phnum <= off + fsz && !img->phdr)
            img->phdr = va + (phoff - off);
        if (va + msz > img->end) img->end = va + msz;
    }
    rc = 0;
out:
    free(ph);
    close(fd);
    return rc;
}

/* Pushes bytes onto the guest stack being built; returns the new guest address. */
static uint32_t push_bytes(vt_lx_proc *p, uint32_t *sp, const void *data, uint32_t len) {
    *sp -= len;
    memcpy(p->base + *sp, data, len);
    return *sp;
}

int vt_lx_load_elf(vt_lx_proc *p, const char *host_path, char **argv, char **envp, uint32_t *entry,
                   uint32_t *sp_out, vt_error *err) {
    elf_image exe, interp = {0};
    if (load_image(p, host_path, false, &exe, err)) return -1;
    uint32_t interp_base = 0;
    *entry = exe.entry;
    if (exe.interp[0]) {
        char *ip = vt_lx_host_path(p, exe.interp);
        if (!ip) return vt_fail(err, "out of memory");
        int r = load_image(p, ip, true, &interp, err);
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
        {AT_HWCAP, p->abi->hwcap},
        {AT_HWCAP2, 0},
        {AT_CLKTCK, 100},
        {AT_PLATFORM, plat},
        {AT_EXECFN, execfn},
        {AT_NULL, 0},
    };
    uint32_t words = 1 + (uint32_t)argc + 1 + (uint32_t)envc + 1 + 2 * VT_ARRAY_LEN(aux);
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
    for (size_t i = 0; i < VT_ARRAY_LEN(aux); i++, w += 8) {
        vt_lx_store(abi, w, 4, aux[i][0]);
        vt_lx_store(abi, w + 4, 4, aux[i][1]);
    }
    free(aptr);
    *sp_out = sp;
    return 0;
}
