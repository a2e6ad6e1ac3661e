/* Linux's asm-generic flag and ioctl numbers (include/uapi/asm-generic/fcntl.h, mman-common.h,
 * ioctls.h), which i386 uses as they are and ARM uses for mmap and terminal ioctls (its open
 * flags differ in four bits). One copy here, shared by the ABI tables. */
#include "machines/linux_user/lx_abi.h"

#include <fcntl.h>
#include <sys/mman.h>

const vt_lx_flag vt_lx_generic_open_flags[VT_LX_GENERIC_NOPEN_FLAGS] = {
    {01, O_WRONLY},
    {02, O_RDWR},
    {0100, O_CREAT},
    {0200, O_EXCL},
    {0400, O_NOCTTY},
    {01000, O_TRUNC},
    {02000, O_APPEND},
    {04000, O_NONBLOCK},
    {010000, O_DSYNC},
    {020000, FASYNC},
    {040000, O_DIRECT},
    {0100000, 0100000 /* the kernel's O_LARGEFILE */},
    {0200000, O_DIRECTORY},
    {0400000, O_NOFOLLOW},
    {01000000, O_NOATIME},
    {02000000, O_CLOEXEC},
    {04000000, 04000000 /* __O_SYNC */},
    {010000000, O_PATH},
    {020000000, 020000000 /* __O_TMPFILE */},
};

const vt_lx_flag vt_lx_generic_mmap_flags[VT_LX_GENERIC_NMMAP_FLAGS] = {
    {0x01, MAP_SHARED},
    {0x02, MAP_PRIVATE},
    {0x10, MAP_FIXED},
    {0x20, MAP_ANONYMOUS},
    {0x100, MAP_GROWSDOWN},
    {0x800, MAP_DENYWRITE},
    {0x1000, MAP_EXECUTABLE},
    {0x2000, MAP_LOCKED},
    {0x4000, MAP_NORESERVE},
    {0x8000, MAP_POPULATE},
    {0x10000, MAP_NONBLOCK},
    {0x20000, MAP_STACK},
    {0x100000, MAP_FIXED_NOREPLACE},
};

const vt_lx_ioctl vt_lx_generic_ioctls[VT_LX_GENERIC_NIOCTLS] = {
    {0x5401, VT_IOC_TCGETS},    {0x5402, VT_IOC_TCSETS},     {0x5403, VT_IOC_TCSETSW},
    {0x5404, VT_IOC_TCSETSF},   {0x540E, VT_IOC_TIOCSCTTY},  {0x540F, VT_IOC_TIOCGPGRP},
    {0x5410, VT_IOC_TIOCSPGRP}, {0x5413, VT_IOC_TIOCGWINSZ}, {0x5414, VT_IOC_TIOCSWINSZ},
    {0x541B, VT_IOC_FIONREAD},  {0x5421, VT_IOC_FIONBIO},    {0x5422, VT_IOC_TIOCNOTTY},
    {0x5450, VT_IOC_FIONCLEX},  {0x5451, VT_IOC_FIOCLEX},
};

/* every slot filled: the counts in lx_abi.h match the tables */
_Static_assert(VT_ARRAY_LEN(vt_lx_generic_open_flags) == VT_LX_GENERIC_NOPEN_FLAGS, "count");
_Static_assert(VT_ARRAY_LEN(vt_lx_generic_mmap_flags) == VT_LX_GENERIC_NMMAP_FLAGS, "count");
_Static_assert(VT_ARRAY_LEN(vt_lx_generic_ioctls) == VT_LX_GENERIC_NIOCTLS, "count");
