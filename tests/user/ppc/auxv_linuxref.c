/* The auxiliary vector a Linux kernel gives a process on a PowerPC 750: AT_HWCAP from the
 * 750's cputable entry (PPC_FEATURE_32 | HAS_FPU | HAS_MMU | PPC_LE), AT_PLATFORM "ppc750",
 * the 32-byte cache blocks of ARCH_DLINFO. QEMU reports its own values here, so the oracle is
 * auxv_linuxref.expected (the kernel's values, sources in hwdocs/linux_user.md). */
#include <stdio.h>
#include <sys/auxv.h>
int main(void) {
    printf("hwcap %#lx hwcap2 %#lx platform %s\n", getauxval(AT_HWCAP), getauxval(AT_HWCAP2),
           (const char *)getauxval(AT_PLATFORM));
    printf("dcache %lu icache %lu ucache %lu pagesz %lu clktck %lu\n", getauxval(AT_DCACHEBSIZE),
           getauxval(AT_ICACHEBSIZE), getauxval(AT_UCACHEBSIZE), getauxval(AT_PAGESZ),
           getauxval(AT_CLKTCK));
    return 0;
}
