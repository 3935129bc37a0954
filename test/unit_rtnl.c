/*
 * test/unit_rtnl.c - unit tests of rtnl.c's pure parts: the message walk
 * and its end-of-dump rules, on datagrams written here byte by byte; and
 * the link, route, neighbour and address parsers, on datagrams captured
 * from kernels (fuzz/corpus/rtnl, found from this program's directory
 * as ../fuzz/corpus/rtnl) and on copies of their messages made short,
 * foreign or malformed. The expected values were decoded by hand from
 * the captures' bytes (xxd); the comments give the offsets in the file.
 * Inputs of the parser tests are copied into buffers of their exact
 * size, so that the sanitizer build sees any read past the end.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtnl.h"
#include "unit.h"

/* A datagram under construction, aligned as the daemon's buffer is. */
struct dgram {
	union {
		struct nlmsghdr h;
		uint8_t b[4096];
	} u;
	size_t len;
};

/* Append a message: header, then payload of plen bytes. */
static void put_msg(struct dgram *d, uint16_t type, uint16_t flags,
		    uint32_t seq, uint32_t pid, const void *payload,
		    size_t plen)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)NLMSG_LENGTH(plen),
		.nlmsg_type = type,
		.nlmsg_flags = flags,
		.nlmsg_seq = seq,
		.nlmsg_pid = pid,
	};

	memcpy(d->u.b + d->len, &h, sizeof(h));
	if (plen)
		memcpy(d->u.b + d->len + NLMSG_HDRLEN, payload, plen);
	d->len += NLMSG_ALIGN(h.nlmsg_len);
}

static int count_cb(const struct nlmsghdr *h, void *arg)
{
	if (h)
		(*(int *)arg)++;
	return 0;
}

/* A data message: an ifinfomsg, which the walk does not look into. */
static void put_data(struct dgram *d, uint32_t seq)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };

	put_msg(d, RTM_NEWLINK, NLM_F_MULTI, seq, 7, &ifi, sizeof(ifi));
}

static void test_walk_done_ends_dump(void)
{
	struct dgram d = { .len = 0 };
	int zero = 0, n = 0;
	bool intr = false;

	put_data(&d, 5);
	put_data(&d, 5);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 5, 7, &zero, sizeof(zero));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 1);
	CHECK_EQ(n, 2);
	CHECK(!intr);
}

/* Kernels before 4.x send NLMSG_DONE with no payload at all. */
static void test_walk_done_without_error_code(void)
{
	struct dgram d = { .len = 0 };
	int n = 0;
	bool intr = false;

	put_data(&d, 5);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 5, 7, NULL, 0);
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 1);
	CHECK_EQ(n, 1);
}

/* netlink_dump_done(): a dump that failed part way (here -EMSGSIZE)
 * ends with its error in NLMSG_DONE; the messages before it are not the
 * whole table, and the caller must know. */
static void test_walk_done_with_error(void)
{
	struct dgram d = { .len = 0 };
	int err = -EMSGSIZE, n = 0;
	bool intr = false;

	put_data(&d, 5);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 5, 7, &err, sizeof(err));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr),
		 -EMSGSIZE);
	CHECK_EQ(n, 1);
}

static void test_walk_error_and_ack(void)
{
	struct dgram d = { .len = 0 };
	struct nlmsgerr e = { .error = -EPERM };
	int n = 0;
	bool intr = false;

	put_msg(&d, NLMSG_ERROR, 0, 9, 7, &e, sizeof(e));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 9, 7, count_cb, &n, &intr), -EPERM);
	d.len = 0;
	e.error = 0;
	put_msg(&d, NLMSG_ERROR, 0, 9, 7, &e, sizeof(e));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 9, 7, count_cb, &n, &intr), 1);
	/* A positive error is no errno: a protocol error. */
	d.len = 0;
	e.error = 5;
	put_msg(&d, NLMSG_ERROR, 0, 9, 7, &e, sizeof(e));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 9, 7, count_cb, &n, &intr), -EPROTO);
	CHECK_EQ(n, 0);
}

/* Answers to an abandoned request (another seq) are skipped, DONE and
 * errors included. */
static void test_walk_skips_other_seq(void)
{
	struct dgram d = { .len = 0 };
	int err = -EINTR, n = 0;
	bool intr = false;

	put_data(&d, 4);
	put_msg(&d, NLMSG_DONE, NLM_F_MULTI, 4, 7, &err, sizeof(err));
	put_data(&d, 5);
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 0);
	CHECK_EQ(n, 1);
}

static void test_walk_dump_interrupted(void)
{
	struct dgram d = { .len = 0 };
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	int n = 0;
	bool intr = false;

	put_msg(&d, RTM_NEWLINK, NLM_F_MULTI | NLM_F_DUMP_INTR, 5, 7, &ifi,
		sizeof(ifi));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), 0);
	CHECK(intr);
}

static void test_walk_malformed(void)
{
	struct dgram d = { .len = 0 };
	struct nlmsghdr h;
	int n = 0;
	bool intr = false;

	put_data(&d, 5);
	/* Longer than the datagram. */
	memcpy(&h, d.u.b, sizeof(h));
	h.nlmsg_len = (uint32_t)d.len + 4;
	memcpy(d.u.b, &h, sizeof(h));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), -EINVAL);
	/* Shorter than its own header. */
	h.nlmsg_len = sizeof(h) - 1;
	memcpy(d.u.b, &h, sizeof(h));
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), -EINVAL);
	/* An error message too short for its code. */
	d.len = 0;
	put_msg(&d, NLMSG_ERROR, 0, 5, 7, "\0\0", 2);
	CHECK_EQ(rtnl_walk(d.u.b, d.len, 5, 7, count_cb, &n, &intr), -EINVAL);
	CHECK_EQ(n, 0);
}

/* ------------------------------------------------------------------ */
/* The parsers on captured dumps                                       */

static char corpus_dir[4096] = "fuzz/corpus/rtnl";

/* A capture: one datagram as the kernel sent it, in a buffer of its
 * exact size (malloc aligns it as the daemon's buffer is aligned). */
