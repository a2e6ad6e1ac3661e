/* Harness of the random VFP sequences (gen_vfp.c): vfp_dump(n) is called at the end of
 * sequence n with the VFP state live; it saves S0-S31, FPSCR and the CPSR flags, resets the
 * FPSCR (this file is soft-float C) and prints one line per sequence. */
#include <stdint.h>
#include <stdio.h>

void vfp_run_all(void);

static uint32_t regs[32];

void vfp_dump(unsigned n);
void vfp_dump(unsigned n) {
    uint32_t fpscr, cpsr, zero = 0;
    __asm__ volatile("fstmias %2, {s0-s31}\n\tfmrx %0, fpscr\n\tmrs %1, cpsr\n\tfmxr fpscr, %3"
                     : "=&r"(fpscr), "=&r"(cpsr)
                     : "r"(regs), "r"(zero)
                     : "memory");
    printf("%u %08x %x", n, fpscr, cpsr >> 28);
    for (int i = 0; i < 32; i++)
        printf(" %08x", regs[i]);
    printf("\n");
}

int main(void) {
    vfp_run_all();
    return 0;
}
