/* The user-mode network backend (frontend/net_user.c, libslirp) on a bare scheduler with a test
 * NIC: a DHCP DISCOVER gets an OFFER of 10.0.2.15 from 10.0.2.2, delivered only when emulated
 * time reaches its wire time; a host connection to a hostfwd port makes slirp look for the guest
 * (an ARP request for 10.0.2.15) at the next emulated-time poll; bad specs are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "frontend/net.h"

static uint8_t last[2048];
static size_t last_len;
static int frames;

static void rx(void *opaque, const uint8_t *frame, size_t len) {
    (void)opaque;
    memcpy(last, frame, len);
    last_len = len;
    frames++;
}

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

static uint16_t ip_checksum(const uint8_t *h, size_t len) {
    uint32_t sum = 0;
    for (size_t i = 0; i < len; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Ethernet + IPv4 + UDP 68->67 + BOOTP DISCOVER with the DHCP message-type option. */
static size_t dhcp_discover(uint8_t *f) {
    memset(f, 0, 342);
    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    f[12] = 0x08;
    uint8_t *ip = f + 14, *udp = ip + 20, *bootp = udp + 8;
    size_t bootp_len = 300;
    ip[0] = 0x45;
    store_be16(ip + 2, (uint16_t)(20 + 8 + bootp_len));
    ip[8] = 64;
    ip[9] = 17; /* UDP */
    memset(ip + 16, 0xff, 4);
    store_be16(ip + 10, ip_checksum(ip, 20));
    store_be16(udp, 68);
    store_be16(udp + 2, 67);
    store_be16(udp + 4, (uint16_t)(8 + bootp_len));
    bootp[0] = 1; /* BOOTREQUEST */
    bootp[1] = 1;
    bootp[2] = 6;
    store_be32(bootp + 4, 0x12345678); /* xid */
    memcpy(bootp + 28, mac, 6);
    store_be32(bootp + 236, 0x63825363); /* magic cookie */
    bootp[240] = 53;                     /* DHCP message type */
    bootp[241] = 1;
    bootp[242] = 1; /* DISCOVER */
    bootp[243] = 255;
    return 14 + 20 + 8 + bootp_len;
}

static vt_net *open_user(const char *spec, vt_sched *s) {
    vt_net *n;
    vt_error err;
    if (vt_net_open(spec, &n, &err)) fail_msg("%s", err.msg);
    assert_non_null(n);
    if (vt_net_attach(n, s, rx, NULL, &err)) fail_msg("%s", err.msg);
    return n;
}

static void test_dhcp_offer(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    vt_net *n = open_user("user", &s);
    frames = 0;
    uint8_t f[400];
    vt_net_send(n, f, dhcp_discover(f));
    assert_int_equal(frames, 0); /* nothing before emulated time moves */
    vt_sched_advance(&s, s.now + VT_PS_PER_SEC / 100);
    assert_true(frames >= 1);
    const uint8_t *ip = last + 14, *udp = ip + 20, *bootp = udp + 8;
    assert_int_equal(load_be16(last + 12), 0x0800);
    assert_int_equal(ip[9], 17);
    assert_int_equal(load_be32(ip + 12), 0x0a000202); /* from 10.0.2.2 */
    assert_int_equal(load_be16(udp), 67);
    assert_int_equal(load_be16(udp + 2), 68);
    assert_int_equal(bootp[0], 2);                       /* BOOTREPLY */
    assert_int_equal(load_be32(bootp + 4), 0x12345678);  /* our xid */
    assert_int_equal(load_be32(bootp + 16), 0x0a00020f); /* yiaddr 10.0.2.15 */
    assert_int_equal(bootp[240], 53);                    /* message type first: */
    assert_int_equal(bootp[242], 2);                     /* OFFER */
    vt_net_detach(n);
    vt_sched_free(&s);
    vt_net_close(n);
}

static int free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_hostfwd(void **state) {
    (void)state;
    vt_sched s;
    vt_sched_init(&s);
    int port = free_port();
    char spec[96];
    snprintf(spec, sizeof spec, "user,hostfwd=tcp:127.0.0.1:%d-:7", port);
    vt_net *n = open_user(spec, &s);
    frames = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(frames, 0);
    for (int i = 0; i < 3; i++) /* the polls accept the connection, the answer follows */
        vt_sched_advance(&s, s.now + VT_NET_POLL_PS);
    assert_true(frames >= 1);
    /* slirp does not know the guest's address yet: it asks with ARP */
    assert_int_equal(load_be16(last + 12), 0x0806);
    assert_int_equal(load_be16(last + 20), 1);          /* request */
    assert_int_equal(load_be32(last + 38), 0x0a00020f); /* who has 10.0.2.15 */
    close(fd);
    vt_net_detach(n);
    vt_sched_free(&s);
    vt_net_close(n);
}

static void test_bad_specs(void **state) {
    (void)state;
    static const char *bad[] = {"tap",
                                "user,dns=maybe",
                                "user,foo=1",
                                "user,hostfwd=tcp:1.2.3.4:5-:6",
                                "user,hostfwd=tcp::0-:6",
                                "user,hostfwd=sctp::5-:6",
                                "user,dns"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vt_net *n = NULL;
        vt_error err;
        assert_int_equal(vt_net_open(bad[i], &n, &err), -1);
        assert_null(n);
    }
    vt_net *n;
    vt_error err;
    assert_int_equal(vt_net_open("none", &n, &err), 0);
    assert_null(n);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dhcp_offer),
        cmocka_unit_test(test_hostfwd),
        cmocka_unit_test(test_bad_specs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
