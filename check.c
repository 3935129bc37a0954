/*
 * check.c - --check, see check.h. Read-only but for one datagram that
 * makes the kernel resolve an unresolved gateway, as the daemon would.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <linux/neighbour.h>

#include "check.h"
#include "clock.h"
#include "docker.h"
#include "http.h"
#include "json.h"
#include "routes.h"
#include "uplink.h"

#define GW_WAIT_MS	3000		/* MAX_MULTICAST_SOLICIT x 1 s */
#define NUD_HAS_MAC	(NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | \
			 NUD_PERMANENT | NUD_NOARP)

static int findings;

__attribute__((format(printf, 1, 2)))
static void finding(const char *fmt, ...)
{
	va_list ap;

	(void)fputs("ndpresponder: check: ", stdout);
	va_start(ap, fmt);
	/* va_start is right above; clang 14 misreports this. */
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
	(void)vprintf(fmt, ap);
	va_end(ap);
	(void)putchar('\n');
	findings++;
}

/* net.ipv6.conf.IF.NAME, or -1 where the kernel has no such file. */
static int conf(const struct check *c, const char *ifname, const char *name)
{
	char path[256], buf[32];
	ssize_t n;
	int fd;

	(void)snprintf(path, sizeof(path), "%s/net/ipv6/conf/%s/%s",
		       c->sysctl_root, ifname, name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* A small non-negative number, then a newline. */
	n = 0;
	for (char *d = buf; *d >= '0' && *d <= '9' && n < 1000000; d++)
		n = n * 10 + (*d - '0');
	return buf[0] >= '0' && buf[0] <= '9' ? (int)n : -1;
}

/* Packets that arrive on ifname are forwarded (ip6_forward): with
 * all.forwarding, or that interface's force_forwarding (Linux 6.17). */
static bool forwards(const struct check *c, const char *ifname)
{
	return conf(c, "all", "forwarding") == 1 ||
	       conf(c, ifname, "force_forwarding") == 1;
}

static void forwarding_finding(const struct check *c, const char *ifname,
			       const char *why)
{
	bool force = conf(c, ifname, "force_forwarding") >= 0;

	finding("IPv6 forwarding is off for packets arriving on %s (%s): set "
		"net.ipv6.conf.all.forwarding=1%s%s%s", ifname, why,
		force ? " or net.ipv6.conf." : "", force ? ifname : "",
		force ? ".force_forwarding=1" : "");
}

/* A default route through the uplink that came from an RA. */
struct ra_scan {
	int ifindex;
	bool from_ra;
};

static int ra_cb(const struct nlmsghdr *h, void *arg)
{
	struct ra_scan *s = arg;
	struct rtnl_route r;

	if (!h || rtnl_parse_route(h, &r) < 0 || r.family != AF_INET6 ||
	    r.dst_len != 0 || r.table != RT_TABLE_MAIN)
		return 0;
	for (size_t i = 0; i < r.noif; i++)
		if (r.oif[i] == s->ifindex && r.protocol == RTPROT_RA)
			s->from_ra = true;
	return 0;
}

static void check_accept_ra(const struct check *c, struct uplink *u)
{
	struct ra_scan s = { .ifindex = u->ifindex };
	int ra = conf(c, c->ifname, "accept_ra");

	/* RFC 4861 6.3.4 as Linux does it: a router ignores RAs unless
	 * accept_ra is 2, and the route an RA gave expires with it. */
	if (!forwards(c, c->ifname) || ra < 0 || ra >= 2)
		return;
	if (rtnl_dump(&u->req, RTM_GETROUTE, AF_INET6, ra_cb, &s) == 0 &&
	    s.from_ra)
		finding("the default route through %s came from a Router "
			"Advertisement, but with forwarding on and accept_ra=%d "
			"the kernel ignores the next ones, and the route will "
			"expire: set net.ipv6.conf.%s.accept_ra=2", c->ifname,
			ra, c->ifname);
}

/* Each -n prefix must lead inward, to an interface that forwards. */
static void check_routes(const struct check *c, struct uplink *u)
{
	struct routes rt = { .table = c->table ? c->table : RT_TABLE_MAIN,
			     .uplink = &u->ifindex };
	char a[NDP_ADDR_STRLEN], name[IF_NAMESIZE];

	if (!c->statics->n)
		return;
	if (routes_open(&rt) < 0) {
		finding("cannot read the routing table");
		return;
	}
	for (size_t i = 0; i < c->statics->n; i++) {
		const struct ndp_prefix *p = &c->statics->v[i];
		struct in6_addr t = p->addr;
		struct route_verdict v;

		/* An address inside, not the subnet-router anycast one. */
		if (p->len < 128)
			t.s6_addr[15] |= 1;
		route_table_lookup(&rt.t, &t, u->ifindex, &v);
		ndp_format_addr(&p->addr, a);
		if (v.own)
			continue;
		if (!v.best || !route_inward(v.best, u->ifindex)) {
			finding("%s/%u is answered, but the kernel %s, so its "
				"packets reach no one: route it to where its "
				"addresses are (ip -6 route add %s/%u dev "
				"BRIDGE)", a, p->len,
				!v.best ? "has no route for it" :
				v.best->oif == u->ifindex ? "routes it back out "
				"of the uplink" : "routes it to no interface",
				a, p->len);
			continue;
		}
		if (!if_indextoname((unsigned)v.best->oif, name))
			continue;
		if (!forwards(c, name))
			forwarding_finding(c, name, "the replies of the "
					   "addresses behind it");
	}
	route_table_free(&rt.t);
	(void)close(rt.ev.fd);
	(void)close(rt.req.fd);
}

static bool resolved(const struct uplink *u)
{
	for (size_t i = 0; i < u->ngw; i++)
		if (!(u->gw[i].state & NUD_HAS_MAC))
			return false;
	return true;
}

/* As the daemon would: a datagram from a global address, then the
 * kernel's word, for GW_WAIT_MS at most. */
static void check_gateway(const struct check *c, struct uplink *u)
{
	char a[NDP_ADDR_STRLEN];
	uint64_t t0 = clock_ms();

	if (!u->ngw) {
		finding("no IPv6 default route through %s: the router's "
			"replies have no way back; add one (ip -6 route add "
			"default via GATEWAY dev %s), or let RAs give it "
			"(accept_ra=2)", c->ifname, c->ifname);
		return;
	}
	if (!resolved(u))
		for (size_t i = 0; i < u->ngw; i++)
			uplink_resolve(u, &u->gw[i].addr);
	while (!resolved(u) && clock_ms() - t0 < GW_WAIT_MS) {
		struct timespec ts = { .tv_nsec = 100 * 1000000L };

		(void)nanosleep(&ts, NULL);
		uplink_scan_neighbours(u);
	}
	for (size_t i = 0; i < u->ngw; i++)
		if (!(u->gw[i].state & NUD_HAS_MAC))
			finding("the gateway %s does not answer on %s (asked "
				"for %d s, from %s address): check the default "
				"route and the link%s",
				ndp_format_addr(&u->gw[i].addr, a), c->ifname,
				GW_WAIT_MS / 1000, u->has_src ? "a global" :
				"the link-local", u->has_src ? "" :
				"; with no global address on the uplink, a "
				"hypervisor that drops link-local frames drops "
				"the question too");
}

#define DOCKER_BODY_MAX	(4 << 20)

/*
 * GET path from the engine, HTTP/1.0 so that the body ends with the
 * connection, with 2 s time-outs: its status, or -errno, or -EPROTO for
 * what does not parse. The body in body[0..*len).
 */
static int engine_get(const struct docker *d, const char *path, char *body,
		      size_t cap, size_t *len)
{
	struct timeval tv = { .tv_sec = 2 };
	struct http_reader h;
	char req[512], in[4096];
	int fd, n, status = -EPROTO;
	ssize_t k;

	*len = 0;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (const struct sockaddr *)&d->sun, d->sun_len) < 0) {
		status = -errno;
		goto out;
	}
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: docker\r\n"
		     "\r\n", path);
	if (n < 0 || (size_t)n >= sizeof(req) ||
	    send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
		status = n < 0 || (size_t)n >= sizeof(req) ? -ENAMETOOLONG :
							   -errno;
		goto out;
	}
	http_reader_init(&h, cap);
	while ((k = recv(fd, in, sizeof(in), 0)) > 0) {
		size_t at = 0;

		while (at < (size_t)k) {
			const char *b;
			size_t used, blen;
			enum http_result r = http_feed(&h, in + at,
						       (size_t)k - at, &used,
						       &b, &blen);

			at += used;
			if (r == HTTP_ERROR)
				goto out;
			if (r == HTTP_HEADERS)
				status = h.status;
			if (r == HTTP_BODY && *len + blen <= cap) {
				memcpy(body + *len, b, blen);
				*len += blen;
			}
		}
	}
