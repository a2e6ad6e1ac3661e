/* AT_HWCAP on an ARM1136JF-S advertises VFP (HWCAP_VFP, 64), with HALF, THUMB, FAST_MULT
 * and EDSP, as Linux's vfpmodule.c and proc-v6.S set them. */
#include <stdio.h>
#include <sys/auxv.h>
int main(void) {
    unsigned long h = getauxval(AT_HWCAP);
    printf("vfp %d half %d thumb %d fast_mult %d edsp %d\n", !!(h & 64), !!(h & 2), !!(h & 4),
           !!(h & 16), !!(h & 128));
    return 0;
}
