/* Intel 8259A programmable interrupt controller: the calls board glue makes besides the
 * register window (peripherals/i8259_pic.c). */
#ifndef VT_I8259_PIC_H
#define VT_I8259_PIC_H

#include "core/device.h"

/* The interrupt-acknowledge (INTA) sequence on an "i8259" device: returns the 8-bit vector
 * (from the cascaded slave when the request came through a slave input, the spurious IR7
 * vector when the request went away). `opaque` is the vt_device; fits vt_x86_intack_fn. */
int vt_i8259_intack(void *opaque);
/* PIIX-style edge/level control register (ELCR): bit N set = input N level-triggered. */
void vt_i8259_set_elcr(vt_device *d, uint8_t elcr);

#endif