struct capture {
	uint8_t *b;
	size_t len;
};

static bool load(const char *name, struct capture *c)
{
	static uint8_t buf[65536];
	char path[4200];
	FILE *f;
	size_t n;

	c->b = NULL;
	c->len = 0;
	(void)snprintf(path, sizeof(path), "%s/%s", corpus_dir, name);
	if (!(f = fopen(path, "rb"))) {
		FAILF("cannot open %s", path);
		return false;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n == 0 || n == sizeof(buf) || !(c->b = malloc(n))) {
		FAILF("cannot read %s", path);
		return false;
	}
	memcpy(c->b, buf, n);
	c->len = n;
	return true;
}

/* What the four parsers made of each data message of a walk. */
#define SEEN_MAX 24
struct seen {
	int msgs, links, routes, neighs, addrs;
	struct rtnl_link l[SEEN_MAX];
	struct rtnl_route r[SEEN_MAX];
	struct rtnl_neigh n[SEEN_MAX];
	struct rtnl_addr a[SEEN_MAX];
};

static int seen_cb(const struct nlmsghdr *h, void *arg)
{
	struct seen *s = arg;

	if (!h)
		return 0;
	if (s->msgs == SEEN_MAX)
		return -E2BIG;
	s->msgs++;
	if (rtnl_parse_link(h, &s->l[s->links]) == 0)
		s->links++;
	if (rtnl_parse_route(h, &s->r[s->routes]) == 0)
		s->routes++;
	if (rtnl_parse_neigh(h, &s->n[s->neighs]) == 0)
		s->neighs++;
	if (rtnl_parse_addr(h, &s->a[s->addrs]) == 0)
		s->addrs++;
	return 0;
}

/* walk_capture NAME SEQ PORTID: load and walk a capture; the walk's
 * result, or -ENOENT if it could not be read. */
static int walk_capture(const char *name, uint32_t seq, uint32_t portid,
			struct capture *c, struct seen *s)
{
	bool intr = false;
	int r;

	memset(s, 0, sizeof(*s));
	if (!load(name, c))
		return -ENOENT;
	r = rtnl_walk(c->b, c->len, seq, portid, seen_cb, s, &intr);
	CHECK(!intr);
	return r;
}

static bool same_in6(const struct in6_addr *got, const char *want)
{
	struct in6_addr a;

	return inet_pton(AF_INET6, want, &a) == 1 &&
	    memcmp(got, &a, sizeof(a)) == 0;
}

static const char *in6_str(const struct in6_addr *a)
{
	static char s[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, s, sizeof(s)) ? s : "?";
}

static bool same_mac(const uint8_t got[6], const char *want)
{
	uint8_t m[6];

	return sscanf(want, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1],
		      &m[2], &m[3], &m[4], &m[5]) == 6 &&
	    memcmp(got, m, sizeof(m)) == 0;
}

static const char *mac_str(const uint8_t m[6])
{
	static char s[18];

	(void)snprintf(s, sizeof(s), "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
		       m[1], m[2], m[3], m[4], m[5]);
	return s;
}

struct want_link {
	int ifindex;
	unsigned flags;
	uint16_t type;
	const char *name;
	const char *mac;		/* NULL: no 6-byte IFLA_ADDRESS */
};

static void check_links(const struct seen *s, const struct want_link *w,
			int n)
{
	CHECK_EQ(s->links, n);
	for (int i = 0; i < n && i < s->links; i++) {
		const struct rtnl_link *l = &s->l[i];

		CHECKF(l->ifindex == w[i].ifindex, "link %d: ifindex %d, want %d",
		       i, l->ifindex, w[i].ifindex);
		CHECKF(l->flags == w[i].flags, "link %d: flags 0x%x, want 0x%x",
		       i, l->flags, w[i].flags);
		CHECKF(l->type == w[i].type, "link %d: type %u, want %u", i,
		       l->type, w[i].type);
		CHECKF(strcmp(l->name, w[i].name) == 0,
		       "link %d: name \"%s\", want \"%s\"", i, l->name,
		       w[i].name);
		CHECKF(l->has_addr == (w[i].mac != NULL),
		       "link %d: has_addr %d", i, l->has_addr);
		CHECKF(!w[i].mac || same_mac(l->addr, w[i].mac),
		       "link %d: addr %s, want %s", i, mac_str(l->addr),
		       w[i].mac);
	}
}

struct want_route {
	uint8_t dst_len;
	uint32_t table;
	uint8_t type;
	size_t nnh;
	struct {
		const char *gw;
		int ifindex;
	} nh[2];
};

static void check_routes(const struct seen *s, const struct want_route *w,
			 int n)
{
	CHECK_EQ(s->routes, n);
	for (int i = 0; i < n && i < s->routes; i++) {
		const struct rtnl_route *r = &s->r[i];

		CHECKF(r->family == AF_INET6, "route %d: family %u", i,
		       r->family);
		CHECKF(r->dst_len == w[i].dst_len,
		       "route %d: dst_len %u, want %u", i, r->dst_len,
		       w[i].dst_len);
		CHECKF(r->table == w[i].table, "route %d: table %u, want %u",
		       i, r->table, w[i].table);
		CHECKF(r->type == w[i].type, "route %d: type %u, want %u", i,
		       r->type, w[i].type);
		CHECKF(r->nnh == w[i].nnh, "route %d: nnh %zu, want %zu", i,
		       r->nnh, w[i].nnh);
		for (size_t j = 0; j < w[i].nnh && j < r->nnh; j++) {
			CHECKF(same_in6(&r->nh[j].gw, w[i].nh[j].gw),
			       "route %d nexthop %zu: gateway %s, want %s", i,
			       j, in6_str(&r->nh[j].gw), w[i].nh[j].gw);
			CHECKF(r->nh[j].ifindex == w[i].nh[j].ifindex,
			       "route %d nexthop %zu: ifindex %d, want %d", i,
			       j, r->nh[j].ifindex, w[i].nh[j].ifindex);
		}
	}
}

struct want_neigh {
	int ifindex;
	uint16_t state;
	const char *dst;
	const char *lladdr;		/* NULL: no 6-byte NDA_LLADDR */
};

