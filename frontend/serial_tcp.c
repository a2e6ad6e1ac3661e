/* `--serial tcp:127.0.0.1:PORT`: a loopback-only TCP listener; one client at a time is the
 * serial line (a new client replaces a gone one). Nothing is sent before a client connects.
 * Only 127.0.0.1 / localhost is accepted: the console is never exposed to the network. */
#include "frontend/serial.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct serial_tcp {
    vt_serial_base base;
    int listen_fd, client_fd;
} serial_tcp;

static void poll_accept(serial_tcp *s) {
    if (s->client_fd >= 0) return;
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0) return;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    s->client_fd = fd;
}

static void drop_client(serial_tcp *s) {
    close(s->client_fd);
    s->client_fd = -1;
}

static void st_write(vt_chardev *c, const uint8_t *buf, size_t len) {
    serial_tcp *s = c->opaque;
    poll_accept(s);
    while (s->client_fd >= 0 && len) {
        ssize_t n = send(s->client_fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN) return; /* the client is not reading: drop output */
        if (n <= 0) {
            drop_client(s);
            return;
        }
        buf += n;
        len -= (size_t)n;
    }
}

static int st_read(vt_chardev *c) {
    serial_tcp *s = c->opaque;
    poll_accept(s);
    if (s->client_fd < 0) return -1;
    uint8_t b;
    ssize_t n = recv(s->client_fd, &b, 1, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
        drop_client(s);
        return -1;
    }
    return n == 1 ? b : -1;
}

static void st_close(vt_chardev *c) {
    serial_tcp *s = c->opaque;
    if (s->client_fd >= 0) close(s->client_fd);
    close(s->listen_fd);
    free(s);
}

int vt_serial_tcp_open(const char *hostport, vt_chardev **out, vt_error *err) {
    const char *colon = strrchr(hostport, ':');
    if (!colon) return vt_fail(err, "--serial tcp:%s: expected tcp:127.0.0.1:PORT", hostport);
    size_t hl = (size_t)(colon - hostport);
    if (!((hl == 9 && !strncmp(hostport, "127.0.0.1", 9)) ||
          (hl == 9 && !strncmp(hostport, "localhost", 9))))
        return vt_fail(err, "--serial tcp: only 127.0.0.1 (loopback) is allowed, not '%.*s'",
                       (int)hl, hostport);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535)
        return vt_fail(err, "--serial tcp: bad port '%s'", colon + 1);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return vt_fail(err, "--serial tcp: socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 1)) {
        int e = errno;
        close(fd);
        return vt_fail(err, "--serial tcp:127.0.0.1:%ld: %s", port, strerror(e));
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    serial_tcp *s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        return vt_fail(err, "out of memory");
    }
    s->listen_fd = fd;
    s->client_fd = -1;
    s->base.kind = VT_SERIAL_TCP;
    s->base.chr = (vt_chardev){st_write, st_read, st_close, s};
    *out = &s->base.chr;
    return 0;
}
