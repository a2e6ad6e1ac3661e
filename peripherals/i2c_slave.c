/* The table of I2C target models a controller can be given in its profile, and the
 * "MODEL@ADDR" parser. */
#include "peripherals/i2c_slave.h"

#include <stdlib.h>

static const vt_i2c_slave_ops *const models[] = {&vt_i2c_menelaus};

int vt_i2c_slave_create(vt_i2c_slave *s, const char *spec, int64_t rtc_start, vt_sched *sched,
                        vt_error *err) {
    const char *at = strchr(spec, '@');
    uint64_t addr;
    if (!at || vt_parse_u64(at + 1, &addr) || addr > 0x7f)
        return vt_fail(err, "i2c target '%s': expected MODEL@ADDR with a 7-bit address", spec);
    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < VT_ARRAY_LEN(models); i++) {
        if (strlen(models[i]->name) != (size_t)(at - spec) ||
            strncmp(models[i]->name, spec, (size_t)(at - spec)))
            continue;
        s->ops = models[i];
        s->addr = (uint8_t)addr;
        s->rtc_start = rtc_start;
        return s->ops->create(s, sched, err);
    }
    return vt_fail(err, "i2c target '%s': unknown model (known: menelaus)", spec);
}