static void check_neighs(const struct seen *s, const struct want_neigh *w,
			 int n)
{
	CHECK_EQ(s->neighs, n);
	for (int i = 0; i < n && i < s->neighs; i++) {
		const struct rtnl_neigh *e = &s->n[i];

		CHECKF(e->ifindex == w[i].ifindex,
		       "neigh %d: ifindex %d, want %d", i, e->ifindex,
		       w[i].ifindex);
		CHECKF(e->state == w[i].state,
		       "neigh %d: state 0x%x, want 0x%x", i, e->state,
		       w[i].state);
		CHECKF(same_in6(&e->dst, w[i].dst), "neigh %d: dst %s, want %s",
		       i, in6_str(&e->dst), w[i].dst);
		CHECKF(e->has_lladdr == (w[i].lladdr != NULL),
		       "neigh %d: has_lladdr %d", i, e->has_lladdr);
		CHECKF(!w[i].lladdr || same_mac(e->lladdr, w[i].lladdr),
		       "neigh %d: lladdr %s, want %s", i, mac_str(e->lladdr),
		       w[i].lladdr);
	}
}

struct want_addr {
	int ifindex;
	uint8_t prefixlen, scope;
	uint32_t flags;
	const char *addr;
};

static void check_addrs(const struct seen *s, const struct want_addr *w,
			int n)
{
	CHECK_EQ(s->addrs, n);
	for (int i = 0; i < n && i < s->addrs; i++) {
		const struct rtnl_addr *a = &s->a[i];

		CHECKF(a->ifindex == w[i].ifindex,
		       "addr %d: ifindex %d, want %d", i, a->ifindex,
		       w[i].ifindex);
		CHECKF(a->prefixlen == w[i].prefixlen,
		       "addr %d: prefixlen %u, want %u", i, a->prefixlen,
		       w[i].prefixlen);
		CHECKF(a->scope == w[i].scope, "addr %d: scope %u, want %u", i,
		       a->scope, w[i].scope);
		CHECKF(a->flags == w[i].flags,
		       "addr %d: flags 0x%x, want 0x%x", i, a->flags,
		       w[i].flags);
		CHECKF(same_in6(&a->addr, w[i].addr),
		       "addr %d: addr %s, want %s", i, in6_str(&a->addr),
		       w[i].addr);
	}
}

#define NWANT(w) ((int)(sizeof(w) / sizeof((w)[0])))

/*
 * link0, link1: the two datagrams of one RTM_GETLINK dump (seq 1, port
 * 22148 at 0x08 and 0x0c of each message), without the NLMSG_DONE that
 * followed. Per message: ifinfomsg at +0x10 (ifi_type at +0x12,
 * ifi_index at +0x14, ifi_flags at +0x18), then IFLA_IFNAME (type 3)
 * and IFLA_ADDRESS (type 1) at the offsets given.
 */
static void test_parse_link_dump(void)
{
	static const struct want_link want0[] = {
		/* @0x00: type 0x0304 ARPHRD_LOOPBACK, index 1, flags
		 * 0x10049 UP|LOOPBACK|RUNNING|LOWER_UP; name @0x20;
		 * IFLA_ADDRESS @0x100, 6 bytes of zero. */
		{ 1, 0x10049, 0x0304, "lo", "00:00:00:00:00:00" },
		/* @0x5bc: ARPHRD_ETHER, index 2, 0x82 BROADCAST|NOARP
		 * (down); name @0x5dc; address @0x6c0. */
		{ 2, 0x82, 0x0001, "ifb0", "42:bc:9a:ba:ee:53" },
	};
	static const struct want_link want1[] = {
		/* @0x00: index 3, 0x82; name @0x20; address @0x104. */
		{ 3, 0x82, 0x0001, "ifb1", "b2:8c:ff:d0:36:23" },
		/* @0x5cc: index 4, 0x11043 UP|BROADCAST|RUNNING|
		 * MULTICAST|LOWER_UP; name @0x5ec; address @0x6d0. */
		{ 4, 0x11043, 0x0001, "eth0", "02:fc:00:00:00:01" },
		/* @0xbb4: index 7, 0x1003 UP|BROADCAST|MULTICAST (no
		 * carrier); name @0xbd4, 15 characters and the NUL,
		 * IFNAMSIZ in all; address @0xcc0. */
		{ 7, 0x1003, 0x0001, "br-50336f35f474", "02:42:71:3b:86:cd" },
	};
	struct capture c;
	struct seen s;

	/* No NLMSG_DONE in either: the dump goes on (0, not 1). */
	CHECK_EQ(walk_capture("link0", 1, 22148, &c, &s), 0);
	CHECK_EQ(s.msgs, 2);
	check_links(&s, want0, NWANT(want0));
	CHECK_EQ(s.routes + s.neighs + s.addrs, 0);
	free(c.b);
	CHECK_EQ(walk_capture("link1", 1, 22148, &c, &s), 0);
	CHECK_EQ(s.msgs, 3);
	check_links(&s, want1, NWANT(want1));
	CHECK_EQ(s.routes + s.neighs + s.addrs, 0);
	free(c.b);
	/* The same datagram as the answer to another request: skipped. */
	CHECK_EQ(walk_capture("link1", 2, 22148, &c, &s), 0);
	CHECK_EQ(s.msgs, 0);
	free(c.b);
}

/*
 * route0: the first datagram of an RTM_GETROUTE dump for AF_INET6 (seq
 * 0x66, port 0x1efe), 19 messages of 0x74 bytes and no NLMSG_DONE;
 * route1: its NLMSG_DONE, error 0. rtmsg at +0x10 of each message:
 * family, dst_len, src_len, tos, table, protocol, scope, type.
 */
