/* Memory syscalls of Linux user mode: mmap2/munmap/mprotect/mremap/brk and advice calls,
 * all inside the process's 4 GiB reservation and below the ABI's TASK_SIZE. File mappings
 * (private or shared) are real host mappings, so page-cache sharing, MADV_DONTNEED re-reads
 * and SIGBUS past the end of the file behave as in Linux (lx_fault.c turns the host's
 * SIGBUS into the guest's). */
#include <sys/mman.h>
#include <unistd.h>

#include "machines/linux_user/lx_sys.h"

#define PAGE_UP(x) (((uint64_t)(x) + VT_LX_PAGE - 1) & ~(uint64_t)(VT_LX_PAGE - 1))

static unsigned prot_perms(uint32_t prot) {
    return (prot & PROT_READ ? VT_PERM_R : 0) | (prot & PROT_WRITE ? VT_PERM_W : 0) |
           (prot & PROT_EXEC ? VT_PERM_X | VT_PERM_R : 0);
}

/* Linux has no user mappings above TASK_SIZE (ARM keeps its vectors and kuser helper page
 * there): calls on such ranges fail as on unmapped memory. */
static bool above_task(const vt_lx_proc *p, uint32_t addr, uint64_t len) {
    return (uint64_t)addr + len > p->abi->task_size;
}

static bool range_free(vt_lx_proc *p, uint32_t addr, uint64_t len) {
    if ((uint64_t)addr + len > p->abi->task_size) return false;
    for (uint64_t pg = addr / VT_LX_PAGE; pg < (addr + len) / VT_LX_PAGE; pg++)
        if (p->pages[pg] & VT_LX_PAGE_MAPPED) return false;
    return true;
}

int64_t vt_lx_sys_mmap2(vt_lx_proc *p, const uint32_t *a) {
    uint32_t addr = a[0], prot = a[2], gflags = a[3];
    int fd = lx_s32(a[4]);
    uint64_t off = (uint64_t)a[5] * VT_LX_PAGE;
    uint64_t len = PAGE_UP(a[1]);
    bool bad = false;
    uint32_t flags = vt_lx_flags_to_host(p->abi->mmap_flags, p->abi->nmmap_flags, gflags, &bad);
    if (bad) vt_lx_log_once(p, 960, "mmap flags 0x%x", gflags);
    if (!len || len > 0xffffffffull) return -EINVAL;
    bool shared = (flags & MAP_SHARED) != 0, anon = (flags & MAP_ANONYMOUS) != 0;
    if (!shared && !(flags & MAP_PRIVATE)) return -EINVAL;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        if (addr & (VT_LX_PAGE - 1)) return -EINVAL;
        if ((uint64_t)addr + len > p->abi->task_size) return -ENOMEM;
        if ((flags & MAP_FIXED_NOREPLACE) && !range_free(p, addr, len)) return -EEXIST;
    } else {
        if (!(addr && !(addr & (VT_LX_PAGE - 1)) && range_free(p, addr, len))) {
            addr =
                vt_lx_find_free(p, p->mmap_hint ? p->mmap_hint : p->abi->mmap_base, (uint32_t)len);
            if (!addr) addr = vt_lx_find_free(p, VT_LX_PAGE * 16, (uint32_t)len);
            if (!addr) return -ENOMEM;
        }
    }
    /* file mappings are real host mappings, private or shared, over the whole range: pages
       past the end of the file raise SIGBUS as in Linux, which the fault boundary hands to
       the guest (lx_fault.c); the host checks the descriptor as Linux would */
    int e =
        vt_lx_map(p, addr, (uint32_t)len, prot_perms(prot), shared, anon ? -1 : fd, anon ? 0 : off);
    return e ? (int64_t)e : (int64_t)addr;
}

int64_t vt_lx_sys_munmap(vt_lx_proc *p, const uint32_t *a) {
    if (!a[1]) return -EINVAL;
    if (above_task(p, a[0], PAGE_UP(a[1]))) return -EINVAL;
    return vt_lx_unmap(p, a[0], a[1]);
}

int64_t vt_lx_sys_mprotect(vt_lx_proc *p, const uint32_t *a) {
    if (!a[1]) return 0;
    if (above_task(p, a[0], PAGE_UP(a[1]))) return -ENOMEM;
    return vt_lx_protect(p, a[0], a[1], prot_perms(a[2]));
}

/* Sets or clears a fork-time advice bit on every mapped page of the range. */
static void set_page_flag(vt_lx_proc *p, uint32_t addr, uint64_t len, uint8_t flag, bool on) {
    for (uint64_t pg = addr / VT_LX_PAGE; pg < (addr + len) / VT_LX_PAGE; pg++)
        if (p->pages[pg] & VT_LX_PAGE_MAPPED)
            p->pages[pg] = (uint8_t)(on ? p->pages[pg] | flag : p->pages[pg] & ~flag);
}

