/* `--net user[,...]`: the user-mode network backend on libslirp (the TCP/IP stack QEMU uses).
 * slirp's clock is the emulated clock (clock_get_ns reads the scheduler) and its timers are
 * scheduler events, so DHCP, ARP and TCP timing follow emulated time; host sockets (hostfwd
 * listeners and the guest's outbound connections) are polled without waiting every
 * VT_NET_POLL_PS of emulated time: what arrives there is host input, like typed keys.
 * Slirp's connection state is not part of the machine's save state. */
#include "core/log.h"
#include "frontend/net.h"

#include <arpa/inet.h>
#include <poll.h>
#include <slirp/libslirp.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_FWD 8

typedef struct net_user {
    vt_net net;
    Slirp *slirp;
    struct pollfd *fds;
    int nfds, capfds;
    struct {
        bool udp;
        struct in_addr host, guest;
        int host_port, guest_port;
    } fwd[MAX_FWD];
    int nfwd;
    bool dns, restrict_guest;
} net_user;

typedef struct user_timer {
    vt_event ev;
    net_user *u;
    SlirpTimerCb cb;
    void *cb_opaque;
} user_timer;

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque) {
    net_user *u = opaque;
    vt_net_deliver(&u->net, buf, len);
    return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque) {
    VT_UNUSED(opaque);
    vt_log(VT_LOG_DEV, "net user: guest error: %s", msg);
}

static int64_t cb_clock_get_ns(void *opaque) {
    net_user *u = opaque;
    return (int64_t)(vt_net_now(&u->net) / 1000);
}

static void timer_fire(void *opaque, vt_time now, vt_time late) {
    user_timer *t = opaque;
    VT_UNUSED(now);
    VT_UNUSED(late);
    t->cb(t->cb_opaque);
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque) {
    user_timer *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->u = opaque;
    t->cb = cb;
    t->cb_opaque = cb_opaque;
    vt_event_init(&t->ev, "net-user-timer", timer_fire, t);
    return t;
}

static void cb_timer_free(void *timer, void *opaque) {
    user_timer *t = timer;
    VT_UNUSED(opaque);
    if (!t) return;
    if (t->u->net.sched) vt_sched_cancel(t->u->net.sched, &t->ev);
    free(t);
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque) {
    user_timer *t = timer;
    VT_UNUSED(opaque);
    vt_sched *s = t->u->net.sched;
    if (!s) return;
    vt_time when = expire_ms < 0 ? 0 : (vt_time)expire_ms * 1000000000ull;
    vt_time now = vt_sched_now(s);
    vt_sched_arm(s, &t->ev, when < now ? now : when);
}

static void cb_fd(int fd, void *opaque) {
    VT_UNUSED(fd);
    VT_UNUSED(opaque);
}

static void cb_notify(void *opaque) {
    VT_UNUSED(opaque);
}

static const SlirpCb callbacks = {
    .send_packet = cb_send_packet,
    .guest_error = cb_guest_error,
    .clock_get_ns = cb_clock_get_ns,
    .timer_new = cb_timer_new,
    .timer_free = cb_timer_free,
    .timer_mod = cb_timer_mod,
    .register_poll_fd = cb_fd,
    .unregister_poll_fd = cb_fd,
    .notify = cb_notify,
};

static const struct {
    int slirp, host;
} poll_bits[] = {{SLIRP_POLL_IN, POLLIN},
                 {SLIRP_POLL_OUT, POLLOUT},
                 {SLIRP_POLL_PRI, POLLPRI},
                 {SLIRP_POLL_ERR, POLLERR},
                 {SLIRP_POLL_HUP, POLLHUP}};

static int add_poll(int fd, int events, void *opaque) {
    net_user *u = opaque;
    if (u->nfds == u->capfds) {
        int cap = u->capfds ? u->capfds * 2 : 16;
        struct pollfd *p = realloc(u->fds, (size_t)cap * sizeof *p);
        if (!p) return -1;
        u->fds = p;
        u->capfds = cap;
    }
    short ev = 0;
    for (size_t i = 0; i < VT_ARRAY_LEN(poll_bits); i++)
        if (events & poll_bits[i].slirp) ev |= (short)poll_bits[i].host;
    u->fds[u->nfds] = (struct pollfd){.fd = fd, .events = ev};
    return u->nfds++;
}

static int get_revents(int idx, void *opaque) {
    net_user *u = opaque;
    if (idx < 0 || idx >= u->nfds) return 0;
    int r = 0;
    for (size_t i = 0; i < VT_ARRAY_LEN(poll_bits); i++)
        if (u->fds[idx].revents & poll_bits[i].host) r |= poll_bits[i].slirp;
    return r;
}

static void user_poll(vt_net *n) {
    net_user *u = n->opaque;
    uint32_t timeout = 0;
    u->nfds = 0;
    slirp_pollfds_fill(u->slirp, &timeout, add_poll, u);
    int rc = u->nfds ? poll(u->fds, (nfds_t)u->nfds, 0) : 0;
    slirp_pollfds_poll(u->slirp, rc < 0, get_revents, u);
}

static void user_send(vt_net *n, const uint8_t *frame, size_t len) {
    net_user *u = n->opaque;
    slirp_input(u->slirp, frame, (int)len);
}

