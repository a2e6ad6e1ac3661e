/* The SDL frontend's emulation thread (frontend/sdl_emu_thread.h). */
#include "frontend/sdl_emu_thread.h"

#define SLICE_PS (VT_PS_PER_SEC / 100)

static void *thread_main(void *arg) {
    vt_emu_thread *t = arg;
    vt_machine *m = t->m;
    while (!atomic_load(&t->quit) && m->sched.now < t->until) {
        vt_time to = m->sched.now + SLICE_PS;
        vt_machine_run(m, to < t->until && to > m->sched.now ? to : t->until);
        atomic_store(&t->now, m->sched.now);
        if (m->stop_requested) {
            t->guest_stop = true;
            break;
        }
    }
    atomic_store(&t->finished, true);
    return NULL;
}

int vt_emu_thread_start(vt_emu_thread *t, vt_machine *m, vt_time until, vt_error *err) {
    t->m = m;
    t->until = until;
    t->guest_stop = false;
    atomic_init(&t->quit, false);
    atomic_init(&t->finished, false);
    atomic_init(&t->now, m->sched.now);
    if (pthread_create(&t->thread, NULL, thread_main, t))
        return vt_fail(err, "cannot start the emulation thread");
    return 0;
}

void vt_emu_thread_join(vt_emu_thread *t) {
    atomic_store(&t->quit, true);
    pthread_join(t->thread, NULL);
}
