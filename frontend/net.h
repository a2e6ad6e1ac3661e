/* Host network endpoints for `--net SPEC` (core/net.h): `user[,OPTIONS]` is a user-mode
 * network on libslirp (frontend/net_user.c): the guest gets 10.0.2.15 by DHCP, the gateway is
 * 10.0.2.2; OPTIONS are `hostfwd=tcp:[127.0.0.1]:HOSTPORT-[GUESTADDR]:GUESTPORT` (repeatable,
 * loopback only, also udp:), `dns=on` (the 10.0.2.3 DNS relay, off by default) and
 * `restrict=on` (no connections from the guest to the host's network). `none`: no backend. */
#ifndef VT_FRONTEND_NET_H
#define VT_FRONTEND_NET_H

#include "core/net.h"

/* *out is NULL for `none`. Errors name the bad option. */
int vt_net_open(const char *spec, vt_net **out, vt_error *err) VT_MUST_CHECK;
int vt_net_user_open(const char *options, vt_net **out, vt_error *err) VT_MUST_CHECK;

#endif
