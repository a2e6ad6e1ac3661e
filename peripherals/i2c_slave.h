/* An I2C target (slave) as a bus controller drives it: start addressed for read or write
 * (acknowledged or not), bytes written (acknowledged or not), bytes read, stop. Controllers
 * own their targets; the models are chosen by name from the profile (`dev0 = menelaus@0x72`). */
#ifndef VT_I2C_SLAVE_H
#define VT_I2C_SLAVE_H

#include "core/common.h"
#include "core/sched.h"

struct vt_state_writer;
struct vt_state_reader;

#define VT_I2C_NO_RTC INT64_MIN /* rtc_start: no 32 kHz crystal, the target's clock is stopped */

typedef struct vt_i2c_slave vt_i2c_slave;
typedef struct vt_i2c_slave_ops {
    const char *name;
    int (*create)(vt_i2c_slave *s, vt_sched *sched, vt_error *err);
    void (*reset)(vt_i2c_slave *s);
    bool (*start)(vt_i2c_slave *s, bool read); /* true: acknowledged */
    bool (*write)(vt_i2c_slave *s, uint8_t b); /* true: acknowledged */
    uint8_t (*read)(vt_i2c_slave *s);
    void (*stop)(vt_i2c_slave *s);
    void (*save)(const vt_i2c_slave *s, struct vt_state_writer *w);
    int (*load)(vt_i2c_slave *s, struct vt_state_reader *r);
    void (*destroy)(vt_i2c_slave *s);
} vt_i2c_slave_ops;

struct vt_i2c_slave {
    const vt_i2c_slave_ops *ops;
    uint8_t addr;      /* 7-bit */
    int64_t rtc_start; /* seconds since 1970 for targets with a clock, or VT_I2C_NO_RTC */
    void *priv;
};

/* Builds the target a profile value "MODEL@ADDR" names (ADDR 7-bit); rtc_start is given to
 * targets with a real-time clock. */
int vt_i2c_slave_create(vt_i2c_slave *s, const char *spec, int64_t rtc_start, vt_sched *sched,
                        vt_error *err) VT_MUST_CHECK;

extern const vt_i2c_slave_ops vt_i2c_menelaus;

#endif
