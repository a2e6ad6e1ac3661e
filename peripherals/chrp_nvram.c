/* CHRP NVRAM partition headers with their checksum (the signature byte, then bytes 2..15,
 * summed with end-around carry). Source: CHRP §8.4 (partition header). */
#include "peripherals/chrp_nvram.h"

#include "core/common.h"

#include <stdio.h>
#include <string.h>

void vt_chrp_nvram_partition(uint8_t *p, uint8_t sig, const char *name, uint32_t size) {
    memset(p, 0, 16);
    p[0] = sig;
    store_be16(p + 2, (uint16_t)(size >> 4));
    snprintf((char *)p + 4, 12, "%s", name);
    unsigned sum = p[0];
    for (int i = 0; i < 14; i++) {
        sum += p[2 + i];
        sum = (sum + ((sum & 0xff00) >> 8)) & 0xff;
    }
    p[1] = (uint8_t)sum;
}