static void test_parse_route_dump(void)
{
	static const struct want_route want[] = {
		/* @0x10: dst_len 0x70, table 0xfe (RTA_TABLE @0x1c 0xfe
		 * too), RTN_UNICAST; RTA_DST @0x24 2001:db8:42::, RTA_OIF
		 * @0x40 7, no gateway. */
		{ 112, 254, 1, 0, { { NULL, 0 } } },
		/* @0x84, 0xf8, 0x16c, 0x1e0, 0x254: the /64s on links
		 * 4, 4, 7, 13, 15 (fd00::/64, then fe80::/64), no
		 * gateway. */
		{ 64, 254, 1, 0, { { NULL, 0 } } },
		{ 64, 254, 1, 0, { { NULL, 0 } } },
		{ 64, 254, 1, 0, { { NULL, 0 } } },
		{ 64, 254, 1, 0, { { NULL, 0 } } },
		{ 64, 254, 1, 0, { { NULL, 0 } } },
		/* @0x2c8: the default route, dst_len 0, protocol 3
		 * (boot); RTA_GATEWAY @0x2e4 fd00::1, RTA_OIF @0x2f8 4. */
		{ 0, 254, 1, 1, { { "fd00::1", 4 } } },
		/* @0x33c ... @0x5f4 and 0x668: eight /128s in table 0xff
		 * (local), RTN_LOCAL (2). */
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		{ 128, 255, 2, 0, { { NULL, 0 } } },
		/* @0x6dc ... @0x838: ff00::/8 in table local, one per
		 * link, RTN_MULTICAST (5). */
		{ 8, 255, 5, 0, { { NULL, 0 } } },
		{ 8, 255, 5, 0, { { NULL, 0 } } },
		{ 8, 255, 5, 0, { { NULL, 0 } } },
		{ 8, 255, 5, 0, { { NULL, 0 } } },
	};
	struct capture c;
	struct seen s;

	CHECK_EQ(walk_capture("route0", 0x66, 0x1efe, &c, &s), 0);
	CHECK_EQ(s.msgs, 19);
	check_routes(&s, want, NWANT(want));
	CHECK_EQ(s.links + s.neighs + s.addrs, 0);
	free(c.b);
	CHECK_EQ(walk_capture("route1", 0x66, 0x1efe, &c, &s), 1);
	CHECK_EQ(s.msgs, 0);
	free(c.b);
}

/*
 * route2: an RTM_GETROUTE dump for AF_INET6 (seq 0xe2, port 0x1248) in
 * a namespace made for it, one datagram of 7 messages (the NLMSG_DONE
 * came in the next):
 *   ip -6 route add 2001:db8:79::/48 dev a1 table 100 metric 5
 *   ip -6 route add 2001:db8:78::/48 via fe80::3 dev a0 table 1000
 *   ip -6 route add 2001:db8:77::/48 nexthop via fe80::1 dev a0 \
 *	nexthop via fe80::2 dev a1
 * with a0 index 3, a1 index 5.
 */
static void test_parse_route_multipath_dump(void)
{
	static const struct want_route want[] = {
		/* @0x10: dst_len 0x30, table 0x64, RTA_TABLE @0x1c 100;
		 * RTA_OIF @0x40 5, no gateway. */
		{ 48, 100, 1, 0, { { NULL, 0 } } },
		/* @0x84: rtm_table 0xfc (RT_TABLE_COMPAT), RTA_TABLE
		 * @0x90 0x3e8: the table is RTA_TABLE's 1000, not the
		 * byte's 252 (--table takes 32 bits); RTA_GATEWAY @0xb4
		 * fe80::3, RTA_OIF @0xc8 3. */
		{ 48, 1000, 1, 1, { { "fe80::3", 3 } } },
		/* @0x10c: table 0xfe; RTA_MULTIPATH @0x13c, 0x3c bytes:
		 * rtnexthop @0x140 (len 0x1c, ifindex 3) with
		 * RTA_GATEWAY @0x148 fe80::1, rtnexthop @0x15c (ifindex
		 * 5) with RTA_GATEWAY @0x164 fe80::2. */
		{ 48, 254, 1, 2, { { "fe80::1", 3 }, { "fe80::2", 5 } } },
		/* @0x1b4, 0x228, 0x29c, 0x310: ff00::/8, table local. */
		{ 8, 255, 5, 0, { { NULL, 0 } } },
		{ 8, 255, 5, 0, { { NULL, 0 } } },
		{ 8, 255, 5, 0, { { NULL, 0 } } },
		{ 8, 255, 5, 0, { { NULL, 0 } } },
	};
	struct capture c;
	struct seen s;

	CHECK_EQ(walk_capture("route2", 0xe2, 0x1248, &c, &s), 0);
	CHECK_EQ(s.msgs, 7);
	check_routes(&s, want, NWANT(want));
	CHECK_EQ(s.links + s.neighs + s.addrs, 0);
	free(c.b);
}

/*
 * neigh0: an RTM_GETNEIGH dump for AF_INET6 (seq 0x67, port 0x1efe),
 * with its NLMSG_DONE @0x3bc. ndmsg at +0x10: family, pads, ifindex
 * (+0x14), state (+0x18), flags, type; NDA_DST (type 1) at +0x1c,
 * NDA_LLADDR (type 2) at +0x30 where there is one.
 */
static void test_parse_neigh_dump(void)
{
	static const struct want_neigh want[] = {
		/* @0x10: link 4, 0x40 NUD_NOARP, type 5 (multicast). */
		{ 4, 0x40, "ff02::1:ff00:1", "33:33:ff:00:00:01" },
		/* @0x68, @0xc0: link 13, NOARP. */
		{ 13, 0x40, "ff02::16", "33:33:00:00:00:16" },
		{ 13, 0x40, "ff02::2", "33:33:00:00:00:02" },
		/* @0x118: link 4, 0x20 NUD_FAILED; NDA_DST @0x124, no
		 * NDA_LLADDR (NDA_PROBES @0x138 is 6). */
		{ 4, 0x20, "fd00::1", NULL },
		/* @0x164: lo, NOARP, type 2 (local): an all-zero
		 * NDA_LLADDR @0x184. */
		{ 1, 0x40, "fd00::2", "00:00:00:00:00:00" },
		/* @0x1bc: link 13; @0x214: 4; @0x26c, @0x2c4, @0x31c: 15;
		 * @0x374: 7. */
		{ 13, 0x40, "ff02::1:ffe3:9b42", "33:33:ff:e3:9b:42" },
		{ 4, 0x40, "ff02::16", "33:33:00:00:00:16" },
		{ 15, 0x40, "ff02::16", "33:33:00:00:00:16" },
		{ 15, 0x40, "ff02::2", "33:33:00:00:00:02" },
		{ 15, 0x40, "ff02::1:ff32:c188", "33:33:ff:32:c1:88" },
		{ 7, 0x40, "ff02::16", "33:33:00:00:00:16" },
	};
	struct capture c;
	struct seen s;

	CHECK_EQ(walk_capture("neigh0", 0x67, 0x1efe, &c, &s), 1);
	CHECK_EQ(s.msgs, 11);
	check_neighs(&s, want, NWANT(want));
	CHECK_EQ(s.links + s.routes + s.addrs, 0);
	free(c.b);
}

