/* An SPI target as a bus controller drives it: its chip select asserted or released, and one
 * word of `bits` bits exchanged (full duplex: the word shifted out, the answer shifted in).
 * A controller finds the target a profile key names (`cs0 = tsc`: the device `tsc`) through
 * vt_spi_target_of, which knows the device classes that are SPI targets. */
#ifndef VT_SPI_TARGET_H
#define VT_SPI_TARGET_H

#include "core/device.h"

typedef struct vt_spi_target {
    void (*select)(void *opaque, bool active);
    uint32_t (*transfer)(void *opaque, uint32_t out, unsigned bits);
    void *opaque;
} vt_spi_target;

/* The SPI side of `dev`; an error naming the device when its class is no SPI target. */
int vt_spi_target_of(vt_device *dev, vt_spi_target *out, vt_error *err) VT_MUST_CHECK;

#endif
