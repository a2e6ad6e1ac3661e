/* The emulation thread of the SDL frontend: runs a machine in slices of 10 ms of emulated
 * time until a deadline, a guest stop or a quit request from the window thread. The slicing
 * only decides where the host may look in; the guest sees the same run as in one piece. */
#ifndef VT_SDL_EMU_THREAD_H
#define VT_SDL_EMU_THREAD_H

#include "core/machine.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct vt_emu_thread {
    vt_machine *m;
    vt_time until;
    pthread_t thread;
    atomic_bool quit;     /* set by the window thread */
    atomic_bool finished; /* set by the emulation thread when it returns */
    _Atomic vt_time now;  /* emulated time after the last slice (for the host side) */
    bool guest_stop;      /* the guest requested the stop (valid once finished) */
} vt_emu_thread;

int vt_emu_thread_start(vt_emu_thread *t, vt_machine *m, vt_time until,
                        vt_error *err) VT_MUST_CHECK;
/* Asks the thread to stop (if it has not) and waits for it. */
void vt_emu_thread_join(vt_emu_thread *t);

#endif