/*
 * neigh1: an RTM_GETNEIGH dump for AF_INET6 (seq 0xe6, port 0x127e),
 * NLMSG_DONE @0x160, in a namespace made for it (a0 index 3, a1 5):
 *   ip -6 neigh add fe80::1 lladdr 02:00:00:00:00:01 dev a0 nud reachable
 *   ip -6 neigh add fe80::2 lladdr 02:00:00:00:00:02 dev a1 nud stale
 *   ip -6 neigh add 2001:db8:77::5 lladdr 02:00:00:00:00:05 dev a0 \
 *	nud permanent
 *   ip -6 neigh add 2001:db8:77::6 lladdr 02:00:00:00:00:06 dev a1 \
 *	nud noarp
 */
static void test_parse_neigh_states(void)
{
	static const struct want_neigh want[] = {
		/* @0x10: state @0x18 0x04 NUD_STALE; NDA_DST @0x1c,
		 * NDA_LLADDR @0x30. */
		{ 5, 0x04, "fe80::2", "02:00:00:00:00:02" },
		/* @0x68: 0x80 NUD_PERMANENT. */
		{ 3, 0x80, "2001:db8:77::5", "02:00:00:00:00:05" },
		/* @0xc0: 0x02 NUD_REACHABLE. */
		{ 3, 0x02, "fe80::1", "02:00:00:00:00:01" },
		/* @0x118: 0x40 NUD_NOARP. */
		{ 5, 0x40, "2001:db8:77::6", "02:00:00:00:00:06" },
	};
	struct capture c;
	struct seen s;

	CHECK_EQ(walk_capture("neigh1", 0xe6, 0x127e, &c, &s), 1);
	CHECK_EQ(s.msgs, 4);
	check_neighs(&s, want, NWANT(want));
	CHECK_EQ(s.links + s.routes + s.addrs, 0);
	free(c.b);
}

/*
 * addr0: an RTM_GETADDR dump for AF_INET6 (seq 0x65, port 0x1efe),
 * NLMSG_DONE @0x268. ifaddrmsg at +0x10: family, prefixlen, flags
 * (8 bits), scope, index; IFA_ADDRESS (type 1) at +0x18, IFA_FLAGS
 * (type 8, 32 bits) at the offset given.
 */
static void test_parse_addr_dump(void)
{
	static const struct want_addr want[] = {
		/* @0x10: lo, /128, flags 0x80 IFA_F_PERMANENT (IFA_FLAGS
		 * @0x40 the same), scope 0xfe RT_SCOPE_HOST. */
		{ 1, 128, 0xfe, 0x80, "::1" },
		/* @0x60: link 4, /64, 0x82 PERMANENT|NODAD (IFA_FLAGS
		 * @0x90), scope 0 (universe). */
		{ 4, 64, 0x00, 0x82, "fd00::2" },
		/* @0xa8: link 4, scope 0xfd RT_SCOPE_LINK (IFA_FLAGS
		 * @0xd8). */
		{ 4, 64, 0xfd, 0x80, "fe80::fc:ff:fe00:1" },
		/* @0xf8: link 7, /112 (0x70), universe (IFA_FLAGS
		 * @0x128). */
		{ 7, 112, 0x00, 0x80, "2001:db8:42::1" },
		/* @0x140, @0x190: link 7; @0x1d8: 13; @0x228: 15. */
		{ 7, 64, 0xfd, 0x80, "fe80::42:71ff:fe3b:86cd" },
		{ 7, 64, 0xfd, 0x80, "fe80::1" },
		{ 13, 64, 0xfd, 0x80, "fe80::a83f:abff:fee3:9b42" },
		{ 15, 64, 0xfd, 0x80, "fe80::8f9:8cff:fe32:c188" },
	};
	struct capture c;
	struct seen s;

	CHECK_EQ(walk_capture("addr0", 0x65, 0x1efe, &c, &s), 1);
	CHECK_EQ(s.msgs, 8);
	check_addrs(&s, want, NWANT(want));
	CHECK_EQ(s.links + s.routes + s.neighs, 0);
	free(c.b);
}

/*
 * addr1: an RTM_GETADDR dump for AF_INET6 (seq 0xde, port 0x283a),
 * NLMSG_DONE @0xa4, in a namespace made for it (a0 index 3):
 *   ip addr add 2001:db8:6::1/64 dev a0 nodad
 *   ip addr add 2001:db8:5::1 peer 2001:db8:5::2/128 dev a0 nodad
 * For a point-to-point address IFA_ADDRESS is the peer's and IFA_LOCAL
 * the interface's own (linux/if_addr.h); the latter is the address.
 */
static void test_parse_addr_peer(void)
{
	static const struct want_addr want[] = {
		/* @0x10: /64, 0x82 PERMANENT|NODAD, universe;
		 * IFA_ADDRESS @0x18, no IFA_LOCAL. */
		{ 3, 64, 0x00, 0x82, "2001:db8:6::1" },
		/* @0x58: /128; IFA_LOCAL (type 2) @0x60 2001:db8:5::1,
		 * IFA_ADDRESS @0x74 2001:db8:5::2, the peer. */
		{ 3, 128, 0x00, 0x82, "2001:db8:5::1" },
	};
	struct capture c;
	struct seen s;

	CHECK_EQ(walk_capture("addr1", 0xde, 0x283a, &c, &s), 1);
	CHECK_EQ(s.msgs, 2);
	check_addrs(&s, want, NWANT(want));
	free(c.b);
}