out:
	(void)close(fd);
	return status;
}

/* The engine answers, and each -N network exists with IPv6. */
static void check_engine(const struct check *c)
{
	const struct docker *d = c->docker;
	static char body[DOCKER_BODY_MAX];
	char path[DOCKER_NAME_MAX + 32];
	size_t len;
	int status;

	status = engine_get(d, "/_ping", body, sizeof(body), &len);
	if (status < 0) {
		finding("the container engine does not answer on %s (%s): "
			"start it (dockerd, or podman system service), or set "
			"DOCKER_HOST=unix://PATH", d->sun.sun_path,
			status == -EPROTO ? "not HTTP" : strerror(-status));
		return;
	}
	for (size_t i = 0; i < d->nnets; i++) {
		struct json_value doc, v;
		const char *name = d->nets[i].name;

		(void)snprintf(path, sizeof(path), "/networks/%s", name);
		status = engine_get(d, path, body, sizeof(body), &len);
		if (status == 404) {
			finding("the container network %s does not exist: "
				"create it with IPv6 (docker network create "
				"--ipv6 --subnet PREFIX %s), or fix -N", name,
				name);
		} else if (status != 200 || !json_parse(body, len, &doc) ||
			   doc.type != JSON_OBJECT) {
			finding("the container engine's answer for network %s "
				"is not one (HTTP status %d)", name, status);
		} else if (!json_find(&doc, "EnableIPv6", &v) ||
			   v.type != JSON_TRUE) {
			finding("the container network %s has no IPv6: its "
				"containers have no address to answer for; "
				"create it with --ipv6 and a subnet out of the "
				"uplink's prefix", name);
		}
	}
}