/* The stack is created once the NIC is attached: from then on its clock is the machine's. */
static int user_start(vt_net *n, vt_error *err) {
    net_user *u = n->opaque;
    SlirpConfig cfg = {
        .version = 4,
        .restricted = u->restrict_guest,
        .in_enabled = true,
        .vhostname = "vitrine",
        .disable_dns = !u->dns,
    };
    inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
    inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
    inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
    inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
    inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
    u->slirp = slirp_new(&cfg, &callbacks, u);
    if (!u->slirp) return vt_fail(err, "--net user: libslirp could not start");
    for (int i = 0; i < u->nfwd; i++) {
        if (slirp_add_hostfwd(u->slirp, u->fwd[i].udp, u->fwd[i].host, u->fwd[i].host_port,
                              u->fwd[i].guest, u->fwd[i].guest_port) < 0)
            return vt_fail(err, "--net user: hostfwd to host port %d: cannot listen there",
                           u->fwd[i].host_port);
    }
    return 0;
}

static void user_close(vt_net *n) {
    net_user *u = n->opaque;
    if (u->slirp) slirp_cleanup(u->slirp);
    free(u->fds);
    free(u);
}

static int parse_port(const char *s, size_t len, int *out) {
    char buf[8];
    if (len == 0 || len >= sizeof buf) return -1;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    long v = strtol(buf, &end, 10);
    if (*end || v < 1 || v > 65535) return -1;
    *out = (int)v;
    return 0;
}

/* hostfwd=PROTO:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT, as QEMU spells it. */
static int parse_hostfwd(net_user *u, const char *v, vt_error *err) {
    if (u->nfwd == MAX_FWD) return vt_fail(err, "--net user: at most %d hostfwd", MAX_FWD);
    char hostaddr[32] = "", guestaddr[32] = "";
    bool udp;
    if (!strncmp(v, "tcp:", 4))
        udp = false;
    else if (!strncmp(v, "udp:", 4))
        udp = true;
    else
        return vt_fail(err, "--net user: hostfwd=%s: expected tcp: or udp:", v);
    const char *p = v + 4, *c1 = strchr(p, ':'), *dash = c1 ? strchr(c1, '-') : NULL;
    const char *c2 = dash ? strchr(dash, ':') : NULL;
    int hp, gp;
    if (!c1 || !dash || !c2 || (size_t)(c1 - p) >= sizeof hostaddr ||
        (size_t)(c2 - dash - 1) >= sizeof guestaddr ||
        parse_port(c1 + 1, (size_t)(dash - c1 - 1), &hp) || parse_port(c2 + 1, strlen(c2 + 1), &gp))
        return vt_fail(err,
                       "--net user: hostfwd=%s: expected tcp:[127.0.0.1]:HOSTPORT-[GUESTADDR]:"
                       "GUESTPORT",
                       v);
    memcpy(hostaddr, p, (size_t)(c1 - p));
    memcpy(guestaddr, dash + 1, (size_t)(c2 - dash - 1));
    if (*hostaddr && strcmp(hostaddr, "127.0.0.1") && strcmp(hostaddr, "localhost"))
        return vt_fail(err, "--net user: hostfwd listens on 127.0.0.1 only, not '%s'", hostaddr);
    u->fwd[u->nfwd].udp = udp;
    inet_pton(AF_INET, "127.0.0.1", &u->fwd[u->nfwd].host);
    if (inet_pton(AF_INET, *guestaddr ? guestaddr : "10.0.2.15", &u->fwd[u->nfwd].guest) != 1)
        return vt_fail(err, "--net user: hostfwd: bad guest address '%s'", guestaddr);
    u->fwd[u->nfwd].host_port = hp;
    u->fwd[u->nfwd].guest_port = gp;
    u->nfwd++;
    return 0;
}

static int parse_switch(const char *key, const char *v, bool *out, vt_error *err) {
    if (!strcmp(v, "on"))
        *out = true;
    else if (!strcmp(v, "off"))
        *out = false;
    else
        return vt_fail(err, "--net user: %s=%s: expected on or off", key, v);
    return 0;
}

static int parse_option(net_user *u, const char *opt, vt_error *err) {
    const char *eq = strchr(opt, '=');
    if (!eq) return vt_fail(err, "--net user: option '%s' needs a value (KEY=VALUE)", opt);
    size_t kl = (size_t)(eq - opt);
    if (kl == 7 && !strncmp(opt, "hostfwd", 7)) return parse_hostfwd(u, eq + 1, err);
    if (kl == 3 && !strncmp(opt, "dns", 3)) return parse_switch("dns", eq + 1, &u->dns, err);
    if (kl == 8 && !strncmp(opt, "restrict", 8))
        return parse_switch("restrict", eq + 1, &u->restrict_guest, err);
    return vt_fail(err, "--net user: unknown option '%.*s' (hostfwd, dns, restrict)", (int)kl, opt);
}

int vt_net_user_open(const char *options, vt_net **out, vt_error *err) {
    net_user *u = calloc(1, sizeof *u);
    if (!u) return vt_fail(err, "out of memory");
    char *copy = strdup(options), *save = NULL;
    if (!copy) {
        free(u);
        return vt_fail(err, "out of memory");
    }
    for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
        if (parse_option(u, opt, err)) {
            free(copy);
            free(u);
            return -1;
        }
    }
    free(copy);
    vt_net_init(&u->net);
    u->net.send = user_send;
    u->net.poll = user_poll;
    u->net.start = user_start;
    u->net.close = user_close;
    u->net.opaque = u;
    *out = &u->net;
    return 0;
}