/* ------------------------------------------------------------------ */
/* The parsers on copies of captured messages, altered                 */

/*
 * One captured message of each kind, and the offsets (from the message)
 * of the attributes altered below:
 *   link:  link1 @0x5cc, eth0: IFLA_IFNAME +0x20, IFLA_TXQLEN +0x2c,
 *	    IFLA_ADDRESS +0x104, IFLA_BROADCAST +0x110
 *   route: route0 @0x2b8, the default route: RTA_GATEWAY +0x2c,
 *	    RTA_OIF +0x40
 *   neigh: neigh1 @0x00, fe80::2 STALE: NDA_DST +0x1c, NDA_LLADDR +0x30
 *   addr:  addr0 @0xe8, 2001:db8:42::1/112: IFA_ADDRESS +0x18,
 *	    IFA_CACHEINFO +0x2c, IFA_FLAGS +0x40 (the last attribute)
 */
enum { LINK, ROUTE, NEIGH, ADDR, KINDS };

static const struct sample {
	const char *file;
	size_t off, len;		/* the message in the file */
	size_t hdrlen;			/* its family header */
	size_t attr;			/* an attribute its parser needs */
	size_t next;			/* one after it, that it does not */
	uint16_t get;			/* the request type */
} samples[KINDS] = {
	[LINK] = { "link1", 0x5cc, 0x5e8, sizeof(struct ifinfomsg), 0x20,
		   0x2c, RTM_GETLINK },
	[ROUTE] = { "route0", 0x2b8, 0x74, sizeof(struct rtmsg), 0x2c,
		    0x40, RTM_GETROUTE },
	[NEIGH] = { "neigh1", 0x00, 0x58, sizeof(struct ndmsg), 0x1c,
		    0x30, RTM_GETNEIGH },
	[ADDR] = { "addr0", 0xe8, 0x48, sizeof(struct ifaddrmsg), 0x18,
		   0x2c, RTM_GETADDR },
};

/* A message being altered, and the copy of its first len bytes, of
 * exact size, that the parsers see. */
struct msg {
	uint8_t b[2048];
	struct nlmsghdr *copy;
};

/* msg_get FILE OFF LEN: the message of LEN bytes at OFF in a capture. */
static bool msg_get(const char *file, size_t off, size_t len, struct msg *m)
{
	struct capture c;
	struct nlmsghdr h;

	m->copy = NULL;
	if (!load(file, &c))
		return false;
	if (c.len < off + len || len > sizeof(m->b)) {
		FAILF("%s is too short", file);
		free(c.b);
		return false;
	}
	memcpy(m->b, c.b + off, len);
	free(c.b);
	memcpy(&h, m->b, sizeof(h));
	if (h.nlmsg_len != len) {
		FAILF("%s @0x%zx: nlmsg_len %u, want 0x%zx", file, off,
		      h.nlmsg_len, len);
		return false;
	}
	return true;
}

static bool sample_get(int kind, struct msg *m)
{
	return msg_get(samples[kind].file, samples[kind].off,
		       samples[kind].len, m);
}

static void put16(struct msg *m, size_t off, uint16_t v)
{
	memcpy(m->b + off, &v, sizeof(v));
}

static void put32(struct msg *m, size_t off, uint32_t v)
{
	memcpy(m->b + off, &v, sizeof(v));
}

/* The exact-size copy of m as it is now, its nlmsg_len len. */
static const struct nlmsghdr *msg_copy(struct msg *m, size_t len)
{
	free(m->copy);
	put32(m, offsetof(struct nlmsghdr, nlmsg_len), (uint32_t)len);
	if (!(m->copy = malloc(len))) {
		perror("malloc");
		exit(2);
	}
	memcpy(m->copy, m->b, len);
	return m->copy;
}

/* parse KIND H: the parser of that kind on h; its result. */
static int parse(int kind, const struct nlmsghdr *h)
{
	union {
		struct rtnl_link l;
		struct rtnl_route r;
		struct rtnl_neigh n;
		struct rtnl_addr a;
	} u;

	switch (kind) {
	case LINK:
		return rtnl_parse_link(h, &u.l);
	case ROUTE:
		return rtnl_parse_route(h, &u.r);
	case NEIGH:
		return rtnl_parse_neigh(h, &u.n);
	default:
		return rtnl_parse_addr(h, &u.a);
	}
}

/* Each parser takes its own NEW and DEL messages (notifications), and
 * rejects the other kinds and its own request type. */
static void test_parse_foreign_type(void)
{
	static const uint16_t del[KINDS] = { RTM_DELLINK, RTM_DELROUTE,
					     RTM_DELNEIGH, RTM_DELADDR };

	for (int k = 0; k < KINDS; k++) {
		size_t len = samples[k].len;
		const struct nlmsghdr *h;
		struct msg m;

		if (!sample_get(k, &m))
			return;
		h = msg_copy(&m, len);
		for (int p = 0; p < KINDS; p++)
			CHECKF(parse(p, h) == (p == k ? 0 : -EINVAL),
			       "parser %d on %s @0x%zx: %d", p,
			       samples[k].file, samples[k].off, parse(p, h));
		put16(&m, offsetof(struct nlmsghdr, nlmsg_type), del[k]);
		h = msg_copy(&m, len);
		CHECKF(parse(k, h) == 0, "parser %d on type %u: %d", k, del[k],
		       parse(k, h));
		put16(&m, offsetof(struct nlmsghdr, nlmsg_type),
		      samples[k].get);
		h = msg_copy(&m, len);
		CHECKF(parse(k, h) == -EINVAL, "parser %d on type %u: %d", k,
		       samples[k].get, parse(k, h));
		put16(&m, offsetof(struct nlmsghdr, nlmsg_type), NLMSG_DONE);
		h = msg_copy(&m, len);
		CHECKF(parse(k, h) == -EINVAL, "parser %d on NLMSG_DONE: %d",
		       k, parse(k, h));
		free(m.copy);
	}
}