int64_t vt_lx_sys_mremap(vt_lx_proc *p, const uint32_t *a) {
    uint32_t old = a[0], flags = a[3];
    uint64_t olen = PAGE_UP(a[1]), nlen = PAGE_UP(a[2]);
    if ((old & (VT_LX_PAGE - 1)) || !nlen || nlen > 0xffffffffull) return -EINVAL;
    if (above_task(p, old, olen) || !vt_lx_range_ok(p, old, (uint32_t)olen, 0)) return -EFAULT;
    uint8_t perms = p->pages[old / VT_LX_PAGE];
    if (perms & VT_LX_PAGE_SHARED) {
        vt_lx_log_once(p, 961, "mremap of a shared mapping");
        return -EINVAL;
    }
    if (nlen <= olen) {
        if (nlen < olen) {
            int e = vt_lx_unmap(p, old + (uint32_t)nlen, (uint32_t)(olen - nlen));
            if (e) return e;
        }
        return old;
    }
    /* one mapping (vma) has one set of flags: the new pages keep its fork-time advice */
    uint8_t advice = perms & (VT_LX_PAGE_DONTFORK | VT_LX_PAGE_WIPEONFORK);
    if (range_free(p, old + (uint32_t)olen, nlen - olen)) {
        int e =
            vt_lx_map(p, old + (uint32_t)olen, (uint32_t)(nlen - olen), perms & 7u, false, -1, 0);
        if (!e) set_page_flag(p, old, nlen, advice, true);
        return e ? (int64_t)e : (int64_t)old;
    }
    if (!(flags & 1 /* MREMAP_MAYMOVE */)) return -ENOMEM;
    uint32_t n = vt_lx_find_free(p, p->abi->mmap_base, (uint32_t)nlen);
    if (!n) return -ENOMEM;
    /* the copy needs host access: pages the guest cannot read are host PROT_NONE */
    int e = vt_lx_map(p, n, (uint32_t)nlen, VT_PERM_R | VT_PERM_W, false, -1, 0);
    if (!e && !(perms & VT_PERM_R)) e = mprotect(p->base + old, olen, PROT_READ) ? -errno : 0;
    if (!e) memcpy(p->base + n, p->base + old, olen);
    if (!e) e = vt_lx_protect(p, n, (uint32_t)nlen, perms & 7u);
    if (e) return e;
    set_page_flag(p, n, nlen, advice, true);
    e = vt_lx_unmap(p, old, (uint32_t)olen);
    return e ? (int64_t)e : (int64_t)n;
}

int64_t vt_lx_sys_brk(vt_lx_proc *p, const uint32_t *a) {
    uint32_t want = a[0];
    if (want < p->brk_start) return p->brk_cur;
    uint64_t need = PAGE_UP(want);
    if (need > p->brk_mapped) {
        if (!range_free(p, p->brk_mapped, need - p->brk_mapped)) return p->brk_cur;
        if (vt_lx_map(p, p->brk_mapped, (uint32_t)(need - p->brk_mapped), VT_PERM_R | VT_PERM_W,
                      false, -1, 0))
            return p->brk_cur;
        p->brk_mapped = (uint32_t)need;
    } else if (need < p->brk_mapped) {
        if (vt_lx_unmap(p, (uint32_t)need, p->brk_mapped - (uint32_t)need)) return p->brk_cur;
        p->brk_mapped = (uint32_t)need;
    }
    p->brk_cur = want;
    return want;
}

/* madvise advice values (include/uapi/asm-generic/mman-common.h; ARM and i386 use them). */
enum {
    LX_MADV_NORMAL = 0,
    LX_MADV_RANDOM = 1,
    LX_MADV_SEQUENTIAL = 2,
    LX_MADV_WILLNEED = 3,
    LX_MADV_DONTNEED = 4,
    LX_MADV_FREE = 8,
    LX_MADV_REMOVE = 9,
    LX_MADV_DONTFORK = 10,
    LX_MADV_DOFORK = 11,
    LX_MADV_MERGEABLE = 12,
    LX_MADV_UNMERGEABLE = 13,
    LX_MADV_HUGEPAGE = 14,
    LX_MADV_NOHUGEPAGE = 15,
    LX_MADV_DONTDUMP = 16,
    LX_MADV_DODUMP = 17,
    LX_MADV_WIPEONFORK = 18,
    LX_MADV_KEEPONFORK = 19,
    LX_MADV_COLD = 20,
    LX_MADV_PAGEOUT = 21,
    LX_MADV_POPULATE_READ = 22,
    LX_MADV_POPULATE_WRITE = 23,
    LX_MADV_DONTNEED_LOCKED = 24,
    LX_MADV_COLLAPSE = 25,
    LX_MADV_HWPOISON = 100,
    LX_MADV_SOFT_OFFLINE = 101,
};