int check_run(const struct check *c)
{
	struct uplink u;
	int err;

	findings = 0;
	err = uplink_init(&u, c->ifname, false);
	if (err == -ENODEV) {
		finding("interface %s does not exist: give -i the uplink's "
			"name (ip link)", c->ifname);
		return findings;
	}
	if (err == -EPFNOSUPPORT) {
		finding("interface %s has no Ethernet address: -i must name "
			"the Ethernet uplink", c->ifname);
		return findings;
	}
	if (err < 0)
		return -1;
	if (!(u.flags & IFF_UP))
		finding("interface %s is down: ip link set %s up", c->ifname,
			c->ifname);
	if (!forwards(c, c->ifname))
		forwarding_finding(c, c->ifname, "the targets' packets stop "
				   "there");
	check_accept_ra(c, &u);
	if (conf(c, c->ifname, "proxy_ndp") == 1 ||
	    conf(c, "all", "proxy_ndp") == 1)
		finding("proxy_ndp is on for %s: the kernel answers too, from "
			"its link-local address, which the hypervisor drops; "
			"set net.ipv6.conf.all.proxy_ndp=0 and "
			"net.ipv6.conf.%s.proxy_ndp=0", c->ifname, c->ifname);
	check_routes(c, &u);
	check_gateway(c, &u);
	if (c->docker)
		check_engine(c);
	free(u.addrs);
	(void)close(u.ev.fd);
	(void)close(u.req.fd);
	(void)close(u.timerfd);
	return findings;
}