/* A message too short for its family header is rejected; one of just
 * the header has no attributes, which only a route may lack. */
static void test_parse_truncated_header(void)
{
	for (int k = 0; k < KINDS; k++) {
		size_t hl = NLMSG_HDRLEN + samples[k].hdrlen;
		const struct nlmsghdr *h;
		struct msg m;

		if (!sample_get(k, &m))
			return;
		h = msg_copy(&m, NLMSG_HDRLEN);
		CHECKF(parse(k, h) == -EINVAL, "parser %d, no header: %d", k,
		       parse(k, h));
		h = msg_copy(&m, hl - 1);
		CHECKF(parse(k, h) == -EINVAL,
		       "parser %d, header short by one: %d", k, parse(k, h));
		h = msg_copy(&m, hl);
		CHECKF(parse(k, h) == (k == ROUTE ? 0 : -EINVAL),
		       "parser %d, header alone: %d", k, parse(k, h));
		free(m.copy);
	}
}

/* An attribute that runs past the end of its message, or is shorter
 * than its own header, makes the whole message malformed. */
static void test_parse_attr_past_end(void)
{
	for (int k = 0; k < KINDS; k++) {
		size_t len = samples[k].len, at = samples[k].attr;
		size_t nx = samples[k].next;
		const struct nlmsghdr *h;
		uint16_t rl;
		struct msg m;

		if (!sample_get(k, &m))
			return;
		/* Control: the message cut where an attribute starts. */
		h = msg_copy(&m, nx);
		CHECKF(parse(k, h) == 0, "parser %d, cut at +0x%zx: %d", k, nx,
		       parse(k, h));
		/* The message ends 2 bytes into the attribute's data. */
		h = msg_copy(&m, at + 6);
		CHECKF(parse(k, h) == -EINVAL, "parser %d, cut: %d", k,
		       parse(k, h));
		/* rta_len one byte past the message's end. */
		memcpy(&rl, m.b + at, sizeof(rl));
		put16(&m, at, (uint16_t)(len - at + 1));
		h = msg_copy(&m, len);
		CHECKF(parse(k, h) == -EINVAL, "parser %d, rta_len %zu: %d", k,
		       len - at + 1, parse(k, h));
		put16(&m, at, rl);
		/* rta_len 3 and 0, shorter than struct rtattr, in the
		 * last attribute header of the message. */
		put16(&m, nx, 3);
		h = msg_copy(&m, nx + 4);
		CHECKF(parse(k, h) == -EINVAL, "parser %d, rta_len 3: %d", k,
		       parse(k, h));
		put16(&m, nx, 0);
		h = msg_copy(&m, nx + 4);
		CHECKF(parse(k, h) == -EINVAL, "parser %d, rta_len 0: %d", k,
		       parse(k, h));
		free(m.copy);
	}
}

/* An attribute of the wrong size is not taken. Sizes whose RTA_ALIGN
 * is the same leave the next attribute where it was. */
static void test_parse_attr_wrong_size(void)
{
	struct rtnl_link l;
	struct rtnl_route r;
	struct rtnl_neigh n;
	struct rtnl_addr a;
	struct msg m;

	/* IFLA_ADDRESS (link1 @0x5cc +0x104, 0x0a) of 5 bytes: no MAC. */
	if (!sample_get(LINK, &m))
		return;
	CHECK_EQ(rtnl_parse_link(msg_copy(&m, 0x5e8), &l), 0);
	CHECK(l.has_addr);
	put16(&m, 0x104, 4 + 5);
	CHECK_EQ(rtnl_parse_link(msg_copy(&m, 0x5e8), &l), 0);
	CHECK(!l.has_addr);
	CHECK_STR(l.name, "eth0");
	/* IFLA_IFNAME (+0x20, 0x09: "eth0", its NUL, 3 bytes of padding)
	 * as 8 bytes without a NUL is a name of 8; an empty name is none. */
	put16(&m, 0x20, 4 + 8);
	memcpy(m.b + 0x24, "eth0abcd", 8);
	CHECK_EQ(rtnl_parse_link(msg_copy(&m, 0x5e8), &l), 0);
	CHECK_STR(l.name, "eth0abcd");
	m.b[0x24] = '\0';
	CHECK_EQ(rtnl_parse_link(msg_copy(&m, 0x5e8), &l), -EINVAL);
	free(m.copy);
	/* link1 @0xbb4 (0x764 bytes): IFLA_IFNAME (+0x20, 0x14) is 15
	 * characters and a NUL; 16 without a NUL do not fit IFNAMSIZ. */
	if (!msg_get("link1", 0xbb4, 0x764, &m))
		return;
	CHECK_EQ(rtnl_parse_link(msg_copy(&m, 0x764), &l), 0);
	CHECK_STR(l.name, "br-50336f35f474");
	m.b[0x20 + 4 + 15] = 'x';
	CHECK_EQ(rtnl_parse_link(msg_copy(&m, 0x764), &l), -EINVAL);
	free(m.copy);

	/* RTA_GATEWAY (route0 @0x2b8 +0x2c, 0x14) of 15 bytes: no
	 * gateway, and the route is still a route. */
	if (!sample_get(ROUTE, &m))
		return;
	put16(&m, 0x2c, 4 + 15);
	CHECK_EQ(rtnl_parse_route(msg_copy(&m, 0x74), &r), 0);
	CHECK_EQ(r.dst_len, 0);
	CHECK_EQ(r.nnh, 0);
	free(m.copy);

	/* NDA_LLADDR (neigh1 @0 +0x30, 0x0a) of 5 and 7 bytes: no
	 * lladdr; NDA_DST (+0x1c, 0x14) of 15 bytes: no entry. */
	if (!sample_get(NEIGH, &m))
		return;
	put16(&m, 0x30, 4 + 5);
	CHECK_EQ(rtnl_parse_neigh(msg_copy(&m, 0x58), &n), 0);
	CHECK(!n.has_lladdr);
	CHECK_EQ(n.state, 0x04);
	put16(&m, 0x30, 4 + 7);
	CHECK_EQ(rtnl_parse_neigh(msg_copy(&m, 0x58), &n), 0);
	CHECK(!n.has_lladdr);
	put16(&m, 0x30, 4 + 6);
	put16(&m, 0x1c, 4 + 15);
	CHECK_EQ(rtnl_parse_neigh(msg_copy(&m, 0x58), &n), -EINVAL);
	free(m.copy);

	/* IFA_FLAGS (addr0 @0xe8 +0x40, 0x08, the 32 bits beside the
	 * 8-bit ifa_flags 0x80): 0x280 is taken, but not from a 3-byte
	 * attribute; IFA_ADDRESS (+0x18) of 15 bytes: no address. */
	if (!sample_get(ADDR, &m))
		return;
	put32(&m, 0x44, 0x280);
	CHECK_EQ(rtnl_parse_addr(msg_copy(&m, 0x48), &a), 0);
	CHECK_EQ(a.flags, 0x280);
	put16(&m, 0x40, 4 + 3);
	CHECK_EQ(rtnl_parse_addr(msg_copy(&m, 0x48), &a), 0);
	CHECK_EQ(a.flags, 0x80);
	put16(&m, 0x18, 4 + 15);
	CHECK_EQ(rtnl_parse_addr(msg_copy(&m, 0x48), &a), -EINVAL);
	free(m.copy);
}

