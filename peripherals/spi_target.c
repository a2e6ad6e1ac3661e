/* SPI targets by device class: which classes a controller's `csN = DEVICE` may name, and how to
 * reach their SPI side. */
#include "peripherals/spi_target.h"

#include "peripherals/tsc2301_touch.h"

static const struct {
    const vt_device_class *cls;
    void (*get)(vt_device *dev, vt_spi_target *out);
} targets[] = {
    {&vt_dev_tsc2301, vt_tsc2301_spi},
};

int vt_spi_target_of(vt_device *dev, vt_spi_target *out, vt_error *err) {
    for (size_t i = 0; i < VT_ARRAY_LEN(targets); i++)
        if (dev->cls == targets[i].cls) {
            targets[i].get(dev, out);
            return 0;
        }
    return vt_fail(err, "device '%s' (%s) is not an SPI target (known: tsc2301)", dev->name,
                   dev->cls->name);
}
