/* CHRP NVRAM partitions (a 16-byte header: signature, checksum, length in 16-byte blocks,
 * 12-byte name), as OpenBIOS reads them from a PowerMac's or a Sun's NVRAM.
 * Source: CHRP (PowerPC Microprocessor Common Hardware Reference Platform) §8.4 (NVRAM). */
#ifndef VT_CHRP_NVRAM_H
#define VT_CHRP_NVRAM_H

#include <stdint.h>

#define VT_CHRP_SIG_SYSTEM 0x70
#define VT_CHRP_SIG_FREE 0x7f

/* Writes a partition header at p for `size` bytes (a multiple of 16), zeroing nothing else. */
void vt_chrp_nvram_partition(uint8_t *p, uint8_t sig, const char *name, uint32_t size);

#endif