/* Of two attributes of one type the last is taken: link1 @0x5cc,
 * IFLA_BROADCAST (+0x110, ff:ff:ff:ff:ff:ff) retyped IFLA_ADDRESS. */
static void test_parse_attr_repeated(void)
{
	struct rtnl_link l;
	struct msg m;

	if (!sample_get(LINK, &m))
		return;
	put16(&m, 0x110 + offsetof(struct rtattr, rta_type), IFLA_ADDRESS);
	CHECK_EQ(rtnl_parse_link(msg_copy(&m, 0x5e8), &l), 0);
	CHECK(l.has_addr);
	CHECKF(same_mac(l.addr, "ff:ff:ff:ff:ff:ff"), "addr %s",
	       mac_str(l.addr));
	free(m.copy);
}

/*
 * Inside RTA_MULTIPATH (route2 @0xfc +0x40: 0x3c bytes, two
 * rtnexthops of 0x1c at +0x44 and +0x60, RTA_GATEWAY at +0x4c and
 * +0x68): a nexthop whose gateway is of the wrong size is left out; one
 * that runs past RTA_MULTIPATH, or is shorter than its header, spoils
 * the route.
 */
static void test_parse_multipath_malformed(void)
{
	struct rtnl_route r;
	struct msg m;

	if (!msg_get("route2", 0xfc, 0xa8, &m))
		return;
	CHECK_EQ(rtnl_parse_route(msg_copy(&m, 0xa8), &r), 0);
	CHECK_EQ(r.nnh, 2);
	put16(&m, 0x4c, 4 + 15);
	CHECK_EQ(rtnl_parse_route(msg_copy(&m, 0xa8), &r), 0);
	CHECK_EQ(r.nnh, 1);
	CHECK(same_in6(&r.nh[0].gw, "fe80::2"));
	CHECK_EQ(r.nh[0].ifindex, 5);
	/* The second rtnexthop's rtnh_len over the attribute after
	 * RTA_MULTIPATH (RTA_CACHEINFO, 0x24 bytes at +0x7c), which would
	 * parse as one of its attributes. */
	put16(&m, 0x4c, 4 + 16);
	put16(&m, 0x60, 0x1c + 0x24);
	CHECK_EQ(rtnl_parse_route(msg_copy(&m, 0xa8), &r), -EINVAL);
	/* rtnh_len shorter than struct rtnexthop. */
	put16(&m, 0x60, 7);
	CHECK_EQ(rtnl_parse_route(msg_copy(&m, 0xa8), &r), -EINVAL);
	free(m.copy);
}

/* Neighbours and addresses are IPv6 only; a route of another family is
 * a route, but its gateway (of another size) is not an IPv6 one. */
static void test_parse_foreign_family(void)
{
	struct rtnl_route r;
	struct msg m;

	for (int k = ROUTE; k < KINDS; k++) {
		if (!sample_get(k, &m))
			return;
		m.b[NLMSG_HDRLEN] = AF_INET;	/* the family, first byte */
		CHECKF(parse(k, msg_copy(&m, samples[k].len)) ==
		       (k == ROUTE ? 0 : -EINVAL), "parser %d on AF_INET", k);
		if (k == ROUTE) {
			CHECK_EQ(rtnl_parse_route(m.copy, &r), 0);
			CHECK_EQ(r.family, AF_INET);
			CHECK_EQ(r.nnh, 0);
		}
		free(m.copy);
	}
}

int main(int argc, char **argv)
{
	const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(10);		/* a walk that loops is a failure, not a hang */
	/* The captures, from the program's directory (test/). */
	if (slash)
		(void)snprintf(corpus_dir, sizeof(corpus_dir),
			       "%.*s/../fuzz/corpus/rtnl",
			       (int)(slash - argv[0]), argv[0]);

	RUN(test_walk_done_ends_dump);
	RUN(test_walk_done_without_error_code);
	RUN(test_walk_done_with_error);
	RUN(test_walk_error_and_ack);
	RUN(test_walk_skips_other_seq);
	RUN(test_walk_dump_interrupted);
	RUN(test_walk_malformed);
	RUN(test_parse_link_dump);
	RUN(test_parse_route_dump);
	RUN(test_parse_route_multipath_dump);
	RUN(test_parse_neigh_dump);
	RUN(test_parse_neigh_states);
	RUN(test_parse_addr_dump);
	RUN(test_parse_addr_peer);
	RUN(test_parse_foreign_type);
	RUN(test_parse_truncated_header);
	RUN(test_parse_attr_past_end);
	RUN(test_parse_attr_wrong_size);
	RUN(test_parse_attr_repeated);
	RUN(test_parse_multipath_malformed);
	RUN(test_parse_foreign_family);
	return tests_failed ? 1 : 0;
}
