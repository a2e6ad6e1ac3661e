/* One run's input (frontend/input_session.h): hub + routing + logs, opened and closed
 * together. */
#include "frontend/input_session.h"

#include "frontend/input_log.h"
#include "frontend/input_route.h"

/* Everything but the record log. */
static void release(vt_input_session *s) {
    vt_input_replay_close(s->replay);
    vt_input_route_destroy(s->route);
    vt_input_destroy(s->hub);
    memset(s, 0, sizeof *s);
}

int vt_input_session_open(vt_input_session *s, vt_machine *m, const char *record,
                          const char *replay, vt_error *err) {
    memset(s, 0, sizeof *s);
    if (vt_input_create(&s->hub, &m->sched, err) ||
        vt_input_route_create(&s->route, s->hub, m, err) ||
        (replay && vt_input_replay_open(&s->replay, replay, s->hub, &m->sched, err)) ||
        (record && vt_input_record_open(&s->recorder, record, s->hub, err))) {
        release(s); /* the record log is opened last: it is not open here */
        return -1;
    }
    return 0;
}

int vt_input_session_close(vt_input_session *s, vt_error *err) {
    int rc = vt_input_record_close(s->recorder, err);
    release(s);
    return rc;
}
