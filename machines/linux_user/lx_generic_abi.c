/* Linux's asm-generic flag and ioctl numbers (include/uapi/asm-generic/fcntl.h, mman-common.h,
 * ioctls.h), which i386 uses as they are and ARM uses for mmap and terminal ioctls (its open
 * flags differ in four bits), and the 32-bit statfs layouts (statfs.h) all three ABIs share.
 * One copy here, shared by the ABI tables. */
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

/* struct statfs / statfs64 with 32-bit words (asm-generic/statfs.h): the field offsets are the
 * same on i386, ARM EABI and ppc32; only the total sizes differ (statfs64 is packed(4) on i386
 * and ARM EABI, 84 bytes; 88 on ppc32), so those stay in each ABI. */
const vt_lx_field vt_lx_generic_statfs[] = {
    {VT_SF_TYPE, 4, 0},    {VT_SF_BSIZE, 4, 4},    {VT_SF_BLOCKS, 4, 8},  {VT_SF_BFREE, 4, 12},
    {VT_SF_BAVAIL, 4, 16}, {VT_SF_FILES, 4, 20},   {VT_SF_FFREE, 4, 24},  {VT_SF_FSID0, 4, 28},
    {VT_SF_FSID1, 4, 32},  {VT_SF_NAMELEN, 4, 36}, {VT_SF_FRSIZE, 4, 40}, {VT_SF_FLAGS, 4, 44},
    {VT_SF_END, 0, 0},
};
const vt_lx_field vt_lx_generic_statfs64[] = {
    {VT_SF_TYPE, 4, 0},    {VT_SF_BSIZE, 4, 4},    {VT_SF_BLOCKS, 8, 8},  {VT_SF_BFREE, 8, 16},
    {VT_SF_BAVAIL, 8, 24}, {VT_SF_FILES, 8, 32},   {VT_SF_FFREE, 8, 40},  {VT_SF_FSID0, 4, 48},
    {VT_SF_FSID1, 4, 52},  {VT_SF_NAMELEN, 4, 56}, {VT_SF_FRSIZE, 4, 60}, {VT_SF_FLAGS, 4, 64},
    {VT_SF_END, 0, 0},
};

/* every slot filled: the counts in lx_abi.h match the tables */
_Static_assert(VT_ARRAY_LEN(vt_lx_generic_open_flags) == VT_LX_GENERIC_NOPEN_FLAGS, "count");
_Static_assert(VT_ARRAY_LEN(vt_lx_generic_mmap_flags) == VT_LX_GENERIC_NMMAP_FLAGS, "count");
_Static_assert(VT_ARRAY_LEN(vt_lx_generic_ioctls) == VT_LX_GENERIC_NIOCTLS, "count");
