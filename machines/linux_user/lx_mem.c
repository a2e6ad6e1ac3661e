/* Guest address space of a Linux user-mode process: one 4 GiB PROT_NONE host reservation
 * plus a guard page (so base + any 32-bit address, and up to 3 bytes past it, stays inside
 * it), guest mappings placed with MAP_FIXED inside it, and a permission byte per 4 KiB page
 * that every guest access and every syscall buffer is checked against before the host
 * touches it. The host protection of a page is the guest's (read, write), so a JIT accessing
 * guest memory directly faults exactly where the interpreter's check does. */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "machines/linux_user/lx_abi.h"

#define RESERVE (1ull << 32)
#define GUARD VT_LX_PAGE /* PROT_NONE past 4 GiB: a direct access that wraps faults */

int vt_lx_mem_init(vt_lx_proc *p, vt_error *err) {
    void *base =
        mmap(NULL, RESERVE + GUARD, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return vt_fail(err, "cannot reserve 4 GiB of guest address space");
    p->pages = calloc(VT_LX_NPAGES, 1);
    if (!p->pages) {
        munmap(base, RESERVE + GUARD);
        return vt_fail(err, "out of memory for the guest page table");
    }
    p->base = base;
    return 0;
}

void vt_lx_mem_free(vt_lx_proc *p) {
    if (p->base) munmap(p->base, RESERVE + GUARD);
    free(p->pages);
    p->base = NULL;
    p->pages = NULL;
}

static void code_write(const vt_lx_proc *p, uint32_t addr, uint64_t len) {
    if (p->abi && p->abi->code_write && p->cpu && len)
        p->abi->code_write(p, addr, (uint32_t)(len < RESERVE - addr ? len : RESERVE - addr));
}

/* After the guest map changed over [addr, addr+len). */
static void flush_tlb(vt_lx_proc *p, uint32_t addr, uint64_t len) {
    if (p->tlb) vt_tlb_flush(p->tlb);
    if (p->abi && p->abi->flush && p->cpu) p->abi->flush(p);
    code_write(p, addr, len);
}

static int host_prot(unsigned perms) {
    /* exactly what the guest may do (the loader and the layer's own writers map a page
     * writable, fill it, then set the guest's protection; syscalls write only where the guest
     * may): a JIT's direct loads and stores fault where the interpreter's checks do */
    if (!(perms & VT_PERM_R)) return PROT_NONE;
    return PROT_READ | ((perms & VT_PERM_W) ? PROT_WRITE : 0);
}

/* As Linux on every host it emulates: a writable or executable page is readable too (their
 * page tables cannot express write-only or execute-only user pages). */
static unsigned guest_perms(unsigned perms) {
    return perms & (VT_PERM_W | VT_PERM_X) ? perms | VT_PERM_R : perms;
}

int vt_lx_map(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perms, bool shared, int fd,
              uint64_t off) {
    if ((addr & (VT_LX_PAGE - 1)) || !len) return -EINVAL;
    uint64_t end = (uint64_t)addr + len;
    if (end > RESERVE) return -ENOMEM;
    len = (uint32_t)((end - addr + VT_LX_PAGE - 1) & ~(uint64_t)(VT_LX_PAGE - 1));
    perms = guest_perms(perms);
    int flags = MAP_FIXED | (shared ? MAP_SHARED : MAP_PRIVATE) | (fd < 0 ? MAP_ANONYMOUS : 0);
    void *r = mmap(p->base + addr, len, host_prot(perms), flags, fd, (off_t)off);
    if (r == MAP_FAILED) return -errno;
    for (uint32_t pg = addr / VT_LX_PAGE; pg < (addr + (uint64_t)len) / VT_LX_PAGE; pg++)
        p->pages[pg] = (uint8_t)(perms | VT_LX_PAGE_MAPPED | (shared ? VT_LX_PAGE_SHARED : 0));
    flush_tlb(p, addr, len);
    return 0;
}

int vt_lx_map_holes(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perms) {
    uint64_t end = ((uint64_t)addr + len + VT_LX_PAGE - 1) / VT_LX_PAGE;
    if (end > VT_LX_NPAGES) return -ENOMEM;
    for (uint64_t pg = addr / VT_LX_PAGE; pg < end; pg++) {
        if (p->pages[pg] & VT_LX_PAGE_MAPPED) continue;
        uint64_t run = pg;
        while (run < end && !(p->pages[run] & VT_LX_PAGE_MAPPED))
            run++;
        int e = vt_lx_map(p, (uint32_t)(pg * VT_LX_PAGE), (uint32_t)((run - pg) * VT_LX_PAGE),
                          perms, false, -1, 0);
        if (e) return e;
        pg = run;
    }
    return 0;
}

int vt_lx_unmap(vt_lx_proc *p, uint32_t addr, uint32_t len) {
    if ((addr & (VT_LX_PAGE - 1)) || !len) return -EINVAL;
    uint64_t end = ((uint64_t)addr + len + VT_LX_PAGE - 1) & ~(uint64_t)(VT_LX_PAGE - 1);
    if (end > RESERVE) end = RESERVE;
    void *r = mmap(p->base + addr, end - addr, PROT_NONE,
                   MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (r == MAP_FAILED) return -errno;
    for (uint64_t pg = addr / VT_LX_PAGE; pg < end / VT_LX_PAGE; pg++)
        p->pages[pg] = 0;
    flush_tlb(p, addr, end - addr);
    return 0;
}

int vt_lx_protect(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perms) {
    if (addr & (VT_LX_PAGE - 1)) return -EINVAL;
    uint64_t end = ((uint64_t)addr + len + VT_LX_PAGE - 1) & ~(uint64_t)(VT_LX_PAGE - 1);
    if (end > RESERVE) return -ENOMEM;
    for (uint64_t pg = addr / VT_LX_PAGE; pg < end / VT_LX_PAGE; pg++)
        if (!(p->pages[pg] & VT_LX_PAGE_MAPPED)) return -ENOMEM;
    perms = guest_perms(perms);
    if (mprotect(p->base + addr, end - addr, host_prot(perms))) return -errno;
    for (uint64_t pg = addr / VT_LX_PAGE; pg < end / VT_LX_PAGE; pg++)
        p->pages[pg] = (uint8_t)((p->pages[pg] & ~7u) | perms);
    flush_tlb(p, addr, end - addr);
    return 0;
}

/* Applies fn to every maximal run of pages that have `flag`. */
static int for_flagged_runs(vt_lx_proc *p, uint8_t flag,
                            int (*fn)(vt_lx_proc *p, uint32_t addr, uint32_t len, uint8_t pg)) {
    for (uint32_t pg = 0; pg < VT_LX_NPAGES; pg++) {
        if (!(p->pages[pg] & flag)) continue;
        uint32_t end = pg;
        while (end < VT_LX_NPAGES && (p->pages[end] & flag) && p->pages[end] == p->pages[pg])
            end++;
        int e = fn(p, pg * VT_LX_PAGE, (end - pg) * VT_LX_PAGE, p->pages[pg]);
        if (e) return e;
        pg = end - 1;
    }
    return 0;
}

static int drop_run(vt_lx_proc *p, uint32_t addr, uint32_t len, uint8_t pg) {
    VT_UNUSED(pg);
    return vt_lx_unmap(p, addr, len);
}

static int wipe_run(vt_lx_proc *p, uint32_t addr, uint32_t len, uint8_t pg) {
    int e = vt_lx_map(p, addr, len, pg & 7u, false, -1, 0);
    for (uint32_t i = addr / VT_LX_PAGE; !e && i < (addr + (uint64_t)len) / VT_LX_PAGE; i++)
        p->pages[i] |= VT_LX_PAGE_WIPEONFORK; /* the child's mapping keeps the advice */
    return e;
}

int vt_lx_mem_after_fork(vt_lx_proc *p) {
    int e = for_flagged_runs(p, VT_LX_PAGE_DONTFORK, drop_run);
    return e ? e : for_flagged_runs(p, VT_LX_PAGE_WIPEONFORK, wipe_run);
}

uint32_t vt_lx_find_free(vt_lx_proc *p, uint32_t hint, uint32_t len) {
    uint32_t npg = (uint32_t)(((uint64_t)len + VT_LX_PAGE - 1) / VT_LX_PAGE);
    uint32_t start = hint / VT_LX_PAGE, run = 0;
    /* nothing above TASK_SIZE (ARM keeps its kuser helper page there) */
    for (uint32_t pg = start; pg < p->abi->task_size / VT_LX_PAGE; pg++) {
        if (p->pages[pg] & VT_LX_PAGE_MAPPED) {
            run = 0;
            continue;
        }
        if (++run == npg) return (pg + 1 - npg) * VT_LX_PAGE;
    }
    return 0;
}

bool vt_lx_range_ok(const vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perm) {
    if (!len) return true;
    uint64_t end = (uint64_t)addr + len;
    if (end > RESERVE) return false;
    for (uint64_t pg = addr / VT_LX_PAGE; pg <= (end - 1) / VT_LX_PAGE; pg++)
        if ((p->pages[pg] & perm) != perm || !(p->pages[pg] & VT_LX_PAGE_MAPPED)) return false;
    if (perm & VT_PERM_W) code_write(p, addr, len); /* the caller writes there next */
    return true;
}

void *vt_lx_ptr(vt_lx_proc *p, uint32_t addr, uint32_t len, unsigned perm) {
    return vt_lx_range_ok(p, addr, len, perm) ? p->base + addr : NULL;
}

char *vt_lx_strdup(vt_lx_proc *p, uint32_t addr) {
    uint64_t a = addr;
    for (;;) {
        if (a >= RESERVE || !vt_lx_range_ok(p, (uint32_t)a, 1, VT_PERM_R)) return NULL;
        uint64_t page_end = (a | (VT_LX_PAGE - 1)) + 1;
        const uint8_t *s = p->base + a;
        const uint8_t *z = memchr(s, 0, page_end - a);
        if (z) {
            size_t n = (size_t)((const uint8_t *)z - (p->base + addr));
            char *out = malloc(n + 1);
            if (out) memcpy(out, p->base + addr, n + 1);
            return out;
        }
        a = page_end;
    }
}

int vt_lx_get32(vt_lx_proc *p, uint32_t addr, uint32_t *v) {
    const uint8_t *h = vt_lx_ptr(p, addr, 4, VT_PERM_R);
    if (!h) return -EFAULT;
    *v = (uint32_t)vt_lx_load(p->abi, h, 4);
    return 0;
}

int vt_lx_put32(vt_lx_proc *p, uint32_t addr, uint32_t v) {
    uint8_t *h = vt_lx_ptr(p, addr, 4, VT_PERM_W);
    if (!h) return -EFAULT;
    vt_lx_store(p->abi, h, 4, v);
    return 0;
}

int vt_lx_put_bytes(vt_lx_proc *p, uint32_t addr, const void *src, uint32_t len) {
    uint8_t *h = vt_lx_ptr(p, addr, len, VT_PERM_W);
    if (!h) return -EFAULT;
    memcpy(h, src, len);
    return 0;
}

int vt_lx_mem_read(vt_lx_proc *p, uint32_t va, unsigned size, vt_access a, uint32_t *val) {
    unsigned need = a == VT_ACCESS_EXEC ? VT_PERM_X : VT_PERM_R;
    uint8_t pg = p->pages[va / VT_LX_PAGE];
    if (!(pg & VT_LX_PAGE_MAPPED) || !(pg & need)) return -1;
    if (p->tlb) vt_tlb_fill(p->tlb, va, p->base + (va & ~(VT_LX_PAGE - 1)), pg & 7u);
    *val = (uint32_t)vt_lx_load(p->abi, p->base + va, size);
    return 0;
}

int vt_lx_mem_write(vt_lx_proc *p, uint32_t va, unsigned size, uint32_t val) {
    uint8_t pg = p->pages[va / VT_LX_PAGE];
    if (!(pg & VT_LX_PAGE_MAPPED) || !(pg & VT_PERM_W)) return -1;
    if (p->tlb) vt_tlb_fill(p->tlb, va, p->base + (va & ~(VT_LX_PAGE - 1)), pg & 7u);
    vt_lx_store(p->abi, p->base + va, size, val);
    return 0;
}