static bool any_shared(const vt_lx_proc *p, uint32_t addr, uint64_t len) {
    for (uint64_t pg = addr / VT_LX_PAGE; pg < (addr + len) / VT_LX_PAGE; pg++)
        if (p->pages[pg] & VT_LX_PAGE_SHARED) return true;
    return false;
}

/* Only advice whose host effect equals the guest-visible Linux effect on the same pages goes
 * to the host (hints, and DONTNEED/FREE/REMOVE/PAGEOUT, whose zero-fill or re-read semantics
 * the host mapping has too). Fork-time advice is kept per guest page and applied by the fork
 * emulation (the host fork must copy everything, or the child emulator itself would fault).
 * Advice that needs privilege (HWPOISON, SOFT_OFFLINE) is refused as for an unprivileged
 * process; advice without a guest-visible effect (KSM, huge pages, core dumps) succeeds. */
int64_t vt_lx_sys_madvise(vt_lx_proc *p, const uint32_t *a) {
    uint32_t addr = a[0], advice = a[2];
    if (addr & (VT_LX_PAGE - 1)) return -EINVAL;
    uint64_t len = PAGE_UP(a[1]);
    if ((uint64_t)addr + len > (1ull << 32)) return -EINVAL;
    if (!len) return 0;
    if (above_task(p, addr, len)) return -ENOMEM;
    bool mapped = vt_lx_range_ok(p, addr, (uint32_t)len, 0);
    switch (advice) {
    case LX_MADV_NORMAL:
    case LX_MADV_RANDOM:
    case LX_MADV_SEQUENTIAL:
    case LX_MADV_WILLNEED:
    case LX_MADV_DONTNEED:
    case LX_MADV_DONTNEED_LOCKED:
    case LX_MADV_FREE:
    case LX_MADV_REMOVE:
    case LX_MADV_COLD:
    case LX_MADV_PAGEOUT:
        if (!mapped) return -ENOMEM;
        return lx_ret(madvise(p->base + addr, len, (int)advice));
    case LX_MADV_DONTFORK:
    case LX_MADV_DOFORK:
        set_page_flag(p, addr, len, VT_LX_PAGE_DONTFORK, advice == LX_MADV_DONTFORK);
        break;
    case LX_MADV_WIPEONFORK:
    case LX_MADV_KEEPONFORK:
        /* only private anonymous memory may be wiped (mm/madvise.c) */
        if (advice == LX_MADV_WIPEONFORK && any_shared(p, addr, len)) return -EINVAL;
        set_page_flag(p, addr, len, VT_LX_PAGE_WIPEONFORK, advice == LX_MADV_WIPEONFORK);
        break;
    case LX_MADV_POPULATE_READ:
    case LX_MADV_POPULATE_WRITE: {
        if (!mapped) return -ENOMEM;
        unsigned need = advice == LX_MADV_POPULATE_READ ? VT_PERM_R : VT_PERM_W;
        if (!vt_lx_range_ok(p, addr, (uint32_t)len, need)) return -EINVAL;
        /* shared file pages may lie past EOF: the host reports that as -EFAULT */
        if (any_shared(p, addr, len)) return lx_ret(madvise(p->base + addr, len, (int)advice));
        return 0;
    }
    case LX_MADV_MERGEABLE:
    case LX_MADV_UNMERGEABLE:
    case LX_MADV_HUGEPAGE:
    case LX_MADV_NOHUGEPAGE:
    case LX_MADV_COLLAPSE:
    case LX_MADV_DONTDUMP:
    case LX_MADV_DODUMP:
        break;
    case LX_MADV_HWPOISON:
    case LX_MADV_SOFT_OFFLINE:
        vt_lx_log_once(p, 962, "madvise advice %u (needs CAP_SYS_ADMIN; refused)", advice);
        return -EPERM;
    default:
        return -EINVAL;
    }
    return mapped ? 0 : -ENOMEM;
}

int64_t vt_lx_sys_msync(vt_lx_proc *p, const uint32_t *a) {
    if (above_task(p, a[0], a[1]) || !vt_lx_range_ok(p, a[0], a[1], 0)) return -ENOMEM;
    return lx_ret(msync(p->base + a[0], a[1], (int)a[2]));
}

int64_t vt_lx_sys_mlock(vt_lx_proc *p, const uint32_t *a) {
    return !above_task(p, a[0], a[1]) && vt_lx_range_ok(p, a[0], a[1], 0) ? 0 : -ENOMEM;
}
int64_t vt_lx_sys_munlock(vt_lx_proc *p, const uint32_t *a) {
    return vt_lx_sys_mlock(p, a);
}
